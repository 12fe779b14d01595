"""Cubes for the loopback PxWebApi server.

Population (07459) is built from the real published values in the bundled snapshot: the
age-group sums and totals of the six municipalities are SSB's, but SSB publishes single
years of age and the snapshot holds only groups, so each group's persons are spread over
its single years synthetically (sums stay exact). Innlandet and Norway, and all the other
tables, are synthetic: their builders say so in their names.
"""

from __future__ import annotations

import csv
from collections import defaultdict

from tests.stats.conftest import SNAPSHOT_DIR
from tests.stats.pxweb_server import Cube

OLD_NEW = {
    "0402": "3401",
    "0418": "3414",
    "0419": "3415",
    "0420": "3416",
    "0423": "3417",
    "0425": "3418",
}
AGES = [f"{age:03d}" for age in range(105)] + ["105+"]
YEARS = [str(year) for year in range(2005, 2027)]

# Disjoint age pieces and how to get each from the snapshot's (overlapping) groups.
PIECES = {
    (0, 14): lambda g: g["0_14"],
    (15, 19): lambda g: g["0_19"] - g["0_14"],
    (20, 64): lambda g: g["20_64"],
    (65, 66): lambda g: g["20_66"] - g["20_64"],
    (67, 74): lambda g: g["15_74"] - (g["0_19"] - g["0_14"]) - g["20_66"],
    (75, 79): lambda g: (
        g["67_plus"] - g["80_plus"] - (g["15_74"] - g["0_19"] + g["0_14"] - g["20_66"])
    ),
    (80, 105): lambda g: g["80_plus"],
}


def real_population_groups() -> dict[tuple[str, str], dict[str, int]]:
    """(published code, year) → {group: persons} from the snapshot (real SSB 07459 values)."""
    groups: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    with (SNAPSHOT_DIR / "population_by_age.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["municipality_code"] != "KR6":
                name = row["variable"].removeprefix("population_")
                groups[(row["municipality_code"], row["year"])][name] = int(row["value"])
    return groups


def spread(total: int, low: int, high: int) -> list[tuple[int, int]]:
    """Split persons over single years evenly (synthetic), remainder to the youngest."""
    years = high - low + 1
    base, rest = divmod(total, years)
    return [(age, base + (1 if i < rest else 0)) for i, age in enumerate(range(low, high + 1))]


def age_code(age: int) -> str:
    return "105+" if age >= 105 else f"{age:03d}"


def synthetic_population_cube_from_real_sums() -> Cube:
    regions = [*OLD_NEW, *OLD_NEW.values(), "34", "0"]
    cells: dict[tuple[str, ...], object] = {}
    for (code, year), groups in real_population_groups().items():
        for (low, high), piece in PIECES.items():
            for age, persons in spread(piece(groups), low, high):
                cells[(code, age_code(age), "Personer1", year)] = persons
    for code, base in (("34", 1500), ("0", 30000)):  # synthetic comparison regions
        for year in YEARS:
            for age in AGES:
                cells[(code, age, "Personer1", year)] = base + int(year) % 7
    return Cube(
        "07459",
        "07459: Befolkning, etter region, kjønn, alder, statistikkvariabel og år",
        {"Region": regions, "Alder": AGES, "ContentsCode": ["Personer1"], "Tid": YEARS},
        cells,
        eliminable={"Region", "Alder", "Kjonn"},
        extra_dimensions={"Kjonn": ["1", "2"]},
    )


def synthetic_cube_13470() -> Cube:
    regions = [*OLD_NEW.values(), "34", "0"]
    nace = ["00-99", "01-03", "10-33", "41-43", "49-53"]
    years = [str(year) for year in range(2015, 2024)]
    cells: dict[tuple[str, ...], object] = {}
    for r, region in enumerate(regions):
        for n, code in enumerate(nace):
            for year in years:
                cells[(region, code, "SysselsatteArb", year)] = (
                    1000 * (r + 1) + 10 * n + int(year) % 10
                )
    cells[("3418", "01-03", "SysselsatteArb", "2023")] = ":"  # suppressed
    return Cube(
        "13470",
        "13470: Sysselsatte (synthetic test cube)",
        {
            "Region": regions,
            "NACE2007": nace,
            "ContentsCode": ["SysselsatteArb", "Sysselsatte"],
            "Tid": years,
        },
        cells,
        eliminable={"Region", "NACE2007"},
    )


def synthetic_cube(
    table: str, contents: str, variable: str, codes: list[str], years: list[str], regional=True
) -> Cube:
    regions = [*OLD_NEW.values(), "34", "0"]
    dims: dict[str, list[str]] = {}
    if regional:
        dims["Region"] = regions
    dims[variable] = codes
    dims["ContentsCode"] = [contents]
    dims["Tid"] = years
    cells = {}
    import itertools

    for i, key in enumerate(itertools.product(*dims.values())):
        cells[key] = 50 + i % 40
    return Cube(
        table,
        f"{table} (synthetic test cube)",
        dims,
        cells,
        eliminable=set(dims) - {"ContentsCode", "Tid"},
    )


def all_synthetic_and_real_cubes() -> list[Cube]:
    return [
        synthetic_population_cube_from_real_sums(),
        synthetic_cube_13470(),
        synthetic_cube(
            "13472",
            "SysselEtterArbste",
            "Sektor",
            ["ALLE", "6100", "6500"],
            ["2015", "2016", "2023"],
        ),
        synthetic_cube("06445", "Sysselsatte2", "Alder", ["15-74", "20-66"], ["2018", "2023"]),
        synthetic_cube("13563", "Personer", "HovArbStyrkStatus", ["A", "U", "I"], ["2015", "2023"]),
        synthetic_cube(
            "14700",
            "KpiIndMnd",
            "Konsumgrp",
            ["TOTAL", "01"],
            ["2025M01", "2025M02"],
            regional=False,
        ),
    ]
