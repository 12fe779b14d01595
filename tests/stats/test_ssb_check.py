"""Codes resolved from the table's metadata, and `retning refresh --check`.

The plan tests run on real recorded metadata (Statistics Sweden's PxWebApi 2, the software
SSB runs) and on the loopback cubes shaped like SSB's tables; the command tests run
against the loopback server.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from retning.stats.http import HttpClient
from retning.stats.models import Fetch, Observation
from retning.stats.queries import series
from retning.stats.refresh import run_job, ssb_jobs
from retning.stats.sources import ssb
from retning.stats.sources.jsonstat import decode
from tests.stats.pxweb_server import PxWebServer, Variable
from tests.stats.ssb_cubes import (
    all_synthetic_and_real_cubes,
    synthetic_cube_06445,
    synthetic_cube_13470,
    synthetic_cube_14700,
)

WIRE = Path(__file__).resolve().parents[1] / "fixtures/ssb"
REGIONS = ["0402", "3401", "0418", "3414", "0419", "3415", "0420", "3416"]
REGIONS += ["0423", "3417", "0425", "3418", "34", "0"]


def group(table: str) -> ssb.MeasureGroup:
    return next(g for g in ssb.GROUPS if g.table == table)


def metadata(cube, codelists: dict[str, str] | None = None):
    import json

    return decode(json.dumps(cube.metadata(codelists)).encode(), metadata=True)


# --- pure: resolving a group against metadata ---------------------------------------------
def test_find_total_reads_the_total_label_of_real_pxwebapi_metadata():
    data = decode((WIRE / "TAB6471_metadata.json").read_bytes(), metadata=True)
    assert ssb.find_total(data.dimension("Kon")) == (
        "TotSa",
        "labelled 'totalt, samtliga män och kvinnor'",
    )
    assert ssb.find_total(data.dimension("Alder"))[0] == "TotSA"
    assert ssb.find_total(data.dimension("ContentsCode")) is None


def test_plan_asks_for_the_total_of_a_mandatory_variable_and_leaves_out_optional_ones():
    # TAB6471: Alder may not be left out (elimination false); Kon may.
    data = decode((WIRE / "TAB6471_metadata.json").read_bytes(), metadata=True)
    scb = ssb.MeasureGroup("population", "TAB6471", "x", {"000007SF": ("population", "persons")})
    plan = ssb.plan_group(scb, data, ["0114", "9999"])
    assert plan.problems == []
    selection = {item["variableCode"]: item["valueCodes"] for item in plan.fixed}
    assert selection == {"ContentsCode": ["000007SF"], "Region": ["0114"], "Alder": ["TotSA"]}
    assert plan.skipped_regions == ["9999"]
    assert plan.periods[0] == "2025M01"
    assert any("variable Alder: mandatory, so its total 'TotSA'" in n for n in plan.notes)


@pytest.mark.parametrize("cube", all_synthetic_and_real_cubes(), ids=lambda c: c.table)
def test_every_group_resolves_against_the_cube_shaped_like_its_table(cube):
    for measure_group in (g for g in ssb.GROUPS if g.table == cube.table):
        plan = ssb.plan_group(measure_group, metadata(cube, measure_group.codelists), REGIONS)
        assert plan.problems == []
        assert plan.periods


def test_plan_of_13470_asks_for_the_industry_groups_through_the_code_list():
    cube = synthetic_cube_13470()
    plain = ssb.plan_group(group("13470"), metadata(cube), REGIONS)
    assert plain.problems == []  # every code of the default list: no 00-99 in it
    assert "00-99" not in metadata(cube).dimension("NACE2007").codes
    plan = ssb.plan_group(group("13470"), metadata(cube, group("13470").codelists), REGIONS)
    [nace] = [item for item in plan.fixed if item["variableCode"] == "NACE2007"]
    assert nace["codelist"] == "agg_NACE2007arb11"
    assert nace["valueCodes"][:3] == ["01-03", "05-09", "10-33"] and "00" in nace["valueCodes"]


def test_plan_of_13563_chooses_age_and_immigrant_category_and_keeps_tot_as_total():
    plan = ssb.plan_group(group("13563"), metadata(all_synthetic_and_real_cubes()[5]), REGIONS)
    selection = {item["variableCode"]: item["valueCodes"] for item in plan.fixed}
    assert selection["HovArbStyrkStatus"] == ["TOT", "A.01", "A.09", "NEET2"]
    assert selection["Alder"] == ["15-74", "20-66", "15-29"]
    assert selection["InnvandrKat"] == ["A-G"]
    assert plan.totals == {"HovArbStyrkStatus": "TOT", "InnvandrKat": "A-G"}


def test_renamed_contents_code_names_table_variable_and_what_was_expected():
    cube = synthetic_cube_06445()
    cube.rename_code("ContentsCode", "Sysselsatte", "Sysselsatte2")
    plan = ssb.plan_group(group("06445"), metadata(cube), REGIONS)
    assert plan.problems == [
        "table 06445, variable ContentsCode: expected contents code 'Sysselsatte' "
        "(employment_rate); the table has 'Sysselsatte2' (Sysselsatte i prosent av befolkningen)"
    ]


def test_renamed_total_is_found_by_its_label_and_said_so():
    cube = synthetic_cube_14700()
    cube.rename_code("VareTjenesteGrp", "00", "TOTAL")
    cube.variable("VareTjenesteGrp").labels["TOTAL"] = "I alt"
    plan = ssb.plan_group(group("14700"), metadata(cube), [])
    assert plan.problems == []
    assert plan.totals == {"VareTjenesteGrp": "TOTAL"}
    assert any("total '00' not found, using 'TOTAL' (labelled 'I alt')" in n for n in plan.notes)


def test_renamed_total_without_a_label_fails_unless_the_variable_may_be_left_out():
    cube = synthetic_cube_14700()
    cube.rename_code("VareTjenesteGrp", "00", "0")
    plan = ssb.plan_group(group("14700"), metadata(cube), [])
    # eliminable: left out, so SSB gives its total; the plan says so
    assert plan.problems == []
    assert "VareTjenesteGrp" not in {item["variableCode"] for item in plan.fixed}
    assert any("is left out, so SSB gives its total" in n for n in plan.notes)
    cube.variable("VareTjenesteGrp").elimination = False
    plan = ssb.plan_group(group("14700"), metadata(cube), [])
    assert plan.problems[0].startswith(
        "table 14700, variable VareTjenesteGrp: expected code '00'; the table has '0', '01'"
    )


def test_total_named_as_elimination_value_in_the_metadata_is_used():
    cube = synthetic_cube_14700()
    cube.rename_code("VareTjenesteGrp", "00", "TOT")
    variable = cube.variable("VareTjenesteGrp")
    variable.elimination_code, variable.publish_code = "TOT", True
    plan = ssb.plan_group(group("14700"), metadata(cube), [])
    assert plan.totals == {"VareTjenesteGrp": "TOT"}
    assert any("(elimination value)" in n for n in plan.notes)


def test_new_mandatory_variable_without_a_total_is_a_problem_naming_it():
    cube = synthetic_cube_06445()
    cube.variables.insert(1, Variable("Utdanning", "utdanning", ["1", "2"], served=False))
    plan = ssb.plan_group(group("06445"), metadata(cube), REGIONS)
    assert plan.problems == [
        "table 06445, variable Utdanning: expected a variable that may be left out (it is "
        "mandatory, and Retning knows no total code for it); the table has '1', '2'"
    ]


def test_industry_variable_on_sn2025_names_the_classification_change():
    cube = synthetic_cube_13470()
    cube.variable("NACE2007").id = "NACE2025"
    plan = ssb.plan_group(group("13470"), metadata(cube), REGIONS)
    assert "table 13470: no variable 'NACE2007'" in plan.problems[0]
    assert "SN2025" in plan.problems[0]


# --- the command ---------------------------------------------------------------------------
@pytest.fixture
def pxweb(settings):
    with PxWebServer(all_synthetic_and_real_cubes()) as server:
        settings.RETNING_SSB_URL = server.url
        settings.RETNING_HTTP_MIN_INTERVAL = 0
        settings.RETNING_HTTP_RETRIES = 0
        settings.RETNING_HTTP_TIMEOUT = 2
        yield server


def check(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("refresh", "--check", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_check_passes_on_tables_shaped_like_ssbs_with_one_metadata_request_each(
    pxweb, loaded_strategy
):
    code, out, err = check()
    assert code == 0, err
    tables = {g.table for g in ssb.GROUPS}
    assert len(pxweb.metadata_requests()) == len(tables) == 7
    assert pxweb.data_requests() == []
    assert [p for m, p in pxweb.requests if "/metadata" not in p] == []
    assert any("codelist%5BNACE2007%5D=agg_NACE2007arb11" in p for p in pxweb.metadata_requests())
    assert out.count("OK") == len(tables) and "MISMATCH" not in out
    assert not Fetch.objects.exists() and not Observation.objects.exists()


@pytest.mark.django_db
def test_check_fails_on_a_renamed_contents_code_naming_table_variable_and_expected(
    pxweb, loaded_strategy
):
    pxweb.cubes["06445"].rename_code("ContentsCode", "Sysselsatte", "Sysselsatte2")
    code, out, err = check()
    assert code == 1
    assert out.count("MISMATCH") == 1 and out.count("OK") == 6
    assert (
        "MISMATCH 06445: table 06445, variable ContentsCode: expected contents code "
        "'Sysselsatte' (employment_rate); the table has 'Sysselsatte2'" in err
    )
    assert "1 of 7 SSB tables do not match" in err
    assert pxweb.data_requests() == []


@pytest.mark.django_db
def test_check_fails_on_a_renamed_variable(pxweb, loaded_strategy):
    pxweb.cubes["14700"].variable("VareTjenesteGrp").id = "Konsumgrp"
    code, _, err = check()
    assert code == 1
    assert (
        "MISMATCH 14700: table 14700: no variable 'VareTjenesteGrp' (expected '00'); "
        "the table has Konsumgrp, ContentsCode, Tid"
    ) in err


@pytest.mark.django_db
def test_check_fails_on_a_code_list_the_table_no_longer_offers(pxweb, loaded_strategy):
    pxweb.cubes["13470"].variable("NACE2007").codelists = []
    code, _, err = check()
    assert code == 1
    assert (
        "MISMATCH 13470: table 13470 metadata (with code list agg_NACE2007arb11 of NACE2007): "
        in err
    )
    assert "Non-existent codelist" in err


@pytest.mark.django_db
def test_check_refuses_other_sources(pxweb, loaded_strategy):
    code, _, err = check("--source", "nav")
    assert code == 2
    assert "--check compares the SSB tables' metadata" in err
    assert pxweb.requests == []


@pytest.mark.django_db
def test_refresh_adapts_to_a_total_found_by_label_and_notes_it_on_the_fetch(pxweb, loaded_strategy):
    cube = pxweb.cubes["14700"]
    cube.rename_code("VareTjenesteGrp", "00", "TOTAL")
    cube.variable("VareTjenesteGrp").labels["TOTAL"] = "I alt"
    client = HttpClient(timeout=2, retries=0, min_interval=0)
    job = next(j for j in ssb_jobs() if j.series.startswith("14700"))
    outcome = run_job(job, client)
    assert outcome.ok, outcome.message
    points = series("cpi", codes=["0"])
    assert len(points) == len(cube.variable("Tid").codes)
    assert "using 'TOTAL' (labelled 'I alt')" in Fetch.objects.get(pk=outcome.fetch_id).note


@pytest.mark.django_db
def test_check_with_ssb_unreachable_tries_once_and_names_every_table(settings, loaded_strategy):
    with PxWebServer([]) as gone:
        settings.RETNING_SSB_URL = gone.url
    settings.RETNING_HTTP_MIN_INTERVAL = 0
    settings.RETNING_HTTP_RETRIES = 0
    code, _, err = check()
    assert code == 1
    assert err.count("MISMATCH") == 7
    assert err.count("could not connect") == 7  # the first failure, repeated for the rest
    assert err.count("not tried, SSB unreachable") == 6
