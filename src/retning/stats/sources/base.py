"""What every connector returns: records (pure data) or a `SourceError` naming what was wrong."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


class SourceError(Exception):
    """Bad or unreachable input, with the source and the place where it went wrong."""

    def __init__(self, source: str, message: str):
        self.source = source
        self.message = message
        super().__init__(f"{source}: {message}")


@dataclass(frozen=True)
class Record:
    """One figure as published: a value, or None with the reason it is missing."""

    measure: str
    code: str
    period: str
    value: Decimal | None
    unit: str
    dimensions: dict[str, str] = field(default_factory=dict)
    missing_reason: str = ""
    attributes: dict[str, str] = field(default_factory=dict)

    @property
    def dimension_key(self) -> str:
        return dimension_key(self.dimensions)


def dimension_key(dimensions: dict[str, str]) -> str:
    """A canonical text for a set of dimensions, e.g. "age=20-66;nace=C"."""
    return ";".join(f"{name}={dimensions[name]}" for name in sorted(dimensions))
