"""Every string a reader sees goes through translation: the English catalogue is complete,
the bokmål pages carry no English words or raw codes, and the English pages no bokmål
words (names of places, organisations and data sets aside)."""

from __future__ import annotations

import html
import re
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from tests.consultation_analysis.conftest import import_synthetic_round
from tests.core.test_instructions_for_staff_only import crawl

PO = Path(__file__).resolve().parents[2] / "src/retning/locale/en/LC_MESSAGES/django.po"

# English words and raw codes a bokmål reader has been shown (found by reading the pages).
ENGLISH_OR_RAW = re.compile(
    r"\b(?:numerator|denominator|missing|registered|received|no-match|match:|"
    r"employed_by_workplace|facility=\d|True|False|None|"
    r"submitter:\w+|confirm-tags|unpublish|publish|redact|untag)\b"
    r"|\b\d{4}-\d\d-\d\dT\d\d:\d\d"
)


def _msgids(*flags: str) -> list[str]:
    """The msgids GNU gettext's msgattrib selects (what compilemessages also uses)."""
    out = subprocess.run(
        ["msgattrib", *flags, "--no-obsolete", "--no-wrap", str(PO)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [m for m in re.findall(r'^msgid "(.*)"$', out, flags=re.M) if m]


def test_english_catalogue_has_no_empty_or_fuzzy_translation():
    assert _msgids("--untranslated") == []
    assert _msgids("--only-fuzzy") == []


def visible_text(html: str) -> str:
    """The text a reader sees: no tags, scripts, styles, attributes or URLs."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    # a passage marked as another language (a source's own note) is declared, not leaked
    html = re.sub(r'<(span|a)\b[^>]*\blang="[a-z]+"[^>]*>.*?</\1>', " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    text = re.sub(r"https?://\S+", " ", text)
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def staff_pages(snapshot_loaded):
    """The main staff pages, with a round of proposals that staff have worked on."""
    from retning.consultation import review
    from retning.consultation.models import Submission
    from retning.consultation_analysis import service

    round_2024 = import_synthetic_round(snapshot_loaded.consultation_rounds.get(slug="2024"))
    service.analyse(round_2024)
    user = User.objects.create_user("saksbehandler", password="x", is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=["Saksbehandlere", "Administratorer"]))
    submission = Submission.objects.order_by("pk").first()
    review.register(submission, user)
    review.publish(submission, user)
    review.unpublish(submission, user)
    review.tag(submission, user, main_strategy=snapshot_loaded.main_strategies.first())
    review.override_deadline(submission, user, True, "Postgang")
    review.set_submitter(
        submission,
        user,
        name="Syntetisk Navn",
        organisation="Syntetisk AS",
        orgnr="",
        submitter_type="business",
        municipality="",
        consent_publish_name=True,
    )
    client = Client()
    client.force_login(user)
    paths = [
        "/stab/",
        "/stab/innspill/",
        f"/stab/innspill/{submission.pk}/",
        "/stab/mottatt/",
        "/stab/utboks/",
        "/stab/statistikk/",
        f"/stab/analyse/{round_2024.slug}/",
        f"/stab/analyse/{round_2024.slug}/temaer/",
    ]
    return client, paths


@pytest.mark.django_db
def test_bokmal_pages_show_no_english_or_raw_codes(client, settings, staff_pages):
    settings.ALLOWED_HOSTS = ["testserver"]
    pages = {
        url: body
        for url, body in crawl(client, ["/"]).items()
        if body.lstrip().startswith("<!DOCTYPE") and not url.startswith("/en/")
    }
    staff_client, paths = staff_pages
    for path in paths:
        response = staff_client.get(path)
        assert response.status_code == 200, path
        pages[path] = response.content.decode()
    assert len(pages) > 30
    found = {
        url: sorted({m[0] for m in ENGLISH_OR_RAW.finditer(visible_text(body))})
        for url, body in pages.items()
    }
    leaks = {url: words for url, words in found.items() if words}
    assert not leaks, "\n".join(f"{url}: {' '.join(words)}" for url, words in leaks.items())


# Publishers and places named by their own names in every language.
SOURCE_NAMES = {"brønnøysundregistrene", "miljødirektoratet", "østlandet"}

NORWEGIAN_WORD = re.compile(r"\b\w*[æøåÆØÅ]\w*\b")
# bokmål words without æ, ø or å that an English page has been shown (units and amounts)
BOKMAL_UNIT = re.compile(
    r"\b(?:personer|prosent|prosentpoeng|tonn|ekvivalenter|kroner|kr|antall|årsverk)\b"
)


def bokmal_words(text: str) -> set[str]:
    """Words with æ, ø or å, and bokmål unit words spelt without them."""
    return set(NORWEGIAN_WORD.findall(text)) | {m[0] for m in BOKMAL_UNIT.finditer(text)}


def names_in_data() -> set[str]:
    """Words of names a page may show in any language: places, organisations, facilities,
    publishers and people (the proposals' own text is what the sender wrote)."""
    from retning.business.models import RegisterUnit
    from retning.stats.models import Dataset, Observation
    from retning.strategy.models import Municipality, Region, Revision

    texts = [
        *Municipality.objects.values_list("name", flat=True),
        *Region.objects.values_list("name", flat=True),
        *Revision.objects.values_list("decided_by", flat=True),
        *RegisterUnit.objects.values_list("name", flat=True),
        *Dataset.objects.values_list("publisher", flat=True),
        *(
            attrs.get("facility_name", "")
            for attrs in Observation.objects.filter(measure="facility_ghg_emissions").values_list(
                "attributes", flat=True
            )
        ),
    ]
    return {w.lower() for text in texts for w in NORWEGIAN_WORD.findall(text or "")}


@pytest.mark.django_db
def test_english_pages_show_no_bokmal(client, settings, staff_pages):
    settings.ALLOWED_HOSTS = ["testserver"]
    pages = {
        url: body
        for url, body in crawl(client, ["/en/"]).items()
        if body.lstrip().startswith("<!DOCTYPE") and url.startswith("/en/")
    }
    staff_client, paths = staff_pages
    for path in paths:
        response = staff_client.get("/en" + path)
        assert response.status_code == 200, path
        pages["/en" + path] = response.content.decode()
    assert len(pages) > 30
    allowed = names_in_data() | SOURCE_NAMES
    for path in pages:
        # quoted titles and subjects are names; on staff pages the proposals, the change
        # log's values and the strategy's own labels are data, shown as written
        pages[path] = re.sub(r"“[^”]*”|«[^»]*»", " ", pages[path])
        if "/stab/" in path:
            pages[path] = re.sub(
                r"<(blockquote|textarea|option|td|dd|div class=\"proposal-text\")\b.*?</\1>",
                " ",
                pages[path],
                flags=re.S,
            )
    from retning.consultation.models import Submission

    # the words of the proposals (and key words drawn from them) are the senders' own
    written = {
        w.lower()
        for text in Submission.objects.values_list("text", flat=True)
        for w in NORWEGIAN_WORD.findall(text)
    }
    found = {
        url: sorted(
            {
                w
                for w in bokmal_words(visible_text(body))
                if w.lower() not in allowed and not ("/stab/" in url and w.lower() in written)
            }
        )
        for url, body in pages.items()
    }
    leaks = {url: words for url, words in found.items() if words}
    assert not leaks, "\n".join(f"{url}: {' '.join(words)}" for url, words in leaks.items())


@pytest.mark.django_db
def test_status_command_and_report_in_english_have_no_bokmal(snapshot_loaded):
    from io import StringIO

    from django.core.management import call_command
    from django.utils import translation

    from retning.reports.status import status_report_html

    out = StringIO()
    call_command("status", language="en", stdout=out)
    with translation.override("en"):
        report = visible_text(status_report_html("en"))
    allowed = names_in_data() | SOURCE_NAMES
    for name, text in (("status", out.getvalue()), ("status report", report)):
        text = re.sub(r"“[^”]*”|«[^»]*»", " ", text)
        words = sorted({w for w in bokmal_words(text) if w.lower() not in allowed})
        assert words == [], name


@pytest.mark.django_db
def test_status_command_and_report_in_bokmal_have_no_english(snapshot_loaded):
    from io import StringIO

    from django.core.management import call_command

    from retning.reports.status import status_report_html

    out = StringIO()
    call_command("status", stdout=out)
    for name, text in (("status", out.getvalue()), ("status report", status_report_html("nb"))):
        assert sorted({m[0] for m in ENGLISH_OR_RAW.finditer(visible_text(text))}) == [], name


# Fixed words of the consultation summary as bokmål writes them (headings, labels, method).
SUMMARY_PHRASES = (
    "Høringsoppsummering",
    "Utarbeidet",
    "Høringen",
    "Høringsperiode",
    "Det kom",
    "innen fristen",
    "Innspill etter type innsender",
    "Innspill etter kommune",
    "Type innsender",
    "Antall",
    "Antall innspill",
    "Innspill til hovedstrategiene",
    "Innspill til fokusområdene",
    "Andre temaer",
    "Alle innspill",
    "Innsender",
    "Gjelder",
    "Vedlegg: Metode",
    "sekretariatet",
    "Sekretariatet",
    "automatisk navn",
    "Kampanje",
    "ble vist",
    "skjema på nett",
    "Ikke oppgitt",
    "KI-tjeneste",
    "m.fl.",
)


@pytest.mark.django_db
def test_consultation_summary_in_english_has_no_bokmal_fixed_words(snapshot_loaded, tmp_path):
    from django.core.management import call_command

    from retning.consultation_analysis import service

    round_2024 = import_synthetic_round(snapshot_loaded.consultation_rounds.get(slug="2024"))
    service.analyse(round_2024)
    texts = {}
    for language in ("nb", "en"):
        target = tmp_path / f"{language}.html"
        call_command(
            "report",
            "consultation",
            round=round_2024.slug,
            language=language,
            format="html",
            output=str(target),
            stdout=StringIO(),
        )
        texts[language] = html.unescape(visible_text(target.read_text(encoding="utf-8")))
    in_bokmal = [p for p in SUMMARY_PHRASES if p in texts["nb"]]
    assert len(in_bokmal) >= 18, in_bokmal
    assert [p for p in in_bokmal if p in texts["en"]] == []
    assert "Consultation summary" in texts["en"] and "Appendix: Method" in texts["en"]
    # the round by its English title from the strategy file, where it has one
    assert round_2024.title_en and round_2024.title_en != round_2024.title
    assert f"Consultation summary: {round_2024.title_en}" in texts["en"]
    assert round_2024.title not in texts["en"] and round_2024.title in texts["nb"]
    # the sections are the main strategies and focus areas by their English names
    from retning.strategy.models import FocusArea, MainStrategy

    titles = [
        (o.title, o.title_en)
        for model in (MainStrategy, FocusArea)
        for o in model.objects.filter(strategy=snapshot_loaded)
        if o.title_en
    ]
    assert len(titles) >= 5
    for bokmal, english in titles:
        assert english in texts["en"] and bokmal in texts["nb"]
        assert bokmal not in texts["en"].replace(english, " ")
    # numbers and dates the English way: "15 June 2024", not "15. juni 2024"
    assert not re.search(
        r"\b\d{1,2}\. (?:januar|februar|mars|april|mai|juni|juli|august|"
        r"september|oktober|november|desember) \d{4}",
        texts["en"],
    )
    assert re.search(
        r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|"
        r"September|October|November|December) \d{4}\b",
        texts["en"],
    )


@pytest.mark.django_db
def test_status_command_writes_numbers_in_the_language_asked_for(snapshot_loaded):
    """English 0.69 and +1.8, bokmål 0,69 and +1,8: the same figures, each language's
    decimal mark (licence versions such as "NLOD 2.0" are names, not figures)."""
    from io import StringIO

    from django.core.management import call_command

    texts = {}
    for language in ("en", "nb"):
        out = StringIO()
        call_command("status", language=language, stdout=out)
        texts[language] = re.sub(r"\b(?:NLOD|CC BY|CC0)\s+\d\.\d\b", " ", out.getvalue())
    bokmal = re.findall(r"[−+]?\d+,\d+", texts["nb"])
    english = re.findall(r"[−+]?\d+\.\d+", texts["en"])
    assert len(bokmal) >= 3
    assert sorted(x.replace(",", ".") for x in bokmal) == sorted(english)
    assert not re.search(r"\d\.\d", texts["nb"])
    # no decimal comma and no space between thousands in English
    assert not re.search(r"\d,\d{1,2}\b|\d,\d{4}|\d[\u00a0 ]\d{3}\b", texts["en"])
