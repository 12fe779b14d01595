"""Microsoft Graph intake: store each new message's MIME, then mark it as stored.

The consultation mailbox is read as an application (client credentials, permission
Mail.ReadWrite). Each message is fetched as MIME with `GET …/messages/{id}/$value`, so
the bytes stored are an ordinary e-mail and the existing .eml intake handles them
unchanged. `receivedDateTime` (when the mailbox received it, the same moment Exchange
reports as IMAP INTERNALDATE) is passed on as the internal date for the deadline.

A message gets the Outlook category RETNING_GRAPH_STORED_CATEGORY only after its bytes are
committed, so a crash in between means it is fetched again next run and recognised as
already present (same bytes). Category filtering happens here, not with `$filter`: the
ids are listed first, and marking messages while paging would move `$skip` offsets.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings

from retning.consultation.entra import (
    GRAPH_SCOPE,
    AppRegistration,
    MailServiceError,
    TokenSource,
    network_problem,
)

# Graph's well-known folder names (mailFolder resource); anything else is an id or a name.
WELL_KNOWN_FOLDERS = {
    "archive",
    "clutter",
    "conflicts",
    "conversationhistory",
    "deleteditems",
    "drafts",
    "inbox",
    "junkemail",
    "localfailures",
    "msgfolderroot",
    "outbox",
    "recoverableitemsdeletions",
    "scheduled",
    "searchfolders",
    "sentitems",
    "serverfailures",
    "syncissues",
}
PAGE_SIZE = 200  # ids and dates only, so a large page stays small (Graph allows 1000)
MAX_ATTEMPTS = 6  # per request, for 429/503/504 answers


@dataclass
class GraphMessage:
    id: str
    received: dt.datetime | None
    categories: list[str]


def _parse_time(value: str | None) -> dt.datetime | None:
    """Graph's ISO 8601 UTC time ("2024-06-14T08:00:00Z") as an aware datetime."""
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _graph_error(response) -> tuple[str, str]:
    """(code, message) from Graph's error body {"error": {"code", "message"}}."""
    try:
        error = response.json().get("error") or {}
    except ValueError:
        return "", response.text[:200]
    return str(error.get("code", "")), " ".join(str(error.get("message", "")).split())


def _retry_after(response, attempt: int) -> float:
    """Seconds to wait as Graph asks (Retry-After), else a growing back-off."""
    value = response.headers.get("Retry-After", "")
    try:
        wait = float(value)
    except ValueError:
        wait = 2.0**attempt
    return max(0.0, min(wait, settings.RETNING_GRAPH_MAX_WAIT))


