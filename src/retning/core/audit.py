"""Recording changes to strategy objects and rounds (the one place that writes ChangeRecord
rows): each changed field, and each object created or deleted with all its values."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db import models

from retning.core.models import ChangeRecord


def _as_text(value: Any) -> str:
    return "" if value is None else str(value)


def field_values(obj: models.Model, fields: Iterable[str]) -> dict[str, str]:
    return {name: _as_text(getattr(obj, name)) for name in fields}


def audited_fields(obj: models.Model) -> list[str]:
    """Concrete, editable fields except the primary key and bookkeeping."""
    return [
        f.attname
        for f in obj._meta.concrete_fields
        if f.editable and not f.primary_key and f.attname not in {"created_at", "updated_at"}
    ]


def _actor(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def record_changes(
    obj: models.Model,
    before: dict[str, str],
    *,
    via: str,
    user: Any = None,
) -> list[ChangeRecord]:
    """Write one ChangeRecord per field whose text value differs from `before`."""
    after = field_values(obj, before.keys())
    records = [
        ChangeRecord(
            model=obj._meta.label,
            object_id=str(obj.pk),
            object_repr=str(obj)[:300],
            field=name,
            old_value=before[name],
            new_value=after[name],
            changed_by=_actor(user),
            via=via,
        )
        for name in before
        if before[name] != after[name]
    ]
    return ChangeRecord.objects.bulk_create(records)


def snapshot(obj: models.Model) -> str:
    """All audited values of an object as JSON text, for a create or delete record."""
    return json.dumps(field_values(obj, audited_fields(obj)), ensure_ascii=False, sort_keys=True)


def _record_whole(obj: models.Model, action: str, via: str, user: Any, **values: str):
    return ChangeRecord.objects.create(
        model=obj._meta.label,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        action=action,
        changed_by=_actor(user),
        via=via,
        **values,
    )


def record_created(obj: models.Model, *, via: str, user: Any = None) -> ChangeRecord:
    """An object was created: its values go into `new_value`."""
    return _record_whole(obj, ChangeRecord.Action.CREATE, via, user, new_value=snapshot(obj))


def record_deleted(obj: models.Model, *, via: str, user: Any = None) -> ChangeRecord:
    """An object is about to be deleted (call before deleting): its values go into
    `old_value`, so the log keeps what was lost."""
    return _record_whole(obj, ChangeRecord.Action.DELETE, via, user, old_value=snapshot(obj))
