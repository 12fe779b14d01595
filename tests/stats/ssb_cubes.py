"""Cubes for the loopback PxWebApi server, shaped like SSB's real tables.

The shapes — variable ids, contents codes, totals, which variables may be left out, code
lists, old and new municipality codes — are taken from published queries and downloads of
the real tables, never from Retning's own code; each cube says where from. Evidence:

- TM = evensrii/Telemark@2f2c2110 (a county's analysis scripts under Python/Queries/, their
  downloads under Data/), see ../shared/data/wire/ssb/REAL-CODES.md;
- PX = janbrus/pxwebapi-skills@890e10d, ssb-pxwebapi-v2-skill/references/ (PxWebApi v2
  at SSB, checked against the live service in 2026);
- OTHER = unrelated public projects querying the same table the same way.

The cubes are abbreviated: a variable lists only the codes there is evidence for (the
real tables have more). Municipalities have values only in the years their code was
valid (0402 … until 2019, 3401 … from 2020) and SSB's "." (category not in use) otherwise.

Values: population (07459) for the six municipalities are SSB's real published sums from
the bundled snapshot, spread over single years of age synthetically (the sums stay exact).
Every other value is synthetic, made up for tests; the builders say so in their names.
"""

from __future__ import annotations

import csv
from collections import defaultdict

from tests.stats.conftest import SNAPSHOT_DIR
from tests.stats.pxweb_server import CodeList, Cube, Variable

OLD_NEW = {
    "0402": "3401",
    "0418": "3414",
    "0419": "3415",
    "0420": "3416",
    "0423": "3417",
    "0425": "3418",
}
NAMES = {
    "3401": "Kongsvinger",
    "3414": "Nord-Odal",
    "3415": "Sør-Odal",
    "3416": "Eidskog",
    "3417": "Grue",
    "3418": "Åsnes",
}
NOT_IN_USE = "."  # SSB: "ikke mulig å oppgi tall" (the category was not in use)
AGES = [f"{age:03d}" for age in range(105)] + ["105+"]
YEARS = [str(year) for year in range(2005, 2027)]


def region_variable(*extra: tuple[str, str]) -> Variable:
    """Old and new codes of the six, plus the comparison regions the table has. Region may
    be left out in 07459 (PX: its elimination value is 0, "Hele landet"); taken to be alike
    in the other tables, where Retning chooses the codes anyway."""
    labels = {**{old: NAMES[new] for old, new in OLD_NEW.items()}, **NAMES, **dict(extra)}
    codes = [*OLD_NEW, *OLD_NEW.values(), *(code for code, _ in extra)]
    return Variable("Region", "region", codes, labels, elimination=True)


def contents(*codes: tuple[str, str], unit: str = "personer", decimals: int = 0) -> Variable:
    return Variable(
        "ContentsCode",
        "statistikkvariabel",
        [code for code, _ in codes],
        dict(codes),
        units={code: {"base": unit, "decimals": decimals} for code, _ in codes},
    )


def time_variable(periods: list[str], label: str = "år") -> Variable:
    return Variable("Tid", label, periods)


def code_in_use(code: str, year: int) -> bool:
    """Whether a region code was valid in a year (the six were renumbered 1 Jan 2020)."""
    if code in OLD_NEW:
        return year <= 2019
    if code in NAMES:
        return year >= 2020
    return True  # counties and the country


def municipal(values: dict[tuple[str, ...], object], years: list[str]) -> dict:
    """Cells keyed (current code, …, year) → cells under the code valid that year, and
    SSB's "." under the other one."""
    cells: dict[tuple[str, ...], object] = {}
    new_to_old = {new: old for old, new in OLD_NEW.items()}
    for key, value in values.items():
        code, *rest = key
        year = int(rest[-1][:4])
        if code in new_to_old:
            old = new_to_old[code]
            valid, other = (old, code) if year <= 2019 else (code, old)
            cells[(valid, *rest)] = value
            cells[(other, *rest)] = NOT_IN_USE
        else:
            cells[key] = value
    return cells


