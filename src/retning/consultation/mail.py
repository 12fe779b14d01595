"""Parsing one received e-mail into what intake needs. Pure Python (stdlib `email`).

Real mail is often broken: undeclared or wrongly declared charsets, raw 8-bit headers,
HTML-only bodies, forwarded messages inside messages. Parsing never raises for such mail;
it falls back and notes what it did in `warnings`. HTML is converted to text and never
kept for rendering.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.utils
from dataclasses import dataclass, field
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from html.parser import HTMLParser

_AUTO_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "blockquote",
    "pre",
    "hr",
    "ul",
    "ol",
    "section",
    "article",
}


class MailParseError(ValueError):
    """The bytes are not an e-mail message we can read at all."""


@dataclass
class MailAttachment:
    filename: str
    content_type: str
    data: bytes


@dataclass
class ParsedMail:
    message_id: str
    subject: str
    from_name: str
    from_address: str
    date: dt.datetime | None
    received_at: dt.datetime | None  # from the newest Received header
    body: str
    body_was_html: bool
    attachments: list[MailAttachment] = field(default_factory=list)
    forwarded_subjects: list[str] = field(default_factory=list)
    automatic: str = ""  # why it is an auto-reply or bulk mail, else ""
    warnings: list[str] = field(default_factory=list)
    # The dates as written, for `deadline.arrival_time`: each Received header's date part
    # (topmost first) and the Date header.
    received_dates: list[str] = field(default_factory=list)
    date_header: str = ""
    # An Outlook .msg's delivery time: when the mailbox received it (like INTERNALDATE).
    delivered_at: dt.datetime | None = None


class _TextFromHTML(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "head", "title"}:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in {"script", "style", "head", "title"}:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Readable text of an HTML body; scripts and styles dropped, markup gone."""
    parser = _TextFromHTML()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()


def decode_text(data: bytes, declared: str | None) -> tuple[str, str | None]:
    """Decode body bytes; returns (text, warning). Handles missing and wrong charsets."""
    declared = (declared or "").strip().lower() or None
    ascii_like = {
        None,
        "us-ascii",
        "ascii",
        "iso-8859-1",
        "latin-1",
        "latin1",
        "windows-1252",
        "cp1252",
    }
    if declared in ascii_like and not data.isascii():
        try:  # 8-bit text declared as ASCII/Latin-1 is very often UTF-8 in reality
            return data.decode("utf-8"), (
                None if declared is None else f"charset {declared} declared, UTF-8 found"
            )
        except UnicodeDecodeError:
            pass
    if declared:
        try:
            return data.decode(declared), None
        except LookupError:
            warning = f"unknown charset {declared}"
        except UnicodeDecodeError:
            warning = f"bytes are not valid {declared}"
    else:
        warning = None
    if data.isascii():
        return data.decode("ascii"), warning
    for fallback in ("utf-8", "cp1252"):
        try:
            return data.decode(fallback), warning or f"no charset declared, read as {fallback}"
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), warning or "read as latin-1"


def _header(msg: Message, name: str, warnings: list[str]) -> str:
    try:
        value = msg.get(name)
    except Exception as exc:  # the stdlib raises various errors on malformed headers
        warnings.append(f"header {name}: {exc}")
        value = None
    if value is None:
        return ""
    text = str(value)
    if "=?" in text or not text.isascii():
        with contextlib.suppress(Exception):
            text = str(make_header(decode_header(text)))
    if "\ufffd" in text or (not text.isascii() and _looks_mojibake(text)):
        raw = _raw_header(msg, name)
        if raw is not None:
            text = decode_text(raw, None)[0]
    return " ".join(text.split())


def _looks_mojibake(text: str) -> bool:
    return any(seq in text for seq in ("Ã¸", "Ã¥", "Ã¦", "Ã˜", "Ã…", "Ã†"))


def _raw_header(msg: Message, name: str) -> bytes | None:
    for key, value in getattr(msg, "_headers", []):
        if key.lower() == name.lower():
            if isinstance(value, str):
                return value.encode("utf-8", "surrogateescape")
            return None
    return None


def _address(raw: str) -> tuple[str, str]:
    name, address = email.utils.parseaddr(raw)
    return name.strip(), address.strip().lower()


