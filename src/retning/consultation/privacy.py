"""Personal data that must never appear on public pages, in public exports or in reports.

The scrubbing itself is `retning.analysis.personaldata.scrub` (pure, linear time); this
module says whose names a proposal's text must not show. It is applied to every published
text at render and export time, on top of the redactions staff make, so a missed e-mail
address, phone number or name is still not shown.
"""

from __future__ import annotations

from retning.analysis.personaldata import scrub

__all__ = ["scrub", "scrub_submission_text", "withheld_names"]


def withheld_names(submission) -> list[str]:
    """The sender's name unless they agreed to publish it: a private person, a contact
    person of an organisation and an unknown e-mail sender are never named."""
    if submission.name and not submission.consent_publish_name:
        return [submission.name]
    return []


def scrub_submission_text(submission, text: str) -> str:
    """`text` (the proposal's or part of it) without personal data or the sender's name."""
    return scrub(text, withheld_names(submission))
