"""`{{ field|accessible }}`: a form widget tied to its hint and error for screen readers."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def accessible(bound_field):
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}_hint")
    attrs = {}
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    autocomplete = {"name": "name", "email": "email", "organisation": "organization"}
    if bound_field.name in autocomplete:
        attrs["autocomplete"] = autocomplete[bound_field.name]
    return bound_field.as_widget(attrs=attrs)