# --- 07459 population (values: real sums from the snapshot) --------------------------------
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
    """07459: Region, Kjonn, Alder, ContentsCode, Tid (PX: "07459: Befolkning"; Region has
    0 = Hele landet and the county codes (vs_Fylker); Kjonn is {1, 2} and may be left out,
    SSB then sums; Alder single years 000 … 105+; contents Personer1)."""
    cells: dict[tuple[str, ...], object] = {}
    for (code, year), groups in real_population_groups().items():
        for (low, high), piece in PIECES.items():
            for age, persons in spread(piece(groups), low, high):
                cells[(code, age_code(age), "Personer1", year)] = persons
    for code in OLD_NEW:  # not in use from 2020, nor the new codes before
        for year in YEARS:
            other = OLD_NEW[code]
            unused = code if int(year) >= 2020 else other
            for age in AGES:
                cells.setdefault((unused, age, "Personer1", year), NOT_IN_USE)
    for code, base in (("34", 1500), ("0", 30000)):  # synthetic comparison regions
        for year in YEARS:
            for age in AGES:
                cells[(code, age, "Personer1", year)] = base + int(year) % 7
    return Cube(
        "07459",
        "07459: Befolkning, etter region, kjønn, alder, statistikkvariabel og år",
        [
            region_variable(("34", "Innlandet"), ("0", "Hele landet")),
            Variable(
                "Kjonn",
                "kjønn",
                ["1", "2"],
                {"1": "Menn", "2": "Kvinner"},
                elimination=True,
                served=False,
            ),
            Variable("Alder", "alder", AGES, elimination=True),
            contents(("Personer1", "Personer")),
            time_variable(YEARS),
        ],
        cells,
        aggregallowed=True,
    )


# --- jobs: 13470 (industry groups by code list) and 07984 (the long total) -----------------
# agg_NACE2007arb11: the 16 groups and 00 (unspecified), with SSB's labels (TM
# endring_arbeidsplasser_over_tid.py asks for these codes with agg_single:NACE2007arb11;
# the labels are those of its download endring_i_arbeidsplasser_over_tid.csv and of
# "Andel sysselsatte per næring - Sysselsatte fig 5 13470.xlsx").
NACE_GROUPS = {
    "01-03": "Jordbruk, skogbruk og fiske",
    "05-09": "Bergverksdrift og utvinning",
    "10-33": "Industri",
    "35-39": "Elektrisitet, vann og renovasjon",
    "41-43": "Bygge- og anleggsvirksomhet",
    "45-47": "Varehandel, reparasjon av motorvogner",
    "49-53": "Transport og lagring",
    "55-56": "Overnattings- og serveringsvirksomhet",
    "58-63": "Informasjon og kommunikasjon",
    "64-66": "Finansiering og forsikring",
    "68-75": "Teknisk tjenesteyting, eiendomsdrift",
    "77-82": "Forretningsmessig tjenesteyting",
    "84": "Off.adm., forsvar, sosialforsikring",
    "85": "Undervisning",
    "86-88": "Helse- og sosialtjenester",
    "90-99": "Personlig tjenesteyting",
    "00": "Uoppgitt",
}
# The default NACE2007 list of 13470 holds 2- to 5-digit industries and no 00-99
# (REAL-CODES.md). Abbreviated here to the NACE Rev. 2 divisions the groups span.
DIVISION_RANGES = [(1, 3), (5, 39), (41, 43), (45, 47), (49, 53), (55, 56), (58, 66)]
DIVISION_RANGES += [(68, 75), (77, 82), (84, 88), (90, 99)]
NACE_DIVISIONS = [f"{d:02d}" for low, high in DIVISION_RANGES for d in range(low, high + 1)]
JOBS_YEARS_13470 = [str(y) for y in range(2016, 2026)]  # "years seen 2016–2025"
JOBS_YEARS_07984 = ["2011", "2014", *(str(y) for y in range(2015, 2026))]
SYNTHETIC_JOBS_BASE = {
    "3401": 8000,
    "3414": 1300,
    "3415": 2200,
    "3416": 1500,
    "3417": 1200,
    "3418": 2000,
    "0": 2_700_000,
}
SYNTHETIC_GROUP_WEIGHTS = [3, 1, 10, 2, 9, 13, 5, 3, 2, 1, 5, 4, 6, 8, 24, 3, 1]


