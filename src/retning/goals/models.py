"""What the secretariat knows and the statistics do not say.

A plant in the CO2 goal's fixed 2019 set that stops reporting to the Norwegian
Environment Agency may have closed, or may just be missing from the release. Only a
person with a source can tell; until then the year stays incomplete rather than zero.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from retning.core.urls import is_http_url


class FacilityClosure(models.Model):
    """A plant confirmed closed: from `closed_from` on, a year it did not report counts as
    zero emissions, citing `source`."""

    facility_id = models.CharField(
        _("anleggs-ID"),
        max_length=20,
        unique=True,
        help_text=_("Miljødirektoratets anleggsnummer (AnleggId), som vist på målsiden."),
    )
    facility_name = models.CharField(_("anleggsnavn"), max_length=200)
    closed_from = models.PositiveSmallIntegerField(
        _("nedlagt fra og med år"),
        help_text=_("Det første hele året anlegget ikke hadde utslipp."),
    )
    source = models.TextField(
        _("kilde"),
        help_text=_(
            "Hvor nedleggelsen er bekreftet: lenke eller dokument (for eksempel vedtak, "
            "brev fra Miljødirektoratet eller sletting i Enhetsregisteret)."
        ),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("registrert av"),
    )
    recorded_at = models.DateTimeField(_("registrert"), auto_now_add=True)

    class Meta:
        verbose_name = _("nedlagt anlegg")
        verbose_name_plural = _("nedlagte anlegg")
        ordering = ["facility_id"]

    def __str__(self) -> str:
        return f"{self.facility_name} ({self.facility_id}), {self.closed_from}"

    def clean(self) -> None:
        errors = {}
        if not self.facility_id.strip().isdigit():
            errors["facility_id"] = _("Anleggs-ID-en er et tall, som 6668.")
        if self.closed_from is not None and not 1990 <= self.closed_from <= 2100:
            errors["closed_from"] = _("Oppgi et årstall, som 2020.")
        if not self.source.strip():
            errors["source"] = _("En nedleggelse må ha en kilde.")
        if errors:
            raise ValidationError(errors)

    @property
    def source_is_link(self) -> bool:
        return is_http_url(self.source)
