"""Goal reports: each goal's indicator built from the statistics store and evaluated.

The Django side of goal tracking. For each goal of the strategy, the indicator named in
`strategy.yaml` (`indicator.ref`) is built from stored observations — per member
municipality, harmonised to current codes, then summed to the region (a year with a
member missing is incomplete, never summed short) — and evaluated by the pure engine.
Every point keeps the fetch ids it came from, so each figure can be cited.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from retning.business.models import RegisterUnit
from retning.core.formatting import format_number
from retning.core.names import display_name
from retning.goals.engine import (
    AnnualChange,
    Direction,
    Evaluation,
    Point,
    RelativeChange,
    Thresholds,
    evaluate,
)
from retning.goals.indicators import annual_average, region_rate, region_total, with_closure
from retning.goals.models import FacilityClosure
from retning.goals.partial import PartialEvidence, part_changes, silent_parts
from retning.stats import queries
from retning.stats.catalogue import OFFICIAL_RANK
from retning.stats.models import Fetch
from retning.strategy.models import Goal, Municipality, Target, localized
from retning.strategy.selectors import region_members

logger = logging.getLogger(__name__)


def comparison_regions() -> list[tuple[str, str]]:
    """The region's comparison regions from its `stats.yaml` (the ones every SSB series is
    also fetched for): (code, name in the active language)."""
    from django.utils.translation import get_language

    from retning.stats.refresh import region_config

    english = (get_language() or "nb").startswith("en")
    return [
        (str(item["code"]), str((english and item.get("name_en")) or item["name"]))
        for item in region_config().get("comparison_regions", [])
    ]


@dataclass(frozen=True)
class SourceRef:
    fetch_id: int
    source: str
    table: str
    url: str
    licence: str
    retrieved_at: object
    via: str
    dataset: str
    title: str = ""
    title_en: str = ""
    publisher: str = ""
    rank: int = OFFICIAL_RANK  # 1 a secondary copy of official figures, 0 quoted figures
    raw_restricted: bool = False  # a licensed file: raw data for staff with a role only


@dataclass
class MunicipalityPart:
    municipality: Municipality
    code: str
    series: list[Point]
    evaluation: Evaluation | None  # None where the target is a regional one (jobs)
    change: float | None = None  # from the baseline (or first) year to the latest complete one
    change_from: int | None = None
    change_to: int | None = None


@dataclass
class Gap:
    """A missing piece of data: what is missing, why, and what would fill it — for the
    public (`remedy`, in plain words) and for the secretariat (`action`: the command or
    admin page; shown on staff pages and in `retning status`, never to the public)."""

    what: str
    why: str
    remedy: str
    action: str = ""


@dataclass
class RegisterNote:
    """What Enhetsregisteret says of the organisation behind a plant that stopped
    reporting: a reason to check, never a closure by itself."""

    orgnr: str
    name: str
    deleted: dt.date | None
    closed: dt.date | None
    fetch_id: int


@dataclass
class FacilityRow:
    facility_id: str
    name: str
    org_nr: str
    nace: str
    municipality: str
    baseline: float | None
    latest_year: int | None
    latest: float | None
    in_fixed_set: bool
    closure: FacilityClosure | None = None
    register: RegisterNote | None = None


@dataclass
class GoalReport:
    goal: Goal
    target: AnnualChange | RelativeChange | Direction
    thresholds: Thresholds
    evaluation: Evaluation
    unit: str
    region_series: list[Point]
    municipalities: list[MunicipalityPart] = field(default_factory=list)
    comparisons: list[tuple[str, list[Point]]] = field(default_factory=list)
    context: list[tuple[str, list[tuple[str, list[Point]]]]] = field(default_factory=list)
    facilities: list[FacilityRow] = field(default_factory=list)
    method: list[str] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)
    # jobs: split by industry (shift-share against Norway) and by focus area
    decomposition_years: tuple[int, int] | None = None
    shift_share: list = field(default_factory=list)
    focus_changes: list[tuple[str, list[str], float, float]] = field(default_factory=list)
    extra_fetch_ids: set[int] = field(default_factory=set)
    # What the members with figures show while the region's figure is missing
    # (insufficient data only); never the regional figure.
    partial: PartialEvidence | None = None

    @property
    def status(self) -> str:
        return self.evaluation.status.value


# --- helpers -----------------------------------------------------------------------------
def engine_target(target: Target) -> AnnualChange | RelativeChange | Direction:
    if target.kind == Target.Kind.ANNUAL_CHANGE:
        return AnnualChange(target.baseline_year, target.end_year, float(target.per_year))
    if target.kind == Target.Kind.RELATIVE_CHANGE:
        return RelativeChange(
            target.baseline_year,
            target.end_year,
            float(target.change_low_pct),
            float(target.change_high_pct),
        )
    return Direction(target.baseline_year, target.direction, target.end_year)


def _annual(points: list[queries.Point]) -> list[Point]:
    """Yearly engine points from store points (other periods, e.g. quarters, left out)."""
    result = []
    for p in points:
        if not p.period.isdigit():
            continue
        value = float(p.value) if isinstance(p.value, Decimal) else p.value
        result.append(Point(int(p.period), value, p.missing_reason, (str(p.fetch_id),)))
    return sorted(result, key=lambda p: p.year)


def _by_code(points: list[queries.Point]) -> dict[str, list[queries.Point]]:
    grouped: dict[str, list[queries.Point]] = {}
    for p in points:
        grouped.setdefault(p.code, []).append(p)
    return grouped


def member_series(
    measure: str, members: list[tuple[Municipality, str]], dimensions: dict | None = None
) -> dict[str, list[Point]]:
    codes = [code for _, code in members]
    grouped = _by_code(queries.series(measure, codes=codes, dimensions=dimensions))
    return {code: _annual(grouped.get(code, [])) for code in codes}


def _sources(points: list[Point]) -> set[int]:
    return {int(s) for p in points for s in p.sources if s.isdigit()}


def _missing_text(names: dict[str, str]) -> Callable[[list[str]], str]:
    """A reason for an incomplete year in the page's language, naming who is missing."""

    def describe(missing: list[str]) -> str:
        return str(_("ufullstendig: mangler tall for %(names)s")) % {
            "names": ", ".join(str(names.get(code, code)) for code in missing)
        }

    return describe


