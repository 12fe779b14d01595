"""Official statistics with provenance: dataset → fetch → observation.

Every observation points to the fetch that produced it (source, table, query, URL,
retrieved-at, sha256 of the raw bytes, licence). Observations are versioned: a refresh that
changes a value marks the old row as no longer current and adds a new one, so a revised
series replaces the old one while the old one stays in history. A failed fetch is stored
too (outcome "failed" with its message) and touches no observation.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from retning.core.bounds import OBSERVATION_LIMIT


class Dataset(models.Model):
    """One published table or file, e.g. SSB 07459 or NAV HL060."""

    slug = models.SlugField(_("id"), max_length=80, unique=True)
    source = models.CharField(_("kilde"), max_length=40)
    table = models.CharField(_("tabell"), max_length=80, blank=True)
    title = models.CharField(_("tittel"), max_length=300)
    title_en = models.CharField(_("tittel (engelsk)"), max_length=300, blank=True)
    publisher = models.CharField(_("utgiver"), max_length=200)
    licence = models.CharField(_("lisens"), max_length=100, blank=True)
    home_url = models.URLField(_("nettside"), max_length=500, blank=True)
    # Several datasets may hold the same measure (an official table and a secondary copy of
    # it); where they overlap, the one with the higher rank wins in `queries.series`.
    rank = models.SmallIntegerField(_("rangering"), default=0)
    note = models.TextField(_("merknad"), blank=True)
    note_en = models.TextField(_("merknad (engelsk)"), blank=True)

    class Meta:
        ordering = ["source", "table", "slug"]
        verbose_name = _("datasett")
        verbose_name_plural = _("datasett")
        # Given to the Administratorer role (consultation.apps.ROLES): queue a refresh of
        # every source from /stab/statistikk/.
        permissions = [("refresh_statistics", _("kan hente statistikken på nytt"))]

    def __str__(self) -> str:
        return self.title


class Fetch(models.Model):
    """One retrieval (API response, downloaded file, bundled snapshot or manual import)."""

    class Outcome(models.TextChoices):
        OK = "ok", _("vellykket")
        FAILED = "failed", _("feilet")

    class Via(models.TextChoices):
        REFRESH = "refresh", _("oppdatering")
        SNAPSHOT = "snapshot", _("medfølgende øyeblikksbilde")
        IMPORT = "import", _("manuell import")

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="fetches")
    via = models.CharField(_("hentet via"), max_length=20, choices=Via.choices)
    source = models.CharField(_("kilde"), max_length=40)
    table = models.CharField(_("tabell"), max_length=80, blank=True)
    query = models.JSONField(_("spørring"), default=dict, blank=True)
    url = models.TextField(_("adresse"), blank=True)
    retrieved_at = models.DateTimeField(_("hentet"))
    sha256 = models.CharField(_("sha256 av rådata"), max_length=64, blank=True)
    raw_path = models.CharField(_("rådatafil"), max_length=300, blank=True)
    raw_name = models.CharField(_("filnavn"), max_length=200, blank=True)
    licence = models.CharField(_("lisens"), max_length=100, blank=True)
    # The raw bytes of a licensed file (not open data) are for staff with a role only.
    raw_restricted = models.BooleanField(_("rådata bare for sekretariatet"), default=False)
    outcome = models.CharField(_("utfall"), max_length=10, choices=Outcome.choices)
    message = models.TextField(_("melding"), blank=True)
    note = models.TextField(_("kildemerknad"), blank=True)
    created = models.PositiveIntegerField(_("nye"), default=0)
    changed = models.PositiveIntegerField(_("endrede"), default=0)
    unchanged = models.PositiveIntegerField(_("uendrede"), default=0)

    class Meta:
        ordering = ["-retrieved_at", "-id"]
        verbose_name = _("henting")
        verbose_name_plural = _("hentinger")

    def __str__(self) -> str:
        return f"{self.source} {self.table} {self.retrieved_at:%Y-%m-%d %H:%M} {self.outcome}"


class Observation(models.Model):
    """One published figure, or the statement that it is missing and why."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="observations")
    fetch = models.ForeignKey(Fetch, on_delete=models.PROTECT, related_name="observations")
    measure = models.CharField(_("mål"), max_length=80)
    code_published = models.CharField(_("kode som publisert"), max_length=16)
    code = models.CharField(_("kode (gjeldende)"), max_length=16)
    period = models.CharField(_("periode"), max_length=16)
    dimensions = models.JSONField(_("dimensjoner"), default=dict, blank=True)
    dimension_key = models.CharField(_("dimensjonsnøkkel"), max_length=300, blank=True)
    attributes = models.JSONField(_("egenskaper"), default=dict, blank=True)
    value = models.DecimalField(_("verdi"), max_digits=20, decimal_places=6, null=True)
    missing_reason = models.CharField(_("grunn til manglende verdi"), max_length=200, blank=True)
    unit = models.CharField(_("enhet"), max_length=60)
    current = models.BooleanField(_("gjeldende"), default=True)

    class Meta:
        ordering = ["dataset", "measure", "code", "dimension_key", "period"]
        indexes = [
            models.Index(fields=["measure", "current", "code"], name="obs_measure_current"),
            models.Index(
                fields=["dataset", "current", "measure", "code", "period"],
                name="obs_dataset_key",
            ),
        ]
        constraints = [
            # NaN, infinities and figures beyond the column never reach a page
            models.CheckConstraint(
                condition=Q(value__isnull=True)
                | Q(value__gt=-OBSERVATION_LIMIT, value__lt=OBSERVATION_LIMIT),
                name="observation_value_in_range",
            )
        ]
        verbose_name = _("observasjon")
        verbose_name_plural = _("observasjoner")

    def __str__(self) -> str:
        return f"{self.measure} {self.code} {self.period} {self.dimension_key}: {self.value}"


class CodeChange(models.Model):
    """A municipality code change from KLASS (classification 131), e.g. 0402 → 3401."""

    old_code = models.CharField(_("gammel kode"), max_length=8)
    old_name = models.CharField(_("gammelt navn"), max_length=200, blank=True)
    new_code = models.CharField(_("ny kode"), max_length=8)
    new_name = models.CharField(_("nytt navn"), max_length=200, blank=True)
    change_occurred = models.DateField(_("endret"))

    class Meta:
        ordering = ["change_occurred", "old_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["old_code", "new_code", "change_occurred"], name="codechange_unique"
            )
        ]
        verbose_name = _("kodeendring")
        verbose_name_plural = _("kodeendringer")

    def __str__(self) -> str:
        return f"{self.old_code} → {self.new_code} ({self.change_occurred})"
