"""The e-mail parser on messages shaped like what people really send."""

from retning.consultation.mail import decode_text, html_to_text, parse_message
from tests.consultation.conftest import SUBJECT, synthetic_mail


def test_parse_message_decodes_rfc2047_subject_and_sender():
    raw = (
        b"From: =?ISO-8859-1?Q?Kj=F8ll_S=E6ther?= <kjoll@example.org>\r\n"
        b"Subject: =?UTF-8?B?SMO4cmluZ3Npbm5zcGlsbCBuw6ZyaW5nc3N0cmF0ZWdp?=\r\n"
        b"Message-ID: <a@example.org>\r\n\r\nHei\r\n"
    )
    parsed = parse_message(raw)
    assert parsed.subject == SUBJECT
    assert parsed.from_name == "Kjøll Sæther"
    assert parsed.from_address == "kjoll@example.org"


def test_parse_message_reads_latin1_body_and_raw_8bit_header():
    raw = (
        "From: ola@example.org\r\nSubject: Høringsinnspill næringsstrategi\r\n"
        "Content-Type: text/plain; charset=iso-8859-1\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\nVi ønsker flere arbeidsplasser i Sør-Odal.\r\n"
    ).encode("latin-1")
    parsed = parse_message(raw)
    assert parsed.body == "Vi ønsker flere arbeidsplasser i Sør-Odal."
    assert parsed.subject == SUBJECT


def test_parse_message_reads_utf8_body_declared_as_ascii():
    raw = (
        b"From: ola@example.org\r\nSubject: x\r\nContent-Type: text/plain; charset=us-ascii\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n" + "Næringsliv på Grue".encode()
    )
    parsed = parse_message(raw)
    assert parsed.body == "Næringsliv på Grue"
    assert any("UTF-8 found" in w for w in parsed.warnings)


def test_parse_message_converts_html_only_body_to_text():
    raw = synthetic_mail(
        html="<html><head><style>p{}</style><script>alert(1)</script></head>"
        "<body><p>Første <b>avsnitt</b></p><p>Andre&nbsp;avsnitt &amp; mer</p></body></html>"
    )
    parsed = parse_message(raw)
    assert parsed.body_was_html
    assert parsed.body == "Første avsnitt\n\nAndre avsnitt & mer"
    assert "<" not in parsed.body and "alert" not in parsed.body


def test_parse_message_reads_nested_forwarded_messages():
    innermost = synthetic_mail("Innerst", "Innerste tekst", message_id="<inner@example.org>")
    middle = synthetic_mail("Fwd: Innerst", "Midterste tekst", message_id="<mid@example.org>")
    from email import message_from_bytes, policy

    middle_msg = message_from_bytes(middle, policy=policy.default)
    middle_msg.add_attachment(message_from_bytes(innermost, policy=policy.default))
    outer = message_from_bytes(synthetic_mail("VS: " + SUBJECT, "Ytterste"), policy=policy.default)
    outer.add_attachment(middle_msg)
    parsed = parse_message(outer.as_bytes())
    assert parsed.forwarded_subjects == ["Fwd: Innerst", "Innerst"]
    assert "Ytterste" in parsed.body
    assert "Midterste tekst" in parsed.body
    assert "Innerste tekst" in parsed.body


def test_parse_message_flags_auto_replies_and_bulk():
    auto = parse_message(synthetic_mail(extra_headers={"Auto-Submitted": "auto-replied"}))
    bulk = parse_message(synthetic_mail(extra_headers={"Precedence": "bulk"}))
    person = parse_message(synthetic_mail(extra_headers={"Auto-Submitted": "no"}))
    assert auto.automatic == "Auto-Submitted: auto-replied"
    assert bulk.automatic == "Precedence: bulk"
    assert person.automatic == ""


def test_parse_message_takes_newest_received_header():
    raw = b"Received: from a by us; Sat, 15 Jun 2024 23:59:30 +0200\r\n" + synthetic_mail(
        received="Sat, 15 Jun 2024 23:00:00 +0200"
    )
    parsed = parse_message(raw)
    assert parsed.received_at.isoformat() == "2024-06-15T23:59:30+02:00"


def test_decode_text_falls_back_for_unknown_charset():
    text, warning = decode_text("blåbær".encode(), "x-unknown-charset")
    assert text == "blåbær"
    assert warning == "unknown charset x-unknown-charset"


def test_html_to_text_never_keeps_markup():
    assert html_to_text('<a href="x" onclick="evil()">lenke</a><img src=x>') == "lenke"
