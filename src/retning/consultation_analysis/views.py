"""Staff pages for a round's analysis: the overview with counts, the review queue ordered by
uncertainty, campaigns, themes and the section texts of the høringsoppsummering.

Reading needs the view permission; every change needs the tag permission (checked again in
`service`/`decisions`) and is recorded there.
"""

from __future__ import annotations

from collections import Counter
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from retning.analysis.overview import collapse_campaigns, count_by_label, untagged
from retning.analysis.tagging import top_two
from retning.analysis.themes import (
    MAX_THEMES,
    RULES,
    Problem,
    ThemeSet,
    check_theme_set,
    min_theme_size,
)
from retning.consultation import review
from retning.consultation.models import ConsultationRound, Submission
from retning.consultation_analysis import decisions, service
from retning.consultation_analysis.forms import (
    CampaignConfirmForm,
    ConfirmTagsForm,
    GroupMergeForm,
    GroupSplitForm,
    SectionForm,
    ThemeMergeForm,
    ThemeRenameForm,
    ThemeSplitForm,
    form_errors,
)
from retning.consultation_analysis.models import AnalysisRun, SectionText, ThemeSetVersion
from retning.consultation_analysis.serial import theme_set_from_json
from retning.core.formatting import format_percent
from retning.strategy.models import FocusArea, MainStrategy
from retning.strategy.selectors import current_strategy

can_view = permission_required(review.VIEW, raise_exception=True)
QUEUE_PAGE = 25
# Uncertainty (1 minus the gap between the two best categories) said in words.
UNSURE = 0.8
LEANING = 0.5


def _round(slug: str) -> ConsultationRound:
    return get_object_or_404(
        ConsultationRound.objects.select_related("strategy__region"),
        strategy=current_strategy(),
        slug=slug,
    )


def _act(request, action) -> None:
    """Run a staff action and tell the user how it went."""
    try:
        action()
    except PermissionDenied:
        messages.error(request, _("Du har ikke tilgang til denne handlingen."))
    except ValidationError as exc:
        messages.error(
            request, _("Handlingen ble ikke utført: %(e)s") % {"e": "; ".join(exc.messages)}
        )
    else:
        messages.success(request, _("Lagret."))


def _valid(request, form) -> bool:
    """Whether a staff form is usable; if not, its errors are told to the user."""
    if form.is_valid():
        return True
    messages.error(request, _("Handlingen ble ikke utført: %(e)s") % {"e": form_errors(form)})
    return False


THEME_FORMS = {"rename": ThemeRenameForm, "merge": ThemeMergeForm, "split": ThemeSplitForm}
THEME_ACTIONS = {
    ThemeRenameForm: lambda r, d, u: decisions.rename_theme(r, d["theme"], d["label"], u),
    ThemeMergeForm: lambda r, d, u: decisions.merge_themes(r, d["themes"], d["label"], u),
    ThemeSplitForm: lambda r, d, u: decisions.split_theme(r, d["theme"], d["refs"], d["label"], u),
}


QUALITY_ROWS = {
    "all": gettext_lazy("Alle bekreftede"),
    "cold-start": gettext_lazy("Forslag fra strategiens ord"),
    "trained": gettext_lazy("Forslag fra modell trent på bekreftelser"),
}


def _shown(round: ConsultationRound, labels: list) -> list:
    """The labels with their titles in the reader's language (the tagger keeps bokmål)."""
    from dataclasses import replace

    from retning.strategy.models import localized

    titles = {
        obj.slug: localized(obj, "title")
        for model in (MainStrategy, FocusArea)
        for obj in model.objects.filter(strategy_id=round.strategy_id)
    }
    return [replace(label, title=titles.get(label.id, label.title)) for label in labels]


def _context(round: ConsultationRound, page: str, **extra) -> dict:
    last_run = AnalysisRun.objects.filter(round=round).order_by("-started_at", "-id").first()
    return {"round": round, "page": page, "last_run": last_run, **extra}


@login_required
@can_view
def overview(request, slug: str):
    round = _round(slug)
    if request.method == "POST":
        return _queue_analysis(request, round)
    labels = service.round_labels(round)
    submissions = list(service.analysed_submissions(round))
    tags = service.effective_tags(round, submissions)
    decided = service.decided_ids(round)
    groups = service.stored_groups(round)
    themes = service.current_themes(round)
    theme_set = theme_set_from_json(themes.data) if themes else None
    return render(
        request,
        "analysis/overview.html",
        _context(
            round,
            "overview",
            total=len(submissions),
            decided=len(decided & set(tags)),
            untagged=len(untagged(tags)),
            main_counts=count_by_label(
                [lb for lb in _shown(round, labels) if lb.kind == "main_strategy"], tags
            ),
            focus_counts=count_by_label(
                [lb for lb in _shown(round, labels) if lb.kind == "focus_area"], tags
            ),
            by_municipality=Counter(
                s.municipality.name if s.municipality else _("ikke oppgitt") for s in submissions
            ).most_common(),
            by_type=Counter(
                s.get_submitter_type_display() if s.submitter_type else _("ikke oppgitt")
                for s in submissions
            ).most_common(),
            late=sum(not s.counts_as_on_time for s in submissions),
            campaigns=sum(r.is_campaign for r, _ in groups),
            duplicates=sum(not r.is_campaign for r, _ in groups),
            in_groups=sum(g.size for _, g in groups),
            themes=len(themes.data["themes"]) if themes else 0,
            theme_list=theme_set.themes if theme_set else (),
            theme_checks=_theme_checks(theme_set, service.sender_names(submissions))
            if theme_set
            else [],
            quality=[
                (QUALITY_ROWS[kind], a) for kind, a in service.suggestion_quality(round, labels)
            ],
            can_tag=request.user.has_perm(review.TAG),
        ),
    )


def _queue_analysis(request, round: ConsultationRound):
    """Queue the round's analysis for the background worker (the button on the overview)."""
    if not request.user.has_perm(review.TAG):
        raise PermissionDenied
    if service.queue_analysis(round):
        messages.success(
            request,
            _(
                "Analysen er satt i kø og kjøres av bakgrunnsjobben; oppdater siden om litt "
                "for å se resultatet."
            ),
        )
    else:
        messages.info(request, _("Analysen står allerede i kø eller kjøres nå."))
    return redirect("staff-analysis", slug=round.slug)


@login_required
@can_view
def queue(request, slug: str):
    round = _round(slug)
    labels = service.round_labels(round)
    titles = {label.id: label.title for label in labels}
    if request.method == "POST":
        return _queue_post(request, round)
    decided = service.decided_ids(round)
    waiting = list(
        Submission.objects.filter(round=round, status__in=service.ANALYSED)
        .exclude(pk__in=decided)
        .filter(tag_suggestion__isnull=False)
        .order_by("-tag_suggestion__uncertainty", "number")
        .values_list("reference", flat=True)
    )
    campaign_of = {
        ref: record.key
        for record, group in service.stored_groups(round)
        if record.is_campaign
        for ref in group.refs
    }
    entries = collapse_campaigns(waiting, campaign_of)
    page = Paginator(entries, QUEUE_PAGE).get_page(request.GET.get("page"))
    shown = {
        s.reference: s
        for s in Submission.objects.filter(
            round=round, reference__in=[ref for ref, _copies in page.object_list]
        ).select_related("round", "tag_suggestion")
    }
    full = (
        AnalysisRun.objects.filter(round=round, kind=AnalysisRun.Kind.FULL)
        .order_by("-started_at", "-id")
        .first()
    )
    similar: dict[str, list[str]] = {}
    for a, b, _similarity in full.links if full else []:
        similar.setdefault(a, []).append(b)
        similar.setdefault(b, []).append(a)
    rows = []
    for ref, copies in page.object_list:
        s = shown[ref]
        suggestion = s.tag_suggestion
        listed = [*suggestion.labels, *suggestion.uncertain]
        top = top_two(suggestion.scores)
        rows.append(
            {
                "submission": s,
                "uncertainty": suggestion.uncertainty,
                "uncertainty_pct": suggestion.uncertainty * 100,
                "doubt": _doubt(suggestion.uncertainty, top, titles),
                "origin": suggestion.origin,
                "reasons": [
                    {
                        "id": label,
                        "title": titles.get(label, label),
                        "score": suggestion.scores.get(label, 0.0),
                        "words": suggestion.words.get(label, []),
                        "suggested": label in suggestion.labels,
                    }
                    for label in listed
                ],
                "suggested": set(suggestion.labels),
                "similar": [r for r in similar.get(s.reference, []) if r not in copies],
                "campaign": campaign_of.get(ref) if len(copies) > 1 else None,
                "copies": copies,
            }
        )
    return render(
        request,
        "analysis/queue.html",
        _context(
            round,
            "queue",
            rows=rows,
            queue_page=page,
            waiting=len(waiting),
            entries=len(entries),
            labels=labels,
            can_tag=request.user.has_perm(review.TAG),
            batch=service.RETRAIN_BATCH,
            since=service.confirmations_since_last_run(round),
        ),
    )


