"""Loading a validated strategy file into the database, idempotently.

The ownership contract (docs/developer.md, "The strategy file and the database"):

- The file seeds. Objects are matched by their ids (slugs); an object the file creates gets
  a `FileBaseline` with the values the file gave it.
- What staff change in the admin survives. Per field, three values are compared
  (`ownership.decide`): the baseline, the database and the file. A file change is applied
  only to a field staff have not changed since; when both changed, staff's value is kept
  and reported (`LoadReport.kept`). Only fields that differ are written, and each change,
  creation and deletion is recorded in the change log, so loading the same file twice
  writes nothing.
- Objects made in the admin (no baseline) are never deleted. One the file names by its id
  is adopted: it keeps its values, and the differences are reported.
- An object the file created and no longer has is deleted only when nothing but file data
  depends on it. Otherwise nothing at all is loaded: `LoadRefusedError` names what depends
  on it (staff's tags, proposals, analyses…), and the transaction is rolled back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import translation

from retning.consultation.models import ConsultationRound
from retning.core.audit import field_values, record_changes, record_created, record_deleted
from retning.core.models import ChangeRecord
from retning.strategy import spec as s
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
from retning.strategy.ownership import MISSING, Decision, baseline_key, decide, staff_work_on

VIA_FILE = ChangeRecord.Via.STRATEGY_FILE


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    # Fields where staff's value was kept although the file now says something else.
    kept: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def summary(self) -> str:
        if not self.changed:
            return "strategy unchanged"
        return (
            f"strategy loaded: {len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.deleted)} removed"
        )


class LoadRefusedError(Exception):
    """The file would delete something staff's work depends on; nothing was loaded."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _encode(value: Any) -> Any:
    """A value as the baseline stores it (JSON: dates and decimals as text)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _shown(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).isoformat()
    return "" if value is None else str(value)


class _Upserter:
    """Creates and updates objects by the three-way rule, and prunes what the file dropped."""

    def __init__(self, report: LoadReport):
        self.report = report
        self.baselines = {b.key: b for b in FileBaseline.objects.all()}
        self.refusals: list[str] = []

    def _baseline_for(self, obj: models.Model) -> FileBaseline | None:
        label = obj._meta.label
        return next(
            (b for b in self.baselines.values() if b.model == label and b.object_id == obj.pk),
            None,
        )

    def __call__(
        self,
        model: type[models.Model],
        lookup: dict[str, Any],
        values: dict[str, Any],
        relations: dict[str, list[models.Model]] | None = None,
    ) -> models.Model:
        """The object the file means by `lookup`, created or brought up to date.

        `values` are plain fields (related objects allowed); `relations` are many-to-many
        fields given as lists of objects, compared by their slugs.
        """
        relations = relations or {}
        key = baseline_key(model, lookup)
        baseline = self.baselines.get(key)
        obj = None
        if baseline is not None:
            # By id, so an object whose slug staff changed in the admin is still found.
            obj = model.objects.filter(pk=baseline.object_id).first()
        if obj is None:
            baseline = None  # the object it described is gone
            obj = model.objects.filter(**lookup).order_by("pk").first()
        fields = {model._meta.get_field(name).attname: _plain(v) for name, v in values.items()}
        wanted = {**fields, **{name: _slugs(objs) for name, objs in relations.items()}}
        if obj is None:
            obj = model.objects.create(**lookup, **values)
            for name, objs in relations.items():
                getattr(obj, name).set(objs)
            record_created(obj, via=VIA_FILE)
            self.report.created.append(f"{model._meta.model_name} {obj}")
            self._remember(key, obj, wanted)
            return obj
        base = baseline.values if baseline is not None else {}
        apply: list[str] = []
        for name, new in fields.items():
            field_ = model._meta.get_field(name)
            old = field_.to_python(base[name]) if name in base else MISSING
            current = getattr(obj, name)
            decision = decide(old, current, new)
            if decision is Decision.APPLY:
                apply.append(name)
            elif decision is Decision.CONFLICT:
                self._kept(obj, name, current, new)
        if apply:
            before = field_values(obj, apply)
            for name in apply:
                setattr(obj, name, fields[name])
            obj.save(update_fields=apply)
            record_changes(obj, before, via=VIA_FILE)
            self.report.updated.append(f"{model._meta.model_name} {obj}")
        for name, objs in relations.items():
            current = _slugs(getattr(obj, name).all())
            old = base.get(name, MISSING)
            decision = decide(old, current, _slugs(objs))
            if decision is Decision.APPLY:
                getattr(obj, name).set(objs)
                ChangeRecord.objects.create(
                    model=obj._meta.label,
                    object_id=str(obj.pk),
                    object_repr=str(obj)[:300],
                    field=name,
                    old_value=", ".join(current),
                    new_value=", ".join(_slugs(objs)),
                    via=VIA_FILE,
                )
                self.report.updated.append(f"{model._meta.model_name} {obj} {name}")
            elif decision is Decision.CONFLICT:
                self._kept(obj, name, ", ".join(current), ", ".join(_slugs(objs)))
        self._remember(key, obj, wanted)
        return obj

    def _kept(self, obj: models.Model, name: str, current: Any, new: Any) -> None:
        self.report.kept.append(
            f"{obj._meta.model_name} {obj}: {name} kept as changed in the admin "
            f"({_shown(current)}); the strategy file says {_shown(new)}"
        )

    def _remember(self, key: str, obj: models.Model, wanted: dict[str, Any]) -> None:
        encoded = _encode(wanted)
        known = self.baselines.get(key)
        if known is not None and known.object_id == obj.pk and known.values == encoded:
            return
        self.baselines[key], _ = FileBaseline.objects.update_or_create(
            key=key,
            defaults={"model": obj._meta.label, "object_id": obj.pk, "values": encoded},
        )

    def prune(self, queryset: models.QuerySet, keep: list[int]) -> None:
        """Delete the objects the file created and has dropped, unless staff's work
        depends on them; objects made in the admin are never deleted."""
        label = queryset.model._meta.label
        seeded = {b.object_id for b in self.baselines.values() if b.model == label}
        for obj in queryset.exclude(pk__in=keep).filter(pk__in=seeded):
            work, going = staff_work_on(obj)
            if work:
                self.refusals.append(
                    f"{obj._meta.model_name} {_file_id(obj)} («{obj}») is no longer in the "
                    f"strategy file, but it is not deleted: "
                    + "; ".join(work)
                    + ". "
                    + _advice(obj)
                )
                continue
            for gone in going:
                if gone is not obj and gone._meta.label in _AUDITED:
                    record_deleted(gone, via=VIA_FILE)
            record_deleted(obj, via=VIA_FILE)
            self.report.deleted.append(f"{obj._meta.model_name} {obj}")
            for gone in going:
                stale = self._baseline_for(gone)
                if stale is not None:
                    del self.baselines[stale.key]
                    stale.delete()
            obj.delete()


# Models whose deletions are worth a line in the change log (not link tables).
_AUDITED = {
    "strategy.Municipality",
    "strategy.MunicipalityCode",
    "strategy.Revision",
    "strategy.Goal",
    "strategy.Target",
    "strategy.MainStrategy",
    "strategy.FocusArea",
    "strategy.Measure",
    "consultation.ConsultationRound",
}


def _file_id(obj: models.Model) -> str:
    return f"'{getattr(obj, 'slug', None) or getattr(obj, 'code', None) or obj.pk}'"


def _advice(obj: models.Model) -> str:
    if isinstance(obj, MainStrategy | FocusArea):
        return (
            f"To rename it, keep its id {_file_id(obj)} in the file and change its title; to "
            "remove it, remove those tags first."
        )
    return "Put it back in the strategy file, or move that work elsewhere first."


def _plain(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def _slugs(objects: Any) -> list[str]:
    return sorted(obj.slug for obj in objects)


def _text(value: s.Text | None) -> tuple[str, str]:
    if value is None:
        return "", ""
    return value.nb, value.en or ""


def _decimal(value: float | None) -> Any:
    from decimal import Decimal

    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def deadline_instant(deadline: dt.datetime | dt.date, timezone_name: str) -> dt.datetime:
    """A date deadline means the end of that day in the region's time zone."""
    if isinstance(deadline, dt.datetime):
        return deadline
    tz = zoneinfo.ZoneInfo(timezone_name)
    return dt.datetime.combine(deadline, dt.time(23, 59, 59), tzinfo=tz)


