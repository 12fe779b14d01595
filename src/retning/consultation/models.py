"""Consultation rounds (høringsrunder), what reaches us (ReceivedItem), proposals (Submission).

Slim models: state changes live in `intake.py` (store, parse, register) and `review.py`
(staff actions), each recorded as a SubmissionEvent.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retning.consultation import deadline
from retning.strategy.models import FocusArea, MainStrategy, Municipality, Strategy


class ConsultationRound(models.Model):
    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="consultation_rounds"
    )
    slug = models.SlugField(_("id"))
    title = models.CharField(_("tittel"), max_length=300)
    title_en = models.CharField(_("tittel (engelsk)"), max_length=300, blank=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    description_en = models.TextField(_("beskrivelse (engelsk)"), blank=True)
    opens_on = models.DateField(_("åpner"), null=True, blank=True)
    # The last moment a proposal is on time (inclusive), an aware datetime.
    deadline = models.DateTimeField(_("frist"))
    email_address = models.EmailField(_("e-postadresse"), blank=True)
    email_subject = models.CharField(_("emne for e-post"), max_length=200, blank=True)
    contact_name = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    web_form = models.BooleanField(_("skjema på nett"), default=False)
    document_url = models.URLField(_("høringsdokument"), blank=True)
    # Set by staff in the admin; the strategy file does not touch these.
    closed = models.BooleanField(
        _("stengt"), default=False, help_text=_("Steng for nye innspill før fristen.")
    )
    subject_pattern = models.CharField(
        _("emnemønster"),
        max_length=200,
        blank=True,
        help_text=_("Emnet e-post må ha for å bli registrert. Tomt: emnet for e-post."),
    )
    send_receipts = models.BooleanField(
        _("send kvittering på e-post"), default=False, help_text=_("Av som standard.")
    )
    page_text = models.TextField(_("tekst på høringssiden"), blank=True)
    retention_days = models.PositiveIntegerField(
        _("oppbevaring (dager etter fristen)"),
        null=True,
        blank=True,
        help_text=_("Personopplysninger slettes så mange dager etter fristen. Tomt: behold."),
    )
    # The year in the round's reference numbers (H-YEAR-NNNN): the deadline's year when the
    # first proposal was registered, then fixed, so a moved deadline changes no number.
    reference_year = models.PositiveSmallIntegerField(
        _("år i referansenumrene"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Settes av det første innspillet; endres ikke når fristen flyttes."),
    )

    class Meta:
        ordering = ["-deadline"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "slug"], name="round_unique_slug")
        ]
        verbose_name = _("høringsrunde")
        verbose_name_plural = _("høringsrunder")

    def __str__(self) -> str:
        return self.title

    def is_open(self, at: dt.datetime | None = None) -> bool:
        """The one rule for "does this round accept proposals now?"."""
        at = at or timezone.now()
        if self.closed:
            return False
        if self.opens_on and timezone.localdate(at) < self.opens_on:
            return False
        return at <= self.deadline

    @property
    def subject_to_match(self) -> str:
        return self.subject_pattern or self.email_subject

    @property
    def accepts_web_form(self) -> bool:
        return self.web_form and self.is_open()


class Channel(models.TextChoices):
    EMAIL = "email", _("e-post")
    WEB = "web", _("skjema")


class ArrivalSource(models.TextChoices):
    """Where a received item's arrival time came from (see `deadline.arrival_time`)."""

    POSTED = deadline.POSTED, _("sendt med skjemaet")
    INTERNAL_DATE = deadline.INTERNAL_DATE, _("postkassens mottakstid (IMAP, Graph, .msg)")
    RECEIVED = deadline.RECEIVED, _("e-posttjenerens Received-felt")
    SENDER_CLOCK = deadline.SENDER_CLOCK, _("avsenderens klokke (Date-feltet)")
    IMPORTED = deadline.IMPORTED, _("tidspunktet for importen")


