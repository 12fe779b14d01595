"""Who owns what between the strategy file and the database.

The file seeds; staff's changes in the admin win. Per field, the loader compares three
values: what the file said last time it was loaded (the base, `FileBaseline`), what the
database holds now, and what the file says now (`decide`). An object the file created is
deleted when it leaves the file only if nothing but strategy-file data hangs on it
(`staff_work_on`): tags, proposals, analysis and staff texts are never deleted with it.
"""

from __future__ import annotations

from collections import defaultdict
from enum import Enum
from typing import Any

from django.db import models, router
from django.utils import translation

from retning.consultation.models import ConsultationRound, SubmissionTag
from retning.consultation_analysis.models import SectionText, TagConfirmation
from retning.strategy.models import (
    FileBaseline,
    FocusArea,
    Goal,
    MainStrategy,
    Measure,
    Municipality,
    MunicipalityCode,
    Region,
    Revision,
    Strategy,
    Target,
)


class Decision(Enum):
    SAME = "same"  # the database already has the file's value
    APPLY = "apply"  # the file changed and staff did not: write the file's value
    KEEP = "keep"  # staff changed it and the file did not: keep staff's value
    CONFLICT = "conflict"  # both changed (or no base to tell): keep staff's value, report it


MISSING: Any = object()


def decide(base: Any, current: Any, new: Any) -> Decision:
    """The three-way rule for one field. Pure: `base` is MISSING for an object the file
    adopts (made before baselines were kept), where nobody can tell who changed what."""
    if current == new:
        return Decision.SAME
    if base is MISSING:
        return Decision.CONFLICT
    if new == base:
        return Decision.KEEP
    if current == base:
        return Decision.APPLY
    return Decision.CONFLICT


def baseline_key(model: type[models.Model], lookup: dict[str, Any]) -> str:
    """The file's id for an object: model label and its lookup (related objects by id)."""
    parts = [
        f"{name}={value.pk if isinstance(value, models.Model) else value}"
        for name, value in sorted(lookup.items())
    ]
    return " ".join([model._meta.label, *parts])[:300]


def file_models() -> set[type[models.Model]]:
    """The models the strategy file writes; anything else that would be deleted or changed
    with one of them is somebody's work."""

    return {
        Region,
        Municipality,
        MunicipalityCode,
        Strategy,
        Revision,
        Goal,
        Target,
        MainStrategy,
        FocusArea,
        Measure,
        Measure.main_strategies.through,
        Measure.focus_areas.through,
        ConsultationRound,
        FileBaseline,
    }


def _describe(obj: models.Model) -> str:
    if isinstance(obj, SubmissionTag):
        by = obj.origin_detail or obj.get_origin_display()
        verb = "tagged by" if obj.origin == SubmissionTag.Origin.PERSON else "suggested by"
        return f"{obj.submission.reference} ({verb} {by})"
    return str(obj)


def _summarise(objects: list[models.Model], limit: int = 10) -> list[str]:
    by_model: dict[type[models.Model], list[models.Model]] = defaultdict(list)
    for obj in objects:
        by_model[type(obj)].append(obj)
    lines = []
    with translation.override("en"):
        for model, found in sorted(by_model.items(), key=lambda kv: kv[0]._meta.label):
            names = sorted({_describe(o) for o in found})
            shown = ", ".join(names[:limit]) + (
                f", … {len(names) - limit} more" if len(names) > limit else ""
            )
            noun = model._meta.verbose_name if len(found) == 1 else model._meta.verbose_name_plural
            lines.append(f"{len(found)} {noun}: {shown}")
    return lines


def _label_references(obj: models.Model) -> list[str]:
    """Staff decisions that name a main strategy or focus area by its id (not by a key)."""

    if not isinstance(obj, MainStrategy | FocusArea):
        return []
    found = []
    confirmations = TagConfirmation.objects.filter(
        submission__round__strategy_id=obj.strategy_id
    ).select_related("submission")
    confirmed = sorted(c.submission.reference for c in confirmations if obj.slug in c.labels)
    if confirmed:
        noun = "confirmed tag set" if len(confirmed) == 1 else "confirmed tag sets"
        found.append(f"{len(confirmed)} {noun}: {', '.join(confirmed[:10])}")
    texts = SectionText.objects.filter(round__strategy_id=obj.strategy_id, label=obj.slug)
    rounds = sorted(t.round.slug for t in texts.select_related("round"))
    if rounds:
        found.append(f"section texts of the høringsoppsummering in round {', '.join(rounds)}")
    return found


def staff_work_on(obj: models.Model) -> tuple[list[str], list[models.Model]]:
    """What deleting `obj` would delete or change beyond strategy-file data, described for
    a person (empty when it may go), and the file objects that would go with it."""
    from django.contrib.admin.utils import NestedObjects

    collector = NestedObjects(using=router.db_for_write(type(obj)))
    collector.collect([obj])
    ours = file_models()
    outside: list[models.Model] = list(collector.protected)
    going: list[models.Model] = []
    for model, objects in collector.model_objs.items():
        (going if model in ours else outside).extend(objects)
    for batches in collector.field_updates.values():
        for batch in batches:
            outside.extend(batch)
    return _summarise(outside) + _label_references(obj), going
