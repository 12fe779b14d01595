"""The høringsoppsummering as a download for the secretariat, in the page's language.

The same report as `retning report consultation`: staff who may read the analysis take it
from the analysis pages as DOCX (to edit further), PDF or HTML. It holds no personal data
(every text is scrubbed on its way into the template), and it is always sent as a file,
never rendered as a page of the site.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation

from retning.consultation import review
from retning.consultation.views_staff import file_download
from retning.consultation_analysis.report_data import consultation_report
from retning.reports.consultation import render
from retning.strategy.selectors import current_strategy

REPORT_FILES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}


@login_required
@permission_required(review.VIEW, raise_exception=True)
def consultation_report_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    consultation = get_object_or_404(current_strategy().consultation_rounds.all(), slug=slug)
    if fmt not in REPORT_FILES:
        raise Http404(f"unknown format {fmt}")
    language = "en" if (translation.get_language() or "nb").startswith("en") else "nb"
    data = render(consultation_report(consultation, language), fmt, language)
    stem = "consultation-summary" if language == "en" else "hoeringsoppsummering"
    return file_download(data, f"{stem}-{slug}.{fmt}", REPORT_FILES[fmt])
