"""An app-only access token from Microsoft Entra ID (OAuth 2.0 client credentials).

Exchange Online has basic-auth IMAP switched off, so Retning reads a municipality's
mailbox as a registered application: Microsoft Graph with the scope
`https://graph.microsoft.com/.default`, or IMAP with XOAUTH2 and the scope
`https://outlook.office365.com/.default`. MSAL does the token request, caches the token
until shortly before it expires and knows Entra's endpoints (national clouds included),
so Retning does not hand-write that protocol. Every failure becomes one `MailServiceError`
whose message names the setting to fix.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import urlsplit

from django.conf import settings

GRAPH_SCOPE = "https://graph.microsoft.com/.default"
OUTLOOK_SCOPE = "https://outlook.office365.com/.default"

# AADSTS codes that point at one setting (the codes Entra documents for these cases).
_SETTING_FOR_CODE = {
    7000215: ("RETNING_GRAPH_CLIENT_SECRET is wrong: use the secret's Value, not its Secret ID"),
    7000222: "RETNING_GRAPH_CLIENT_SECRET has expired: make a new client secret",
    700016: (
        "RETNING_GRAPH_CLIENT_ID is not an application in this tenant: check "
        "RETNING_GRAPH_CLIENT_ID and RETNING_GRAPH_TENANT_ID"
    ),
    90002: "RETNING_GRAPH_TENANT_ID names no tenant",
    900023: "RETNING_GRAPH_TENANT_ID is not a valid tenant id or domain",
    7000216: "the token request has no client secret: set RETNING_GRAPH_CLIENT_SECRET",
    500011: (
        "the resource of the scope is not in the tenant: the app needs the API permission "
        "(Mail.ReadWrite for Graph, IMAP.AccessAsApp for IMAP) with admin consent"
    ),
}


class MailServiceError(Exception):
    """The mail service refused or could not be reached; the message says what to fix."""


@dataclass(frozen=True)
class AppRegistration:
    tenant_id: str
    client_id: str
    client_secret: str
    authority: str = "https://login.microsoftonline.com"
    ca_bundle: str = ""
    timeout: float = 60.0

    @classmethod
    def from_settings(cls) -> AppRegistration:
        missing = [
            name
            for name in (
                "RETNING_GRAPH_TENANT_ID",
                "RETNING_GRAPH_CLIENT_ID",
                "RETNING_GRAPH_CLIENT_SECRET",
            )
            if not getattr(settings, name, "")
        ]
        if missing:
            raise MailServiceError(f"not set: {', '.join(missing)} (see docs/mail.md)")
        return cls(
            tenant_id=settings.RETNING_GRAPH_TENANT_ID,
            client_id=settings.RETNING_GRAPH_CLIENT_ID,
            client_secret=settings.RETNING_GRAPH_CLIENT_SECRET,
            authority=settings.RETNING_GRAPH_AUTHORITY.rstrip("/"),
            ca_bundle=settings.RETNING_GRAPH_CA_BUNDLE,
            timeout=settings.RETNING_GRAPH_TIMEOUT,
        )

    def session(self):
        """A `requests` session with this registration's timeout and CA file.

        Both are given with every request: a session-wide `verify` loses against
        REQUESTS_CA_BUNDLE in the environment, and `requests` has no session timeout.
        Proxies from the environment (HTTPS_PROXY) are still honoured.
        """
        import requests

        timeout, ca_bundle = self.timeout, self.ca_bundle

        class _Session(requests.Session):
            def request(self, method, url, **kwargs):
                kwargs.setdefault("timeout", timeout)
                if ca_bundle and kwargs.get("verify") in (None, True):
                    kwargs["verify"] = ca_bundle
                return super().request(method, url, **kwargs)

        return _Session()


def network_problem(what: str, url: str, exc: Exception, timeout: float) -> MailServiceError:
    """One message for a request that got no HTTP answer: timeout, refused, TLS."""
    import requests

    host = urlsplit(url).netloc
    if isinstance(exc, requests.exceptions.SSLError):
        return MailServiceError(
            f"{what}: the TLS certificate of {host} is not trusted ({exc}); behind a "
            "TLS-inspecting proxy, set RETNING_GRAPH_CA_BUNDLE to its CA certificate file"
        )
    if isinstance(exc, requests.exceptions.Timeout):
        return MailServiceError(
            f"{what}: {host} did not answer within {timeout:g} s; check the network or "
            "proxy (HTTPS_PROXY), or raise RETNING_GRAPH_TIMEOUT"
        )
    return MailServiceError(
        f"{what}: could not connect to {host} ({type(exc).__name__}); check the network, "
        "the proxy (HTTPS_PROXY) and the address in the settings"
    )


def describe_token_error(result: dict) -> str:
    """Entra's refusal as one line that starts with the setting to fix."""
    codes = result.get("error_codes") or []
    description = " ".join(str(result.get("error_description", "")).split())
    # Entra appends Trace ID / Correlation ID / Timestamp: useful to support, noise here.
    short = description.split(" Trace ID:")[0] or result.get("error", "unknown error")
    for code in codes:
        if code in _SETTING_FOR_CODE:
            return f"{_SETTING_FOR_CODE[code]} (Entra ID: {short})"
    return f"Entra ID refused the token request: {result.get('error', '')}: {short}"


