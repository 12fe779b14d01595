"""The høringsoppsummering downloaded from the analysis pages: who may take it, in which
formats and languages, and that it is the report of the round asked for."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from retning.consultation.models import Submission
from tests.reports.test_consultation_report import EMAIL, docx_text

pytestmark = pytest.mark.django_db


def url(round, fmt: str) -> str:
    return reverse("staff-consultation-report", args=[round.slug, fmt])


def test_the_report_is_for_staff_who_may_read_the_analysis(client, django_user_model, analysed):
    response = client.get(url(analysed, "docx"))
    assert response.status_code == 302 and "/stab/logg-inn/" in response["Location"]
    no_role = Client()
    no_role.force_login(django_user_model.objects.create_user("uten-rolle"))
    assert no_role.get(url(analysed, "docx")).status_code == 403


def test_a_reader_downloads_the_editable_report_with_every_proposal(reader_client, analysed):
    response = reader_client.get(url(analysed, "docx"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="hoeringsoppsummering-{analysed.slug}.docx"'
    )
    text = docx_text(response.content)
    assert f"Høringsoppsummering: {analysed.title}" in text and "Vedlegg: Metode" in text
    references = Submission.objects.filter(round=analysed).values_list("reference", flat=True)
    assert references and all(ref in text for ref in references)
    assert EMAIL.search(text) is None


def test_the_report_follows_the_page_language_and_refuses_unknown_formats(staff_client, analysed):
    english = staff_client.get("/en" + url(analysed, "html"))
    assert english.status_code == 200
    assert english["Content-Disposition"] == (
        f'attachment; filename="consultation-summary-{analysed.slug}.html"'
    )
    page = english.content.decode()
    assert '<html lang="en">' in page and "Appendix: Method" in page
    pdf = staff_client.get(url(analysed, "pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert staff_client.get(url(analysed, "exe")).status_code == 404


def test_the_analysis_pages_link_to_each_format(staff_client, analysed):
    for name in ("staff-analysis", "staff-analysis-sections"):
        page = staff_client.get(reverse(name, args=[analysed.slug])).text
        for fmt in ("docx", "pdf", "html"):
            assert f'href="{url(analysed, fmt)}"' in page, (name, fmt)
