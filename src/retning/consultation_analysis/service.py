"""Running the analysis of a round and storing it; the decisions staff make on it.

`analyse()` is what `retning analyse --round SLUG` runs: the round's proposals (body and
attachment text) go through `analysis.pipeline.analyse_round()` with a tagger trained on
every staff-confirmed proposal of the strategy, and the results replace the previous
automatic ones. Staff decisions are never overwritten: confirmed tags are the person's,
groups staff split or merged stay as they are, and a theme set staff edited gets a new
version only when the analysis finds different themes.

Retraining rule: after every `RETRAIN_BATCH` confirmations since the last run, the tagger
is retrained on all confirmations and the suggestions of the round are renewed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from retning.analysis.campaigns import Document, DuplicateGroup, describe_group
from retning.analysis.cleaning import Cleaned, clean_document
from retning.analysis.evaluation import Agreement, agreement
from retning.analysis.labels import Label
from retning.analysis.llm import LlmClient
from retning.analysis.llm_tagging import LlmTagger
from retning.analysis.pipeline import analyse_round
from retning.analysis.tagging import Tagger, TagSuggestion
from retning.analysis.text import tokenize
from retning.analysis.themes import ThemeSet
from retning.analysis.trained import Example
from retning.consultation import review
from retning.consultation.models import (
    Attachment,
    ConsultationRound,
    Submission,
    SubmissionEvent,
    SubmissionTag,
)
from retning.consultation_analysis.models import (
    AnalysisEvent,
    AnalysisRun,
    DuplicateGroupRecord,
    GroupMember,
    LlmTagAnswer,
    TagConfirmation,
    TagSuggestionRecord,
    ThemeSetVersion,
)
from retning.consultation_analysis.serial import (
    group_from_parts,
    theme_set_from_json,
    theme_set_to_json,
)
from retning.strategy.models import FocusArea, MainStrategy, Municipality

# Proposals that are analysed: everything registered that staff have not rejected or
# marked as a repeat of another proposal by the same sender.
ANALYSED = (Submission.Status.RECEIVED, Submission.Status.REGISTERED)
RETRAIN_BATCH = 10


def require(user, permission: str = review.TAG) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied(permission)


def round_labels(round: ConsultationRound) -> list[Label]:
    """The strategy's main strategies (by number) then focus areas, as the tagger knows them."""
    labels = [
        Label(m.slug, "main_strategy", m.title, m.description, tuple(m.keywords))
        for m in MainStrategy.objects.filter(strategy_id=round.strategy_id).order_by("number")
    ]
    labels += [
        Label(f.slug, "focus_area", f.title, f.description, tuple(f.keywords))
        for f in FocusArea.objects.filter(strategy_id=round.strategy_id).order_by("position")
    ]
    return labels


def round_places(round: ConsultationRound) -> frozenset[str]:
    names = [round.strategy.region.name]
    names += Municipality.objects.filter(region_id=round.strategy.region_id).values_list(
        "name", flat=True
    )
    return frozenset(word for name in names for word in tokenize(name))


def analysed_submissions(round: ConsultationRound):
    return (
        Submission.objects.filter(round=round, status__in=ANALYSED)
        .select_related("round", "municipality")
        .order_by("number")
    )


def cleaned_texts(submissions: Sequence[Submission]) -> dict[int, Cleaned]:
    """Each proposal's text to analyse, cleaned of greetings, signatures, quoted e-mails,
    disclaimers and the sender's name (`analysis.cleaning`), with what was removed: the
    body followed by its attachments' text. The stored text is never changed."""
    attached: dict[int, list[str]] = {}
    rows = (
        Attachment.objects.filter(submission__in=[s.pk for s in submissions])
        .exclude(text="")
        .order_by("id")
        .values_list("submission_id", "text")
    )
    for submission_id, text in rows:
        attached.setdefault(submission_id, []).append(text)
    return {
        s.pk: clean_document(s.text, attached.get(s.pk, []), [s.name] if s.name else [])
        for s in submissions
    }


def texts_of(submissions: Sequence[Submission]) -> dict[int, str]:
    """Each proposal's text as the analysis reads it (see `cleaned_texts`)."""
    return {pk: cleaned.text for pk, cleaned in cleaned_texts(submissions).items()}


def sender_names(submissions: Iterable[Submission]) -> list[str]:
    """The senders' names: never a theme's name or one of its key words."""
    return sorted({s.name for s in submissions if s.name})


