"""Synthetic attachments of each kind, built in the tests (no binary fixtures)."""

from __future__ import annotations

import io
import zipfile


def synthetic_pdf(text: str = "Forslag om nytt naeringsareal") -> bytes:
    """A one-page PDF with a real text layer, written object by object."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def synthetic_encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(synthetic_pdf())))
    writer.encrypt(user_password="hemmelig", owner_password="hemmelig")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def synthetic_scanned_pdf() -> bytes:
    """A PDF page without a text layer, as a scanner produces (minus the image)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def synthetic_docx(text: str = "Forslag fra Grue om bredbånd") -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def synthetic_odt(text: str = "Forslag fra Åsnes om skogbruk", heading: str = "") -> bytes:
    from odfdo import Document, Header, Paragraph

    document = Document("text")
    if heading:
        document.body.append(Header(1, heading))
    document.body.append(Paragraph(text))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def synthetic_zip_bomb_docx(decompressed: int = 200 * 1024 * 1024) -> bytes:
    """A DOCX-shaped zip whose one member inflates to `decompressed` bytes of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(decompressed // len(chunk)):
                member.write(chunk)
    return out.getvalue()
