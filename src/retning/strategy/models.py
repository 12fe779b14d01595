"""The strategy as stored: region, municipalities, goals and targets, strategies, focus areas.

The strategy file seeds these objects; `retning setup` loads it through
`retning.strategy.loader`, and what staff change in the admin wins over the file (see the
loader and `FileBaseline`). Texts have a bokmål field and an optional English one
(`title`, `title_en`); `localized()` picks the one for the active language.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def localized(obj: models.Model, field: str) -> str:
    """The English text when English is active and a translation exists, else bokmål."""
    language = get_language() or "nb"
    if language.startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)


class Region(models.Model):
    slug = models.SlugField(_("id"), unique=True)
    name = models.CharField(_("navn"), max_length=200)
    timezone = models.CharField(_("tidssone"), max_length=64, default="Europe/Oslo")

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regioner")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="municipalities")
    slug = models.SlugField(_("id"))
    name = models.CharField(_("navn"), max_length=200)
    position = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "slug"], name="municipality_unique_slug")
        ]
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")

    def __str__(self) -> str:
        return self.name

    def code_on(self, day: dt.date) -> str | None:
        """The municipality's code valid on a day (uses prefetched codes when present)."""
        for period in self.codes.all():
            if (period.valid_from is None or period.valid_from <= day) and (
                period.valid_to is None or day <= period.valid_to
            ):
                return period.code
        return None

    @property
    def current_code(self) -> str | None:
        return next((c.code for c in self.codes.all() if c.valid_to is None), None)


class MunicipalityCode(models.Model):
    """One period of a municipality's official number, e.g. Kongsvinger 0402 until 2019."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(_("kommunenummer"), max_length=4, unique=True)
    valid_from = models.DateField(_("gyldig fra"), null=True, blank=True)
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)

    class Meta:
        ordering = ["municipality", "valid_from"]
        verbose_name = _("kommunenummer")
        verbose_name_plural = _("kommunenumre")

    def __str__(self) -> str:
        return f"{self.code} {self.municipality.name}"


class Strategy(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="strategies")
    title = models.CharField(_("tittel"), max_length=300)
    title_en = models.CharField(_("tittel (engelsk)"), max_length=300, blank=True)
    summary = models.TextField(_("sammendrag"), blank=True)
    summary_en = models.TextField(_("sammendrag (engelsk)"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("første år"))
    end_year = models.PositiveSmallIntegerField(_("siste år"))
    adopted_year = models.PositiveSmallIntegerField(_("vedtatt år"))
    adopted_by = models.CharField(_("vedtatt av"), max_length=300, blank=True)
    adoption_note = models.TextField(_("om vedtaket"), blank=True)
    adoption_note_en = models.TextField(_("om vedtaket (engelsk)"), blank=True)
    sources = models.JSONField(_("kilder"), default=list, blank=True)
    source_sha256 = models.CharField(_("strategifilens sha256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("strategi")
        verbose_name_plural = _("strategier")

    def __str__(self) -> str:
        return self.title


class Revision(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="revisions")
    year = models.PositiveSmallIntegerField(_("år"))
    decided_by = models.CharField(_("besluttet av"), max_length=300, blank=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    description_en = models.TextField(_("beskrivelse (engelsk)"), blank=True)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "year"], name="revision_unique_year")
        ]
        verbose_name = _("revisjon")
        verbose_name_plural = _("revisjoner")

    def __str__(self) -> str:
        return f"{self.strategy}: {self.year}"


class Goal(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="goals")
    slug = models.SlugField(_("id"))
    position = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)
    title = models.CharField(_("tittel"), max_length=300)
    title_en = models.CharField(_("tittel (engelsk)"), max_length=300, blank=True)
    description = models.TextField(_("beskrivelse"))
    description_en = models.TextField(_("beskrivelse (engelsk)"), blank=True)
    indicator_ref = models.SlugField(_("indikator"), max_length=100)
    indicator_name = models.CharField(_("indikatornavn"), max_length=300)
    indicator_name_en = models.CharField(_("indikatornavn (engelsk)"), max_length=300, blank=True)
    indicator_unit = models.CharField(_("enhet"), max_length=50)
    indicator_sources = models.JSONField(_("datakilder"), default=list, blank=True)
    # at_risk_ratio, min_observations, trend_years, flat_pct_per_year (spec.StatusThresholds)
    status_thresholds = models.JSONField(_("terskler for status"), default=dict, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "slug"], name="goal_unique_slug")
        ]
        verbose_name = _("hovedmål")
        verbose_name_plural = _("hovedmål")

    def __str__(self) -> str:
        return self.title


class Target(models.Model):
    """A goal's target, of one of three kinds (see `retning.strategy.spec`)."""

    class Kind(models.TextChoices):
        ANNUAL_CHANGE = "annual_change", _("årlig endring")
        RELATIVE_CHANGE = "relative_change", _("prosentvis endring")
        DIRECTION = "direction", _("retning")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("øke")
        DECREASE = "decrease", _("redusere")

    goal = models.OneToOneField(Goal, on_delete=models.CASCADE, related_name="target")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    baseline_year = models.PositiveSmallIntegerField(_("basisår"))
    end_year = models.PositiveSmallIntegerField(_("målår"), null=True, blank=True)
    per_year = models.DecimalField(
        _("endring per år"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    change_low_pct = models.DecimalField(
        _("endring i prosent (lav)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    change_high_pct = models.DecimalField(
        _("endring i prosent (høy)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    real_terms = models.BooleanField(_("faste priser"), default=False)
    direction = models.CharField(_("retning"), max_length=10, choices=Direction.choices, blank=True)

    class Meta:
        verbose_name = _("mål (tallfestet)")
        verbose_name_plural = _("mål (tallfestet)")

    def __str__(self) -> str:
        return f"{self.goal}: {self.get_kind_display()}"

    @property
    def is_range(self) -> bool:
        return (
            self.change_low_pct is not None
            and self.change_high_pct is not None
            and self.change_low_pct != self.change_high_pct
        )


class MainStrategy(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="main_strategies")
    slug = models.SlugField(_("id"))
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("tittel"), max_length=300)
    title_en = models.CharField(_("tittel (engelsk)"), max_length=300, blank=True)
    description = models.TextField(_("beskrivelse"))
    description_en = models.TextField(_("beskrivelse (engelsk)"), blank=True)
    keywords = models.JSONField(_("stikkord"), default=list, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "slug"], name="mainstrategy_unique_slug")
        ]
        verbose_name = _("hovedstrategi")
        verbose_name_plural = _("hovedstrategier")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class FocusArea(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="focus_areas")
    slug = models.SlugField(_("id"))
    position = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)
    title = models.CharField(_("tittel"), max_length=300)
    title_en = models.CharField(_("tittel (engelsk)"), max_length=300, blank=True)
    description = models.TextField(_("beskrivelse"))
    description_en = models.TextField(_("beskrivelse (engelsk)"), blank=True)
    keywords = models.JSONField(_("stikkord"), default=list, blank=True)
    # [{"codes": ["01", "02"], "why": {"nb": "...", "en": "..."}}, ...]; a mapping of
    # another standard than SN2007 says so: {"classification": "SN2025", ...}
    nace = models.JSONField(_("næringskoder (SN2007)"), default=list)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "slug"], name="focusarea_unique_slug")
        ]
        verbose_name = _("fokusområde")
        verbose_name_plural = _("fokusområder")

    def __str__(self) -> str:
        return self.title

    @property
    def nace_codes(self) -> list[str]:
        """The SN2007 codes (the standard of the SSB tables and registers Retning reads)."""
        return self.nace_codes_in("SN2007")

    def nace_codes_in(self, classification: str) -> list[str]:
        """The codes of one industry standard ("SN2007" or "SN2025")."""
        return [
            code
            for mapping in self.nace
            if mapping.get("classification", "SN2007") == classification
            for code in mapping["codes"]
        ]


