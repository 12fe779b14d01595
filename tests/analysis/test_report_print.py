"""The høringsoppsummering as a council prints it: counts in correct bokmål, and the senders
counted by type the way the list of senders shows them (A4 in Word as in PDF:
tests/reports/test_consultation_report.py)."""

from __future__ import annotations

from retning.analysis.report import method_appendix
from tests.analysis.test_report import TWO_THEMES


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
