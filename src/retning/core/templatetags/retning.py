"""Template helpers: localized strategy texts, Norwegian numbers, target descriptions."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from retning.core.formatting import (
    MISSING,
    format_count,
    format_number,
    format_percent,
    format_share,
    format_signed,
    is_finite,
)
from retning.core.urls import http_url, is_http_url
from retning.goals.labels import STATUS_EXPLANATIONS, STATUS_LABELS, STATUS_SYMBOLS
from retning.stats.catalogue import OFFICIAL_RANK, licence_statement
from retning.strategy.models import Target, localized

register = template.Library()


@register.filter
def tr(obj, field: str) -> str:
    """`{{ goal|tr:"title" }}`: the field in the active language (bokmål as fallback)."""
    return localized(obj, field)


@register.filter
def tr_text(value: dict | None) -> str:
    """A {"nb": …, "en": …} mapping (as stored in JSON fields) in the active language."""
    from django.utils.translation import get_language

    if not value:
        return ""
    if (get_language() or "nb").startswith("en") and value.get("en"):
        return value["en"]
    return value.get("nb", "")


@register.filter
def number(value, decimals=None) -> str:
    return "" if value is None else format_number(value, decimals)


@register.filter
def count(value) -> str:
    """A count for running text: "fem", "12"."""
    return format_count(int(value))


@register.filter
def signed(value, decimals=None) -> str:
    return "" if value is None else format_signed(value, decimals)


@register.filter
def percent(value, decimals=None) -> str:
    return "" if value is None else format_percent(value, decimals)


@register.filter
def signed_percent(value, decimals=None) -> str:
    """A change in per cent with its sign: +5 %, −31 %."""
    return "" if value is None else format_percent(value, decimals, signed=True)


@register.filter
def share_percent(value) -> str:
    """A share readable however small it is: 0,02 %, 0,69 %, 12,3 %."""
    return "" if value is None else format_share(value)


@register.simple_tag
def describe_target(target: Target) -> str:
    """The target in one sentence, e.g. "+70 % til +100 % fra 2016 til 2030, i faste priser"."""
    if target.kind == Target.Kind.ANNUAL_CHANGE:
        return _("%(change)s per år fra basisåret %(baseline)s til %(end)s") % {
            "change": format_signed(target.per_year),
            "baseline": target.baseline_year,
            "end": target.end_year,
        }
    if target.kind == Target.Kind.RELATIVE_CHANGE:
        if target.is_range:
            change = _("%(low)s til %(high)s") % {
                "low": format_percent(target.change_low_pct, signed=True),
                "high": format_percent(target.change_high_pct, signed=True),
            }
        else:
            change = format_percent(target.change_low_pct, signed=True)
        text = _("%(change)s fra %(baseline)s til %(end)s") % {
            "change": change,
            "baseline": target.baseline_year,
            "end": target.end_year,
        }
        if target.real_terms:
            text += _(", i faste priser")
        return text
    if target.direction == Target.Direction.INCREASE:
        return _("Økning fra basisåret %(baseline)s") % {"baseline": target.baseline_year}
    return _("Nedgang fra basisåret %(baseline)s") % {"baseline": target.baseline_year}


@register.inclusion_tag("goals/_status.html")
def status_badge(status: str, explain: bool = False):
    """A goal's status as a symbol and words (the symbol is hidden from screen readers)."""

    return {
        "status": status,
        "label": STATUS_LABELS.get(status, status),
        "symbol": STATUS_SYMBOLS.get(status, ""),
        "explanation": STATUS_EXPLANATIONS.get(status, "") if explain else "",
    }


@register.filter
def value_in(value, unit: str) -> str:
    """A figure in the format its unit calls for (persons whole, per cent one decimal)."""
    if value is None:
        return ""
    if unit == "percent":
        return format_percent(value, 1)
    return format_number(round(value), 0) if is_finite(value) else MISSING


@register.filter
def signed_in(value, unit: str) -> str:
    if value is None:
        return ""
    if not is_finite(value):
        return MISSING
    if unit == "percent":
        return format_signed(value, 1) + "\u00a0" + _("prosentpoeng")
    return format_signed(round(value), 0)


def _dataset_slug(item) -> str:
    dataset = getattr(item, "dataset", None)
    if isinstance(dataset, str):
        return dataset
    return getattr(dataset, "slug", None) or getattr(item, "slug", "")


@register.filter
def licence_text(item) -> str:
    """The licence of a fetch, dataset or goal-report source; for a source that states
    none, what is known of its terms; never an empty cell."""
    from django.utils.translation import get_language

    english = (get_language() or "nb").startswith("en")
    text = licence_statement(_dataset_slug(item), getattr(item, "licence", ""), english=english)
    return text or _("ikke oppgitt av kilden")


@register.filter
def source_kind(item) -> str:
    """ "sekundærkilde" for a secondary copy of official figures (KommuneProfilen),
    "sitat" for figures quoted from articles and reports, "" for official statistics."""

    rank = getattr(item, "rank", OFFICIAL_RANK)
    if rank >= OFFICIAL_RANK:
        return ""
    return _("sekundærkilde") if rank == OFFICIAL_RANK - 1 else _("sitat")


@register.filter
def fetch_date(fetch) -> str:
    """When a fetch's figures were retrieved (a `Fetch` or a goal report's `SourceRef`).
    The bundled snapshot's date is its collection month from SOURCES.md, so it is shown
    as a month (november 2026), never as a day it does not know."""
    from django.utils import timezone
    from django.utils.formats import date_format

    when = getattr(fetch, "retrieved_at", None)
    if when is None:
        return ""
    if timezone.is_aware(when):
        when = timezone.localtime(when)
    if getattr(fetch, "via", "") == "snapshot":
        return date_format(when, "YEAR_MONTH_FORMAT")
    return date_format(when, "DATE_FORMAT")


@register.filter
def subtract(value, other):
    return None if value is None or other is None else value - other


@register.filter
def urls(text: str) -> list[str]:
    """Every http(s) address in a source text (a snapshot names its copy and the original)."""
    import re

    return [url for url in re.findall(r"https?://[^\s;,)\"]+", text or "") if is_http_url(url)]


@register.filter
def link_url(value) -> str:
    """`<a href="{{ x|link_url }}">`: the address from data if it is http(s), else "" —
    use it for every link whose address comes from data, so that `javascript:` and other
    schemes never become links."""
    return http_url(value)


@register.simple_tag
def change_text(change):
    """A change-log row with field labels and values in the active language."""
    from retning.core.change_display import describe

    return describe(change)


@register.filter
def org_name(name: str) -> str:
    """An organisation or facility name with a careful case (core.names)."""
    from retning.core.names import display_name

    return display_name(name)
