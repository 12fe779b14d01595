"""Loading a validated strategy file into the database, idempotently.

Objects are matched by their ids (slugs). Only fields that differ are written, and each
change is recorded in the change log, so loading the same file twice writes nothing.
Objects that have disappeared from the file are removed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import translation

from retning.consultation.models import ConsultationRound
from retning.core.audit import field_values, record_changes
from retning.core.models import ChangeRecord
from retning.strategy import spec as s
from retning.strategy.models import (
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


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)

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


class _Upserter:
    def __init__(self, report: LoadReport):
        self.report = report

    def __call__(
        self, model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]
    ) -> models.Model:
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model.objects.create(**lookup, **values)
            self.report.created.append(f"{model._meta.model_name} {obj}")
            return obj
        # Compare values, not their text: an aware datetime read back in UTC equals the
        # same instant given in Europe/Oslo.
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        before = field_values(obj, changed)
        for name in changed:
            setattr(obj, name, values[name])
        if changed:
            obj.save(update_fields=changed)
            record_changes(obj, before, via=ChangeRecord.Via.STRATEGY_FILE)
            self.report.updated.append(f"{model._meta.model_name} {obj}")
        return obj

    def prune(self, queryset: models.QuerySet, keep: list[int]) -> None:
        for obj in queryset.exclude(pk__in=keep):
            self.report.deleted.append(f"{obj._meta.model_name} {obj}")
            obj.delete()


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
    """Create or update the strategy from a validated spec, in one transaction."""
    # The change log and the report are written in the source language, whatever
    # language the caller has active.
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        return _load(spec, source_text)


def _load(spec: s.StrategySpec, source_text: str) -> LoadReport:
    report = LoadReport()
    upsert = _Upserter(report)

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
    strategy = Strategy.objects.filter(region=region).order_by("pk").first()
    if strategy is None:
        strategy = upsert(Strategy, {"region": region}, strategy_values)
    else:
        strategy = upsert(Strategy, {"pk": strategy.pk}, strategy_values)

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
        )
        wanted_main = {main_by_slug[ref].pk for ref in measure.strategies}
        if set(obj.main_strategies.values_list("pk", flat=True)) != wanted_main:
            obj.main_strategies.set(wanted_main)
            report.updated.append(f"measure {obj} strategies")
        wanted_focus = {focus_by_slug[ref].pk for ref in measure.focus_areas}
        if set(obj.focus_areas.values_list("pk", flat=True)) != wanted_focus:
            obj.focus_areas.set(wanted_focus)
            report.updated.append(f"measure {obj} focus areas")
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
    return report


def load_strategy_file(path: str | Path) -> LoadReport:
    """Validate and load a strategy file (raises spec.SpecError when it is not valid)."""
    path = Path(path)
    spec = s.load_spec(path)
    return load_strategy(spec, path.read_text(encoding="utf-8"))