def confirmed_examples(round: ConsultationRound) -> list[Example]:
    """Every proposal of the strategy whose tags a person confirmed, oldest first."""
    confirmations = list(
        TagConfirmation.objects.filter(submission__round__strategy_id=round.strategy_id)
        .select_related("submission")
        .order_by("confirmed_at", "id")
    )
    texts = texts_of([c.submission for c in confirmations])
    return [Example(texts[c.submission_id], frozenset(c.labels)) for c in confirmations]


def tagger_for(round: ConsultationRound) -> Tagger:
    return Tagger(round_labels(round), confirmed_examples(round), ignore=round_places(round))


@dataclass(frozen=True)
class Loaded:
    submissions: list[Submission]
    documents: list[Document]

    @property
    def by_ref(self) -> dict[str, Submission]:
        return {s.reference: s for s in self.submissions}


def load(round: ConsultationRound) -> Loaded:
    submissions = list(analysed_submissions(round))
    texts = texts_of(submissions)
    return Loaded(submissions, [Document(s.reference, texts[s.pk]) for s in submissions])


def _event(round, action: str, user=None, *, by: str = "", before="", after="", detail=""):
    AnalysisEvent.objects.create(
        round=round,
        action=action,
        before=str(before),
        after=str(after),
        detail=detail,
        actor=user if getattr(user, "is_authenticated", False) else None,
        by=by or (user.get_username() if getattr(user, "is_authenticated", False) else ""),
    )


def _store_suggestions(
    run: AnalysisRun, loaded: Loaded, suggestions: dict[str, TagSuggestion]
) -> None:
    by_ref = loaded.by_ref
    # Round-wide: a proposal rejected since the last run keeps no stale suggestion.
    TagSuggestionRecord.objects.filter(submission__round=run.round).delete()
    TagSuggestionRecord.objects.bulk_create(
        [
            TagSuggestionRecord(
                submission=by_ref[ref],
                run=run,
                labels=list(s.labels),
                scores={k: round(v, 4) for k, v in s.scores.items()},
                words={k: list(v) for k, v in s.words.items()},
                uncertain=list(s.uncertain),
                uncertainty=s.uncertainty,
                origin=s.origin,
            )
            for ref, s in suggestions.items()
        ],
        batch_size=500,
    )


def _save_group(round, group: DuplicateGroup, by_ref, run=None, decided_by="") -> None:
    record = DuplicateGroupRecord.objects.create(
        round=round,
        key=group.id,
        template=list(group.template),
        size=group.size,
        decided_by=decided_by,
        run=run,
    )
    GroupMember.objects.bulk_create(
        GroupMember(
            group=record,
            submission=by_ref[c.ref],
            position=i,
            additions=list(c.additions),
            exact=c.exact,
        )
        for i, c in enumerate(group.copies)
    )


def _store_groups(run: AnalysisRun, loaded: Loaded, groups: list[DuplicateGroup]) -> int:
    """Automatic groups are replaced; proposals in a group staff decided stay there."""
    round = run.round
    DuplicateGroupRecord.objects.filter(round=round, decided_by="").delete()
    fixed = set(
        GroupMember.objects.filter(group__round=round).values_list("submission_id", flat=True)
    )
    by_ref = loaded.by_ref
    texts = {d.ref: d.text for d in loaded.documents}
    stored = 0
    for group in groups:
        free = [ref for ref in group.refs if by_ref[ref].pk not in fixed]
        if len(free) < 2:
            continue
        if len(free) < group.size:
            group = describe_group([Document(ref, texts[ref]) for ref in free])
        _save_group(round, group, by_ref, run)
        stored += 1
    return stored


def current_themes(round: ConsultationRound) -> ThemeSetVersion | None:
    return ThemeSetVersion.objects.filter(round=round).order_by("-version").first()