def _change(series: list[Point], baseline_year: int) -> tuple[float | None, int | None, int | None]:
    observed = [p for p in series if p.value is not None]
    start = next(
        (p for p in observed if p.year == baseline_year), observed[0] if observed else None
    )
    end = observed[-1] if observed else None
    if start is None or end is None or end.year <= start.year:
        return None, None, None
    return end.value - start.value, start.year, end.year


def _held_text(by_member: dict[str, list[Point]], names: dict[str, str]) -> str:
    """Which members do have figures, and for which years, e.g. "Kongsvinger (2005–2022)"."""
    held = []
    for code, series in by_member.items():
        years = [p.year for p in series if p.value is not None]
        if years:
            held.append(f"{names[code]} ({min(years)}–{max(years)})")
    if not held:
        return str(_("Ingen av kommunene har tall ennå."))
    return str(_("Tall finnes bare for %(held)s.")) % {"held": ", ".join(held)}


def _refetched(source: str) -> str:
    """The public remedy of a gap an official table fills."""
    return str(
        _(
            "Tallene finnes i %(source)s og kommer med når sekretariatet henter "
            "statistikken på nytt."
        )
    ) % {"source": source}


def _missing_members(by_member: dict[str, list[Point]], names: dict[str, str]) -> list[str]:
    return [
        names[code]
        for code, series in by_member.items()
        if not any(p.value is not None for p in series)
    ]


def _member_evidence(
    by_member: dict[str, list[Point]], names: dict[str, str], baseline_year: int
) -> PartialEvidence | None:
    """The municipalities with figures, each with its own change: partial evidence."""
    changes = part_changes(by_member, names, baseline_year)
    if not changes:
        return None
    missing = _missing_members(by_member, names)
    return PartialEvidence(
        "municipalities",
        changes,
        without_figures=missing,
        with_figures=len(by_member) - len(missing),
        of=len(by_member),
    )


