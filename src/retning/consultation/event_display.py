"""The history of a proposal in words staff read: events are stored with short
language-neutral codes (`status`, `registered`, `submitter:orgnr`, ISO timestamps, True),
which stay stable for exports and audits; this turns them into the active language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from retning.consultation.models import ReceivedItem, Submission, SubmitterType

ACTIONS = {
    "stored": gettext_lazy("lagret"),
    "status": gettext_lazy("status endret"),
    "registered": gettext_lazy("registrert som innspill"),
    "deadline": gettext_lazy("frist overstyrt"),
    "redact": gettext_lazy("sladdet"),
    "publish": gettext_lazy("publisert"),
    "unpublish": gettext_lazy("avpublisert"),
    "tag": gettext_lazy("merket"),
    "untag": gettext_lazy("merke fjernet"),
    "note": gettext_lazy("notat"),
    "confirm-tags": gettext_lazy("merker bekreftet"),
    "erase": gettext_lazy("personopplysninger slettet"),
}

# The fields `review.set_submitter` records, as the form names them.
SUBMITTER_FIELDS = {
    "name": gettext_lazy("navn"),
    "organisation": gettext_lazy("organisasjon"),
    "orgnr": gettext_lazy("organisasjonsnummer"),
    "submitter_type": gettext_lazy("type innsender"),
    "municipality": gettext_lazy("kommune"),
    "consent_publish_name": gettext_lazy("samtykke til å publisere navn"),
}

DETAILS = {
    "late": gettext_lazy("kom fram etter fristen"),
    "mention": gettext_lazy("adressen var nevnt i meldingen"),
}


@dataclass(frozen=True)
class EventText:
    action: str
    before: str
    after: str
    detail: str


def yes_no(value: str) -> str:
    """«ja»/«nei» for a stored True/False; anything else unchanged."""
    return {"True": _("ja"), "False": _("nei")}.get(value, value)


def timestamp(value: str) -> str:
    """A stored ISO timestamp in the local date format; anything else unchanged."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "DATETIME_FORMAT")


def _value(action: str, field: str, value: str, item_status: bool) -> str:
    if not value:
        return ""
    if action == "status":
        choices = ReceivedItem.Status if item_status else Submission.Status
        return str(dict(choices.choices).get(value, value))
    if action == "deadline" or field == "consent_publish_name":
        return yes_no(value)
    if action in {"publish", "unpublish"}:
        return timestamp(value)
    if field == "submitter_type":
        return str(dict(SubmitterType.choices).get(value, value))
    return value


def describe(event) -> EventText:
    """The event's action, before, after and note in the active language."""
    action, _sep, field = event.action.partition(":")
    item_status = event.submission_id is None
    if action == "submitter":
        label = _("innsender: %(field)s") % {"field": SUBMITTER_FIELDS.get(field, field)}
    else:
        label = str(ACTIONS.get(action, event.action))
    return EventText(
        action=label,
        before=_value(action, field, event.before, item_status),
        after=_value(action, field, event.after, item_status),
        detail=str(DETAILS.get(event.detail, event.detail)),
    )


STEPS = {
    "prefix": gettext_lazy("fjernet svar- og videresendingsprefiks"),
    "unicode": gettext_lazy("normaliserte tegn"),
    "case": gettext_lazy("så bort fra store og små bokstaver"),
    "separators": gettext_lazy("så bort fra skilletegn"),
    "letters": gettext_lazy("så bort fra æ, ø, å og aksenter"),
    "no-pattern": gettext_lazy("høringen har ingen emnetekst å se etter"),
}


def explain_match(stored: str) -> str:
    """The stored subject-match explanation («no-match: case, removed=SV») in words."""
    if not stored:
        return ""
    verdict, _sep, rest = stored.partition(": ")
    words = [_("Emnet passer") if verdict == "match" else _("Emnet passer ikke")]
    steps = []
    for part in filter(None, (p.strip() for p in rest.split(","))):
        if part.startswith("removed="):
            steps.append(_("fjernet %(prefixes)s") % {"prefixes": part[8:].replace("+", ", ")})
        else:
            steps.append(str(STEPS.get(part, part)))
    if steps:
        words.append("(" + "; ".join(steps) + ")")
    return " ".join(words) + "."