def _store_themes(run: AnalysisRun, found: ThemeSet) -> None:
    """A new version only when the analysis finds other themes than the last analysis did;
    names staff gave to themes with the same proposals are kept."""
    round = run.round
    latest = current_themes(round)
    last_analysed = (
        ThemeSetVersion.objects.filter(round=round, action="analyse").order_by("-version").first()
    )
    if last_analysed is not None:
        previous = theme_set_from_json(last_analysed.data)
        if [t.refs for t in previous.themes] == [t.refs for t in found.themes]:
            return
    version = latest.version + 1 if latest else 1
    named = {}
    if latest is not None:
        named = {t.id: t for t in theme_set_from_json(latest.data).themes if t.label_by != "auto"}
    themes = tuple(
        replace(t, label=named[t.id].label, label_by=named[t.id].label_by) if t.id in named else t
        for t in found.themes
    )
    data = theme_set_to_json(ThemeSet(version, themes, found.total))
    ThemeSetVersion.objects.create(
        round=round,
        version=version,
        data=data,
        action="analyse",
        detail=f"{len(themes)} temaer ({run.model_version})",
        run=run,
    )


@transaction.atomic
def analyse(round: ConsultationRound, user=None) -> AnalysisRun:
    """Run the whole analysis of a round and store it (safe to run again)."""
    started = timezone.now()
    loaded = load(round)
    tagger = tagger_for(round)
    result = analyse_round(loaded.documents, tagger, names=sender_names(loaded.submissions))
    run = AnalysisRun.objects.create(
        round=round,
        kind=AnalysisRun.Kind.FULL,
        model_version=result.tagger_version,
        started_at=started,
        finished_at=started,
        submissions=len(loaded.submissions),
        suggested=sum(bool(s.labels) for s in result.suggestions.values()),
        confirmed_examples=len(tagger.examples),
        themes=len(result.themes.themes),
        links=[[link.a, link.b, link.similarity] for link in result.links],
        started_by=user if getattr(user, "is_authenticated", False) else None,
    )
    _store_suggestions(run, loaded, result.suggestions)
    run.groups = _store_groups(run, loaded, result.groups)
    run.campaigns = DuplicateGroupRecord.objects.filter(round=round, size__gte=3).count()
    _store_themes(run, result.themes)
    run.finished_at = timezone.now()
    run.save()
    _event(round, "analyse", user, by="analyse", after=run.model_version, detail=_counts(run))
    return run


def _counts(run: AnalysisRun) -> str:
    return (
        f"{run.submissions} innspill, {run.suggested} med forslag, "
        f"{run.confirmed_examples} bekreftede eksempler, {run.groups} grupper, "
        f"{run.themes} temaer"
    )


@transaction.atomic
def retrain(round: ConsultationRound, user=None) -> AnalysisRun:
    """Retrain the tagger on all confirmations and renew the round's suggestions."""
    started = timezone.now()
    loaded = load(round)
    tagger = tagger_for(round)
    suggestions = dict(
        zip(
            (d.ref for d in loaded.documents),
            tagger.suggest_many([d.text for d in loaded.documents]),
            strict=True,
        )
    )
    run = AnalysisRun.objects.create(
        round=round,
        kind=AnalysisRun.Kind.RETRAIN,
        model_version=tagger.version,
        started_at=started,
        finished_at=timezone.now(),
        submissions=len(loaded.submissions),
        suggested=sum(bool(s.labels) for s in suggestions.values()),
        confirmed_examples=len(tagger.examples),
        started_by=user if getattr(user, "is_authenticated", False) else None,
    )
    _store_suggestions(run, loaded, suggestions)
    _event(round, "retrain", user, by=tagger.version, after=tagger.version, detail=_counts(run))
    return run


def suggestion_quality(
    round: ConsultationRound, labels: Sequence[Label] | None = None
) -> list[tuple[str, Agreement]]:
    """The suggestions staff saw against their decisions in this round: for all
    confirmations, then for those made from the strategy's words alone and those made by a
    model trained on confirmations (when both kinds occur). `labels`: the round's, when
    the caller has them already."""
    label_ids = [label.id for label in (round_labels(round) if labels is None else labels)]
    rows = TagConfirmation.objects.filter(submission__round=round).exclude(suggested_by="")
    by_kind: dict[str, list[tuple[list[str], list[str]]]] = {}
    for suggested, decided, origin in rows.values_list("suggested", "labels", "suggested_by"):
        kind = "trained" if origin.startswith("trained") else "cold-start"
        by_kind.setdefault(kind, []).append((suggested, decided))
    everything = [pair for pairs in by_kind.values() for pair in pairs]
    if not everything:
        return []
    kinds = sorted(by_kind.items()) if len(by_kind) > 1 else []
    return [("all", agreement(label_ids, everything))] + [
        (kind, agreement(label_ids, pairs)) for kind, pairs in kinds
    ]


