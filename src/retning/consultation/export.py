"""Exports of a round's proposals: CSV, XLSX, JSON. Personal data only when asked for.

CSV and XLSX cells go through `core.spreadsheet`, so no text opens as a formula. CSV and
XLSX are read by staff in a spreadsheet, so their headings and values are words in the
active language (status, channel and type as the pages name them, "ja"/"nei", the local
time as the pages write it); JSON is read by programs and keeps the stable keys and codes
below, with the time in ISO 8601."""

from __future__ import annotations

import io
import json
from functools import cache

from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from retning.consultation.models import ConsultationRound, Submission, SubmissionTag
from retning.consultation.privacy import neutral_filename
from retning.consultation.publication import public_author, public_text
from retning.core.spreadsheet import SafeDictWriter, xlsx_bytes
from retning.strategy.models import localized

PUBLIC_COLUMNS = [
    "reference",
    "reached_us_at",
    "on_time",
    "status",
    "channel",
    "submitter_type",
    "municipality",
    "author",
    "text",
    "tags",
    "attachments",
    "published",
]
PERSONAL_COLUMNS = [
    "name",
    "email",
    "organisation",
    "orgnr",
    "consent_publish_name",
    "original_text",
]

# The heading a reader sees above each column of the CSV and XLSX files.
HEADINGS = {
    "reference": gettext_lazy("Referanse"),
    "reached_us_at": gettext_lazy("Nådde oss"),
    "on_time": gettext_lazy("Innen fristen"),
    "status": gettext_lazy("Status"),
    "channel": gettext_lazy("Kanal"),
    "submitter_type": gettext_lazy("Type innsender"),
    "municipality": gettext_lazy("Kommune"),
    "author": gettext_lazy("Avsender slik den publiseres"),
    "text": gettext_lazy("Tekst slik den publiseres"),
    "tags": gettext_lazy("Knyttet til"),
    "attachments": gettext_lazy("Vedlegg"),
    "published": gettext_lazy("Publisert"),
    "name": gettext_lazy("Navn"),
    "email": gettext_lazy("E-post"),
    "organisation": gettext_lazy("Organisasjon"),
    "orgnr": gettext_lazy("Organisasjonsnummer"),
    "consent_publish_name": gettext_lazy("Samtykke til å publisere navn"),
    "original_text": gettext_lazy("Innsendt tekst"),
}


def headings(columns: list[str]) -> list[str]:
    """The columns' headings in the active language."""
    return [str(HEADINGS[column]) for column in columns]


def _attachment_names(submission: Submission, include_personal_data: bool) -> str:
    """The attachments' file names with personal data; without it, only their kind
    (`vedlegg-1.pdf`), since a file name often carries the sender's name."""
    names = [a.filename for a in submission.attachments.only("filename", "submission_id")]
    if not include_personal_data:
        names = [neutral_filename(name, number) for number, name in enumerate(names, 1)]
    return "; ".join(names)


def rows(consultation: ConsultationRound, *, include_personal_data: bool) -> list[dict]:
    submissions = (
        consultation.submissions.select_related("round", "municipality")
        .prefetch_related(
            Prefetch("tags", SubmissionTag.objects.select_related("main_strategy", "focus_area")),
        )
        .order_by("number")
    )
    result = []
    for s in submissions:
        row = {
            "reference": s.reference,
            "reached_us_at": s.reached_us_at,
            "on_time": s.counts_as_on_time,
            "status": s.status,
            "channel": s.channel,
            "submitter_type": s.submitter_type,
            "municipality": str(s.municipality or ""),
            "author": public_author(s),
            "text": public_text(s),
            "tags": "; ".join(localized(t.target, "title") for t in s.tags.all()),
            "attachments": _attachment_names(s, include_personal_data),
            "published": s.is_published,
        }
        if include_personal_data:
            row.update(
                name=s.name,
                email=s.email,
                organisation=s.organisation,
                orgnr=s.orgnr,
                consent_publish_name=s.consent_publish_name,
                original_text=s.text,
            )
        result.append(row)
    return result


def _columns(include_personal_data: bool) -> list[str]:
    return PUBLIC_COLUMNS + (PERSONAL_COLUMNS if include_personal_data else [])


# Columns holding a code, named in words by the model's choices.
CHOICE_COLUMNS = ("status", "channel", "submitter_type")


@cache
def _choice_labels(column: str) -> dict:
    """Code → label (lazy, so in the language active when shown)."""
    return dict(Submission._meta.get_field(column).flatchoices)


def for_people(row: dict) -> dict:
    """The row as a person reads it, in the active language: codes as the pages name them,
    yes/no in words, the time local and in the language's short format."""
    readable = {}
    for column, value in row.items():
        if column in CHOICE_COLUMNS:
            value = str(_choice_labels(column).get(value, value))
        elif isinstance(value, bool):
            value = _("ja") if value else _("nei")
        elif column == "reached_us_at":
            value = formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
        readable[column] = value
    return readable


def to_csv(data: list[dict], include_personal_data: bool) -> bytes:
    out = io.StringIO()
    columns = _columns(include_personal_data)
    writer = SafeDictWriter(out, fieldnames=columns)
    writer.writerow(dict(zip(columns, headings(columns), strict=True)))
    writer.writerows(for_people(row) for row in data)
    return out.getvalue().encode("utf-8-sig")  # BOM: Excel opens Norwegian letters right


def to_json(data: list[dict], include_personal_data: bool) -> bytes:
    stable = [{**row, "reached_us_at": row["reached_us_at"].isoformat()} for row in data]
    return json.dumps(stable, ensure_ascii=False, indent=2).encode("utf-8")


def to_xlsx(data: list[dict], include_personal_data: bool) -> bytes:
    columns = _columns(include_personal_data)
    return xlsx_bytes(
        _("Innspill"),
        headings(columns),
        ([readable[c] for c in columns] for readable in map(for_people, data)),
    )


WRITERS = {"csv": to_csv, "json": to_json, "xlsx": to_xlsx}


def export(consultation: ConsultationRound, fmt: str, *, include_personal_data: bool) -> bytes:
    return WRITERS[fmt](
        rows(consultation, include_personal_data=include_personal_data), include_personal_data
    )


__all__ = ["Submission", "export"]
