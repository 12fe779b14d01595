"""Test data built once per test run and laid into each test's own transaction.

Loading the bundled strategy, the snapshot of published figures or pushing a round of
e-mails through intake takes from a third of a second to seconds, and hundreds of tests
ask for it. `restore_or_build` runs the real build the first time, records which rows it
inserted and which it changed, and for every later test writes those same rows again
(bulk inserts inside the test's transaction, rolled back with it). Each test therefore
sees exactly what the build would have given it, while the build itself runs once.

The recording is used only where it is known to reproduce the build: when the settings
the build reads are the same, when every row the recorded rows point to (and every row
the build changed) is still as it was when recorded, and when the recorded rows can be
inserted without clashing with what the test already created. Otherwise the build
simply runs again, as before. A build that deletes rows is never recorded.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction

# Settings a build may read; a test that changes one of them gets a real build.
KEY_SETTINGS = (
    "RETNING_STRATEGY_FILE",
    "RETNING_REGION",
    "REGIONS_DIR",
    "RETNING_DATA_DIR",
    "RETNING_RAW_DIR",
    "LANGUAGE_CODE",
)


def _models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped
    ]


def _attnames(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def _rows(model: type[models.Model], pks: list | None = None) -> dict[Any, tuple]:
    """pk → the row's values in concrete-field order."""
    names = _attnames(model)
    pk_index = names.index(model._meta.pk.attname)
    query = model._base_manager.all()
    if pks is not None:
        query = query.filter(pk__in=pks)
    return {row[pk_index]: row for row in query.values_list(*names)}


@dataclass
class _Recording:
    inserted: list[tuple[type[models.Model], list[dict]]] = field(default_factory=list)
    # model, rows as they were before, rows as the build left them, changed attnames
    updated: list[tuple[type[models.Model], dict, dict, list[str]]] = field(default_factory=list)
    # rows the recorded rows point to, as they were: must be unchanged to restore
    referenced: list[tuple[type[models.Model], dict]] = field(default_factory=list)


# Per build and settings: the recordings made so far (one per starting state met, up to
# MAX_RECORDINGS), or None when the build cannot be recorded.
_recordings: dict[Hashable, list[_Recording] | None] = {}
MAX_RECORDINGS = 3


def _key(name: str, setting_names: tuple[str, ...]) -> tuple:
    return (
        name,
        connection.vendor,
        connection.settings_dict["NAME"],
        tuple(str(getattr(settings, s, None)) for s in setting_names),
    )


def _record(before: dict[type, dict]) -> _Recording | None:
    recording = _Recording()
    wanted: dict[type, set] = {}
    for model, old in before.items():
        new = _rows(model)
        if set(old) - set(new):
            return None  # the build deleted rows
        names = _attnames(model)
        added = [pk for pk in new if pk not in old]
        if added:
            recording.inserted.append(
                (model, [dict(zip(names, new[pk], strict=True)) for pk in added])
            )
            for f in model._meta.concrete_fields:
                if f.is_relation and f.remote_field.model is not None:
                    target = f.remote_field.model
                    index = names.index(f.attname)
                    values = {new[pk][index] for pk in added} - {None}
                    wanted.setdefault(target, set()).update(values)
        changed = {pk: new[pk] for pk in old if old[pk] != new[pk]}
        if changed:
            fields = sorted(
                {
                    names[i]
                    for pk in changed
                    for i, (a, b) in enumerate(zip(old[pk], new[pk], strict=True))
                    if a != b
                }
            )
            recording.updated.append((model, {pk: old[pk] for pk in changed}, changed, fields))
    for target, pks in wanted.items():
        old = before.get(target._meta.concrete_model, {})
        existing = {pk: old[pk] for pk in pks if pk in old}
        if existing:
            recording.referenced.append((target._meta.concrete_model, existing))
    return recording


def _restore(recording: _Recording) -> bool:
    """Write the recorded rows; False (and nothing written) when they would not give what
    the build gives."""
    for model, rows in recording.referenced:
        if _rows(model, list(rows)) != rows:
            return False
    for model, old, _new, _fields in recording.updated:
        if _rows(model, list(old)) != old:
            return False
    try:
        with transaction.atomic():
            touched = []
            for model, rows in recording.inserted:
                objs = [model(**copy.deepcopy(r)) for r in rows]
                model._base_manager.bulk_create(objs)
                # bulk_create stamps auto_now(_add) fields with the present time: put back
                # the recorded ones, which rows written later may have been compared with
                stamped = [
                    f.attname
                    for f in model._meta.concrete_fields
                    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                ]
                if stamped:
                    for obj, row in zip(objs, rows, strict=True):
                        for name in stamped:
                            setattr(obj, name, row[name])
                    model._base_manager.bulk_update(objs, stamped)
                touched.append(model)
            for model, _old, new, fields in recording.updated:
                names = _attnames(model)
                objs = [
                    model(**copy.deepcopy(dict(zip(names, row, strict=True))))
                    for row in new.values()
                ]
                model._base_manager.bulk_update(objs, fields)
            statements = connection.ops.sequence_reset_sql(no_style(), touched)
            if statements:
                with connection.cursor() as cursor:
                    for sql in statements:
                        cursor.execute(sql)
    except DatabaseError:
        return False
    return True


def restore_or_build(
    name: str, build: Callable[[], object], setting_names: tuple[str, ...] = KEY_SETTINGS
) -> bool:
    """Give the current test what `build()` would write to the database; True when it came
    from a recording, False when `build()` ran. `setting_names`: the settings the build
    reads (a test that changes one gets a build of its own)."""
    key = _key(name, setting_names)
    recordings = _recordings.setdefault(key, [])
    if recordings is None:
        build()
        return False
    for recording in recordings:
        if _restore(recording):
            return True
    if len(recordings) >= MAX_RECORDINGS:
        build()
        return False
    before = {model: _rows(model) for model in _models()}
    build()
    recording = _record(before)
    if recording is None:
        _recordings[key] = None
    else:
        recordings.append(recording)
    return False
