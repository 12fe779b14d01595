"""The model's suggestion on a proposal's staff page, with the words behind it."""

from __future__ import annotations

from django import template

from retning.consultation_analysis.models import TagConfirmation, TagSuggestionRecord
from retning.strategy.models import FocusArea, MainStrategy

register = template.Library()


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
    titles = dict(MainStrategy.objects.filter(strategy_id=strategy_id).values_list("slug", "title"))
    titles |= dict(FocusArea.objects.filter(strategy_id=strategy_id).values_list("slug", "title"))
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