def _queue_post(request, round: ConsultationRound):
    """Confirm one proposal's tags, or the same tags for every copy of a campaign."""
    campaign = request.POST.get("action") == "confirm-campaign"
    form = (CampaignConfirmForm if campaign else ConfirmTagsForm)(request.POST, round=round)
    page_number = ""
    if _valid(request, form):
        data = form.cleaned_data
        page_number = data["page"] or ""

        def confirm():
            if campaign:
                done = service.confirm_campaign(round, data["group"], request.user, data["labels"])
                messages.info(
                    request,
                    ngettext(
                        "Merkingen er bekreftet for %(count)s kopi.",
                        "Merkingen er bekreftet for alle %(count)s kopiene.",
                        len(done),
                    )
                    % {"count": len(done)},
                )
            else:
                service.confirm_tags(data["submission"], request.user, data["labels"])
            if service.queue_retrain_if_due(round, request.user):
                messages.info(
                    request,
                    _(
                        "Ny trening av merkingen er satt i kø; forslagene beregnes på nytt med "
                        "de nye avgjørelsene i bakgrunnen."
                    ),
                )

        _act(request, confirm)
    target = reverse("staff-analysis-queue", args=[round.slug])
    return redirect(f"{target}?page={page_number}" if page_number else target)


def _doubt(uncertainty: float, top: list[tuple[str, float]], titles: dict[str, str]) -> str:
    """The model's doubt about one proposal in words: which two categories it weighs."""
    names = [titles.get(label, label) for label, _score in top]
    if len(top) < 2 or top[0][1] <= 0:
        return _("Modellen fant ingen kategori som passer godt.")
    figures = {
        "a": names[0],
        "b": names[1],
        "pa": format_percent(top[0][1] * 100, 0),
        "pb": format_percent(top[1][1] * 100, 0),
    }
    if uncertainty >= UNSURE:
        return (
            _(
                "Modellen er usikker: de to mest sannsynlige kategoriene er nesten like "
                "sannsynlige, «%(a)s» (%(pa)s) og «%(b)s» (%(pb)s)."
            )
            % figures
        )
    if uncertainty >= LEANING:
        return (
            _("Modellen heller mot «%(a)s» (%(pa)s), men «%(b)s» (%(pb)s) er også mulig.") % figures
        )
    return _("Modellen er ganske sikker på «%(a)s» (%(pa)s); neste er «%(b)s» (%(pb)s).") % figures


@login_required
@can_view
def campaigns(request, slug: str):
    round = _round(slug)
    user = request.user
    if request.method == "POST":
        if request.POST.get("action") == "merge":
            form = GroupMergeForm(request.POST, round=round)
            if _valid(request, form):
                _act(
                    request,
                    lambda: decisions.merge(round, form.cleaned_data["groups"], request.user),
                )
        else:
            form = GroupSplitForm(request.POST, round=round)
            if _valid(request, form):
                data = form.cleaned_data
                _act(request, lambda: decisions.split(round, data["group"], data["refs"], user))
        return redirect("staff-analysis-campaigns", slug=round.slug)
    groups = service.stored_groups(round)
    ids = {m.submission.reference: m.submission.pk for r, _ in groups for m in r.members.all()}
    return render(
        request,
        "analysis/campaigns.html",
        _context(
            round,
            "campaigns",
            groups=[
                {"record": r, "group": g, "copies": [(c, ids[c.ref]) for c in g.copies]}
                for r, g in groups
            ],
            can_tag=request.user.has_perm(review.TAG),
        ),
    )


