"""Staff decisions on a round's analysis: duplicate groups, themes and section texts.

Each function checks the permission, changes the stored state through the pure functions
of `retning.analysis` and records an `AnalysisEvent` (who, when, before → after).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from retning.analysis import themes as theme_ops
from retning.analysis.campaigns import Copy, DuplicateGroup, merge_groups, split_group
from retning.analysis.llm import LlmClient
from retning.analysis.themes import ThemeSet
from retning.consultation.models import ConsultationRound, Submission
from retning.consultation_analysis.models import (
    DuplicateGroupRecord,
    SectionText,
    ThemeSetVersion,
)
from retning.consultation_analysis.serial import theme_set_from_json, theme_set_to_json
from retning.consultation_analysis.service import (
    _event,
    _save_group,
    current_themes,
    require,
    round_labels,
    stored_groups,
    texts_of,
)


def _texts(round: ConsultationRound) -> tuple[dict[str, str], dict]:
    """Texts and proposals by reference, for every proposal of the round (a group or theme
    may hold one that was rejected after the analysis)."""

    submissions = list(Submission.objects.filter(round=round).select_related("round"))
    texts = texts_of(submissions)
    return {s.reference: texts[s.pk] for s in submissions}, {s.reference: s for s in submissions}


@transaction.atomic
def split(round: ConsultationRound, key: str, refs: Sequence[str], user) -> None:
    """`refs` leave group `key`; each side stays as staff decided it, even a lone proposal."""
    require(user)
    groups = dict((r.key, (r, g)) for r, g in stored_groups(round))
    if key not in groups:
        raise ValidationError(_("Gruppen %(group)s finnes ikke i denne høringen.") % {"group": key})
    record, group = groups[key]
    leaving = [r for r in refs if r]
    if not leaving or not set(leaving) < set(group.refs):
        raise ValidationError(
            _("Velg noen, men ikke alle, av gruppens innspill for å dele gruppen.")
        )
    texts, by_ref = _texts(round)
    try:
        parts = split_group(group, texts, leaving)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    record.delete()
    placed = {ref for part in parts for ref in part.refs}
    for part in parts:
        _save_group(round, part, by_ref, decided_by=user.get_username())
    for ref in group.refs:
        if ref not in placed:  # alone now; kept so that a new run does not regroup it
            _save_group(
                round,
                DuplicateGroup(f"a-{by_ref[ref].pk}", (), (Copy(ref, (), False),)),
                by_ref,
                decided_by=user.get_username(),
            )
    _event(
        round,
        "group-split",
        user,
        before=f"{key}: {', '.join(group.refs)}",
        after="; ".join(", ".join(p.refs) for p in parts) or "–",
    )


@transaction.atomic
def merge(round: ConsultationRound, keys: Sequence[str], user) -> str:
    """Groups staff see as one campaign become one group; returns its key."""
    require(user)
    groups = dict((r.key, (r, g)) for r, g in stored_groups(round))
    chosen = list(dict.fromkeys(k for k in keys if k))
    missing = [k for k in chosen if k not in groups]
    if missing:
        raise ValidationError(
            _("Gruppen %(group)s finnes ikke i denne høringen.") % {"group": ", ".join(missing)}
        )
    if len(chosen) < 2:
        raise ValidationError(_("Velg minst to grupper for å slå dem sammen."))
    texts, by_ref = _texts(round)
    merged = merge_groups([groups[k][1] for k in chosen], texts)
    DuplicateGroupRecord.objects.filter(round=round, key__in=chosen).delete()
    _save_group(round, merged, by_ref, decided_by=user.get_username())
    _event(round, "group-merge", user, before=", ".join(chosen), after=merged.id)
    return merged.id


def _themes(round: ConsultationRound) -> ThemeSet:
    latest = current_themes(round)
    if latest is None:
        raise ValidationError(_("Høringen har ingen temaer ennå; kjør analysen først."))
    return theme_set_from_json(latest.data)


def _save_themes(round, new: ThemeSet, user) -> ThemeSetVersion:
    change = new.history[-1]
    version = ThemeSetVersion.objects.create(
        round=round,
        version=new.version,
        data=theme_set_to_json(new),
        action=change.action,
        detail=change.detail,
        created_by=user,
    )
    _event(round, f"theme-{change.action}", user, after=f"v{new.version}", detail=change.detail)
    return version


# What staff are told when the theme set refuses a change (ThemeChangeError.reason).
_THEME_REFUSALS = {
    "unknown": gettext_lazy("Temaet %(theme)s finnes ikke i gjeldende versjon av temasettet."),
    "no-label": gettext_lazy("Temaet må ha et navn."),
    "merge-needs-two": gettext_lazy("Velg minst to temaer for å slå dem sammen."),
    "split-needs-some": gettext_lazy(
        "Velg noen, men ikke alle, av temaets innspill for å dele temaet."
    ),
}


def _theme_call(fn, *args):
    """A pure theme operation, its refusal explained in the user's language."""
    try:
        return fn(*args)
    except theme_ops.ThemeChangeError as exc:
        raise ValidationError(str(_THEME_REFUSALS[exc.reason]) % {"theme": exc.theme}) from None


