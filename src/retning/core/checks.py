"""Retning's own deployment checks (`retning check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.mail, deploy=True)
def receipts_are_sent(app_configs, **kwargs) -> list[Warning]:
    """Without RETNING_SMTP_HOST, receipts are written to files in the data directory and
    kept in the outbox staff see: a choice a region may make, so a warning rather than
    Django's error about a development-only mail backend (silenced in that case)."""
    if settings.RETNING_SMTP_HOST:
        return []
    return [
        Warning(
            "Receipts are written to files in RETNING_DATA_DIR/sent-mail and are not sent.",
            hint="Set RETNING_SMTP_HOST (and RETNING_EMAIL_FROM) to send receipts by e-mail.",
            id="retning.W001",
        )
    ]
