"""The datasets Retning knows and the series the strategy's goals need.

Pure data. `store.ensure_dataset()` creates a dataset row from its entry here; the data
page uses `EXPECTED_SERIES` to say plainly which series are missing and how to fill them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NLOD = "NLOD 2.0"
SSB = "Statistisk sentralbyrå (SSB)"
KOMMUNEPROFILEN_LICENCE = "Ikke oppgitt av KommuneProfilen; tallene er SSBs (NLOD 2.0)"
KOMMUNEPROFILEN_LICENCE_EN = "Not stated by KommuneProfilen; the figures are SSB's (NLOD 2.0)"
NAV_LICENCE = "Ingen lisens oppgitt i NAVs fil; den oppgir «Kilde: NAV»"
NAV_LICENCE_EN = "No licence stated in NAV's file; it gives «Kilde: NAV» (source: NAV)"
# Datasets ranked below official statistics (`DatasetInfo.rank`).
OFFICIAL_RANK = 2


@dataclass(frozen=True)
class DatasetInfo:
    slug: str
    source: str
    table: str
    title: str
    title_en: str
    publisher: str
    licence: str
    home_url: str
    rank: int
    note: str = ""
    note_en: str = ""
    # What is known of the terms when the publisher states no licence (secondary copies).
    licence_note: str = ""
    licence_note_en: str = ""


def _ssb(table: str, title: str, title_en: str) -> DatasetInfo:
    return DatasetInfo(
        slug=f"ssb-{table}",
        source="ssb",
        table=table,
        title=f"SSB {table}: {title}",
        title_en=f"SSB {table}: {title_en}",
        publisher=SSB,
        licence=NLOD,
        home_url=f"https://www.ssb.no/statbank/table/{table}",
        rank=2,
    )


DATASETS: dict[str, DatasetInfo] = {
    info.slug: info
    for info in [
        _ssb("07459", "Befolkning, etter region, kjønn og alder", "Population by region, sex, age"),
        _ssb(
            "07984",
            "Sysselsatte per 4. kvartal, etter region, næring, kjønn og alder",
            "Employed persons, 4th quarter, by region, industry, sex and age",
        ),
        _ssb(
            "13470",
            "Næringsfordeling blant sysselsatte (arbeidssted, 4. kvartal)",
            "Employed persons by industry (place of work, 4th quarter)",
        ),
        _ssb(
            "13472",
            "Sysselsatte etter arbeidssted og sektor (4. kvartal)",
            "Employed persons by place of work and sector (4th quarter)",
        ),
        _ssb(
            "06445",
            "Andel sysselsatte i befolkningen per 4. kvartal (prosent)",
            "Employment rate, 4th quarter (per cent, by residence)",
        ),
        _ssb(
            "13563",
            "Kommunefordelt arbeidsstyrkestatus (inkl. NEET) for personer 15 år og eldre",
            "Labour-force status by municipality (incl. NEET), persons aged 15 and over",
        ),
        _ssb(
            "14700",
            "Konsumprisindeks (KPI), etter vare- og tjenestegruppe",
            "Consumer price index (CPI) by group of goods and services",
        ),
        DatasetInfo(
            slug="brreg-enheter",
            source="brreg",
            table="enheter",
            title="Enhetsregisteret: enheter (foretak)",
            title_en="Central Coordinating Register: enterprises",
            publisher="Brønnøysundregistrene",
            licence=NLOD,
            home_url="https://data.brreg.no/enhetsregisteret/api/dokumentasjon/no/index.html",
            rank=2,
        ),
        DatasetInfo(
            slug="brreg-underenheter",
            source="brreg",
            table="underenheter",
            title="Enhetsregisteret: underenheter (virksomheter)",
            title_en="Central Coordinating Register: establishments",
            publisher="Brønnøysundregistrene",
            licence=NLOD,
            home_url="https://data.brreg.no/enhetsregisteret/api/dokumentasjon/no/index.html",
            rank=2,
        ),
        DatasetInfo(
            slug="brreg-regnskap",
            source="brreg",
            table="regnskap",
            title="Regnskapsregisteret: nøkkeltall fra årsregnskapet",
            title_en="Register of Company Accounts: key figures",
            publisher="Brønnøysundregistrene",
            licence=NLOD,
            home_url="https://data.brreg.no/regnskapsregisteret/regnskap/",
            rank=2,
        ),
        DatasetInfo(
            slug="klass-131",
            source="klass",
            table="131",
            title="KLASS 131: Standard for kommuneinndeling (kodeendringer)",
            title_en="KLASS 131: Classification of municipalities (code changes)",
            publisher=SSB,
            licence=NLOD,
            home_url="https://www.ssb.no/klass/klassifikasjoner/131",
            rank=2,
        ),
        DatasetInfo(
            slug="nav-hl060",
            source="nav",
            table="HL060",
            title="NAV HL060: Helt ledige, fylke og kommune, tidsserie måned",
            title_en="NAV HL060: Registered fully unemployed by county and municipality, monthly",
            publisher="NAV",
            # NAV's workbook names its source ("Kilde: NAV") but no licence, and no licence
            # statement by NAV was found: none is claimed for it.
            licence="",
            home_url="https://www.nav.no/no/nav-og-samfunn/statistikk/arbeidssokere-og-stillinger-statistikk/helt-ledige",
            rank=2,
            licence_note=NAV_LICENCE,
            licence_note_en=NAV_LICENCE_EN,
        ),
        DatasetInfo(
            slug="miljodir-kommuner",
            source="miljodir",
            table="utslippsstatistikk_alle_kommuner",
            title="Miljødirektoratet: Klimagassutslipp i kommuner (Oversikt - detaljert)",
            title_en="Norwegian Environment Agency: greenhouse-gas emissions by municipality",
            publisher="Miljødirektoratet",
            licence=NLOD,
            home_url="https://www.miljodirektoratet.no/tjenester/klimagassutslipp-kommuner/",
            rank=2,
        ),
        DatasetInfo(
            slug="miljodir-norskeutslipp",
            source="miljodir",
            table="norskeutslipp-klimagasser",
            title="Norske utslipp: klimagassutslipp til luft fra landbasert industri, per anlegg",
            title_en="Norske utslipp: greenhouse-gas emissions to air per industrial facility",
            publisher="Miljødirektoratet",
            licence=NLOD,
            home_url="https://www.norskeutslipp.no/",
            rank=2,
            note="Ett tall per rapporterende anlegg; ikke kommunens sektortotal.",
            note_en="One figure per reporting facility; not the municipal sector total.",
        ),
        DatasetInfo(
            slug="kommuneprofilen-arbeidsmarked",
            source="kommuneprofilen",
            table="Arbeidsmarked_kommune",
            title="KommuneProfilen: sysselsetting (bearbeidet fra SSB)",
            title_en="KommuneProfilen: employment (processed from SSB)",
            publisher="KommuneProfilen (kilde: SSB)",
            licence="",
            home_url="https://kommuneprofilen.no/",
            rank=1,
            note="Sekundærkilde: SSB-tall gjengitt av KommuneProfilen. SSB-tabellen går foran.",
            note_en="Secondary source: SSB figures as shown by KommuneProfilen. SSB's table wins.",
            licence_note=KOMMUNEPROFILEN_LICENCE,
            licence_note_en=KOMMUNEPROFILEN_LICENCE_EN,
        ),
        DatasetInfo(
            slug="kommuneprofilen-helse",
            source="kommuneprofilen",
            table="Helse_kommune",
            title="KommuneProfilen: mottakere av pensjon og trygd (bearbeidet fra SSB)",
            title_en="KommuneProfilen: pension and benefit recipients (processed from SSB)",
            publisher="KommuneProfilen (kilde: SSB)",
            licence="",
            home_url="https://kommuneprofilen.no/",
            rank=1,
            note="Sekundærkilde: SSB-tall gjengitt av KommuneProfilen.",
            note_en="Secondary source: SSB figures as shown by KommuneProfilen.",
            licence_note=KOMMUNEPROFILEN_LICENCE,
            licence_note_en=KOMMUNEPROFILEN_LICENCE_EN,
        ),
        DatasetInfo(
            slug="news-quotes",
            source="news",
            table="",
            title="NAV-tall sitert i lokalaviser",
            title_en="NAV figures quoted in local news",
            publisher="iSolør, P4 (kilde: NAV)",
            licence="",
            home_url="",
            rank=0,
            note="Enkeltmåneder sitert i nyhetsartikler; hver rad lenker til artikkelen.",
            note_en="Single months quoted in news articles; each row links to its article.",
            licence_note="Ikke oppgitt av avisene; tallene er NAVs, som ikke oppgir noen lisens",
            licence_note_en="Not stated by the newspapers; the figures are NAV's, who state none",
        ),
        DatasetInfo(
            slug="quoted-regional-facts",
            source="quoted",
            table="",
            title="Siterte regionale tall (SpareBank 1 Østlandet, Distriktssenteret, årsmeldinger)",
            title_en="Quoted regional figures (SpareBank 1 Østlandet, Distriktssenteret, reports)",
            publisher="se hver rad",
            licence="",
            home_url="",
            rank=0,
            note=(
                "Tall for «Kongsvingerregionen» slik kilden selv avgrenser den (KR, KR_SB1); "
                "avgrensningen kan avvike fra de seks kommunene. Brukes ikke i måloppnåelse."
            ),
            note_en=(
                "Figures for the region as the quoting source defines it (KR, KR_SB1); the "
                "definition may differ from the six municipalities. Not used for goals."
            ),
            licence_note="Ikke oppgitt; enkelttall sitert med kilden",
            licence_note_en="Not stated; single figures quoted with their source",
        ),
    ]
}


def licence_statement(slug: str, licence: str, *, english: bool = False) -> str:
    """A source's licence as it is shown: the licence the fetch recorded, else what is
    known of the terms of a source that states none (a secondary copy of official figures),
    else an empty string."""
    if licence:
        return licence
    info = DATASETS.get(slug)
    if info is None:
        return ""
    return (info.licence_note_en if english else "") or info.licence_note


@dataclass(frozen=True)
class ExpectedSeries:
    """A series a goal needs, per municipality of the region (or for the region as a whole)."""

    measure: str
    title: str
    title_en: str
    dataset: str
    source: str
    dimensions: dict[str, str] = field(default_factory=dict)
    per_municipality: bool = True
    # True when any breakdown counts (emissions come by sector and source, never as one total).
    any_dimensions: bool = False
    # Shown as a period × municipality table on the data page.
    show_table: bool = False


EXPECTED_SERIES: list[ExpectedSeries] = [
    ExpectedSeries(
        "population",
        "Befolkning 1. januar",
        "Population 1 January",
        "ssb-07459",
        "SSB 07459",
        show_table=True,
    ),
    ExpectedSeries(
        "population",
        "Befolkning 20–66 år",
        "Population aged 20–66",
        "ssb-07459",
        "SSB 07459",
        {"age": "20-66"},
    ),
    ExpectedSeries(
        "employed_by_workplace",
        "Sysselsatte etter arbeidssted (arbeidsplasser)",
        "Employed persons by place of work (jobs)",
        "ssb-07984",
        "SSB 07984",
        show_table=True,
    ),
    ExpectedSeries(
        "employment_rate",
        "Sysselsettingsandel 15–74 år (bosted)",
        "Employment rate 15–74 (residence)",
        "ssb-06445",
        "SSB 06445",
        {"age": "15-74"},
    ),
    ExpectedSeries(
        "nav_registered_unemployed",
        "Registrerte helt ledige (NAV)",
        "Registered fully unemployed (NAV)",
        "nav-hl060",
        "NAV HL060",
    ),
    ExpectedSeries(
        "ghg_emissions",
        "Klimagassutslipp etter sektor",
        "Greenhouse-gas emissions by sector",
        "miljodir-kommuner",
        "Miljødirektoratet",
        any_dimensions=True,
    ),
    ExpectedSeries(
        "cpi",
        "Konsumprisindeksen (årsgjennomsnitt)",
        "Consumer price index (annual average)",
        "ssb-14700",
        "SSB 14700",
        per_municipality=False,
    ),
]


# --- what each stored measure is, in words (the data page shows these, not the ids) ---
MEASURE_TITLES: dict[str, tuple[str, str]] = {
    "population": ("Befolkning", "Population"),
    "employed_by_workplace": (
        "Sysselsatte etter arbeidssted (arbeidsplasser)",
        "Employed persons by place of work (jobs)",
    ),
    "employed_residents_per_100_inhabitants": (
        "Sysselsatte bosatte per 100 innbyggere",
        "Employed residents per 100 inhabitants",
    ),
    "employment_rate": ("Sysselsettingsandel (bosted)", "Employment rate (residence)"),
    "aap_recipients": (
        "Mottakere av arbeidsavklaringspenger",
        "Work assessment allowance recipients",
    ),
    "aap_recipients_pct": (
        "Mottakere av arbeidsavklaringspenger, prosent",
        "Work assessment allowance recipients, per cent",
    ),
    "disability_benefit_recipients": ("Uføretrygdede", "Disability benefit recipients"),
    "disability_benefit_recipients_pct": (
        "Uføretrygdede, prosent",
        "Disability benefit recipients, per cent",
    ),
    "old_age_pension_recipients": ("Alderspensjonister", "Old-age pensioners"),
    "old_age_pension_recipients_pct": (
        "Alderspensjonister, prosent",
        "Old-age pensioners, per cent",
    ),
    "pension_or_benefit_recipients_total": (
        "Mottakere av pensjon eller trygd i alt",
        "Pension or benefit recipients in total",
    ),
    "pension_or_benefit_recipients_total_pct": (
        "Mottakere av pensjon eller trygd i alt, prosent",
        "Pension or benefit recipients in total, per cent",
    ),
    "facility_ghg_emissions": (
        "Klimagassutslipp per anlegg",
        "Greenhouse-gas emissions per facility",
    ),
    "ghg_emissions": ("Klimagassutslipp etter sektor", "Greenhouse-gas emissions by sector"),
    "nav_registered_unemployed": ("Registrerte helt ledige", "Registered fully unemployed"),
    "nav_registered_unemployed_pct": (
        "Registrerte helt ledige, prosent av arbeidsstyrken",
        "Registered fully unemployed, per cent of the labour force",
    ),
    "cpi": ("Konsumprisindeksen", "Consumer price index"),
    "quoted_in_commuters_persons_as_stated": (
        "Innpendlere, slik kilden oppgir det",
        "In-commuters, as the source states it",
    ),
    "quoted_out_commuters_persons_as_stated": (
        "Utpendlere, slik kilden oppgir det",
        "Out-commuters, as the source states it",
    ),
    "quoted_jobs_change_persons": ("Endring i arbeidsplasser (sitert)", "Change in jobs (quoted)"),
    "quoted_jobs_growth_pct": (
        "Vekst i arbeidsplasser, prosent (sitert)",
        "Job growth, per cent (quoted)",
    ),
    "quoted_jobs_workplace_persons_as_stated": (
        "Arbeidsplasser, slik kilden oppgir det",
        "Jobs, as the source states it",
    ),
    "quoted_manufacturing_enterprises_count": (
        "Industribedrifter (sitert)",
        "Manufacturing enterprises (quoted)",
    ),
    "quoted_manufacturing_share_of_employees_pct": (
        "Industriens andel av de ansatte, prosent (sitert)",
        "Manufacturing's share of employees, per cent (quoted)",
    ),
    "quoted_manufacturing_turnover_growth_pct": (
        "Vekst i industriens omsetning, prosent (sitert)",
        "Growth in manufacturing turnover, per cent (quoted)",
    ),
    "quoted_manufacturing_turnover_increase_2012_2016_nok": (
        "Økning i industriens omsetning 2012–2016, kroner (sitert)",
        "Increase in manufacturing turnover 2012–2016, NOK (quoted)",
    ),
    "quoted_manufacturing_turnover_nok": (
        "Industriens omsetning, kroner (sitert)",
        "Manufacturing turnover, NOK (quoted)",
    ),
}

DIMENSION_NAMES: dict[str, tuple[str, str]] = {
    "age": ("alder", "age"),
    "sex": ("kjønn", "sex"),
    "nace": ("næring", "industry"),
    "sector": ("sektor", "sector"),
    "facility": ("anlegg", "facility"),
}


def measure_title(measure: str, english: bool = False) -> str:
    """The measure in words; an unknown id is shown as it is (a new source's own name)."""
    titles = MEASURE_TITLES.get(measure)
    return titles[1 if english else 0] if titles else measure