class ReceivedItem(models.Model):
    """Exactly what reached us, committed before anything is parsed. Never edited."""

    class Status(models.TextChoices):
        PENDING = "pending", _("lagret, ikke behandlet")
        REGISTERED = "registered", _("registrert")
        UNMATCHED = "unmatched", _("emnet passer ikke")
        AUTOMATIC = "automatic", _("automatisk svar eller massepost")
        DUPLICATE = "duplicate", _("samme Message-ID som tidligere")
        OVERSIZED = "oversized", _("for stort til å registreres automatisk")
        FAILED = "failed", _("kunne ikke leses")
        DISMISSED = "dismissed", _("avvist av saksbehandler")

    round = models.ForeignKey(
        ConsultationRound, on_delete=models.PROTECT, related_name="received_items"
    )
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    source = models.CharField(_("kilde"), max_length=500, blank=True)
    raw = models.BinaryField(_("rådata"))
    size = models.PositiveIntegerField(_("størrelse"))
    sha256 = models.CharField(max_length=64)
    message_id = models.CharField(max_length=998, blank=True, db_index=True)
    received_at = models.DateTimeField(_("mottatt"))
    # The IMAP server's INTERNALDATE: when the mailbox received the message.
    internal_date = models.DateTimeField(null=True, blank=True)
    # When it reached us, where that time came from, and the dates that could not be used
    # ({"header", "value", "problem"}); set when the item is processed.
    arrived_at = models.DateTimeField(_("kom fram"), null=True, blank=True)
    arrival_source = models.CharField(
        _("tidspunkt fra"), max_length=20, choices=ArrivalSource.choices, blank=True
    )
    arrival_issues = models.JSONField(_("datoer som ikke kunne brukes"), default=list, blank=True)
    stored_at = models.DateTimeField(_("lagret"), auto_now_add=True)
    sender_key = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    error = models.TextField(_("feil"), blank=True)
    match_explanation = models.CharField(_("emnetreff"), max_length=300, blank=True)
    subject = models.CharField(_("emne"), max_length=998, blank=True)
    from_address = models.CharField(_("avsender"), max_length=320, blank=True, db_index=True)
    automatic = models.CharField(_("automatisk"), max_length=200, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    personal_data_erased = models.BooleanField(default=False)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "sha256"], name="received_unique_bytes")
        ]
        verbose_name = _("mottatt melding")
        verbose_name_plural = _("mottatte meldinger")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.pk} ({self.get_status_display()})"

    @property
    def arrival_uncertain(self) -> bool:
        """Staff should check the time: the sender's clock, the import time, or bad dates."""
        return self.arrival_source in {
            ArrivalSource.SENDER_CLOCK,
            ArrivalSource.IMPORTED,
        } or bool(self.arrival_issues)


class SubmitterType(models.TextChoices):
    PRIVATE = "private", _("privatperson")
    BUSINESS = "business", _("næringsliv")
    ORGANISATION = "organisation", _("organisasjon")
    PUBLIC = "public", _("offentlig virksomhet")
    EDUCATION = "education", _("utdanning og forskning")
    UNKNOWN = "", _("ikke oppgitt")


