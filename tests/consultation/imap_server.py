"""A small IMAP4rev1 server for tests, on loopback: just the commands intake uses
(CAPABILITY, LOGIN, AUTHENTICATE XOAUTH2, SELECT, UID SEARCH [UNKEYWORD], UID FETCH,
UID STORE, NOOP, LOGOUT)."""

from __future__ import annotations

import base64
import re
import socketserver
import threading
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class StoredMessage:
    raw: bytes
    internaldate: str  # e.g. "17-Jun-2024 10:00:00 +0200"
    flags: set[str] = field(default_factory=set)


class Mailbox:
    def __init__(self, user: str, password: str, bearer_ok: Callable[[str], bool] | None = None):
        """`bearer_ok` tells whether an XOAUTH2 access token is valid (None: no XOAUTH2)."""
        self.user, self.password = user, password
        self.bearer_ok = bearer_ok
        self.messages: dict[int, StoredMessage] = {}
        self.lock = threading.Lock()
        self.commands: list[str] = []

    def add(self, raw: bytes, internaldate: str) -> int:
        uid = len(self.messages) + 1
        self.messages[uid] = StoredMessage(raw, internaldate)
        return uid


class _Handler(socketserver.StreamRequestHandler):
    def send(self, line: bytes | str) -> None:
        self.wfile.write(line.encode() if isinstance(line, str) else line)

    def handle(self) -> None:
        box: Mailbox = self.server.mailbox
        self.send("* OK IMAP4rev1 test server ready\r\n")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            tag, _, rest = line.decode().strip().partition(" ")
            command, _, args = rest.partition(" ")
            command = command.upper()
            with box.lock:
                box.commands.append(f"{command} {args}".strip())
            if command == "CAPABILITY":
                auth = " AUTH=XOAUTH2" if box.bearer_ok else ""
                self.send(f"* CAPABILITY IMAP4rev1{auth}\r\n" + f"{tag} OK done\r\n")
            elif command == "AUTHENTICATE" and args.upper() == "XOAUTH2" and box.bearer_ok:
                self._xoauth2(tag, box)
            elif command == "LOGIN":
                user, password = [a.strip('"') for a in args.split(" ", 1)]
                ok = (user, password) == (box.user, box.password)
                self.send(f"{tag} OK logged in\r\n" if ok else f"{tag} NO bad credentials\r\n")
            elif command in {"SELECT", "EXAMINE"}:
                self.send(
                    f"* {len(box.messages)} EXISTS\r\n* FLAGS (\\Seen)\r\n"
                    "* OK [PERMANENTFLAGS (\\Seen \\*)] ok\r\n"
                    f"{tag} OK [READ-WRITE] selected\r\n"
                )
            elif command == "UID":
                self._uid(tag, args, box)
            elif command == "NOOP":
                self.send(f"{tag} OK noop\r\n")
            elif command == "LOGOUT":
                self.send(f"* BYE\r\n{tag} OK bye\r\n")
                return
            else:
                self.send(f"{tag} BAD unknown command\r\n")
            self.wfile.flush()

    def _xoauth2(self, tag: str, box: Mailbox) -> None:
        """SASL XOAUTH2 as Exchange Online does it: "user=…^Aauth=Bearer …^A^A"."""
        self.send("+ \r\n")
        self.wfile.flush()
        answer = base64.b64decode(self.rfile.readline().strip() or b"=")
        fields = dict(part.split("=", 1) for part in answer.decode().split("\x01") if "=" in part)
        token = fields.get("auth", "").removeprefix("Bearer ")
        if fields.get("user") == box.user and box.bearer_ok(token):
            self.send(f"{tag} OK AUTHENTICATE completed.\r\n")
        else:
            self.send(f"{tag} NO AUTHENTICATE failed.\r\n")

    def _uid(self, tag: str, args: str, box: Mailbox) -> None:
        sub, _, rest = args.partition(" ")
        sub = sub.upper()
        if sub == "SEARCH":
            keyword = re.search(r"UNKEYWORD (\S+?)\)?$", rest)
            with box.lock:
                uids = [
                    uid
                    for uid, m in box.messages.items()
                    if not keyword or keyword.group(1) not in m.flags
                ]
            self.send(f"* SEARCH {' '.join(map(str, uids))}\r\n{tag} OK search\r\n")
        elif sub == "FETCH":
            uid = int(rest.split(" ", 1)[0])
            message = box.messages.get(uid)
            if message is not None:
                head = (
                    f'* {uid} FETCH (UID {uid} INTERNALDATE "{message.internaldate}" '
                    f"BODY[] {{{len(message.raw)}}}\r\n"
                )
                self.send(head.encode() + message.raw + b")\r\n")
            self.send(f"{tag} OK fetch\r\n")
        elif sub == "STORE":
            uid_text, mode, flags = rest.split(" ", 2)
            names = flags.strip("()").split()
            with box.lock:
                for uid in map(int, uid_text.split(",")):
                    if mode.startswith("+"):
                        box.messages[uid].flags.update(names)
                    else:
                        box.messages[uid].flags.difference_update(names)
            self.send(f"{tag} OK store\r\n")
        else:
            self.send(f"{tag} BAD unknown UID command\r\n")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve(mailbox: Mailbox) -> tuple[_Server, int]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.mailbox = mailbox
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]
