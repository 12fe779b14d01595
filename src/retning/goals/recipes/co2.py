"""Emissions of existing industry: the plants that reported in the baseline year, followed
as a fixed set, plus heavy road transport in the member municipalities."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from retning.business.queries import deleted_or_closed
from retning.core.names import display_name
from retning.goals.engine import Point
from retning.goals.indicators import region_total, with_closure
from retning.goals.models import FacilityClosure
from retning.goals.partial import PartialEvidence, part_changes, silent_parts
from retning.goals.recipes import register
from retning.goals.recipes.common import Members, missing_text, refetched, trend_text
from retning.goals.report import FacilityRow, Gap, GoalReport, RegisterNote
from retning.stats import queries


def _facility_data(codes: list[str]) -> tuple[dict[str, dict], dict[str, list[Point]]]:
    """Every reporting facility's attributes and yearly series."""
    info: dict[str, dict] = {}
    series: dict[str, list[Point]] = {}
    for cell in queries.breakdown("facility_ghg_emissions", codes=codes):
        fid = cell.dimensions.get("facility", "")
        info[fid] = {**cell.attributes, "code": cell.code}
        if cell.period.isdigit():
            number = float(cell.value) if cell.value is not None else None
            series.setdefault(fid, []).append(
                Point(int(cell.period), number, cell.missing_reason, (str(cell.fetch_id),))
            )
    return info, series


def _heavy_transport(codes: list[str]) -> dict[str, list[Point]]:
    """Heavy road transport per municipality and year, summed over the greenhouse gases the
    release lists separately (sector «Veitrafikk», source «Tunge kjøretøy»)."""
    rows = queries.breakdown(
        "ghg_emissions", codes=codes, where={"sector": "Veitrafikk", "source": "Tunge kjøretøy"}
    )
    cells: dict[tuple[str, int], list] = {}
    for row in rows:
        if row.period.isdigit():
            cells.setdefault((row.code, int(row.period)), []).append(
                (row.value, row.missing_reason, row.fetch_id)
            )
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
    units = deleted_or_closed(silent)
    for unit, fid in ((u, f) for u in units for f in silent[u.orgnr]):
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


@register("existing-industry-emissions")
def emissions(report: GoalReport, members: Members, names: dict[str, str]) -> None:
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
        {fid: facility_series[fid] for fid in fixed_set}, fixed_set, missing_text(facility_names)
    )
    plants = [p for p in plants if p.year >= baseline]
    transport = _heavy_transport(codes)
    transport_total = region_total(transport, codes, missing_text(names))
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
        report.region_series = region_total(combined, list(combined), missing_text(parts))
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
                refetched(_("Miljødirektoratets «Klimagassutslipp i kommuner»")),
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
            "Framskrivingen bruker den gjennomsnittlige årlige endringsraten over de siste "
            "%(trend)s observasjonene."
        )
        % {"trend": trend_text(report.thresholds)},
    ]
