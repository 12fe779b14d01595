"""On a proposal's staff page: the model's suggestion with the words behind it, and the
text the analysis reads with what was removed from it."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy

from retning.consultation_analysis.models import TagConfirmation, TagSuggestionRecord
from retning.consultation_analysis.service import cleaned_texts
from retning.strategy.models import FocusArea, MainStrategy, localized

register = template.Library()

REMOVED = {
    "greeting": gettext_lazy("Hilsen i starten"),
    "signature": gettext_lazy("Signatur"),
    "quoted": gettext_lazy("Sitert tidligere e-post"),
    "device": gettext_lazy("«Sendt fra»-linje"),
    "disclaimer": gettext_lazy("Ansvarsfraskrivelse"),
    "personal": gettext_lazy("Personopplysning"),
}


@register.inclusion_tag("analysis/_suggestion.html")
def tag_suggestion(submission) -> dict:
    """What the model suggested and whether a person has decided the tags."""
    record = TagSuggestionRecord.objects.filter(submission=submission).first()
    confirmation = (
        TagConfirmation.objects.filter(submission=submission).select_related("confirmed_by").first()
    )
    if record is None:
        return {"record": None, "confirmation": confirmation, "submission": submission}
    strategy_id = submission.round.strategy_id
    titles = {
        obj.slug: localized(obj, "title")
        for model in (MainStrategy, FocusArea)
        for obj in model.objects.filter(strategy_id=strategy_id)
    }
    return {
        "submission": submission,
        "record": record,
        "confirmation": confirmation,
        "reasons": [
            {
                "title": titles.get(label, label),
                "score": record.scores.get(label, 0.0),
                "words": record.words.get(label, []),
                "suggested": label in record.labels,
            }
            for label in [*record.labels, *record.uncertain]
        ],
    }


@register.inclusion_tag("analysis/_cleaned.html")
def analysed_text(submission) -> dict:
    """The cleaned text the analysis reads, and each removed part with why."""
    cleaned = cleaned_texts([submission])[submission.pk]
    return {
        "text": cleaned.text,
        "removed": [(REMOVED[r.kind], r.text) for r in cleaned.removed],
    }