class Submission(models.Model):
    """A consultation proposal (høringsinnspill), with its reference number."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("mottatt")
        REGISTERED = "registered", _("registrert")
        REJECTED = "rejected", _("avvist")
        DUPLICATE = "duplicate", _("duplikat")

    round = models.ForeignKey(
        ConsultationRound, on_delete=models.PROTECT, related_name="submissions"
    )
    item = models.OneToOneField(ReceivedItem, on_delete=models.PROTECT, related_name="submission")
    # Counts up per reference year (over all rounds ending that year), so the reference
    # H-{round.reference_year}-{number:04d} is unique. Given once by
    # `intake.register_submission` and stored with the reference; never recomputed.
    number = models.PositiveIntegerField(_("løpenummer"))
    reference = models.CharField(_("referansenummer"), max_length=20, unique=True, editable=False)
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    reached_us_at = models.DateTimeField(_("kom fram"))
    on_time = models.BooleanField(_("innen fristen"))
    on_time_override = models.BooleanField(_("frist overstyrt til"), null=True, blank=True)
    on_time_override_reason = models.TextField(_("begrunnelse for overstyring"), blank=True)
    subject = models.CharField(_("emne"), max_length=998, blank=True)
    name = models.CharField(_("navn"), max_length=200, blank=True)
    email = models.CharField(_("e-post"), max_length=320, blank=True, db_index=True)
    organisation = models.CharField(_("organisasjon"), max_length=300, blank=True)
    orgnr = models.CharField(_("organisasjonsnummer"), max_length=9, blank=True)
    submitter_type = models.CharField(
        _("type innsender"), max_length=14, choices=SubmitterType.choices, blank=True
    )
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consent_publish_name = models.BooleanField(
        _("samtykker til publisering av navn"), default=False
    )
    text = models.TextField(_("innspill"))
    redacted_text = models.TextField(_("sladdet tekst for publisering"), blank=True)
    rejection_reason = models.TextField(_("begrunnelse for avvisning"), blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    published_at = models.DateTimeField(_("publisert"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="submission_unique_number")
        ]
        verbose_name = _("høringsinnspill")
        verbose_name_plural = _("høringsinnspill")
        permissions = [
            ("review_submission", _("Kan registrere, avvise, sladde og publisere innspill")),
            ("tag_submission", _("Kan merke innspill og skrive notater")),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def counts_as_on_time(self) -> bool:
        """The deadline decision, after any override by staff."""
        return self.on_time if self.on_time_override is None else self.on_time_override

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Attachment(models.Model):
    """A file that came with a proposal, with its extracted text or the reason there is none."""

    class TextStatus(models.TextChoices):
        OK = "ok", _("tekst hentet ut")
        MANUAL = "manual", _("må leses manuelt")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("filnavn"), max_length=300)
    content_type = models.CharField(max_length=200, blank=True)
    size = models.PositiveIntegerField(_("størrelse"))
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    kind = models.CharField(_("type"), max_length=10)
    text_status = models.CharField(_("tekst"), max_length=10, choices=TextStatus.choices)
    reason = models.CharField(_("grunn"), max_length=40, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["submission", "id"]
        verbose_name = _("vedlegg")
        verbose_name_plural = _("vedlegg")

    def __str__(self) -> str:
        return self.filename


class SubmissionTag(models.Model):
    """A proposal linked to a main strategy or a focus area by a person. (The model's
    suggestions are kept apart, in `consultation_analysis.TagSuggestionRecord`.)"""

    class Origin(models.TextChoices):
        PERSON = "person", _("saksbehandler")
        LANGUAGE_MODEL = "llm", _("språkmodell")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="tags")
    # PROTECT: deleting a category never takes staff's tags with it.
    main_strategy = models.ForeignKey(
        MainStrategy, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    focus_area = models.ForeignKey(
        FocusArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.PERSON)
    # The user name of the person.
    origin_detail = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(main_strategy__isnull=False, focus_area__isnull=True)
                | models.Q(main_strategy__isnull=True, focus_area__isnull=False),
                name="tag_one_target",
            ),
        ]

    def __str__(self) -> str:
        return str(self.main_strategy or self.focus_area)

    @property
    def target(self):
        """The main strategy or focus area the proposal is tagged with."""
        return self.main_strategy or self.focus_area


class SubmissionEvent(models.Model):
    """Every action on a received item or a proposal: who, when, what, before → after."""

    class Via(models.TextChoices):
        WEB = "web", _("skjema")
        EMAIL = "email", _("e-postimport")
        STAFF = "staff", _("saksbehandler")
        SYSTEM = "system", _("system")

    item = models.ForeignKey(
        ReceivedItem, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("handling"), max_length=30)
    before = models.TextField(_("før"), blank=True)
    after = models.TextField(_("etter"), blank=True)
    detail = models.TextField(_("merknad"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    via = models.CharField(_("kanal"), max_length=10, choices=Via.choices)
    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("hendelse")
        verbose_name_plural = _("hendelser")

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"


class OutgoingMail(models.Model):
    """The outbox: every e-mail Retning sends (receipts), visible to staff."""

    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="mails"
    )
    to = models.CharField(max_length=320)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject
