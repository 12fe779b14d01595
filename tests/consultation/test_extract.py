from retning.consultation.extract import (
    NEEDS_MANUAL,
    REASON_EMPTY,
    REASON_ENCRYPTED,
    REASON_NO_TEXT,
    REASON_OVERSIZED,
    REASON_TOO_MANY_PAGES,
    REASON_UNKNOWN,
    REASON_ZIP_BOMB,
    TEXT_OK,
    Limits,
    extract_text,
)
from tests.consultation.synthetic_files import (
    synthetic_docx,
    synthetic_encrypted_pdf,
    synthetic_odt,
    synthetic_pdf,
    synthetic_scanned_pdf,
    synthetic_zip_bomb_docx,
)


def test_extract_text_reads_pdf_text_layer():
    result = extract_text("forslag.pdf", synthetic_pdf("Nytt industriomrade i Kongsvinger"))
    assert (result.kind, result.status) == ("pdf", TEXT_OK)
    assert "Nytt industriomrade i Kongsvinger" in result.text


def test_extract_text_reads_docx_and_odt():
    docx = extract_text("a.docx", synthetic_docx("Bredbånd til alle i Grue"))
    odt = extract_text("b.odt", synthetic_odt("Skogbruk i Åsnes"))
    assert (docx.kind, docx.status, docx.text) == ("docx", TEXT_OK, "Bredbånd til alle i Grue")
    assert (odt.kind, odt.status, odt.text) == ("odt", TEXT_OK, "Skogbruk i Åsnes")


def test_extract_text_keeps_an_odt_headings_in_document_order():
    odt = extract_text("c.odt", synthetic_odt("Mer tømmer til sagbruket.", heading="Skogbruk"))
    assert odt.text == "Skogbruk\nMer tømmer til sagbruket."


def test_extract_text_reads_latin1_plain_text():
    result = extract_text("innspill.txt", "Sør-Odal ønsker næringsareal".encode("cp1252"))
    assert result.status == TEXT_OK
    assert result.text == "Sør-Odal ønsker næringsareal"


def test_extract_text_flags_encrypted_pdf():
    result = extract_text("hemmelig.pdf", synthetic_encrypted_pdf())
    assert (result.status, result.reason) == (NEEDS_MANUAL, REASON_ENCRYPTED)


def test_extract_text_flags_pdf_without_text_layer():
    result = extract_text("skannet.pdf", synthetic_scanned_pdf())
    assert (result.status, result.reason) == (NEEDS_MANUAL, REASON_NO_TEXT)


def test_extract_text_flags_zip_bomb_before_inflating():
    bomb = synthetic_zip_bomb_docx()
    assert len(bomb) < 1024 * 1024  # small on the wire
    result = extract_text("bombe.docx", bomb)
    assert (result.kind, result.status, result.reason) == ("docx", NEEDS_MANUAL, REASON_ZIP_BOMB)


def test_extract_text_flags_oversized_and_too_many_pages():
    pdf = synthetic_pdf()
    assert extract_text("a.pdf", pdf, Limits(max_bytes=len(pdf) - 1)).reason == REASON_OVERSIZED
    assert extract_text("a.pdf", pdf, Limits(max_pages=0)).reason == REASON_TOO_MANY_PAGES


def test_extract_text_flags_empty_and_unknown_files():
    assert extract_text("tom.pdf", b"").reason == REASON_EMPTY
    assert extract_text("bilde.png", b"\x89PNG\r\n\x1a\n....").reason == REASON_UNKNOWN
    assert extract_text("falsk.pdf", b"%PDF-1.4 garbage").status == NEEDS_MANUAL