def _target_values(
    target: s.AnnualChangeTarget | s.RelativeChangeTarget | s.DirectionTarget,
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "kind": target.kind,
        "baseline_year": target.baseline_year,
        "end_year": target.end_year,
        "per_year": None,
        "change_low_pct": None,
        "change_high_pct": None,
        "real_terms": False,
        "direction": "",
    }
    if isinstance(target, s.AnnualChangeTarget):
        values["per_year"] = _decimal(target.per_year)
    elif isinstance(target, s.RelativeChangeTarget):
        change = target.change_pct
        low, high = (
            (change.low, change.high) if isinstance(change, s.ChangeRange) else (change, change)
        )
        values.update(
            change_low_pct=_decimal(low),
            change_high_pct=_decimal(high),
            real_terms=target.real_terms,
        )
    else:
        values["direction"] = target.direction
    return values


def load_strategy(spec: s.StrategySpec, source_text: str = "") -> LoadReport:
    """Create or update the strategy from a validated spec, in one transaction.

    Raises LoadRefusedError, having changed nothing, when the file drops an object that
    staff's work depends on.
    """
    # The change log and the report are written in the source language, whatever
    # language the caller has active.
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        upsert = _Upserter(LoadReport())
        _load(spec, source_text, upsert)
        if upsert.refusals:
            raise LoadRefusedError(upsert.refusals)
        return upsert.report


