"""A stand-in for Entra ID and Microsoft Graph on loopback HTTPS, for tests.

It answers what Retning's Graph intake asks, shaped like the real services' documented
answers: the tenant's OpenID configuration, the v2.0 token endpoint (client credentials),
`GET /users/{mailbox}/mailFolders/{folder}/messages` with `@odata.nextLink` paging,
`GET …/messages/{id}/$value` (MIME), `PATCH …/messages/{id}` (categories), and the error
bodies Entra (`error`, `error_description`, `error_codes`) and Graph
(`{"error": {"code", "message", "innerError"}}`) send. Switches make it throttle (429 with
Retry-After), expire tokens (401), refuse the mailbox (403) or stall (timeouts).

TLS is real: MSAL only talks to https authorities, so the test makes a self-signed
certificate for 127.0.0.1 with `cryptography` and Retning trusts it through
RETNING_GRAPH_CA_BUNDLE.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import re
import secrets
import ssl
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlencode, urlsplit


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate and key for 127.0.0.1 (PEM files)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "graph-cert.pem", directory / "graph-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@dataclass
class Message:
    id: str
    mime: bytes
    received: str  # "2024-06-14T08:00:00Z", as Graph writes receivedDateTime
    categories: list[str] = field(default_factory=list)


@dataclass
class Tenant:
    """What the stand-in knows and what it has been asked."""

    tenant_id: str = "11111111-2222-3333-4444-555555555555"
    client_id: str = "66666666-7777-8888-9999-000000000000"
    client_secret: str = "synthetic~secret"
    mailbox: str = "postmottak@kommune.example"
    folders: dict[str, str] = field(
        default_factory=lambda: {"Høringer": "AAMkAGI2TGuLAAA" + "Hoeringer" * 8 + "AAA="}
    )
    messages: dict[str, list[Message]] = field(default_factory=dict)  # folder id → messages
    page_size: int = 2  # Graph's default is 10; small here so paging is exercised
    allowed_mailboxes: set[str] | None = None  # the application access policy; None: all
    throttle: int = 0  # answer this many Graph requests with 429 first
    stall_seconds: float = 0.0  # answer Graph requests only after this long
    issued: list[str] = field(default_factory=list)
    scopes: list[str] = field(default_factory=list)
    revoked: set[str] = field(default_factory=set)
    requests: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, mime: bytes, received: str, folder: str = "inbox") -> Message:
        message = Message("AAMkAG" + secrets.token_urlsafe(24) + "=", mime, received)
        self.messages.setdefault(folder, []).append(message)
        return message

    def find(self, message_id: str) -> Message | None:
        for messages in self.messages.values():
            for message in messages:
                if message.id == message_id:
                    return message
        return None

    def token_for(self, token: str, scope: str) -> bool:
        """True when `token` was issued here, for `scope`, and has not expired."""
        with self.lock:
            issued = dict(zip(self.issued, self.scopes, strict=True))
        return issued.get(token) == scope and token not in self.revoked

    def expire_tokens(self) -> None:
        """Every token issued so far stops working (as after its lifetime)."""
        self.revoked.update(self.issued)


def _inner_error() -> dict:
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S"),
        "request-id": str(uuid.uuid4()),
        "client-request-id": str(uuid.uuid4()),
    }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    @property
    def tenant(self) -> Tenant:
        return self.server.tenant

    def _send(self, status: int, body: bytes, ctype: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, document: dict, headers: dict | None = None) -> None:
        body = json.dumps(document).encode()
        self._send(status, body, "application/json; odata.metadata=minimal", headers)

    def _graph_error(self, status: int, code: str, message: str, headers=None) -> None:
        self._json(
            status,
            {"error": {"code": code, "message": message, "innerError": _inner_error()}},
            headers,
        )

    def _entra_error(self, status: int, error: str, code: int, text: str) -> None:
        trace, corr = uuid.uuid4(), uuid.uuid4()
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%SZ")
        self._json(
            status,
            {
                "error": error,
                "error_description": (
                    f"AADSTS{code}: {text} Trace ID: {trace} Correlation ID: {corr} "
                    f"Timestamp: {stamp}"
                ),
                "error_codes": [code],
                "timestamp": stamp,
                "trace_id": str(trace),
                "correlation_id": str(corr),
                "error_uri": f"https://login.microsoftonline.com/error?code={code}",
            },
        )

    def _origin(self) -> str:
        return f"https://127.0.0.1:{self.server.server_address[1]}"

    # --- Entra ID --------------------------------------------------------------------------

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        with self.tenant.lock:
            self.tenant.requests.append(f"GET {unquote(path)}")
        match = re.fullmatch(r"/([^/]+)/v2\.0/\.well-known/openid-configuration", path)
        if match:
            return self._openid_configuration(match.group(1))
        if path.startswith("/v1.0/"):
            return self._graph("GET", path)
        self._send(404, b"", "text/plain")

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        length = int(self.headers.get("Content-Length", "0"))
        form = parse_qs(self.rfile.read(length).decode())
        with self.tenant.lock:
            self.tenant.requests.append(f"POST {path}")
        match = re.fullmatch(r"/([^/]+)/oauth2/v2\.0/token", path)
        if not match:
            return self._send(404, b"", "text/plain")
        self._token(match.group(1), {k: v[0] for k, v in form.items()})

    def do_PATCH(self) -> None:
        path = urlsplit(self.path).path
        with self.tenant.lock:
            self.tenant.requests.append(f"PATCH {unquote(path)}")
        self._graph("PATCH", path)

    def _openid_configuration(self, tenant: str) -> None:
        if tenant != self.tenant.tenant_id:
            return self._entra_error(
                400,
                "invalid_tenant",
                90002,
                f"Tenant '{tenant}' not found. Check to make sure you have the correct tenant "
                "ID and are signing into the correct cloud.",
            )
        base = f"{self._origin()}/{tenant}"
        self._json(
            200,
            {
                "token_endpoint": f"{base}/oauth2/v2.0/token",
                "token_endpoint_auth_methods_supported": [
                    "client_secret_post",
                    "private_key_jwt",
                    "client_secret_basic",
                ],
                "jwks_uri": f"{self._origin()}/{tenant}/discovery/v2.0/keys",
                "response_modes_supported": ["query", "fragment", "form_post"],
                "subject_types_supported": ["pairwise"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
                "scopes_supported": ["openid", "profile", "email", "offline_access"],
                "issuer": f"{base}/v2.0",
                "request_uri_parameter_supported": False,
                "userinfo_endpoint": "https://graph.microsoft.com/oidc/userinfo",
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
                "http_logout_supported": True,
                "frontchannel_logout_supported": True,
                "end_session_endpoint": f"{base}/oauth2/v2.0/logout",
                "claims_supported": ["sub", "iss", "aud", "exp", "iat", "tid"],
                "kerberos_endpoint": f"{base}/kerberos",
                "tenant_region_scope": "EU",
                "cloud_instance_name": "microsoftonline.com",
                "cloud_graph_host_name": "graph.windows.net",
                "msgraph_host": "graph.microsoft.com",
                "rbac_url": "https://pas.windows.net",
            },
        )

    def _token(self, tenant: str, form: dict[str, str]) -> None:
        t = self.tenant
        if tenant != t.tenant_id:
            return self._entra_error(400, "invalid_tenant", 90002, f"Tenant '{tenant}' not found.")
        if form.get("grant_type") != "client_credentials":
            return self._entra_error(
                400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type."
            )
        if form.get("client_id") != t.client_id:
            return self._entra_error(
                400,
                "unauthorized_client",
                700016,
                f"Application with identifier '{form.get('client_id')}' was not found in the "
                f"directory '{tenant}'.",
            )
        if form.get("client_secret") != t.client_secret:
            return self._entra_error(
                401,
                "invalid_client",
                7000215,
                "Invalid client secret provided. Ensure the secret being sent in the request is "
                "the client secret value, not the client secret ID, for a secret added to app "
                f"'{t.client_id}'.",
            )
        token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9." + secrets.token_urlsafe(32)
        with t.lock:
            t.issued.append(token)
            t.scopes.append(form.get("scope", ""))
        self._json(
            200,
            {
                "token_type": "Bearer",
                "expires_in": 3599,
                "ext_expires_in": 3599,
                "access_token": token,
            },
        )

    # --- Microsoft Graph -------------------------------------------------------------------

    def _graph(self, method: str, path: str) -> None:
        t = self.tenant
        if t.stall_seconds:
            time.sleep(t.stall_seconds)
        with t.lock:
            throttled = t.throttle > 0
            if throttled:
                t.throttle -= 1
        if throttled:
            return self._graph_error(
                429,
                "TooManyRequests",
                "Application is over its MailboxConcurrency limit.",
                {"Retry-After": "1"},
            )
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in t.issued:
            return self._graph_error(
                401, "InvalidAuthenticationToken", "IDX14100: JWT is not well formed."
            )
        if token in t.revoked:
            return self._graph_error(
                401,
                "InvalidAuthenticationToken",
                "Lifetime validation failed, the token is expired.",
                {"WWW-Authenticate": 'Bearer realm="", error="invalid_token"'},
            )
        parts = [unquote(p) for p in path.split("/")[2:]]  # after /v1.0
        if len(parts) < 2 or parts[0] != "users":
            return self._graph_error(400, "BadRequest", "Resource not found for the segment.")
        mailbox = parts[1]
        if mailbox.lower() != t.mailbox.lower():
            return self._graph_error(
                404, "ErrorInvalidUser", f"The requested user '{mailbox}' is invalid."
            )
        if t.allowed_mailboxes is not None and mailbox.lower() not in t.allowed_mailboxes:
            return self._graph_error(
                403,
                "ErrorAccessDenied",
                "Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly "
                "AccessPolicy settings.",
            )
        rest = parts[2:]
        query = parse_qs(urlsplit(self.path).query)
        if method == "GET" and rest in (["mailFolders"], ["mailFolders", "inbox", "childFolders"]):
            return self._folders(mailbox, rest, query)
        if (
            method == "GET"
            and len(rest) == 3
            and rest[0] == "mailFolders"
            and rest[2] == "messages"
        ):
            return self._list(mailbox, rest[1], query)
        if len(rest) >= 2 and rest[0] == "messages":
            message = t.find(rest[1])
            if message is None:
                return self._graph_error(
                    404, "ErrorItemNotFound", "The specified object was not found in the store."
                )
            if method == "GET" and rest[2:] == ["$value"]:
                return self._send(200, message.mime, "text/plain")
            if method == "PATCH" and len(rest) == 2:
                length = int(self.headers.get("Content-Length", "0"))
                changes = json.loads(self.rfile.read(length) or b"{}")
                if "categories" in changes:
                    message.categories = list(changes["categories"])
                return self._json(200, self._entry(mailbox, message))
        self._graph_error(400, "BadRequest", "Unsupported request in the test stand-in.")

    def _entry(self, mailbox: str, message: Message) -> dict:
        return {
            "@odata.etag": f'W/"CQAAABYAAAC{secrets.token_hex(6)}"',
            "id": message.id,
            "receivedDateTime": message.received,
            "categories": list(message.categories),
        }

    def _folders(self, mailbox: str, rest: list[str], query: dict) -> None:
        wanted = re.fullmatch(r"displayName eq '(.*)'", query.get("$filter", [""])[0])
        found = []
        if wanted and rest == ["mailFolders"]:
            name = wanted.group(1).replace("''", "'")
            if name in self.tenant.folders:
                found = [{"id": self.tenant.folders[name]}]
        self._json(
            200,
            {
                "@odata.context": (
                    f"https://graph.microsoft.com/v1.0/$metadata#users('{mailbox}')/mailFolders(id)"
                ),
                "value": found,
            },
        )

    def _list(self, mailbox: str, folder: str, query: dict) -> None:
        t = self.tenant
        folder_id = folder.lower() if folder.lower() == "inbox" else folder
        if folder_id != "inbox" and folder_id not in t.folders.values():
            if not re.fullmatch(r"[A-Za-z0-9_+/=-]{20,}", folder_id):
                return self._graph_error(400, "ErrorInvalidIdMalformed", "Id is malformed.")
            return self._graph_error(
                404, "ErrorItemNotFound", "The specified object was not found in the store."
            )
        top = int(query.get("$top", [str(t.page_size)])[0])
        size = min(top, t.page_size)
        skip = int(query.get("$skip", ["0"])[0])
        messages = t.messages.get(folder_id, [])
        page = messages[skip : skip + size]
        select = query.get("$select", [""])[0]
        document = {
            "@odata.context": (
                f"https://graph.microsoft.com/v1.0/$metadata#users('{mailbox}')/mailFolders"
                f"('{folder}')/messages({select})"
            ),
            "value": [self._entry(mailbox, m) for m in page],
        }
        if skip + size < len(messages):
            params = {"$select": select, "$top": str(top), "$skip": str(skip + size)}
            document["@odata.nextLink"] = (
                f"{self._origin()}/v1.0/users/{mailbox}/mailFolders/{folder}/messages?"
                + urlencode(params)
            )
        self._json(200, document)


class _Server(ThreadingHTTPServer):
    daemon_threads = True


def serve(tenant: Tenant, cert: Path, key: Path) -> tuple[_Server, str]:
    """Start the stand-in on a free loopback port; returns (server, https origin)."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.tenant = tenant
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"https://127.0.0.1:{server.server_address[1]}"