class Measure(models.Model):
    """A measure (tiltak) carrying out one or more main strategies."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planlagt")
        ONGOING = "ongoing", _("pågår")
        COMPLETED = "completed", _("fullført")
        STOPPED = "stopped", _("stanset")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="measures")
    slug = models.SlugField(_("id"))
    title = models.CharField(_("tittel"), max_length=300)
    title_en = models.CharField(_("tittel (engelsk)"), max_length=300, blank=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    description_en = models.TextField(_("beskrivelse (engelsk)"), blank=True)
    owner = models.CharField(_("ansvarlig"), max_length=300)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    main_strategies = models.ManyToManyField(
        MainStrategy, verbose_name=_("hovedstrategier"), blank=True, related_name="measures"
    )
    focus_areas = models.ManyToManyField(
        FocusArea, verbose_name=_("fokusområder"), blank=True, related_name="measures"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["strategy", "slug"], name="measure_unique_slug")
        ]
        verbose_name = _("tiltak")
        verbose_name_plural = _("tiltak")

    def __str__(self) -> str:
        return self.title


class FileBaseline(models.Model):
    """What the strategy file said about one object when it was last loaded.

    The base of the three-way rule in `retning.strategy.loader`: a field whose database
    value still equals this one has not been changed by staff, so a new value in the file
    may replace it. An object with a baseline was created (or adopted) by the file; objects
    without one were made in the admin, and the loader never deletes them.
    """

    # Model label and the file's id for the object, e.g. "consultation.ConsultationRound
    # slug=2024 strategy=1": stable even when staff change the object's slug in the admin.
    key = models.CharField(max_length=300, unique=True)
    model = models.CharField(max_length=100)
    object_id = models.PositiveBigIntegerField()
    # Field (attribute) name → the file's value, JSON-encoded (dates as ISO text).
    values = models.JSONField(default=dict)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["model", "object_id"])]
        verbose_name = _("verdier fra strategifilen")
        verbose_name_plural = _("verdier fra strategifilen")

    def __str__(self) -> str:
        return self.key
