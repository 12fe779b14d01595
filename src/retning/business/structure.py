"""Business structure by focus area: establishments and employees from the register.

`focus_area_of` is pure; `structure_for` reads the stored register units.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from retning.business.models import RegisterUnit, UnitYear
from retning.stats.models import Fetch


def focus_area_of(nace: str, mapping: Iterable[tuple[str, Iterable[str]]]) -> str | None:
    """The focus area whose SN2007 codes cover `nace` (most specific code wins).

    Codes are divisions ("16"), groups ("16.1"), classes ("16.10") or subclasses
    ("16.101"); a register code such as "16.101" falls under each of them.
    """
    best: tuple[int, str] | None = None
    for slug, codes in mapping:
        for code in codes:
            covers = nace == code or nace.startswith(code + ("." if len(code) == 2 else ""))
            if covers and (best is None or len(code) > best[0]):
                best = (len(code), slug)
    return best[1] if best else None


@dataclass
class AreaStructure:
    per_municipality: dict[str, tuple[int, int]] = field(
        default_factory=dict
    )  # code → (est., employees)
    founded_per_year: dict[int, int] = field(default_factory=dict)
    closed_per_year: dict[int, int] = field(default_factory=dict)
    largest: list = field(default_factory=list)
    per_year: dict[int, tuple[int, int]] = field(default_factory=dict)  # from yearly snapshots
    fetch = None

    def flow(self, since: int) -> list[tuple[int, int, int]]:
        """(year, started, closed or deleted) for every year since `since` with either."""
        years = sorted(
            y for y in set(self.founded_per_year) | set(self.closed_per_year) if y >= since
        )
        return [(y, self.founded_per_year.get(y, 0), self.closed_per_year.get(y, 0)) for y in years]

    @property
    def establishments(self) -> int:
        return sum(n for n, _ in self.per_municipality.values())

    @property
    def employees(self) -> int:
        return sum(e for _, e in self.per_municipality.values())


def structure_for(area, areas) -> AreaStructure:
    """Establishments (underenheter) in the region under `area`'s NACE codes."""

    mapping = [(a.slug, a.nace_codes) for a in areas]
    result = AreaStructure()
    units = RegisterUnit.objects.filter(kind="underenhet")
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    founded: Counter = Counter()
    closed: Counter = Counter()
    matching = []
    for unit in units:
        if focus_area_of(unit.nace1, mapping) != area.slug:
            continue
        gone = unit.deleted or unit.closed
        if unit.founded:
            founded[unit.founded.year] += 1
        if gone:
            closed[gone.year] += 1
        if unit.in_region and not gone:
            counts[unit.municipality_code][0] += 1
            counts[unit.municipality_code][1] += unit.employees or 0
            matching.append(unit)

    result.fetch = (
        Fetch.objects.filter(dataset__slug="brreg-underenheter", outcome=Fetch.Outcome.OK)
        .order_by("-retrieved_at")
        .first()
    )
    result.per_municipality = {code: (n, e) for code, (n, e) in counts.items()}
    result.founded_per_year = dict(sorted(founded.items()))
    result.closed_per_year = dict(sorted(closed.items()))
    result.largest = sorted(matching, key=lambda u: -(u.employees or 0))[:10]
    years: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in UnitYear.objects.filter(unit__kind="underenhet", in_region=True):
        if focus_area_of(row.nace1, mapping) == area.slug:
            years[row.year][0] += 1
            years[row.year][1] += row.employees or 0
    result.per_year = {year: (n, e) for year, (n, e) in sorted(years.items())}
    return result