def _load(spec: s.StrategySpec, source_text: str, upsert: _Upserter) -> None:

    region = upsert(
        Region,
        {"slug": spec.region.id},
        {"name": spec.region.name, "timezone": spec.region.timezone},
    )
    kept: list[int] = []
    for position, m in enumerate(spec.region.municipalities):
        municipality = upsert(
            Municipality, {"region": region, "slug": m.id}, {"name": m.name, "position": position}
        )
        kept.append(municipality.pk)
        codes = []
        for period in m.codes:
            code = upsert(
                MunicipalityCode,
                {"code": period.code},
                {
                    "municipality": municipality,
                    "valid_from": period.valid_from,
                    "valid_to": period.valid_to,
                },
            )
            codes.append(code.pk)
        upsert.prune(municipality.codes.all(), codes)
    upsert.prune(region.municipalities.all(), kept)

    info = spec.strategy
    title, title_en = _text(info.title)
    summary, summary_en = _text(info.summary)
    note, note_en = _text(info.adopted.description)
    strategy_values = {
        "title": title,
        "title_en": title_en,
        "summary": summary,
        "summary_en": summary_en,
        "start_year": info.period.start,
        "end_year": info.period.end,
        "adopted_year": info.adopted.year,
        "adopted_by": info.adopted.decided_by or "",
        "adoption_note": note,
        "adoption_note_en": note_en,
        "sources": [source.model_dump() for source in info.sources],
        "source_sha256": hashlib.sha256(source_text.encode()).hexdigest() if source_text else "",
    }
    strategy = upsert(Strategy, {"region": region}, strategy_values)

    kept = []
    for revision in info.revisions:
        text, text_en = _text(revision.description)
        obj = upsert(
            Revision,
            {"strategy": strategy, "year": revision.year},
            {
                "decided_by": revision.decided_by or "",
                "description": text,
                "description_en": text_en,
            },
        )
        kept.append(obj.pk)
    upsert.prune(strategy.revisions.all(), kept)

    kept = []
    for position, g in enumerate(spec.goals):
        title, title_en = _text(g.title)
        description, description_en = _text(g.description)
        ind_name, ind_name_en = _text(g.indicator.name)
        goal = upsert(
            Goal,
            {"strategy": strategy, "slug": g.id},
            {
                "position": position,
                "title": title,
                "title_en": title_en,
                "description": description,
                "description_en": description_en,
                "indicator_ref": g.indicator.ref,
                "indicator_name": ind_name,
                "indicator_name_en": ind_name_en,
                "indicator_unit": g.indicator.unit,
                "indicator_sources": list(g.indicator.sources),
                "status_thresholds": g.status.model_dump(),
            },
        )
        upsert(Target, {"goal": goal}, _target_values(g.target))
        kept.append(goal.pk)
    upsert.prune(strategy.goals.all(), kept)

    kept = []
    main_by_slug: dict[str, MainStrategy] = {}
    for main in spec.main_strategies:
        title, title_en = _text(main.title)
        description, description_en = _text(main.description)
        obj = upsert(
            MainStrategy,
            {"strategy": strategy, "slug": main.id},
            {
                "number": main.number,
                "title": title,
                "title_en": title_en,
                "description": description,
                "description_en": description_en,
                "keywords": list(main.keywords),
            },
        )
        main_by_slug[main.id] = obj
        kept.append(obj.pk)
    upsert.prune(strategy.main_strategies.all(), kept)

    kept = []
    focus_by_slug: dict[str, FocusArea] = {}
    for position, area in enumerate(spec.focus_areas):
        title, title_en = _text(area.title)
        description, description_en = _text(area.description)
        obj = upsert(
            FocusArea,
            {"strategy": strategy, "slug": area.id},
            {
                "position": position,
                "title": title,
                "title_en": title_en,
                "description": description,
                "description_en": description_en,
                "keywords": list(area.keywords),
                "nace": [
                    {
                        "codes": list(m.codes),
                        "why": m.why.model_dump(exclude_none=True),
                        # SN2007 is the default and not written, so older rows stay equal
                        **(
                            {"classification": m.classification}
                            if m.classification != "SN2007"
                            else {}
                        ),
                    }
                    for m in area.nace
                ],
            },
        )
        focus_by_slug[area.id] = obj
        kept.append(obj.pk)
    upsert.prune(strategy.focus_areas.all(), kept)

    kept = []
    for measure in spec.measures:
        title, title_en = _text(measure.title)
        description, description_en = _text(measure.description)
        obj = upsert(
            Measure,
            {"strategy": strategy, "slug": measure.id},
            {
                "title": title,
                "title_en": title_en,
                "description": description,
                "description_en": description_en,
                "owner": measure.owner,
                "status": measure.status,
            },
            {
                "main_strategies": [main_by_slug[ref] for ref in measure.strategies],
                "focus_areas": [focus_by_slug[ref] for ref in measure.focus_areas],
            },
        )
        kept.append(obj.pk)
    upsert.prune(strategy.measures.all(), kept)

    kept = []
    for consultation in spec.consultations:
        title, title_en = _text(consultation.title)
        description, description_en = _text(consultation.description)
        email = consultation.channels.email
        obj = upsert(
            ConsultationRound,
            {"strategy": strategy, "slug": consultation.slug},
            {
                "title": title,
                "title_en": title_en,
                "description": description,
                "description_en": description_en,
                "opens_on": consultation.opens,
                "deadline": deadline_instant(consultation.deadline, spec.region.timezone),
                "email_address": email.address if email else "",
                "email_subject": email.subject if email else "",
                "contact_name": (email.contact_name or "") if email else "",
                "web_form": consultation.channels.web_form,
                "document_url": consultation.document_url or "",
            },
        )
        kept.append(obj.pk)
    upsert.prune(strategy.consultation_rounds.all(), kept)


def load_strategy_file(path: str | Path) -> LoadReport:
    """Validate and load a strategy file (raises spec.SpecError when it is not valid)."""
    path = Path(path)
    spec = s.load_spec(path)
    return load_strategy(spec, path.read_text(encoding="utf-8"))
