"""IMAP intake (imap-tools): store each new message, then mark it as stored on the server.

Messages are fetched with BODY.PEEK[] (exact bytes, \\Seen untouched) and INTERNALDATE
(when the mailbox received it: the time that counts for the deadline). A message is
flagged with the keyword RETNING_IMAP_STORED_FLAG only after it is committed, so a crash
between the two means it is fetched again next run and recognised as already present.
Safe to run from cron.

With RETNING_IMAP_AUTH=xoauth2 (Exchange Online, where basic-auth IMAP is switched off)
it signs in with SASL XOAUTH2 and an app-only token from the RETNING_GRAPH_* app
registration (scope https://outlook.office365.com/.default) instead of a password.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import imaplib
import re
import time
from collections.abc import Callable

from django.conf import settings

_INTERNALDATE = re.compile(rb'INTERNALDATE "([^"]+)"')


def _internal_date(meta: bytes) -> dt.datetime | None:
    found = _INTERNALDATE.search(meta)
    if not found:
        return None
    parsed = imaplib.Internaldate2tuple(b'INTERNALDATE "' + found.group(1) + b'"')
    if parsed is None:
        return None
    return dt.datetime.fromtimestamp(time.mktime(parsed), tz=dt.UTC)


def import_imap(
    consultation,
    store: Callable[[bytes, str, dt.datetime | None], object],
    *,
    host: str | None = None,
    port: int | None = None,
    ssl: bool | None = None,
    user: str | None = None,
    password: str | None = None,
    folder: str | None = None,
) -> int:
    """Fetch unflagged messages, hand each to `store`, then flag it. Returns the count."""
    from imap_tools import AND, MailBox, MailBoxUnencrypted

    host = host or settings.RETNING_IMAP_HOST
    if not host:
        raise ValueError("RETNING_IMAP_HOST is not set")
    use_ssl = settings.RETNING_IMAP_SSL if ssl is None else ssl
    box_class = MailBox if use_ssl else MailBoxUnencrypted
    flag = settings.RETNING_IMAP_STORED_FLAG
    count = 0
    user = user if user is not None else settings.RETNING_IMAP_USER
    box = box_class(host, port or settings.RETNING_IMAP_PORT, timeout=60)
    try:
        _sign_in(box, user, password, folder or settings.RETNING_IMAP_FOLDER)
    except Exception:
        with contextlib.suppress(Exception):
            box.client.shutdown()
        raise
    with box:
        for uid in box.uids(AND(no_keyword=flag)):
            status, data = box.client.uid("FETCH", uid, "(BODY.PEEK[] INTERNALDATE)")
            if status != "OK" or not data or not isinstance(data[0], tuple):
                continue
            meta, raw = data[0]
            store(raw, f"imap:{box.folder.get()}:{uid}", _internal_date(meta))
            # Not box.flag(): it also sends EXPUNGE, which would purge messages others
            # marked \Deleted in a shared mailbox.
            status, _ = box.client.uid("STORE", uid, "+FLAGS", f"({flag})")
            if status != "OK":
                raise ValueError(f"could not flag message {uid} as stored ({status})")
            count += 1
    return count


def _sign_in(box, user: str, password: str | None, folder: str):
    """LOGIN with the password, or AUTHENTICATE XOAUTH2 with the app's token."""
    from imap_tools.errors import MailboxLoginError

    from retning.consultation.entra import (
        OUTLOOK_SCOPE,
        AppRegistration,
        MailServiceError,
        TokenSource,
    )

    method = settings.RETNING_IMAP_AUTH
    if method == "password":
        password = password if password is not None else settings.RETNING_IMAP_PASSWORD
        return box.login(user, password, initial_folder=folder)
    if method != "xoauth2":
        raise MailServiceError(f"RETNING_IMAP_AUTH is {method!r}: use password or xoauth2")
    if not user:
        raise MailServiceError("not set: RETNING_IMAP_USER (the mailbox's address)")
    token = TokenSource.for_app(AppRegistration.from_settings()).token(OUTLOOK_SCOPE)
    try:
        return box.xoauth2(user, token, initial_folder=folder)
    except (MailboxLoginError, imaplib.IMAP4.error) as exc:
        raise MailServiceError(
            f"the IMAP server refused XOAUTH2 sign-in to {user!r} (RETNING_IMAP_USER): the app "
            "registration needs the permission IMAP.AccessAsApp with admin consent, and its "
            "service principal in Exchange Online full access to this mailbox "
            f"(see docs/mail.md) ({exc})"
        ) from exc
