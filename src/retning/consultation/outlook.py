"""Outlook .msg files (what staff drag out of Outlook) as an ordinary e-mail.

A .msg is a compound file of MAPI properties, not MIME. `extract-msg` reads it; this
module builds the equivalent MIME message so `mail.parse_message` handles it like any
.eml: the internet headers Outlook kept (PR_TRANSPORT_MESSAGE_HEADERS: From, Subject,
Date, Message-ID, the Received chain), the text body, and the attachments. Headers a
.msg made in Outlook itself lacks are taken from its MAPI properties. The delivery time
(PR_MESSAGE_DELIVERY_TIME) is when the mailbox received the message, the moment Exchange
also reports as IMAP INTERNALDATE and Graph as receivedDateTime.

extract-msg's own `asEmailMessage()` is not used: it carries the original
Content-Transfer-Encoding over onto its new multipart, and leaves out From and Subject
when a .msg has no transport headers.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import HeaderParser

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # every compound file (.msg) begins so
_HEADER_PREFIX = "Microsoft Mail Internet Headers Version 2.0"
# Headers that describe the original MIME structure, which the rebuilt message replaces.
_STRUCTURE = ("content-", "mime-version")


def is_msg(raw: bytes) -> bool:
    return raw[:8] == OLE_MAGIC


@dataclass
class Converted:
    mime: bytes
    delivered_at: dt.datetime | None
    warnings: list[str] = field(default_factory=list)


def _open(raw: bytes):
    import extract_msg
    from extract_msg.enums import ErrorBehavior
    from extract_msg.msg_classes.message_base import MessageBase

    # extract-msg logs every property it does not know at INFO/WARNING; the outcome is
    # reported through `warnings` instead.
    logging.getLogger("extract_msg").setLevel(logging.ERROR)
    try:
        opened = extract_msg.openMsg(
            raw, errorBehavior=ErrorBehavior.ATTACH_SUPPRESS_ALL | ErrorBehavior.RTFDE
        )
    except Exception as exc:
        raise ValueError(f"not a readable Outlook .msg file ({type(exc).__name__}: {exc})") from exc
    if not isinstance(opened, MessageBase):
        kind = type(opened).__name__
        opened.close()
        raise ValueError(f"this Outlook .msg file is a {kind}, not an e-mail message")
    return opened


def _string(msg, tag: str) -> str:
    value = msg.getStringStream(f"__substg1.0_{tag}")
    return " ".join(str(value).split()) if value else ""


def _sender(msg) -> str:
    """From, as Outlook knows it: display name and the SMTP address (not an X.500 DN)."""
    name = _string(msg, "0C1A")  # PR_SENDER_NAME
    address = _string(msg, "5D01")  # PR_SENDER_SMTP_ADDRESS
    if not address:
        candidate = _string(msg, "0C1F")  # PR_SENDER_EMAIL_ADDRESS
        kind = _string(msg, "0C1E").upper()  # PR_SENDER_ADDRTYPE
        if kind == "SMTP" or "@" in candidate:
            address = candidate
    if not address:
        address = _string(msg, "5D02")  # PR_SENT_REPRESENTING_SMTP_ADDRESS
    if not address and not name:
        return ""
    return email.utils.formataddr((name, address)) if address else name


def _headers(msg) -> list[tuple[str, str]]:
    text = msg.headerText or ""
    if text.startswith(_HEADER_PREFIX):
        text = text[len(_HEADER_PREFIX) :].lstrip()
    parsed = HeaderParser(policy=policy.compat32).parsestr(text) if text.strip() else None
    if parsed is None:
        return []
    return [(k, v) for k, v in parsed.items() if not k.lower().startswith(_STRUCTURE)]


def _aware(value) -> dt.datetime | None:
    if not isinstance(value, dt.datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def convert(raw: bytes) -> Converted:
    """The .msg as MIME bytes, its delivery time, and what could not be carried over."""
    msg = _open(raw)
    try:
        return _convert(msg)
    finally:
        msg.close()


def _convert(msg) -> Converted:
    warnings = ["read from an Outlook .msg file"]
    out = EmailMessage(policy=policy.SMTP)
    for name, value in _headers(msg):
        out[name] = value.replace("\r", "").replace("\n", " ")
    present = {k.lower() for k in out}
    delivered = _aware(msg.receivedTime)
    if "from" not in present and _sender(msg):
        out["From"] = _sender(msg)
    if "subject" not in present and msg.subject:
        out["Subject"] = " ".join(msg.subject.split())
    if "message-id" not in present and _string(msg, "1035"):  # PR_INTERNET_MESSAGE_ID
        out["Message-ID"] = _string(msg, "1035")
    if "date" not in present:
        sent = _aware(msg.getPropertyVal("00390040"))  # PR_CLIENT_SUBMIT_TIME
        if sent:
            out["Date"] = email.utils.format_datetime(sent)

    body = msg.body
    if body:
        out.set_content(body.replace("\r\n", "\n"), charset="utf-8")
    elif msg.htmlBody:
        html = msg.htmlBody
        html = html.decode("utf-8", "replace") if isinstance(html, bytes) else str(html)
        out.set_content(html, subtype="html", charset="utf-8")
    else:
        out.set_content("", charset="utf-8")

    for index, att in enumerate(msg.attachments, start=1):
        filename = att.getFilename() or f"vedlegg-{index}"
        data = att.data
        if isinstance(data, bytes):
            maintype, _, subtype = (att.mimetype or "application/octet-stream").partition("/")
            out.add_attachment(
                data, maintype=maintype, subtype=subtype or "octet-stream", filename=filename
            )
        elif data is not None and hasattr(data, "exportBytes"):  # an attached e-mail
            inner = convert_embedded(data)
            if inner is not None:
                out.add_attachment(inner, filename=filename)
            else:
                warnings.append(f"attached message {filename!r} could not be read")
        else:
            warnings.append(f"attachment {filename!r} ({att.type.name.lower()}) not carried over")
    return Converted(out.as_bytes(policy=policy.SMTP), delivered, warnings)


def convert_embedded(inner) -> EmailMessage | None:
    """An e-mail attached inside the .msg, rebuilt the same way."""
    try:
        converted = _convert(inner)
    except Exception:
        return None
    return email.message_from_bytes(converted.mime, policy=policy.default)


def message_id(raw: bytes) -> str:
    """The Message-ID of a .msg, "" when it has none or cannot be read. Never raises:
    it is asked before the bytes are stored, and nothing may keep them from being stored."""
    try:
        msg = _open(raw)
    except Exception:
        return ""
    try:
        for name, value in _headers(msg):
            if name.lower() == "message-id":
                return " ".join(value.split())[:995]
        return _string(msg, "1035")[:995]
    except Exception:
        return ""
    finally:
        msg.close()