class TokenSource:
    """Client-credentials tokens for one app registration, cached by MSAL per scope.

    `for_app()` keeps one per registration for the life of the process, so a worker that
    polls the mailbox every few minutes asks Entra ID for a token about once an hour.
    """

    _shared: ClassVar[dict[AppRegistration, TokenSource]] = {}
    _shared_lock = threading.Lock()

    @classmethod
    def for_app(cls, app: AppRegistration) -> TokenSource:
        with cls._shared_lock:
            if app not in cls._shared:
                cls._shared[app] = cls(app)
            return cls._shared[app]

    def __init__(self, app: AppRegistration, session=None) -> None:
        self.app = app
        self.session = session or app.session()
        self._client = None

    def _msal(self):
        if self._client is None:
            import msal
            import requests

            authority = f"{self.app.authority}/{self.app.tenant_id}"
            if not authority.startswith("https://"):
                raise MailServiceError(
                    "RETNING_GRAPH_AUTHORITY must be an https:// address, not "
                    f"{self.app.authority!r}"
                )
            try:
                self._client = msal.ConfidentialClientApplication(
                    self.app.client_id,
                    client_credential=self.app.client_secret,
                    authority=authority,
                    # Only the configured authority is asked: no discovery call to
                    # login.microsoftonline.com for another cloud or a test stand-in.
                    instance_discovery=False,
                    http_client=self.session,
                )
            except requests.exceptions.RequestException as exc:
                raise network_problem("Entra ID", authority, exc, self.app.timeout) from exc
            except ValueError as exc:  # MSAL: bad authority URL or unknown tenant
                raise MailServiceError(
                    f"RETNING_GRAPH_TENANT_ID {self.app.tenant_id!r} was not found at "
                    f"{self.app.authority}: check RETNING_GRAPH_TENANT_ID (the Directory "
                    "(tenant) ID or the tenant's domain) and RETNING_GRAPH_AUTHORITY"
                ) from exc
        return self._client

    def token(self, scope: str = GRAPH_SCOPE) -> str:
        """A valid access token; MSAL returns the cached one until it nearly expires."""
        import requests

        client = self._msal()
        try:
            result = client.acquire_token_for_client(scopes=[scope])
        except requests.exceptions.RequestException as exc:
            raise network_problem("Entra ID", self.app.authority, exc, self.app.timeout) from exc
        if not result or "access_token" not in result:
            raise MailServiceError(describe_token_error(result or {}))
        return result["access_token"]

    def forget(self) -> None:
        """Drop cached tokens: the service said ours is no longer valid."""
        if self._client is not None:
            self._client.remove_tokens_for_client()