@login_required
@can_view
def themes(request, slug: str):
    round = _round(slug)
    if request.method == "POST":
        user = request.user
        form_class = THEME_FORMS.get(request.POST.get("action", ""))
        if form_class is None:
            messages.error(request, _("Ukjent handling."))
        else:
            form = form_class(request.POST, round=round)
            if _valid(request, form):
                data = form.cleaned_data
                act = partial(THEME_ACTIONS[type(form)], round, data, user)
                _act(request, act)
        return redirect("staff-analysis-themes", slug=round.slug)
    current = service.current_themes(round)
    theme_set = theme_set_from_json(current.data) if current else None
    refs = {r for t in theme_set.themes for r in t.refs} if theme_set else set()
    everyone = list(Submission.objects.filter(round=round).select_related("round"))
    ids = {s.reference: s.pk for s in everyone if s.reference in refs}
    return render(
        request,
        "analysis/themes.html",
        _context(
            round,
            "themes",
            version=current,
            theme_set=theme_set,
            themes=[
                {
                    "theme": t,
                    "quotes": [(q, ids.get(q.ref)) for q in t.quotes],
                    "refs": [(r, ids.get(r)) for r in t.refs],
                }
                for t in theme_set.themes
            ]
            if theme_set
            else [],
            theme_checks=_theme_checks(theme_set, service.sender_names(everyone))
            if theme_set
            else [],
            max_themes=MAX_THEMES,
            min_size=min_theme_size(theme_set.total) if theme_set else 0,
            history=ThemeSetVersion.objects.filter(round=round)
            .select_related("created_by")
            .order_by("-version"),
            can_tag=request.user.has_perm(review.TAG),
        ),
    )


RULE_NAMES = {
    "too_many": gettext_lazy("Høyst %(most)s temaer"),
    "too_small": gettext_lazy(
        "Hvert tema gjelder minst %(least)s innspill (2 innspill eller 1 %%)"
    ),
    "overlap": gettext_lazy("Ingen to temaer gjelder stort sett de samme innspillene"),
    "same_label": gettext_lazy("Ingen to temaer har samme navn"),
    "person_name": gettext_lazy("Ingen tema har navn etter en innsender"),
}


def _theme_checks(theme_set: ThemeSet, names: list[str]) -> list[dict]:
    """Every rule of a usable theme set, kept or not, with the themes that break it."""
    problems = check_theme_set(theme_set, names)
    figures = {"most": MAX_THEMES, "least": min_theme_size(theme_set.total)}
    return [
        {
            "rule": RULE_NAMES[kind] % figures,
            "kept": not any(p.kind == kind for p in problems),
            "problems": [_theme_check(theme_set, p) for p in problems if p.kind == kind],
        }
        for kind in RULES
    ]


def _theme_check(theme_set: ThemeSet, problem: Problem) -> str:
    """One rule the theme set breaks, said in the reader's language with theme names."""
    names = [f"«{theme_set.get(i).label}»" for i in problem.theme_ids]
    if problem.kind == "too_many":
        return _("%(count)s temaer er for mange; høyst %(limit)s gir en oversikt.") % {
            "count": problem.count,
            "limit": problem.limit,
        }
    if problem.kind == "too_small":
        return _(
            "%(theme)s gjelder %(count)s innspill; et tema bør gjelde minst %(limit)s "
            "(2 innspill eller 1 %% av dem)."
        ) % {"theme": names[0], "count": problem.count, "limit": problem.limit}
    if problem.kind == "overlap":
        return _("%(a)s og %(b)s gjelder stort sett de samme innspillene.") % {
            "a": names[0],
            "b": names[1],
        }
    if problem.kind == "person_name":
        return _("%(theme)s har et ord fra en innsenders navn i navnet.") % {"theme": names[0]}
    return _("%(a)s og %(b)s har samme navn.") % {"a": names[0], "b": names[1]}


@login_required
@can_view
def sections(request, slug: str):
    round = _round(slug)
    if request.method == "POST":
        form = SectionForm(request.POST, round=round)
        if _valid(request, form):
            data = form.cleaned_data
            _act(
                request,
                lambda: decisions.save_section(round, data["label"], data["text"], request.user),
            )
            return redirect(f"{request.path}#s-{data['label']}")
        return redirect(request.path)
    labels = service.round_labels(round)
    submissions = list(service.analysed_submissions(round))
    tags = service.effective_tags(round, submissions)
    texts = {
        s.label: s for s in SectionText.objects.filter(round=round).select_related("updated_by")
    }
    return render(
        request,
        "analysis/sections.html",
        _context(
            round,
            "sections",
            sections=[
                {"label": lb, "count": count, "text": texts.get(lb.id)}
                for lb, count in count_by_label(labels, tags)
            ],
            can_tag=request.user.has_perm(review.TAG),
        ),
    )
