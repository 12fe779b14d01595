"""Where e-mails come from on disk: .eml files, directories of them, mbox files, Maildirs."""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass
class RawMessage:
    source: str
    raw: bytes | None  # None when the source could not be read
    error: str = ""


def _is_maildir(path: Path) -> bool:
    return all((path / sub).is_dir() for sub in ("cur", "new", "tmp"))


def _is_mbox(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(5) == b"From "


def _mbox(path: Path) -> Iterator[RawMessage]:
    box = mailbox.mbox(path, create=False)
    try:
        for index, key in enumerate(box.iterkeys()):
            try:
                yield RawMessage(f"{path}#{index}", box.get_bytes(key, from_=True))
            except Exception as exc:
                yield RawMessage(f"{path}#{index}", None, f"{type(exc).__name__}: {exc}")
    finally:
        box.close()


def _maildir(path: Path) -> Iterator[RawMessage]:
    box = mailbox.Maildir(path, factory=None, create=False)
    for key in sorted(box.iterkeys()):
        try:
            yield RawMessage(f"{path}:{key}", box.get_bytes(key))
        except Exception as exc:
            yield RawMessage(f"{path}:{key}", None, f"{type(exc).__name__}: {exc}")


def iter_messages(paths: list[str | Path]) -> Iterator[RawMessage]:
    """Every message under the given paths, in a stable order; unreadable ones say why."""
    for given in paths:
        path = Path(given)
        if not path.exists():
            yield RawMessage(str(path), None, "no such file or directory")
        elif path.is_dir() and _is_maildir(path):
            yield from _maildir(path)
        elif path.is_dir():
            for child in sorted(path.iterdir()):
                if child.name.startswith("."):
                    continue
                yield from iter_messages([child])
        else:
            try:
                if _is_mbox(path):
                    yield from _mbox(path)
                else:
                    yield RawMessage(str(path), path.read_bytes())
            except OSError as exc:
                yield RawMessage(str(path), None, f"{type(exc).__name__}: {exc}")
