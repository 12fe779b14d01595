"""The change log in words staff read: a ChangeRecord stores the field's code name and
values as text ("True", JSON of a created object); this shows the field's own label and
«ja»/«nei» in the active language."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class ChangeText:
    field: str
    old: str
    new: str


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def field_label(model, name: str) -> str:
    """The field's verbose name (what the admin form calls it), else the stored name."""
    if model is None:
        return name
    for field in model._meta.concrete_fields:
        if name in {field.name, field.attname}:
            return str(field.verbose_name)
    try:
        return str(model._meta.get_field(name).verbose_name)
    except (FieldDoesNotExist, AttributeError):
        return name


def value_text(value: str) -> str:
    return {"True": _("ja"), "False": _("nei")}.get(value, value)


def _snapshot_text(model, value: str) -> str:
    """A create/delete record's JSON of all values as «label: value; …»."""
    try:
        values = json.loads(value)
    except (TypeError, ValueError):
        return value
    if not isinstance(values, dict):
        return value
    return "; ".join(
        f"{field_label(model, name)}: {value_text(str(v))}" for name, v in values.items() if v
    )


def describe(change) -> ChangeText:
    model = _model(change.model)
    if change.action == "update":
        return ChangeText(
            field_label(model, change.field),
            value_text(change.old_value),
            value_text(change.new_value),
        )
    return ChangeText(
        str(change.get_action_display()),
        _snapshot_text(model, change.old_value),
        _snapshot_text(model, change.new_value),
    )
