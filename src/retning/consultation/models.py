"""Consultation rounds (høringsrunder). Submissions arrive in a later step."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retning.strategy.models import Strategy


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
        if self.opens_on and timezone.localdate(at) < self.opens_on:
            return False
        return at <= self.deadline
