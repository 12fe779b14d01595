"""The change log: who changed what, when, from what to what."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeRecord(models.Model):
    """One object created or deleted, or one field of it changed, by a person (staff) or by
    loading a strategy file. A created object's values are in `new_value`, a deleted one's in
    `old_value` (JSON), so what was deleted stays readable."""

    class Via(models.TextChoices):
        ADMIN = "admin", _("administrasjon")
        STRATEGY_FILE = "strategy_file", _("strategifil")

    class Action(models.TextChoices):
        CREATE = "create", _("opprettet")
        UPDATE = "update", _("endret")
        DELETE = "delete", _("slettet")

    model = models.CharField(_("modell"), max_length=100)
    object_id = models.CharField(_("objekt-id"), max_length=100)
    object_repr = models.CharField(_("objekt"), max_length=300)
    action = models.CharField(
        _("handling"), max_length=10, choices=Action.choices, default=Action.UPDATE
    )
    field = models.CharField(_("felt"), max_length=100, blank=True)
    old_value = models.TextField(_("gammel verdi"), blank=True)
    new_value = models.TextField(_("ny verdi"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("endret av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("tidspunkt"), auto_now_add=True)
    via = models.CharField(_("kanal"), max_length=20, choices=Via.choices)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("endring")
        verbose_name_plural = _("endringslogg")
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        if self.action != self.Action.UPDATE:
            return f"{self.object_repr}: {self.get_action_display()}"
        return f"{self.object_repr}: {self.field}"


class WorkerHeartbeat(models.Model):
    """A running `retning worker`: where it runs and when it was last heard from. A task
    claimed by a worker that has gone silent is queued again (`retning.core.worker`)."""

    worker_id = models.CharField(_("arbeider"), max_length=64, primary_key=True)
    hostname = models.CharField(_("maskin"), max_length=255)
    pid = models.PositiveIntegerField(_("prosess"))
    started_at = models.DateTimeField(_("startet"))
    last_seen = models.DateTimeField(_("sist hørt fra"))

    class Meta:
        verbose_name = _("bakgrunnsarbeider")
        verbose_name_plural = _("bakgrunnsarbeidere")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"