def _date(value: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


def received_dates(msg: Message) -> list[str]:
    """The date part of each Received header that has one, topmost (newest) first."""
    try:
        received = msg.get_all("Received") or []
    except Exception:
        return []
    dates = []
    for header in received:
        text = " ".join(str(header).split())
        if ";" in text:
            dates.append(text.rsplit(";", 1)[1].strip())
    return dates


def newest_received(msg: Message) -> dt.datetime | None:
    """The time in the topmost Received header: when the message reached our server."""
    for value in received_dates(msg):
        parsed = _date(value)
        if parsed:
            return parsed
    return None


def automatic_reason(msg: Message) -> str:
    """Why a message is automatic (RFC 3834 Auto-Submitted, Precedence: bulk …), or ""."""
    auto = str(msg.get("Auto-Submitted", "") or "").strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    precedence = str(msg.get("Precedence", "") or "").strip().lower()
    if precedence in _AUTO_PRECEDENCE:
        return f"Precedence: {precedence}"
    for name in ("X-Autoreply", "X-Autorespond"):
        if msg.get(name):
            return f"{name}: {msg.get(name)}"
    return ""


def _payload_bytes(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if data is None:
        payload = part.get_payload()
        if isinstance(payload, str):
            return payload.encode("utf-8", "surrogateescape")
        return b""
    return data


def _filename(part: Message, warnings: list[str]) -> str:
    try:
        name = part.get_filename()
    except Exception as exc:
        warnings.append(f"attachment filename: {exc}")
        name = None
    if name and "=?" in name:
        with contextlib.suppress(Exception):
            name = str(make_header(decode_header(name)))
    return (name or "").replace("/", "_").replace("\\", "_").strip()


def parse_message(raw: bytes) -> ParsedMail:
    """Parse raw RFC 5322 bytes or an Outlook .msg file. Raises MailParseError only when
    there is no message."""
    if not raw or not raw.strip():
        raise MailParseError("empty message (0 bytes)")
    from retning.consultation import outlook

    if outlook.is_msg(raw):
        try:
            converted = outlook.convert(raw)
        except ValueError as exc:
            raise MailParseError(str(exc)) from exc
        parsed = parse_message(converted.mime)
        parsed.delivered_at = converted.delivered_at
        parsed.warnings[:0] = converted.warnings
        return parsed
    warnings: list[str] = []
    try:
        msg: Message = email.message_from_bytes(raw, policy=policy.default)
        # Touch the structure once; broken MIME raises here rather than later.
        list(msg.walk())
    except Exception as exc:
        warnings.append(f"default policy failed ({exc}); parsed with compat32")
        msg = email.message_from_bytes(raw, policy=policy.compat32)
    if not msg.keys():
        raise MailParseError("no header block: this is not an e-mail message")

    from_name, from_address = _address(_header(msg, "From", warnings))
    texts: list[str] = []
    htmls: list[str] = []
    attachments: list[MailAttachment] = []
    forwarded: list[str] = []
    for part in msg.walk():
        ctype = part.get_content_type()
        if part is not msg and ctype == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner:
                forwarded.append(_header(inner[0], "Subject", warnings))
            continue
        if part.is_multipart():
            continue
        filename = _filename(part, warnings)
        disposition = (part.get_content_disposition() or "").lower()
        if filename or disposition == "attachment" or not ctype.startswith("text/"):
            if part is msg and not filename and ctype.startswith("text/"):
                pass  # a single-part message: its payload is the body
            else:
                extension = {"text/plain": ".txt", "text/html": ".html"}.get(ctype, ".bin")
                attachments.append(
                    MailAttachment(
                        filename or f"vedlegg-{len(attachments) + 1}{extension}",
                        ctype,
                        _payload_bytes(part),
                    )
                )
                continue
        data = _payload_bytes(part)
        try:
            charset = part.get_content_charset()
        except Exception:
            charset = None
        text, warning = decode_text(data, charset)
        if warning:
            warnings.append(warning)
        (htmls if ctype == "text/html" else texts).append(text)

    body_was_html = not any(t.strip() for t in texts) and any(h.strip() for h in htmls)
    if body_was_html:
        body = "\n\n".join(html_to_text(h) for h in htmls)
    else:
        body = "\n\n".join(t.strip() for t in texts if t.strip())
    message_id = _header(msg, "Message-ID", warnings).strip()
    date_header = _header(msg, "Date", warnings)
    return ParsedMail(
        message_id=message_id[:995],
        subject=_header(msg, "Subject", warnings),
        from_name=from_name,
        from_address=from_address,
        date=_date(date_header),
        received_at=newest_received(msg),
        body=body.replace("\x00", ""),
        body_was_html=body_was_html,
        attachments=attachments,
        forwarded_subjects=forwarded,
        automatic=automatic_reason(msg),
        warnings=warnings,
        received_dates=received_dates(msg),
        date_header=date_header,
    )


def message_id_of(raw: bytes) -> str:
    """The Message-ID alone, read cheaply before a full parse ("" when there is none)."""
    from retning.consultation import outlook

    if outlook.is_msg(raw):
        return outlook.message_id(raw)
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    try:
        msg = email.message_from_bytes(head + b"\n\n", policy=policy.compat32)
        value = msg.get("Message-ID")
    except Exception:
        return ""
    return " ".join(str(value or "").split())[:995]


__all__ = ["EmailMessage", "MailParseError", "ParsedMail", "parse_message"]