class GraphMailbox:
    """One mailbox folder over Graph; requests retry throttling and renew the token once."""

    def __init__(
        self,
        app: AppRegistration,
        mailbox: str,
        folder: str,
        *,
        base_url: str,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.app, self.mailbox, self.folder = app, mailbox, folder
        self.base_url = base_url.rstrip("/")
        self.tokens = TokenSource.for_app(app)
        self.session = self.tokens.session
        self.sleep = sleep
        self._folder_id: str | None = None

    @property
    def user_url(self) -> str:
        return f"{self.base_url}/users/{quote(self.mailbox, safe='@')}"

    def request(self, method: str, url: str, **kwargs):
        """Send one request; wait out 429/503/504, renew an expired token, name what to fix."""
        import requests

        renewed = False
        attempt = 0
        while True:
            headers = {"Authorization": f"Bearer {self.tokens.token(GRAPH_SCOPE)}"}
            headers.update(kwargs.pop("headers", {}))
            try:
                response = self.session.request(method, url, headers=headers, **kwargs)
            except requests.exceptions.RequestException as exc:
                raise network_problem("Microsoft Graph", url, exc, self.app.timeout) from exc
            if response.status_code in (429, 503, 504) and attempt < MAX_ATTEMPTS - 1:
                self.sleep(_retry_after(response, attempt))
                attempt += 1
                continue
            if response.status_code == 401 and not renewed:
                # Expired or revoked before MSAL's clock said so: one fresh token, one retry.
                self.tokens.forget()
                renewed = True
                continue
            if response.status_code >= 400:
                raise self._error(response)
            return response

    def _error(self, response) -> MailServiceError:
        code, message = _graph_error(response)
        detail = f"(Graph {response.status_code} {code}: {message})"
        status = response.status_code
        if status == 401:
            return MailServiceError(
                "Microsoft Graph does not accept the app's token: give the app registration "
                f"the application permission Mail.ReadWrite with admin consent {detail}"
            )
        if status == 403:
            return MailServiceError(
                f"Microsoft Graph refused access to the mailbox {self.mailbox!r}: the app "
                "needs the application permission Mail.ReadWrite with admin consent, and the "
                "application access policy must include this mailbox "
                f"(RETNING_GRAPH_MAILBOX) {detail}"
            )
        if status == 404 or code in {
            "ErrorInvalidUser",
            "ErrorItemNotFound",
            "ErrorInvalidIdMalformed",
        }:
            return MailServiceError(
                f"Microsoft Graph found no mailbox {self.mailbox!r} (RETNING_GRAPH_MAILBOX) "
                f"or no folder {self.folder!r} in it (RETNING_GRAPH_FOLDER) {detail}"
            )
        if status == 429 or status >= 500:
            return MailServiceError(
                f"Microsoft Graph is busy or unavailable after {MAX_ATTEMPTS} tries; "
                f"run the import again later {detail}"
            )
        return MailServiceError(f"Microsoft Graph refused the request {detail}")

    def folder_id(self) -> str:
        """The folder to read: a well-known name as given, a display name, else an id."""
        if self._folder_id is None:
            name = self.folder.strip()
            if not name:
                raise MailServiceError("RETNING_GRAPH_FOLDER is empty (inbox is the usual)")
            if name.lower() in WELL_KNOWN_FOLDERS:
                self._folder_id = name.lower()
            else:
                self._folder_id = self._folder_by_name(name) or name
        return self._folder_id

    def _folder_by_name(self, name: str) -> str | None:
        """The id of the folder with this display name at the top or under the inbox."""
        quoted = name.replace("'", "''")
        for parent in (
            f"{self.user_url}/mailFolders",
            f"{self.user_url}/mailFolders/inbox/childFolders",
        ):
            found = self.request(
                "GET", parent, params={"$filter": f"displayName eq '{quoted}'", "$select": "id"}
            ).json()
            if found.get("value"):
                return found["value"][0]["id"]
        return None

    def messages(self) -> Iterator[GraphMessage]:
        """Every message in the folder, following @odata.nextLink to the last page."""
        url = f"{self.user_url}/mailFolders/{quote(self.folder_id(), safe='')}/messages"
        params: dict | None = {
            "$select": "id,receivedDateTime,categories",
            "$top": str(PAGE_SIZE),
        }
        while url:
            page = self.request("GET", url, params=params).json()
            for entry in page.get("value", []):
                yield GraphMessage(
                    id=entry["id"],
                    received=_parse_time(entry.get("receivedDateTime")),
                    categories=list(entry.get("categories") or []),
                )
            url = page.get("@odata.nextLink")
            params = None  # the link carries every query parameter

    def mime(self, message_id: str) -> bytes:
        return self.request(
            "GET", f"{self.user_url}/messages/{quote(message_id, safe='')}/$value"
        ).content

    def add_category(self, message: GraphMessage, category: str) -> None:
        self.request(
            "PATCH",
            f"{self.user_url}/messages/{quote(message.id, safe='')}",
            json={"categories": [*message.categories, category]},
        )


def mailbox_from_settings(**kwargs) -> GraphMailbox:
    if not settings.RETNING_GRAPH_MAILBOX:
        raise MailServiceError("not set: RETNING_GRAPH_MAILBOX (see docs/mail.md)")
    return GraphMailbox(
        AppRegistration.from_settings(),
        settings.RETNING_GRAPH_MAILBOX,
        settings.RETNING_GRAPH_FOLDER,
        base_url=settings.RETNING_GRAPH_BASE_URL,
        **kwargs,
    )


def import_graph(
    consultation,
    store: Callable[[bytes, str, dt.datetime | None], object],
    *,
    mailbox: GraphMailbox | None = None,
) -> int:
    """Hand each message not yet marked to `store`, then mark it. Returns the count stored.

    A message whose Graph id this round already holds (the run died after storing it,
    before marking it) is only marked: Exchange may build a message's MIME afresh on each
    request, so fetching it again could give other bytes for the same mail.
    """
    from retning.consultation.models import ReceivedItem

    box = mailbox or mailbox_from_settings()
    category = settings.RETNING_GRAPH_STORED_CATEGORY
    pending = [m for m in box.messages() if category not in m.categories]
    stored = 0
    for message in pending:
        source = f"graph:{box.mailbox}:{box.folder}:{message.id}"
        if not ReceivedItem.objects.filter(round=consultation, source=source[:500]).exists():
            store(box.mime(message.id), source, message.received)
            stored += 1
        box.add_category(message, category)
    return stored