# --- indicators --------------------------------------------------------------------------
def _jobs(report: GoalReport, members, names) -> None:
    by_member = member_series("employed_by_workplace", members)
    report.region_series = region_total(
        by_member, [code for _, code in members], _missing_text(names)
    )
    report.unit = "persons"
    report.partial = _member_evidence(by_member, names, report.target.baseline_year)
    for municipality, code in members:
        change, start, end = _change(by_member[code], report.target.baseline_year)
        report.municipalities.append(
            MunicipalityPart(municipality, code, by_member[code], None, change, start, end)
        )
    missing = _missing_members(by_member, names)
    if missing:
        report.gaps.append(
            Gap(
                _("Sysselsatte etter arbeidssted for %(names)s") % {"names": ", ".join(missing)},
                _held_text(by_member, names),
                _refetched(_("SSB-tabell 07984")),
                _(
                    "Kjør «retning refresh --source ssb» med internett (SSB tabell 07984), "
                    "eller «retning import-data» med en fil lastet ned fra Statistikkbanken."
                ),
            )
        )
    _jobs_by_industry(report, [code for _, code in members])
    population = member_series("population", members, {"age": "20-66"})
    report.context.append(
        (
            _("Befolkning 20–66 år (1. januar)"),
            [
                (
                    _("Regionen"),
                    region_total(population, [c for _, c in members], _missing_text(names)),
                )
            ]
            + [(names[c], population[c]) for _, c in members],
        )
    )
    report.method += [
        _(
            "Arbeidsplasser er sysselsatte etter arbeidsstedskommune i 4. kvartal, summert for "
            "kommunene. Et år der en kommune mangler tall, regnes ikke som et regionstall."
        ),
        _(
            "Målbanen er basisårets tall pluss %(per_year)s for hvert år. Framskrivingen er den "
            "lineære trenden (minste kvadraters metode) over de siste fem observasjonene."
        )
        % {"per_year": format_number(report.target.per_year)},
    ]


def _divisions(group: str) -> list[str]:
    """SSB's NACE groups ("41-43", "84") as the two-digit divisions they cover."""
    if "-" in group:
        low, high = group.split("-", 1)
        if low.isdigit() and high.isdigit():
            return [f"{d:02d}" for d in range(int(low), int(high) + 1)]
    return [group] if group.isdigit() else []


def _jobs_by_industry(report: GoalReport, codes: list[str]) -> None:
    """Change per focus area and a shift-share split against Norway, where SSB 13470's
    figures by industry are stored for every member and for Norway."""
    from retning.goals.decomposition import shift_share
    from retning.stats.models import Observation

    rows = Observation.objects.filter(
        measure="employed_by_workplace",
        current=True,
        code__in=[*queries.harmonise(codes), "0"],
        dimensions__has_key="nace",
    ).values_list("code", "period", "dimensions", "value", "fetch_id")
    table: dict[tuple[str, str, int], float] = {}
    for code, period, dims, value, fetch_id in rows:
        group = dims.get("nace", "")
        if period.isdigit() and value is not None and group not in ("00-99", ""):
            table[(code, group, int(period))] = float(value)
            report.extra_fetch_ids.add(fetch_id)
    years = sorted({year for (_, _, year) in table})
    groups = sorted({group for (_, group, _) in table})
    complete = [y for y in years if all((c, g, y) in table for c in [*codes, "0"] for g in groups)]
    if len(complete) < 2 or not groups:
        report.gaps.append(
            Gap(
                _("Sysselsatte etter næring (SSB tabell 13470) for kommunene og hele landet"),
                _(
                    "Uten tall per næring kan endringen ikke deles på fokusområder, og "
                    "skift-andel-analysen mot landet kan ikke gjøres."
                ),
                _refetched(_("SSB-tabell 13470")),
                _("Kjør «retning refresh --source ssb» med internett."),
            )
        )
        return
    start = report.target.baseline_year if report.target.baseline_year in complete else complete[0]
    end = complete[-1]
    report.decomposition_years = (start, end)
    regional = {
        g: (sum(table[(c, g, start)] for c in codes), sum(table[(c, g, end)] for c in codes))
        for g in groups
    }
    national = {g: (table[("0", g, start)], table[("0", g, end)]) for g in groups}
    report.shift_share = shift_share(regional, national)
    for area in report.goal.strategy.focus_areas.all():
        covered = set(area.nace_codes)
        used = [g for g in groups if _divisions(g) and set(_divisions(g)) <= covered]
        if used:
            report.focus_changes.append(
                (
                    localized(area, "title"),
                    used,
                    sum(regional[g][0] for g in used),
                    sum(regional[g][1] for g in used),
                )
            )


