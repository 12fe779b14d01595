"""Personal data that must never appear on public pages, in public exports or in reports.

The scrubbing itself is `retning.analysis.personaldata.scrub` (pure, linear time); this
module says whose names a proposal's text must not show. It is applied to every published
text at render and export time, on top of the redactions staff make, so a missed e-mail
address, phone number or name is still not shown.
"""

from __future__ import annotations

from pathlib import PurePath

from retning.analysis.personaldata import scrub

__all__ = ["neutral_filename", "scrub", "scrub_submission_text", "withheld_names"]


def neutral_filename(filename: str, number: int) -> str:
    """An attachment's name without what its sender wrote in it ("Kari_Nordmann.pdf" →
    "vedlegg-1.pdf"): file names often carry a person's name, and no scrubber reads them
    reliably."""
    suffix = PurePath(filename).suffix.lower()
    return f"vedlegg-{number}{suffix if suffix[1:].isalnum() else ''}"


def withheld_names(submission) -> list[str]:
    """The sender's name unless they agreed to publish it: a private person, a contact
    person of an organisation and an unknown e-mail sender are never named."""
    if submission.name and not submission.consent_publish_name:
        return [submission.name]
    return []


def scrub_submission_text(submission, text: str) -> str:
    """`text` (the proposal's or part of it) without personal data or the sender's name."""
    return scrub(text, withheld_names(submission))