def confirmations_since_last_run(round: ConsultationRound) -> int:
    last = AnalysisRun.objects.filter(round=round).order_by("-started_at", "-id").first()
    confirmations = TagConfirmation.objects.filter(submission__round=round)
    if last is not None:
        confirmations = confirmations.filter(confirmed_at__gt=last.started_at)
    return confirmations.count()


def retrain_if_due(round: ConsultationRound, user=None) -> AnalysisRun | None:
    """The documented rule: every RETRAIN_BATCH confirmations renew the suggestions."""
    if confirmations_since_last_run(round) >= RETRAIN_BATCH:
        return retrain(round, user)
    return None


def queue_retrain_if_due(round: ConsultationRound, user=None) -> bool:
    """The same rule for staff on the web: the retraining is queued for `retning worker`
    instead of running in the request; once per round until a worker has run it."""
    from retning.core.tasks import is_waiting, retrain_tagger

    if confirmations_since_last_run(round) < RETRAIN_BATCH or is_waiting(
        retrain_tagger, round=round.slug
    ):
        return False
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    retrain_tagger.enqueue(round=round.slug, user_id=user_id)
    return True


def queue_analysis(round: ConsultationRound) -> bool:
    """Staff ask for the round to be analysed (anew): queued for `retning worker`, as
    `retning enqueue analyse` does; False when a run is already queued or running."""
    from retning.core.tasks import analyse_round, is_waiting

    if is_waiting(analyse_round, round=round.slug):
        return False
    analyse_round.enqueue(round=round.slug)
    return True


@transaction.atomic
def confirm_tags(submission: Submission, user, labels: Iterable[str]) -> TagConfirmation:
    """A person decides a proposal's complete set of tags; the person's tags then count."""
    require(user)
    wanted = set(labels)
    known = {label.id: label for label in round_labels(submission.round)}
    unknown = wanted - known.keys()
    if unknown:
        raise ValidationError(
            _("Ingen hovedstrategi eller fokusområde heter %(label)s.")
            % {"label": ", ".join(sorted(unknown))}
        )
    strategy_id = submission.round.strategy_id
    person = submission.tags.filter(origin=SubmissionTag.Origin.PERSON).select_related(
        "main_strategy", "focus_area"
    )
    have = {(t.main_strategy or t.focus_area).slug: t for t in person}
    before = sorted(have)
    for slug, tag in have.items():
        if slug not in wanted:
            review.untag(submission, user, tag.pk)
    for slug in sorted(wanted - have.keys()):
        if known[slug].kind == "main_strategy":
            target = MainStrategy.objects.get(strategy_id=strategy_id, slug=slug)
            review.tag(submission, user, main_strategy=target)
        else:
            target = FocusArea.objects.get(strategy_id=strategy_id, slug=slug)
            review.tag(submission, user, focus_area=target)
    suggestion = TagSuggestionRecord.objects.filter(submission=submission).first()
    confirmation, _created = TagConfirmation.objects.update_or_create(
        submission=submission,
        defaults={
            "labels": sorted(wanted),
            "confirmed_by": user,
            "confirmed_at": timezone.now(),
            "suggested": suggestion.labels if suggestion else [],
            "suggested_by": suggestion.origin if suggestion else "",
        },
    )
    SubmissionEvent.objects.create(
        submission=submission,
        item_id=submission.item_id,
        action="confirm-tags",
        before=", ".join(before),
        after=", ".join(sorted(wanted)) or "–",
        detail=(
            f"forslag fra {suggestion.origin}: {', '.join(suggestion.labels) or '–'}"
            if suggestion
            else ""
        ),
        actor=user,
        via=SubmissionEvent.Via.STAFF,
    )
    return confirmation


def confirm_campaign(
    round: ConsultationRound, key: str, user, labels: Iterable[str]
) -> list[TagConfirmation]:
    """One decision for every copy of a campaign: each copy gets the same tags, recorded on
    each copy as its own confirmation (so counts per proposal stay right)."""
    require(user)
    record = DuplicateGroupRecord.objects.filter(round=round, key=key).first()
    if record is None:
        raise ValidationError(_("Gruppen %(group)s finnes ikke i denne høringen.") % {"group": key})
    wanted = list(labels)
    with transaction.atomic():
        return [
            confirm_tags(member.submission, user, wanted)
            for member in record.members.select_related("submission__round__strategy").order_by(
                "submission__number"
            )
        ]