def _inclusion(report: GoalReport, members, names) -> None:
    rates = member_series("employment_rate", members, {"age": "15-74"})
    population = member_series("population", members, {"age": "15-74"})
    codes = [code for _, code in members]
    # SSB publishes the rate, not the count behind it: the numerator is rebuilt as
    # rate × population 15–74, so the region's rate is Σ employed ÷ Σ population.
    employed: dict[str, list[Point]] = {}
    for code in codes:
        pop = {p.year: p for p in population[code]}
        employed[code] = [
            Point(p.year, p.value * pop[p.year].value / 100, "", p.sources + pop[p.year].sources)
            if p.value is not None and p.year in pop and pop[p.year].value is not None
            else Point(
                p.year, None, p.missing_reason or str(_("mangler befolkningstall")), p.sources
            )
            for p in rates[code]
        ]
    report.region_series = region_rate(
        employed,
        population,
        codes,
        describe_missing=_missing_text(names),
        missing_text=str(_("mangler sysselsatte eller befolkning")),
        zero_text=str(_("befolkningen er null")),
    )
    report.unit = "percent"
    report.partial = _member_evidence(rates, names, report.target.baseline_year)
    for municipality, code in members:
        evaluation = (
            evaluate(report.target, rates[code], report.thresholds) if rates[code] else None
        )
        change, start, end = _change(rates[code], report.target.baseline_year)
        report.municipalities.append(
            MunicipalityPart(municipality, code, rates[code], evaluation, change, start, end)
        )
    regions = comparison_regions()
    grouped = _by_code(
        queries.series(
            "employment_rate", codes=[code for code, _ in regions], dimensions={"age": "15-74"}
        )
    )
    report.comparisons = [(label, _annual(grouped.get(code, []))) for code, label in regions]
    missing = _missing_members(rates, names)
    if missing:
        report.gaps.append(
            Gap(
                _("Sysselsettingsandel 15–74 år for %(names)s") % {"names": ", ".join(missing)},
                _held_text(rates, names),
                _refetched(_("SSB-tabell 06445")),
                _("Kjør «retning refresh --source ssb» med internett (SSB tabell 06445)."),
            )
        )
    if regions and not any(points for _, points in report.comparisons):
        report.gaps.append(
            Gap(
                _("Sammenligning med %(regions)s")
                % {"regions": str(_(" og ")).join(label for _code, label in regions)},
                _("Tallene for sammenligningsområdene er ikke hentet."),
                _refetched(_("SSB-tabell 06445")),
                _("Kjør «retning refresh --source ssb» med internett."),
            )
        )
    report.method += [
        _(
            "Sysselsettingsandelen er sysselsatte bosatt i regionen i prosent av befolkningen "
            "15–74 år. SSB publiserer andelen per kommune; regionens andel regnes av summen av "
            "sysselsatte (andel × befolkning) delt på summen av befolkningen, aldri som et "
            "gjennomsnitt av andelene."
        ),
        _(
            "Målet har bare en retning. Status settes av trendens fortegn og størrelse over de "
            "siste fem årene: under 0,25 prosent av nivået per år regnes som flatt."
        ),
    ]


def _facility_data(codes: list[str]) -> tuple[dict[str, dict], dict[str, list[Point]]]:
    """Every reporting facility's attributes and yearly series, in one query (the store's
    `series` reads one breakdown at a time; here every facility is wanted at once)."""
    from retning.stats.models import Observation

    rows = (
        Observation.objects.filter(
            measure="facility_ghg_emissions", current=True, code__in=queries.harmonise(codes)
        )
        .order_by("period")
        .values_list(
            "dimensions", "attributes", "code", "period", "value", "missing_reason", "fetch_id"
        )
    )
    info: dict[str, dict] = {}
    series: dict[str, list[Point]] = {}
    for dims, attrs, code, period, value, reason, fetch_id in rows:
        fid = dims.get("facility", "")
        info[fid] = {**attrs, "code": code}
        if period.isdigit():
            number = float(value) if value is not None else None
            series.setdefault(fid, []).append(Point(int(period), number, reason, (str(fetch_id),)))
    return info, series


