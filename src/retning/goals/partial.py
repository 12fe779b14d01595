"""Partial evidence: what is known of a goal whose regional figure cannot be computed.

A region's figure for a year is missing when any member (municipality, plant, component)
is missing, and it is never summed short. What the members that do have figures show is
still worth saying — as a part, never as the region: each member's own change since the
baseline year, which members have no figures at all, and, for a fixed set of members (the
plants that reported in the baseline year), which stopped reporting and how small their
share of the set's baseline total was. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from retning.goals.engine import Point


@dataclass(frozen=True)
class PartChange:
    """One member's own change, from the baseline year (or its first year) to its latest."""

    name: str
    start_year: int
    start_value: float
    end_year: int
    end_value: float
    place: str = ""  # where a plant is (its municipality)
    sources: tuple[str, ...] = ()

    @property
    def change(self) -> float:
        return self.end_value - self.start_value

    @property
    def change_pct(self) -> float | None:
        return self.change / self.start_value * 100 if self.start_value else None


@dataclass(frozen=True)
class SilentPart:
    """A member of the fixed set with no figure for the latest year the others report."""

    name: str
    last_year: int | None
    share_pct: float  # its share of the fixed set's total in the baseline year
    place: str = ""


@dataclass
class PartialEvidence:
    kind: str  # "municipalities" or "plants": what the parts are
    changes: list[PartChange] = field(default_factory=list)
    silent: list[SilentPart] = field(default_factory=list)
    silent_year: int | None = None  # the latest year some member of the fixed set reports
    without_figures: list[str] = field(default_factory=list)  # members or components
    with_figures: int = 0
    of: int = 0
    secondary: list[str] = field(default_factory=list)  # publishers of secondary sources

    @property
    def sources(self) -> set[str]:
        return {s for change in self.changes for s in change.sources}


def _observed(series: Sequence[Point]) -> list[Point]:
    return sorted((p for p in series if p.value is not None), key=lambda p: p.year)


def part_changes(
    by_member: Mapping[str, Sequence[Point]],
    names: Mapping[str, str],
    baseline_year: int,
    places: Mapping[str, str] | None = None,
) -> list[PartChange]:
    """Each member's change from the baseline year (its first later year if it has none
    for the baseline) to its latest figure; members with fewer than two years are left out.
    In the members' order."""
    changes = []
    for member, series in by_member.items():
        observed = _observed(series)
        start = next((p for p in observed if p.year == baseline_year), None) or next(
            (p for p in observed if p.year > baseline_year), None
        )
        end = observed[-1] if observed else None
        if start is None or end is None or end.year <= start.year:
            continue
        changes.append(
            PartChange(
                names.get(member, member),
                start.year,
                start.value,
                end.year,
                end.value,
                (places or {}).get(member, ""),
                tuple(dict.fromkeys(start.sources + end.sources)),
            )
        )
    return changes


def silent_parts(
    by_member: Mapping[str, Sequence[Point]],
    names: Mapping[str, str],
    baseline_year: int,
    places: Mapping[str, str] | None = None,
) -> tuple[list[SilentPart], int | None]:
    """Members of the fixed set (those with a figure for the baseline year) that have no
    figure for the latest year any member of the set reports, with their share of the
    set's baseline total, largest first; and that latest year."""
    baseline = {
        member: next(p.value for p in _observed(series) if p.year == baseline_year)
        for member, series in by_member.items()
        if any(p.year == baseline_year for p in _observed(series))
    }
    if not baseline:
        return [], None
    last = {member: _observed(by_member[member])[-1].year for member in baseline}
    latest = max(last.values())
    total = sum(baseline.values())
    silent = [
        SilentPart(
            names.get(member, member),
            last[member],
            baseline[member] / total * 100 if total else 0.0,
            (places or {}).get(member, ""),
        )
        for member in baseline
        if last[member] < latest
    ]
    return sorted(silent, key=lambda s: -s.share_pct), latest
