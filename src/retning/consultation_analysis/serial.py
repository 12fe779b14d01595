"""Theme sets and duplicate groups to JSON and back, for storage (pure, no Django)."""

from __future__ import annotations

from typing import Any

from retning.analysis.campaigns import Copy, DuplicateGroup
from retning.analysis.themes import Quote, Theme, ThemeChange, ThemeSet


def theme_set_to_json(themes: ThemeSet) -> dict[str, Any]:
    return {
        "version": themes.version,
        "total": themes.total,
        "themes": [
            {
                "id": t.id,
                "label": t.label,
                "terms": list(t.terms),
                "refs": list(t.refs),
                "quotes": [[q.ref, q.text] for q in t.quotes],
                "label_by": t.label_by,
            }
            for t in themes.themes
        ],
        "history": [[c.version, c.action, c.by, c.detail] for c in themes.history],
    }


def theme_set_from_json(data: dict[str, Any]) -> ThemeSet:
    return ThemeSet(
        version=int(data["version"]),
        total=int(data["total"]),
        themes=tuple(
            Theme(
                id=t["id"],
                label=t["label"],
                terms=tuple(t["terms"]),
                refs=tuple(t["refs"]),
                quotes=tuple(Quote(ref, text) for ref, text in t["quotes"]),
                label_by=t.get("label_by", "auto"),
            )
            for t in data["themes"]
        ),
        history=tuple(ThemeChange(*c) for c in data.get("history", [])),
    )


def group_from_parts(
    key: str, template: list[str], members: list[tuple[str, list[str], bool]]
) -> DuplicateGroup:
    """A stored group as the analysis package knows it: (ref, additions, exact) per copy."""
    return DuplicateGroup(
        id=key,
        template=tuple(template),
        copies=tuple(Copy(ref, tuple(additions), exact) for ref, additions, exact in members),
    )