def synthetic_jobs(code: str, group: str, year: int) -> int:
    """Made-up jobs: a base per region split by fixed weights, growing by year."""
    weight = SYNTHETIC_GROUP_WEIGHTS[list(NACE_GROUPS).index(group)]
    growth = 1 + 0.004 * (year - 2015) + 0.001 * (year % 3)
    return round(SYNTHETIC_JOBS_BASE[code] * weight / 100 * growth)


def synthetic_cube_13470() -> Cube:
    """13470 "Næringsfordeling blant sysselsatte": Region, NACE2007, ContentsCode, Tid;
    SysselsatteArb (by place of work) and Sysselsatte; industry groups only through the
    code list agg_NACE2007arb11 (TM, PX). One cell suppressed (':') on purpose."""
    values = {
        (code, group, content, year): synthetic_jobs(code, group, int(year))
        for code in SYNTHETIC_JOBS_BASE
        for group in NACE_GROUPS
        for content in ("SysselsatteArb", "Sysselsatte")
        for year in JOBS_YEARS_13470
    }
    cells = municipal(values, JOBS_YEARS_13470)
    cells[("3418", "01-03", "SysselsatteArb", "2023")] = ":"  # suppressed
    return Cube(
        "13470",
        "13470: Næringsfordeling blant sysselsatte, etter region, næring (SN2007), "
        "statistikkvariabel og år",
        [
            region_variable(("0", "Hele landet")),
            Variable(  # may it be left out? not known; Retning chooses the code list
                "NACE2007",
                "næring (SN2007)",
                NACE_DIVISIONS,
                elimination=True,
                codelists=[
                    CodeList("agg_NACE2007arb11", "Næringsgrupper", list(NACE_GROUPS), NACE_GROUPS)
                ],
            ),
            contents(
                ("SysselsatteArb", "Sysselsatte personer etter arbeidssted"),
                ("Sysselsatte", "Sysselsatte"),
            ),
            time_variable(JOBS_YEARS_13470),
        ],
        cells,
    )


def synthetic_cube_07984() -> Cube:
    """07984 "Sysselsatte per 4. kvartal, etter region, næring, kjønn og alder": NACE2007
    with the total 00-99 and groups, Kjonn 0/1/2, Alder 15-74 and groups, contents
    SysselsatteArb and Sysselsatte (TM sysselsetting_alder.py leaves NACE2007 and Kjonn out;
    OTHER ask for 00-99, Kjonn 0, Alder 15-74). The total is the sum of the synthetic
    13470 groups."""
    groups = [g for g in NACE_GROUPS if g != "00"]
    values = {}
    for code in SYNTHETIC_JOBS_BASE:
        for year in JOBS_YEARS_07984:
            total = sum(synthetic_jobs(code, g, int(year)) for g in NACE_GROUPS)
            values[(code, "00-99", "0", "15-74", "SysselsatteArb", year)] = total
    ages = ["15-74", "15-19", "20-24", "25-39", "40-54", "55-66", "67-74"]
    return Cube(
        "07984",
        "07984: Sysselsatte per 4. kvartal, etter region, næring (SN2007), kjønn, alder, "
        "statistikkvariabel og år",
        [
            region_variable(("0", "Hele landet")),
            Variable(
                "NACE2007",
                "næring (SN2007)",
                ["00-99", *groups],
                {"00-99": "Alle næringer", **NACE_GROUPS},
                elimination=True,
            ),
            Variable(
                "Kjonn",
                "kjønn",
                ["0", "1", "2"],
                {"0": "Begge kjønn", "1": "Menn", "2": "Kvinner"},
                elimination=True,
            ),
            # TM chooses Alder; whether it may be left out is not known
            Variable("Alder", "alder", ages, {a: f"{a} år" for a in ages}, elimination=True),
            contents(
                ("SysselsatteArb", "Sysselsatte personer etter arbeidssted"),
                ("Sysselsatte", "Sysselsatte"),
            ),
            time_variable(JOBS_YEARS_07984),
        ],
        municipal(values, JOBS_YEARS_07984),
    )