def _heavy_transport(codes: list[str]) -> dict[str, list[Point]]:
    """Heavy road transport per municipality and year, summed over the greenhouse gases the
    release lists separately (sector «Veitrafikk», source «Tunge kjøretøy»)."""
    from retning.stats.models import Observation

    rows = Observation.objects.filter(
        measure="ghg_emissions",
        current=True,
        code__in=queries.harmonise(codes),
        dimensions__sector="Veitrafikk",
        dimensions__source="Tunge kjøretøy",
    ).values_list("code", "period", "value", "missing_reason", "fetch_id")
    cells: dict[tuple[str, int], list] = {}
    for code, period, value, reason, fetch_id in rows:
        if period.isdigit():
            cells.setdefault((code, int(period)), []).append((value, reason, fetch_id))
    series: dict[str, list[Point]] = {code: [] for code in codes}
    for (code, year), parts in sorted(cells.items()):
        sources = tuple(sorted({str(f) for _, _, f in parts}))
        if any(v is None for v, _, _ in parts):
            reason = next(r for v, r, _ in parts if v is None) or "missing in the release"
            series.setdefault(code, []).append(Point(year, None, reason, sources))
        else:
            series.setdefault(code, []).append(
                Point(year, float(sum(v for v, _, _ in parts)), "", sources)
            )
    return series


def _apply_closures(
    report: GoalReport,
    facility_series: dict[str, list[Point]],
    fixed_set: list[str],
    closures: dict[str, FacilityClosure],
    facility_names: dict[str, str],
) -> None:
    """Confirmed closures turn a closed plant's unreported years into zeros; a report
    after the closure year is kept and shown as a conflict."""
    years = {p.year for fid in fixed_set for p in facility_series[fid]}
    for fid in fixed_set:
        closure = closures.get(fid)
        if closure is None:
            continue
        facility_series[fid], reported_after = with_closure(
            facility_series[fid], closure.closed_from, years, f"closure:{closure.pk}"
        )
        if reported_after:
            report.gaps.append(
                Gap(
                    _("Nedleggelsen av %(plant)s") % {"plant": facility_names[fid]},
                    _(
                        "Anlegget er registrert nedlagt fra %(year)s, men rapporterte utslipp "
                        "i %(reported)s. De rapporterte tallene brukes."
                    )
                    % {
                        "year": closure.closed_from,
                        "reported": ", ".join(str(y) for y in reported_after),
                    },
                    _("Sekretariatet kontrollerer nedleggelsen."),
                    _("Kontroller nedleggelsen under «Nedlagte anlegg» i administrasjonen."),
                )
            )


def _register_notes(report: GoalReport, closures: dict[str, FacilityClosure]) -> None:
    """Plants of the fixed set that stopped reporting, with no closure recorded, whose
    organisation Enhetsregisteret shows as deleted or closed: shown next to the plant and
    as a gap, so that the secretariat can check and record the closure with a source."""
    fixed = [row for row in report.facilities if row.in_fixed_set]
    last_year = max((row.latest_year or 0 for row in fixed), default=None)
    rows = {row.facility_id: row for row in fixed}
    silent: dict[str, list[str]] = {}  # organisation number → its silent plants
    for row in fixed:
        if row.facility_id not in closures and row.org_nr and row.latest_year != last_year:
            silent.setdefault(row.org_nr, []).append(row.facility_id)
    if not silent:
        return
    units = RegisterUnit.objects.filter(orgnr__in=silent).exclude(deleted=None, closed=None)
    for unit, fid in ((u, f) for u in units.order_by("orgnr", "kind") for f in silent[u.orgnr]):
        row = rows[fid]
        if row.register is not None:
            continue
        row.register = RegisterNote(unit.orgnr, unit.name, unit.deleted, unit.closed, unit.fetch_id)
        report.extra_fetch_ids.add(unit.fetch_id)
        when = unit.deleted or unit.closed
        report.gaps.append(
            Gap(
                _("Mulig nedlagt anlegg: %(plant)s") % {"plant": f"{row.name} ({row.facility_id})"},
                (
                    _(
                        "Anlegget rapporterte sist i %(year)s. Enhetsregisteret viser "
                        "%(unit)s (org.nr. %(orgnr)s) som slettet %(date)s."
                    )
                    if unit.deleted
                    else _(
                        "Anlegget rapporterte sist i %(year)s. Enhetsregisteret viser "
                        "%(unit)s (org.nr. %(orgnr)s) som nedlagt %(date)s."
                    )
                )
                % {
                    "year": row.latest_year,
                    "unit": unit.name,
                    "orgnr": unit.orgnr,
                    "date": date_format(when, "DATE_FORMAT"),
                },
                _(
                    "Sekretariatet sjekker om anlegget er nedlagt; Retning registrerer ikke en "
                    "nedleggelse selv, for en virksomhet kan flytte eller skifte "
                    "organisasjonsnummer."
                ),
                _(
                    "Sjekk om anlegget er nedlagt. Er det det, registrer nedleggelsen med kilde "
                    "under «Nedlagte anlegg» i administrasjonen; Retning gjør det ikke selv, "
                    "for en virksomhet kan flytte eller skifte organisasjonsnummer."
                ),
            )
        )


