"""SSB KLASS: municipality code changes (classification 131) → `CodeChange`s.

`GET {base}/classifications/131/changes?from=…&to=…` answers
`{"codeChanges": [{oldCode, oldName, oldShortName, newCode, newName, newShortName,
changeOccurred}]}`. A rename keeps the code (old == new) and changes nothing here.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from retning.stats.http import HttpClient
from retning.stats.regions import CodeChange
from retning.stats.sources.base import SourceError

SOURCE = "KLASS"
MUNICIPALITIES = "131"


@dataclass(frozen=True)
class NamedChange:
    change: CodeChange
    old_name: str
    new_name: str


def changes_url(base: str, classification: str = MUNICIPALITIES) -> str:
    return f"{base.rstrip('/')}/classifications/{classification}/changes"


def parse_changes(raw: bytes, url: str = "") -> list[NamedChange]:
    """Parse a `/changes` response; raise `SourceError` naming the item that is wrong."""
    try:
        doc = json.loads(raw)
        items = doc["codeChanges"]
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise SourceError(SOURCE, f"{url}: not a KLASS changes document ({exc})") from None
    if not isinstance(items, list):
        raise SourceError(SOURCE, f"{url}: 'codeChanges' is not a list")
    result = []
    for number, item in enumerate(items):
        try:
            occurred = dt.date.fromisoformat(item["changeOccurred"])
            old, new = str(item["oldCode"]), str(item["newCode"])
        except (KeyError, TypeError, ValueError) as exc:
            raise SourceError(
                SOURCE, f"{url}: codeChanges[{number}] is incomplete ({exc})"
            ) from None
        result.append(
            NamedChange(
                CodeChange(occurred, old, new), item.get("oldName", ""), item.get("newName", "")
            )
        )
    return result


def fetch_changes(
    client: HttpClient, base: str, since: dt.date, until: dt.date
) -> tuple[list[NamedChange], bytes, str, dict]:
    url = changes_url(base)
    params = {"from": since.isoformat(), "to": until.isoformat(), "language": "nb"}
    response = client.request(SOURCE, "GET", url, params=params)
    return parse_changes(response.content, url), response.content, url, params