def synthetic_cube_13472() -> Cube:
    """13472: Sektor 6100, 6500.6, 6500.7, A+B+D+E.5-7, A+B+D+E.0-1+9 (no total), NACE2007
    with 00-99 that queries leave out, contents SysselEtterArbste, from 2015 (TM
    offentlig_vs_privat_sysselsetting.py, endring_arbeidsplasser_over_tid_vs_landet.py)."""
    sectors = ["6100", "6500.6", "6500.7", "A+B+D+E.5-7", "A+B+D+E.0-1+9"]
    years = [str(y) for y in range(2015, 2026)]
    values = {
        (code, sector, "00-99", "SysselEtterArbste", year): round(
            SYNTHETIC_JOBS_BASE[code] * (0.1 + 0.1 * i) * (1 + 0.003 * (int(year) - 2015))
        )
        for code in SYNTHETIC_JOBS_BASE
        for i, sector in enumerate(sectors)
        for year in years
    }
    return Cube(
        "13472",
        "13472: Sysselsatte per 4. kvartal, etter region, sektor, næring (SN2007), "
        "statistikkvariabel og år",
        [
            region_variable(("0", "Hele landet")),
            # Whether Sektor may be left out is not known; Retning chooses its codes.
            Variable("Sektor", "sektor", sectors, elimination=True),
            Variable(
                "NACE2007",
                "næring (SN2007)",
                ["00-99"],
                {"00-99": "Alle næringer"},
                elimination=True,
                elimination_code="00-99",
            ),
            contents(("SysselEtterArbste", "Sysselsatte personer etter arbeidssted")),
            time_variable(years),
        ],
        municipal(values, years),
    )


def synthetic_cube_06445() -> Cube:
    """06445 "Andel sysselsatte i befolkningen per 4. kvartal (prosent)": one contents
    code, Sysselsatte (WEB; TM sysselsetting_i_kommunene.py asks for Alder 15-74 only and
    leaves the rest out); Kjonn may be left out (REAL-CODES: Kjonn and Alder optional;
    its codes here are 07459's, not confirmed for 06445, and no cells are served by sex)."""
    years = [str(y) for y in range(2010, 2026)]
    values = {
        (code, "15-74", "Sysselsatte", year): round(
            58 + 2 * i + 0.15 * (int(year) - 2010) + 0.1 * (int(year) % 2), 1
        )
        for i, code in enumerate(NAMES)
        for year in years
    }
    return Cube(
        "06445",
        "06445: Andel sysselsatte i befolkningen per 4. kvartal (prosent), etter region, "
        "kjønn, alder, statistikkvariabel og år",
        [
            region_variable(),
            Variable(
                "Kjonn",
                "kjønn",
                ["1", "2"],
                {"1": "Menn", "2": "Kvinner"},
                elimination=True,
                served=False,
            ),
            Variable("Alder", "alder", ["15-74"], {"15-74": "15-74 år"}, elimination=True),
            contents(
                ("Sysselsatte", "Sysselsatte i prosent av befolkningen"),
                unit="prosent",
                decimals=1,
            ),
            time_variable(years),
        ],
        municipal(values, years),
        notes=[
            "Fra og med 2015 bygger statistikken på nye datakilder (a-ordningen), se nærmere "
            "omtale i «Om statistikken»."
        ],
        aggregallowed=False,
    )


# 13563: HovArbStyrkStatus codes as TM arbeidsmarkedstilknytning.py asks for them
# (vs:ArbStatus2018niva2a) plus TOT, NEET2 and TOT3 (REAL-CODES); labels of the download
# "Arbeidsmarkedstilknytning SSB 13563.xlsx" (its column order matches the script's codes).
LABOUR_STATUS = {
    "TOT": "I alt",
    "A.01": "Sysselsatte",
    "A.09": "Registrerte arbeidsledige",
    "U.01": "Deltakere på arbeidsmarkedstiltak",
    "U.03": "Under ordinær utdanning",
    "U.04-U.05": "Mottakere av arbeidsavklaringspenger / uføretrygd",
    "U.06-U.07": "Mottakere av AFP/alderspensjon",
    "U.90A": "Andre",
    "NEET2": "NEET2",
    "TOT3": "TOT3",
}


