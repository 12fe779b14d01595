"""The region's enterprises and establishments (Enhetsregisteret) and their accounts.

A unit's row holds what the latest register file said; `UnitYear` keeps one row per unit
per year, so the business structure can be followed over time from our own imports.
Every row points to the fetch (the imported file or API answer) it came from.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from retning.core.bounds import EMPLOYEES_LIMIT, REVENUE_LIMIT
from retning.stats.models import Fetch


def employees_in_range(name: str) -> models.CheckConstraint:
    """The database refuses an impossible number of employees, whatever path writes it."""
    return models.CheckConstraint(
        condition=Q(employees__isnull=True) | Q(employees__gte=0, employees__lte=EMPLOYEES_LIMIT),
        name=name,
    )


class RegisterUnit(models.Model):
    class Kind(models.TextChoices):
        ENTERPRISE = "enhet", _("foretak (enhet)")
        ESTABLISHMENT = "underenhet", _("virksomhet (underenhet)")

    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    orgnr = models.CharField(_("organisasjonsnummer"), max_length=9)
    name = models.CharField(_("navn"), max_length=300)
    org_form = models.CharField(_("organisasjonsform"), max_length=10, blank=True)
    municipality_code = models.CharField(_("kommunenummer"), max_length=4)
    nace = models.JSONField(_("næringskoder"), default=list, blank=True)
    employees = models.PositiveIntegerField(_("antall ansatte"), null=True, blank=True)
    sector_code = models.CharField(_("institusjonell sektor"), max_length=10, blank=True)
    parent_orgnr = models.CharField(_("overordnet enhet"), max_length=9, blank=True)
    registered = models.DateField(_("registrert"), null=True, blank=True)
    founded = models.DateField(_("stiftet/oppstart"), null=True, blank=True)
    closed = models.DateField(_("nedlagt"), null=True, blank=True)
    deleted = models.DateField(_("slettet"), null=True, blank=True)
    # False once a later file no longer has the unit in the region (moved out or removed)
    in_region = models.BooleanField(_("i regionen"), default=True)
    fetch = models.ForeignKey(Fetch, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "orgnr"], name="unit_unique_orgnr"),
            employees_in_range("unit_employees_in_range"),
        ]
        indexes = [models.Index(fields=["kind", "in_region", "municipality_code"])]
        verbose_name = _("registerenhet")
        verbose_name_plural = _("registerenheter")

    def __str__(self) -> str:
        return f"{self.name} ({self.orgnr})"

    @property
    def nace1(self) -> str:
        return self.nace[0] if self.nace else ""


class UnitYear(models.Model):
    """A unit as the register showed it in a year (the year's last import wins)."""

    unit = models.ForeignKey(RegisterUnit, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("år"))
    municipality_code = models.CharField(_("kommunenummer"), max_length=4)
    nace1 = models.CharField(_("hovednæring"), max_length=10, blank=True)
    employees = models.PositiveIntegerField(_("antall ansatte"), null=True, blank=True)
    in_region = models.BooleanField(_("i regionen"), default=True)
    fetch = models.ForeignKey(Fetch, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="unityear_unique"),
            employees_in_range("unityear_employees_in_range"),
        ]
        verbose_name = _("enhet per år")
        verbose_name_plural = _("enheter per år")

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"


class AnnualAccounts(models.Model):
    orgnr = models.CharField(_("organisasjonsnummer"), max_length=9)
    year = models.PositiveSmallIntegerField(_("regnskapsår"))
    account_type = models.CharField(_("regnskapstype"), max_length=10)  # SELSKAP | KONSERN
    currency = models.CharField(_("valuta"), max_length=5, blank=True)
    operating_revenue = models.DecimalField(
        _("driftsinntekter"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    period_start = models.DateField(_("fra"), null=True, blank=True)
    period_end = models.DateField(_("til"), null=True, blank=True)
    winding_up = models.BooleanField(_("avviklingsregnskap"), default=False)
    fetch = models.ForeignKey(Fetch, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["orgnr", "year", "account_type"], name="accounts_unique"
            ),
            # NaN, infinities and absurd figures never reach the goal computations
            models.CheckConstraint(
                condition=Q(operating_revenue__isnull=True)
                | Q(operating_revenue__gt=-REVENUE_LIMIT, operating_revenue__lt=REVENUE_LIMIT),
                name="accounts_revenue_in_range",
            ),
        ]
        verbose_name = _("årsregnskap")
        verbose_name_plural = _("årsregnskap")

    def __str__(self) -> str:
        return f"{self.orgnr} {self.year} {self.account_type}"
