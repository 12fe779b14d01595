"""`{% event_text e as t %}` and `{{ item.match_explanation|match_words }}`: stored codes
shown to staff in the active language (see consultation.event_display)."""

from __future__ import annotations

from django import template

from retning.consultation.event_display import EventText, describe, explain_match

register = template.Library()


@register.simple_tag
def event_text(event) -> EventText:
    return describe(event)


@register.filter
def match_words(stored: str) -> str:
    return explain_match(stored)