def _plant_evidence(
    series: dict[str, list[Point]],
    names: dict[str, str],
    places: dict[str, str],
    baseline: int,
    missing_components: list[str],
) -> PartialEvidence | None:
    """The plants of the fixed set: each one's change since the baseline year, largest
    first, and those that stopped reporting with their share of the set's baseline total."""
    changes = sorted(part_changes(series, names, baseline, places), key=lambda c: -c.start_value)
    silent, silent_year = silent_parts(series, names, baseline, places)
    if not changes and not silent:
        return None
    return PartialEvidence(
        "plants",
        changes,
        silent,
        silent_year,
        [str(c) for c in missing_components],
        len(series) - len(silent),
        len(series),
    )


def _emissions(report: GoalReport, members, names) -> None:
    codes = [code for _, code in members]
    baseline = report.target.baseline_year
    facilities, facility_series = _facility_data(codes)
    fixed_set = [
        fid
        for fid, series in facility_series.items()
        if any(p.year == baseline and p.value is not None for p in series)
    ]
    closures = {c.facility_id: c for c in FacilityClosure.objects.all()}
    for fid in sorted(facilities, key=lambda f: (f not in fixed_set, f)):
        observed = [p for p in facility_series[fid] if p.value is not None]
        info = facilities[fid]
        report.facilities.append(
            FacilityRow(
                fid,
                display_name(info.get("facility_name", "")),
                info.get("org_nr", ""),
                info.get("nace", ""),
                names.get(info["code"], info["code"]),
                next((p.value for p in observed if p.year == baseline), None),
                observed[-1].year if observed else None,
                observed[-1].value if observed else None,
                fid in fixed_set,
                closures.get(fid),
            )
        )
    facility_names = {
        fid: display_name(facilities[fid].get("facility_name", fid)) for fid in fixed_set
    }
    _register_notes(report, closures)
    _apply_closures(report, facility_series, fixed_set, closures, facility_names)
    plants = region_total(
        {fid: facility_series[fid] for fid in fixed_set}, fixed_set, _missing_text(facility_names)
    )
    plants = [p for p in plants if p.year >= baseline]
    transport = _heavy_transport(codes)
    transport_total = region_total(transport, codes, _missing_text(names))
    report.partial = _plant_evidence(
        {fid: facility_series[fid] for fid in fixed_set},
        facility_names,
        {fid: names.get(facilities[fid]["code"], facilities[fid]["code"]) for fid in fixed_set},
        baseline,
        [] if any(p.value is not None for p in transport_total) else [_("tungtransport på vei")],
    )
    if plants:
        combined = {"plants": plants, "transport": transport_total}
        parts = {"plants": _("anleggene"), "transport": _("tungtransport")}
        report.region_series = region_total(combined, list(combined), _missing_text(parts))
    report.context.append(
        (
            _("Utslipp fra anleggene i %(year)s-utvalget (uten transport)") % {"year": baseline},
            [(_("Regionen"), plants)],
        )
    )
    report.unit = "tonnes CO2-eq"
    if not any(p.value is not None for p in transport_total):
        report.gaps.append(
            Gap(
                _("Tungtransport på vei (Miljødirektoratets kommunefordelte utslipp)"),
                _(
                    "Miljødirektoratets statistikk per kommune er ikke med i det medfølgende "
                    "øyeblikksbildet, så målet kan ikke vurderes uten den."
                ),
                _refetched(_("Miljødirektoratets «Klimagassutslipp i kommuner»")),
                _(
                    "Kjør «retning refresh --source miljodir» med internett, eller «retning "
                    "import-data» med regnearket «utslippsstatistikk_alle_kommuner.xlsx»."
                ),
            )
        )
    incomplete = [p for p in plants if p.value is None]
    if incomplete:
        report.gaps.append(
            Gap(
                _("Anleggsutslipp for %(years)s")
                % {"years": ", ".join(str(p.year) for p in incomplete)},
                _(
                    "Minst ett anlegg i %(year)s-utvalget har ikke rapportert disse årene. Om "
                    "anlegget er nedlagt, vet vi ikke; året regnes derfor som ufullstendig, ikke "
                    "som null."
                )
                % {"year": baseline},
                _(
                    "Er anlegget nedlagt, kan sekretariatet registrere det med kilde under "
                    "«Nedlagte anlegg» i administrasjonen; det teller da som null fra "
                    "nedleggelsen."
                ),
                _(
                    "Er anlegget nedlagt, registrer nedleggelsen med kilde under «Nedlagte "
                    "anlegg» i administrasjonen."
                ),
            )
        )
    report.method += [
        _(
            "«Eksisterende industri» er de industrianleggene i regionen som rapporterte utslipp "
            "til Miljødirektoratet (Norske utslipp) i basisåret %(year)s, fulgt som et fast "
            "utvalg etter anleggsnummer. Anlegg som startet etter %(year)s vises i tabellen, men "
            "telles ikke."
        )
        % {"year": baseline},
        _(
            "Et anlegg i utvalget som ikke har rapportert et år, gjør året ufullstendig. Bare "
            "når sekretariatet har registrert anlegget som nedlagt, med kilde, teller det som "
            "null fra nedleggelsesåret."
        ),
        _(
            "Til anleggenes utslipp legges tungtransport på vei fra Miljødirektoratets "
            "kommunefordelte statistikk («inkl. transport»)."
        ),
        _(
            "Framskrivingen bruker den gjennomsnittlige årlige endringsraten over de siste fem "
            "observasjonene."
        ),
    ]