def synthetic_cube_13563() -> Cube:
    """13563 "Kommunefordelt arbeidsstyrkestatus (inkl. NEET) for personer 15 år og eldre":
    contents Bosatte; Alder and InnvandrKat (A-G = all) may be left out, which TM does."""
    years = [str(y) for y in range(2015, 2025)]
    ages = ["15-74", "20-66", "15-29"]
    shares = {"TOT": 1.0, "A.01": 0.68, "A.09": 0.02, "NEET2": 0.05}
    values = {}
    for i, code in enumerate(SYNTHETIC_JOBS_BASE):
        for age, size in zip(ages, (1.0, 0.8, 0.25), strict=True):
            for status, share in shares.items():
                for year in years:
                    persons = SYNTHETIC_JOBS_BASE[code] * 1.6 * size * share
                    values[(code, age, status, "A-G", "Bosatte", year)] = round(persons + i)
    return Cube(
        "13563",
        "13563: Kommunefordelt arbeidsstyrkestatus (inkl. NEET) for personer 15 år og "
        "eldre, etter region, alder, prioritert arbeidsstyrkestatus, innvandringskategori, "
        "statistikkvariabel og år",
        [
            region_variable(("0", "Hele landet")),
            Variable("Alder", "alder", ages, {a: f"{a} år" for a in ages}, elimination=True),
            # Whether it may be left out is not known; Retning chooses its codes.
            Variable(
                "HovArbStyrkStatus",
                "prioritert arbeidsstyrkestatus",
                list(LABOUR_STATUS),
                LABOUR_STATUS,
                codelists=[
                    CodeList(
                        "vs_ArbStatus2018niva4a",
                        "vs_ArbStatus2018niva4a",
                        ["TOT3", "NEET2"],
                        type="Valueset",
                    )
                ],
            ),
            Variable("InnvandrKat", "innvandringskategori", ["A-G"], elimination=True),
            contents(("Bosatte", "Bosatte")),
            time_variable(years),
        ],
        municipal(values, years),
    )


# 14700: VareTjenesteGrp with 00 and the 13 COICOP 2018 main groups ("valueCodes=??" gives
# 14 codes, PX); 00 is what the variable is eliminated to (OTHER); four contents codes
# (REAL-CODES); monthly periods only; the note SSB makes mandatory (PX json-stat2.md).
CPI_GROUPS = ["00", *(f"{g:02d}" for g in range(1, 14))]
CPI_MONTHS = [f"{y}M{m:02d}" for y in range(2015, 2027) for m in range(1, 13)][:-10]


def synthetic_cpi(group: str, month: str) -> float:
    """Made-up index values rising month by month (2025 = about 100)."""
    number = CPI_MONTHS.index(month)
    return round(80 + 0.16 * number + 0.3 * int(group), 1)


def synthetic_cube_14700() -> Cube:
    cells = {
        (group, "KpiIndMnd", month): synthetic_cpi(group, month)
        for group in CPI_GROUPS
        for month in CPI_MONTHS
    }
    return Cube(
        "14700",
        "14700: Konsumprisindeks (KPI), etter vare- og tjenestegruppe, statistikkvariabel og måned",
        [
            Variable(
                "VareTjenesteGrp",
                "vare- og tjenestegruppe",
                CPI_GROUPS,
                elimination=True,
                elimination_code="00",
            ),
            contents(
                ("KpiIndMnd", "KpiIndMnd"),
                ("Tolvmanedersendring", "Tolvmanedersendring"),
                ("Manedsendring", "Manedsendring"),
                ("KpiVektMnd", "KpiVektMnd"),
                unit="indeks",
                decimals=1,
            ),
            time_variable(CPI_MONTHS, "måned"),
        ],
        cells,
        notes=[
            "Konsumprisindeksen.",
            "F.o.m. 2026 er referanseår 2025=100. Endringstall beregnet fra serier med "
            "2025=100 kan avvike fra endringstall publisert før 2026 med annet referanseår.",
        ],
        aggregallowed=False,
    )


def all_synthetic_and_real_cubes() -> list[Cube]:
    return [
        synthetic_population_cube_from_real_sums(),
        synthetic_cube_07984(),
        synthetic_cube_13470(),
        synthetic_cube_13472(),
        synthetic_cube_06445(),
        synthetic_cube_13563(),
        synthetic_cube_14700(),
    ]


def full_selection(cube: Cube, codelists: dict[str, str] | None = None) -> list[dict]:
    """Every served variable with all its codes (for writing a Statbank-like file)."""
    codelists = codelists or {}
    selection = []
    for variable in cube.served:
        item = {"variableCode": variable.id, "valueCodes": ["*"]}
        if variable.id in codelists:
            item["codelist"] = codelists[variable.id]
        selection.append(item)
    return selection
