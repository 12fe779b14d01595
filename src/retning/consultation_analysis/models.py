"""The stored analysis of a consultation round and the staff decisions on it.

Suggestions are the model's (one current row per proposal, replaced by each run); the tags
that count are the staff's `SubmissionTag`s once a person has confirmed a proposal
(`TagConfirmation`). Duplicate groups, theme set versions and section texts keep who
decided what and when; round-level decisions are logged as `AnalysisEvent`s, decisions on
one proposal as the intake's `SubmissionEvent`s.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from retning.analysis.campaigns import CAMPAIGN_MIN_COPIES
from retning.consultation.models import ConsultationRound, Submission


class AnalysisRun(models.Model):
    """One run of the analysis (or a retraining of the tagger) and what it found."""

    class Kind(models.TextChoices):
        FULL = "full", _("full analyse")
        RETRAIN = "retrain", _("ny trening av merkingen")

    round = models.ForeignKey(
        ConsultationRound, on_delete=models.CASCADE, related_name="analysis_runs"
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.FULL)
    model_version = models.CharField(_("modellversjon"), max_length=100)
    started_at = models.DateTimeField(_("startet"))
    finished_at = models.DateTimeField(_("ferdig"))
    submissions = models.PositiveIntegerField(_("innspill"), default=0)
    suggested = models.PositiveIntegerField(_("med forslag"), default=0)
    confirmed_examples = models.PositiveIntegerField(_("bekreftede eksempler"), default=0)
    groups = models.PositiveIntegerField(_("grupper av like innspill"), default=0)
    campaigns = models.PositiveIntegerField(_("kampanjer"), default=0)
    themes = models.PositiveIntegerField(_("temaer"), default=0)
    # Similar-proposal links [[ref, ref, similarity], …] between non-identical texts.
    links = models.JSONField(default=list, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("analysekjøring")
        verbose_name_plural = _("analysekjøringer")

    def __str__(self) -> str:
        return f"{self.round} {self.started_at:%Y-%m-%d %H:%M} ({self.model_version})"


class TagSuggestionRecord(models.Model):
    """The model's current suggestion for one proposal, with scores and the words behind it."""

    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, related_name="tag_suggestion"
    )
    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="suggestions")
    labels = models.JSONField(default=list)
    scores = models.JSONField(default=dict)
    words = models.JSONField(default=dict)
    uncertain = models.JSONField(default=list)
    uncertainty = models.FloatField(default=0.0, db_index=True)
    origin = models.CharField(_("modellversjon"), max_length=100)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("forslag til merking")
        verbose_name_plural = _("forslag til merking")

    def __str__(self) -> str:
        return f"{self.submission_id}: {', '.join(self.labels)}"


class TagConfirmation(models.Model):
    """A person has decided a proposal's complete set of tags (possibly none).

    The tags themselves are the proposal's `SubmissionTag`s with origin "person"; this row
    says the set is decided, and the confirmed examples the tagger is trained on.
    """

    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, related_name="tag_confirmation"
    )
    labels = models.JSONField(default=list)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("bekreftet"))
    # The suggestion the person saw, so quality can be measured against decisions.
    suggested = models.JSONField(default=list, blank=True)
    suggested_by = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("bekreftet merking")
        verbose_name_plural = _("bekreftede merkinger")

    def __str__(self) -> str:
        return f"{self.submission_id}: {', '.join(self.labels)}"


class DuplicateGroupRecord(models.Model):
    """Proposals sent in (nearly) the same words; three or more copies make a campaign."""

    round = models.ForeignKey(
        ConsultationRound, on_delete=models.CASCADE, related_name="duplicate_groups"
    )
    key = models.CharField(max_length=20)
    template = models.JSONField(default=list)
    size = models.PositiveIntegerField(default=0)
    # Empty for a group found by the analysis; a user name once staff split or merged it.
    decided_by = models.CharField(_("bestemt av"), max_length=150, blank=True)
    run = models.ForeignKey(
        AnalysisRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-size", "key"]
        constraints = [models.UniqueConstraint(fields=["round", "key"], name="group_unique_key")]
        verbose_name = _("gruppe av like innspill")
        verbose_name_plural = _("grupper av like innspill")

    def __str__(self) -> str:
        return self.key

    @property
    def is_campaign(self) -> bool:
        return self.size >= CAMPAIGN_MIN_COPIES


class GroupMember(models.Model):
    group = models.ForeignKey(
        DuplicateGroupRecord, on_delete=models.CASCADE, related_name="members"
    )
    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, related_name="duplicate_group"
    )
    position = models.PositiveIntegerField(default=0)
    additions = models.JSONField(default=list)
    exact = models.BooleanField(default=False)

    class Meta:
        ordering = ["group", "position"]

    def __str__(self) -> str:
        return f"{self.group.key}: {self.submission_id}"


class ThemeSetVersion(models.Model):
    """One version of a round's theme set (the analysis makes one, each staff change one)."""

    round = models.ForeignKey(
        ConsultationRound, on_delete=models.CASCADE, related_name="theme_sets"
    )
    version = models.PositiveIntegerField()
    # The serialised `analysis.themes.ThemeSet` (see `serial.py`).
    data = models.JSONField()
    action = models.CharField(max_length=20)
    detail = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    run = models.ForeignKey(
        AnalysisRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["round", "version"], name="themeset_unique_version")
        ]
        verbose_name = _("versjon av temaene")
        verbose_name_plural = _("versjoner av temaene")

    def __str__(self) -> str:
        return f"{self.round} v{self.version}"


class SectionText(models.Model):
    """The summary of one main strategy or focus area in the høringsoppsummering."""

    class Status(models.TextChoices):
        AI_DRAFT = "ai_draft", _("KI-utkast, ikke godkjent")
        PERSON = "person", _("skrevet eller godkjent av saksbehandler")

    round = models.ForeignKey(
        ConsultationRound, on_delete=models.CASCADE, related_name="section_texts"
    )
    label = models.SlugField(_("hovedstrategi eller fokusområde"))
    text = models.TextField(_("tekst"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # "ai-draft:MODEL" when the text began as an AI draft, else empty.
    drafted_by = models.CharField(max_length=150, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "label"]
        constraints = [
            models.UniqueConstraint(fields=["round", "label"], name="section_unique_label")
        ]
        verbose_name = _("tekst i høringsoppsummeringen")
        verbose_name_plural = _("tekster i høringsoppsummeringen")

    def __str__(self) -> str:
        return f"{self.round}: {self.label}"


class AnalysisEvent(models.Model):
    """A decision on a round's analysis: who, when, what, before → after."""

    round = models.ForeignKey(
        ConsultationRound, on_delete=models.CASCADE, related_name="analysis_events"
    )
    action = models.CharField(_("handling"), max_length=30)
    before = models.TextField(_("før"), blank=True)
    after = models.TextField(_("etter"), blank=True)
    detail = models.TextField(_("merknad"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who acted when no user did: "analyse" (the command) or a model version.
    by = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("hendelse i analysen")
        verbose_name_plural = _("hendelser i analysen")

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"


class LlmTagAnswer(models.Model):
    """A language model's categories for one scrubbed text: asked once per text, model and
    category set (the key hashes all three), never again."""

    key = models.CharField(max_length=64, unique=True)
    model = models.CharField(max_length=200)
    labels = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("svar fra språkmodell")
        verbose_name_plural = _("svar fra språkmodell")

    def __str__(self) -> str:
        return f"{self.model}: {', '.join(self.labels)}"