@transaction.atomic
def rename_theme(round: ConsultationRound, theme_id: str, label: str, user) -> ThemeSetVersion:
    require(user)
    new = _theme_call(theme_ops.rename_theme, _themes(round), theme_id, label, user.get_username())
    return _save_themes(round, new, user)


@transaction.atomic
def merge_themes(
    round: ConsultationRound, theme_ids: Sequence[str], label: str, user
) -> ThemeSetVersion:
    require(user)
    chosen = list(dict.fromkeys(i for i in theme_ids if i))
    new = _theme_call(theme_ops.merge_themes, _themes(round), chosen, label, user.get_username())
    return _save_themes(round, new, user)


@transaction.atomic
def split_theme(
    round: ConsultationRound, theme_id: str, refs: Sequence[str], label: str, user
) -> ThemeSetVersion:
    require(user)
    themes = _themes(round)
    _theme_call(themes.get, theme_id)
    if not label.strip():
        raise ValidationError(_("Det nye temaet må ha et navn."))
    texts, _refs = _texts(round)
    new = _theme_call(
        theme_ops.split_theme,
        themes,
        theme_id,
        [r for r in refs if r],
        label,
        user.get_username(),
        texts,
    )
    return _save_themes(round, new, user)


def _label_ids(round: ConsultationRound) -> set[str]:
    return {label.id for label in round_labels(round)}


@transaction.atomic
def save_section(round: ConsultationRound, label: str, text: str, user) -> SectionText:
    """A person writes, edits or approves a section text; it is then theirs, not a draft."""
    require(user)
    if label not in _label_ids(round):
        raise ValidationError(
            _("Ingen hovedstrategi eller fokusområde heter %(label)s.") % {"label": label}
        )
    section = SectionText.objects.filter(round=round, label=label).first()
    before = section.text if section else ""
    was = section.get_status_display() if section else ""
    if section is None:
        section = SectionText(round=round, label=label)
    section.text = text.strip()
    section.status = SectionText.Status.PERSON
    section.updated_by = user
    section.save()
    _event(round, "section", user, before=before, after=section.text, detail=f"{label} ({was})")
    return section


@transaction.atomic
def store_draft(round: ConsultationRound, label: str, text: str, origin: str) -> SectionText:
    """An AI draft: stored only where no person has written the section."""
    section, created = SectionText.objects.get_or_create(
        round=round,
        label=label,
        defaults={"text": text, "status": SectionText.Status.AI_DRAFT, "drafted_by": origin},
    )
    if not created and section.status == SectionText.Status.AI_DRAFT:
        section.text, section.drafted_by = text, origin
        section.save()
    if created or section.status == SectionText.Status.AI_DRAFT:
        _event(round, "section-draft", by=origin, after=text, detail=label)
    return section


def draft_sections(round: ConsultationRound, client: LlmClient, quotes: dict[str, list]) -> int:
    """AI drafts for the sections with proposals and no text by a person; returns how many."""
    names = _people(round)
    written = set(
        SectionText.objects.filter(round=round, status=SectionText.Status.PERSON).values_list(
            "label", flat=True
        )
    )
    drafted = 0
    for label in round_labels(round):
        if label.id in written or not quotes.get(label.id):
            continue
        draft = client.draft_section_summary(label.title, quotes[label.id], names)
        store_draft(round, label.id, draft.text, draft.origin)
        drafted += 1
    return drafted


@transaction.atomic
def draft_theme_names(round: ConsultationRound, client: LlmClient) -> int:
    """AI names for themes still named by their key terms: one new version of the theme
    set, each name marked as an AI draft until a person renames (approves) it."""
    current = current_themes(round)
    if current is None:
        return 0
    themes = theme_set_from_json(current.data)
    names = _people(round)
    drafted = 0
    for theme in themes.themes:
        if theme.label_by != "auto":
            continue
        draft = client.draft_theme_name(theme.terms, [q.text for q in theme.quotes], names)
        if draft.text:
            themes = theme_ops.rename_theme(themes, theme.id, draft.text, draft.origin)
            drafted += 1
    if drafted:
        ThemeSetVersion.objects.create(
            round=round,
            version=themes.version,
            data=theme_set_to_json(themes),
            action="ai-draft",
            detail=f"{drafted} navn foreslått av {client.origin}",
        )
        _event(round, "theme-ai-draft", by=client.origin, after=f"v{themes.version}")
    return drafted


def _people(round: ConsultationRound) -> list[str]:
    return [
        n
        for pair in Submission.objects.filter(round=round).values_list("name", "organisation")
        for n in pair
        if n
    ]