def annual_cpi() -> tuple[dict[int, float], set[int]]:
    """The CPI's annual averages (mean of the 12 monthly values, only for complete years)
    and the fetch ids behind them."""
    points = [p for p in queries.series("cpi", codes=["0"]) if p.value is not None]
    averages = annual_average((p.period, p.value) for p in points)
    return averages, {
        p.fetch_id for p in points if p.period[:4].isdigit() and int(p.period[:4]) in averages
    }


def _turnover(report: GoalReport, members, names) -> None:
    from retning.business.models import AnnualAccounts, RegisterUnit
    from retning.goals.indicators import deflate
    from retning.stats.sources.brreg_accounts import Accounts, regional_turnover

    region_orgnrs = dict(
        RegisterUnit.objects.filter(kind="enhet", in_region=True).values_list(
            "orgnr", "municipality_code"
        )
    )
    rows = AnnualAccounts.objects.filter(orgnr__in=list(region_orgnrs))
    accounts = [
        Accounts(r.orgnr, r.year, r.period_start, r.period_end, r.account_type, r.currency,
                 float(r.operating_revenue) if r.operating_revenue is not None else None)
        for r in rows
    ]  # fmt: skip
    fetch_of = {(r.orgnr, r.year): str(r.fetch_id) for r in rows}
    nominal = [
        Point(
            year.year,
            year.total,
            "",
            tuple(
                sorted(
                    {fetch_of[(o, year.year)] for o in region_orgnrs if (o, year.year) in fetch_of}
                )
            ),
        )
        for year in regional_turnover(accounts, region_orgnrs)
        if year.enterprises
    ]
    cpi, cpi_fetches = annual_cpi()
    base_year = report.target.baseline_year
    report.region_series = [
        Point(
            p.year,
            p.value,
            p.missing_reason,
            p.sources + tuple(str(f) for f in sorted(cpi_fetches)),
        )
        for p in deflate(nominal, cpi, base_year)
    ]
    if nominal and base_year not in cpi:
        report.gaps.append(
            Gap(
                _("Konsumprisindeksen for %(year)s") % {"year": base_year},
                _("Uten KPI kan omsetningen ikke regnes om til faste priser."),
                _refetched(_("SSB-tabell 14700")),
                _("Kjør «retning refresh --source ssb» med internett (SSB tabell 14700)."),
            )
        )
    report.unit = "NOK"
    if not any(p.year == base_year and p.value is not None for p in report.region_series):
        report.gaps.append(
            Gap(
                _("Driftsinntekter for foretakene i regionen fra %(year)s") % {"year": base_year},
                _(
                    "Det åpne API-et til Regnskapsregisteret gir bare siste års regnskap. "
                    "Basisåret %(year)s finnes ikke fritt tilgjengelig, og ingen offentlig tabell "
                    "gir omsetning per kommune for alle næringer."
                )
                % {"year": base_year},
                _(
                    "Sekretariatet kan lese inn en lisensiert regnskapshistorikk. Fra nå av tar "
                    "Retning vare på hvert års regnskap, så historikken bygger seg opp."
                ),
                _(
                    "Importer en lisensiert regnskapshistorikk med «retning import-accounts "
                    "FIL». Fra nå av tar Retning vare på hvert års regnskap, så historikken "
                    "bygger seg opp."
                ),
            )
        )
    report.method += [
        _(
            "Omsetning er driftsinntekter i selskapsregnskapene til foretak med forretningsadresse "
            "i regionen; konsernregnskap telles ikke i tillegg til selskapene i konsernet. "
            "Tallene regnes om til %(year)s-priser med konsumprisindeksen (SSB)."
        )
        % {"year": base_year},
        (
            _(
                "Framskrivingen bruker den gjennomsnittlige årlige vekstraten over de siste fem "
                "observasjonene, og målet vurderes mot både %(low)s og %(high)s prosent."
            )
            if getattr(report.target, "is_range", False)
            else _(
                "Framskrivingen bruker den gjennomsnittlige årlige vekstraten over de siste fem "
                "observasjonene."
            )
        )
        % {
            "low": format_number(getattr(report.target, "low_pct", 0)),
            "high": format_number(getattr(report.target, "high_pct", 0)),
        },
    ]