def effective_tags(round: ConsultationRound, submissions: Sequence[Submission]) -> dict[int, list]:
    """The tags that count per proposal id: a person's (confirmed, or tagged by hand) win
    over the model's suggestion."""
    ids = [s.pk for s in submissions]
    person: dict[int, list[str]] = {}
    rows = SubmissionTag.objects.filter(
        submission_id__in=ids, origin=SubmissionTag.Origin.PERSON
    ).values_list("submission_id", "main_strategy__slug", "focus_area__slug")
    for submission_id, main, focus in rows:
        person.setdefault(submission_id, []).append(main or focus)
    confirmed = set(
        TagConfirmation.objects.filter(submission_id__in=ids).values_list(
            "submission_id", flat=True
        )
    )
    suggested = dict(
        TagSuggestionRecord.objects.filter(submission_id__in=ids).values_list(
            "submission_id", "labels"
        )
    )
    out = {}
    for i in ids:
        if i in confirmed or i in person:
            out[i] = sorted(person.get(i, []))
        else:
            out[i] = list(suggested.get(i, []))
    return out


def decided_ids(round: ConsultationRound) -> set[int]:
    """Proposals whose tags a person has decided (confirmed, or tagged by hand)."""
    return set(
        Submission.objects.filter(round=round)
        .filter(Q(tag_confirmation__isnull=False) | Q(tags__origin=SubmissionTag.Origin.PERSON))
        .values_list("pk", flat=True)
    )


def stored_groups(round: ConsultationRound) -> list[tuple[DuplicateGroupRecord, DuplicateGroup]]:
    """The round's groups of two or more, as records and as the analysis package's groups."""
    records = list(
        DuplicateGroupRecord.objects.filter(round=round, size__gte=2).prefetch_related(
            "members__submission__round"
        )
    )
    return [
        (
            r,
            group_from_parts(
                r.key,
                r.template,
                [(m.submission.reference, m.additions, m.exact) for m in r.members.all()],
            ),
        )
        for r in records
    ]


class _StoredAnswers(dict):
    """The language model's cached answers for one model, written to the database as they
    come, so that a run stopped by a timeout keeps what it was told."""

    def __init__(self, model: str):
        super().__init__(
            (key, tuple(labels))
            for key, labels in LlmTagAnswer.objects.filter(model=model).values_list("key", "labels")
        )
        self.model = model

    def __setitem__(self, key: str, labels: tuple[str, ...]) -> None:
        LlmTagAnswer.objects.update_or_create(
            key=key, defaults={"model": self.model, "labels": list(labels)}
        )
        super().__setitem__(key, labels)


def suggest_with_language_model(round: ConsultationRound, client: LlmClient) -> tuple[int, int]:
    """Tags from the optional language model for every analysed proposal no person has
    decided: from the cleaned and scrubbed text, cached, stored as tags with origin
    "llm" beside the built-in suggestions (they never replace a person's decision).
    Returns (proposals tagged, requests sent); an `LlmError` stops it with its reason."""
    labels = round_labels(round)
    decided = decided_ids(round)
    todo = [s for s in analysed_submissions(round) if s.pk not in decided]
    texts = texts_of(todo)
    tagger = LlmTagger(client, labels, _StoredAnswers(client.config.model))
    main = {m.slug: m for m in MainStrategy.objects.filter(strategy_id=round.strategy_id)}
    focus = {f.slug: f for f in FocusArea.objects.filter(strategy_id=round.strategy_id)}
    tagged = 0
    for submission in todo:
        found = tagger.suggest(texts[submission.pk], [submission.name] if submission.name else [])
        with transaction.atomic():
            submission.tags.filter(origin=SubmissionTag.Origin.LANGUAGE_MODEL).delete()
            SubmissionTag.objects.bulk_create(
                SubmissionTag(
                    submission=submission,
                    main_strategy=main.get(slug),
                    focus_area=None if slug in main else focus[slug],
                    origin=SubmissionTag.Origin.LANGUAGE_MODEL,
                    origin_detail=tagger.origin,
                )
                for slug in found
            )
        tagged += bool(found)
    _event(round, "llm-tags", by=tagger.origin, after=f"{tagged}/{len(todo)}")
    return tagged, tagger.calls
