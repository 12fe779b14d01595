"""Staff pages for a round's analysis: the overview with counts, the review queue ordered by
uncertainty, campaigns, themes and the section texts of the høringsoppsummering.

Reading needs the view permission; every change needs the tag permission (checked again in
`service`/`decisions`) and is recorded there.
"""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
from retning.consultation_analysis.models import AnalysisRun, SectionText, ThemeSetVersion
from retning.consultation_analysis.serial import theme_set_from_json
from retning.strategy.models import FocusArea, MainStrategy
from retning.strategy.selectors import current_strategy

can_view = permission_required(review.VIEW, raise_exception=True)
QUEUE_PAGE = 50


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
    labels = service.round_labels(round)
    submissions = list(service.analysed_submissions(round))
    tags = service.effective_tags(round, submissions)
    decided = service.decided_ids(round)
    per_label = Counter(label for ids in tags.values() for label in set(ids))
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
            untagged=sum(not ids for ids in tags.values()),
            main_counts=[
                (lb, per_label[lb.id]) for lb in _shown(round, labels) if lb.kind == "main_strategy"
            ],
            focus_counts=[
                (lb, per_label[lb.id]) for lb in _shown(round, labels) if lb.kind == "focus_area"
            ],
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
        ),
    )


@login_required
@can_view
def queue(request, slug: str):
    round = _round(slug)
    labels = service.round_labels(round)
    titles = {label.id: label.title for label in labels}
    if request.method == "POST":
        number = request.POST.get("submission", "")
        submission = get_object_or_404(
            Submission, round=round, pk=int(number) if number.isdigit() else 0
        )

        def confirm():
            service.confirm_tags(submission, request.user, request.POST.getlist("labels"))
            if service.retrain_if_due(round, request.user):
                messages.info(request, _("Forslagene er beregnet på nytt med de nye avgjørelsene."))

        _act(request, confirm)
        target = reverse("staff-analysis-queue", args=[round.slug])
        page_number = request.POST.get("page", "")
        return redirect(f"{target}?page={page_number}" if page_number.isdigit() else target)
    decided = service.decided_ids(round)
    waiting = (
        Submission.objects.filter(round=round, status__in=service.ANALYSED)
        .exclude(pk__in=decided)
        .filter(tag_suggestion__isnull=False)
        .select_related("round", "tag_suggestion")
        .order_by("-tag_suggestion__uncertainty", "number")
    )
    page = Paginator(waiting, QUEUE_PAGE).get_page(request.GET.get("page"))
    count = page.paginator.count
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
    for s in page.object_list:
        suggestion = s.tag_suggestion
        shown = [*suggestion.labels, *suggestion.uncertain]
        rows.append(
            {
                "submission": s,
                "uncertainty": suggestion.uncertainty * 100,
                "origin": suggestion.origin,
                "reasons": [
                    {
                        "id": label,
                        "title": titles.get(label, label),
                        "score": suggestion.scores.get(label, 0.0),
                        "words": suggestion.words.get(label, []),
                        "suggested": label in suggestion.labels,
                    }
                    for label in shown
                ],
                "suggested": set(suggestion.labels),
                "similar": similar.get(s.reference, []),
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
            waiting=count,
            labels=labels,
            can_tag=request.user.has_perm(review.TAG),
            batch=service.RETRAIN_BATCH,
            since=service.confirmations_since_last_run(round),
        ),
    )


@login_required
@can_view
def campaigns(request, slug: str):
    round = _round(slug)
    if request.method == "POST":
        if request.POST.get("action") == "merge":
            _act(
                request,
                lambda: decisions.merge(round, request.POST.getlist("groups"), request.user),
            )
        else:
            _act(
                request,
                lambda: decisions.split(
                    round, request.POST.get("group", ""), request.POST.getlist("refs"), request.user
                ),
            )
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
        post, user = request.POST, request.user
        action = post.get("action")
        if action == "rename":
            _act(
                request,
                lambda: decisions.rename_theme(
                    round, post.get("theme", ""), post.get("label", ""), user
                ),
            )
        elif action == "merge":
            _act(
                request,
                lambda: decisions.merge_themes(
                    round, post.getlist("themes"), post.get("label", ""), user
                ),
            )
        elif action == "split":
            refs = [r.strip() for r in post.get("refs", "").replace(";", ",").split(",")]
            _act(
                request,
                lambda: decisions.split_theme(
                    round, post.get("theme", ""), refs, post.get("label", ""), user
                ),
            )
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
        _act(
            request,
            lambda: decisions.save_section(
                round, request.POST.get("label", ""), request.POST.get("text", ""), request.user
            ),
        )
        return redirect(f"{request.path}#s-{request.POST.get('label', '')}")
    labels = service.round_labels(round)
    submissions = list(service.analysed_submissions(round))
    tags = service.effective_tags(round, submissions)
    per_label = Counter(label for ids in tags.values() for label in set(ids))
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
                {"label": lb, "count": per_label[lb.id], "text": texts.get(lb.id)} for lb in labels
            ],
            can_tag=request.user.has_perm(review.TAG),
        ),
    )
