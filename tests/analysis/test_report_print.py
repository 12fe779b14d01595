"""The høringsoppsummering as a council prints it: A4 in Word as in PDF, counts in correct
bokmål, and the senders counted by type the way the list of senders shows them."""

from __future__ import annotations

import io

from docx import Document as DocxDocument

from retning.analysis.report import method_appendix
from retning.analysis.report_render import render
from tests.analysis.test_report import TWO_THEMES, synthetic_report


def test_docx_is_a4_like_the_pdf(strategy_labels):
    document = DocxDocument(io.BytesIO(render(synthetic_report(strategy_labels), "docx")))
    for section in document.sections:
        # stored in twentieths of a point; US Letter would be 215.9 × 279.4 mm
        assert round(section.page_width.mm, 1) == 210.0
        assert round(section.page_height.mm, 1) == 297.0
        assert round(section.left_margin.mm) == round(section.right_margin.mm) == 25


def test_counts_in_the_method_appendix_are_singular_for_one():
    one = " ".join(method_appendix("m", 10, 4, 1, TWO_THEMES, 1, 1))
    assert "1 gruppe ble vist sekretariatet" in one
    assert "utkast til 1 tekst." in one
    many = " ".join(method_appendix("m", 10, 4, 2, TWO_THEMES, 3, 1))
    assert "2 grupper ble vist sekretariatet" in many
    assert "utkast til 3 tekster." in many


def test_sender_type_count_follows_the_published_sender_rule():
    from retning.consultation.models import Submission, SubmitterType
    from retning.consultation.publication import public_author, published_type

    cases = [
        (Submission(submitter_type="business", organisation=""), SubmitterType.PRIVATE),
        (Submission(submitter_type="", organisation=""), SubmitterType.PRIVATE),
        (Submission(submitter_type="private", name="Kari"), SubmitterType.PRIVATE),
        (
            Submission(submitter_type="business", organisation="Maarud AS"),
            SubmitterType.BUSINESS,
        ),
    ]
    for submission, expected in cases:
        assert published_type(submission) == expected
        # the list of senders says «privatperson» exactly when the count says private
        assert (public_author(submission) == "privatperson") == (expected == SubmitterType.PRIVATE)