INDICATORS: dict[str, Callable[[GoalReport, list, dict], None]] = {
    "employed-by-workplace": _jobs,
    "employment-rate-15-74": _inclusion,
    "existing-industry-emissions": _emissions,
    "enterprise-operating-revenue": _turnover,
}


# --- reports -----------------------------------------------------------------------------
def goal_report(goal: Goal, members: list[tuple[Municipality, str]] | None = None) -> GoalReport:
    """Build and evaluate one goal's indicator (region and each municipality)."""
    if members is None:
        members = region_members(goal.strategy.region)
    names = {code: m.name for m, code in members}
    target = engine_target(goal.target)
    thresholds = Thresholds(**goal.status_thresholds) if goal.status_thresholds else Thresholds()
    report = GoalReport(goal, target, thresholds, evaluate(target, [], thresholds), "", [])
    builder = INDICATORS.get(goal.indicator_ref)
    if builder is None:
        report.gaps.append(
            Gap(
                _("Indikatoren «%(ref)s»") % {"ref": goal.indicator_ref},
                _("Retning kjenner ikke denne indikatoren."),
                _("Indikatoren må rettes i strategifilen."),
                _("Bruk en av indikatorene Retning kan beregne (se docs/developer.md)."),
            )
        )
        return report
    try:
        builder(report, members, names)
        report.evaluation = evaluate(target, report.region_series, thresholds)
        if report.status != "insufficient_data":
            report.partial = None  # the regional figure speaks for itself
    except (ArithmeticError, ValueError) as exc:
        # Stored values are checked on the way in; should an odd one still be there (an
        # older database, a hand-made change), this goal says so and the page still works.
        logger.exception("goal %s could not be computed", goal.slug)
        report = GoalReport(goal, target, thresholds, evaluate(target, [], thresholds), "", [])
        report.gaps.append(
            Gap(
                _("Tallene for dette målet"),
                _("De lagrede tallene kunne ikke regnes på (%(error)s).")
                % {"error": type(exc).__name__},
                _("Sekretariatet må kontrollere de lagrede tallene."),
                _("Kontroller den siste importen; detaljene står i loggen."),
            )
        )
        return report
    fetch_ids = _sources(report.region_series)
    if report.partial:
        fetch_ids |= {int(s) for s in report.partial.sources if s.isdigit()}
    for part in report.municipalities:
        fetch_ids |= _sources(part.series)
    fetch_ids |= report.extra_fetch_ids
    for _label, rows in report.context:
        for _name, series in rows:
            fetch_ids |= _sources(series)
    report.sources = [
        SourceRef(
            f.pk,
            f.source,
            f.table,
            f.url,
            f.licence,
            f.retrieved_at,
            f.via,
            f.dataset.slug,
            f.dataset.title,
            f.dataset.title_en,
            f.dataset.publisher,
            f.dataset.rank,
            f.raw_restricted,
        )
        for f in Fetch.objects.filter(pk__in=fetch_ids)
        .select_related("dataset")
        .order_by("source", "table", "pk")
    ]
    if report.partial:
        report.partial.secondary = sorted(
            {
                s.publisher
                for s in report.sources
                if s.rank < OFFICIAL_RANK and str(s.fetch_id) in report.partial.sources
            }
        )
    return report
