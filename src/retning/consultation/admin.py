from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from retning.consultation.models import ConsultationRound
from retning.strategy.admin import AuditedAdminMixin


@admin.register(ConsultationRound)
class ConsultationRoundAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Rounds: open/close, deadline, subject pattern, receipts, page text, retention."""

    list_display = ["title", "slug", "deadline", "web_form", "closed", "send_receipts"]
    readonly_fields = ["reference_year"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "strategy",
                    "slug",
                    "title",
                    "title_en",
                    "description",
                    "description_en",
                    "page_text",
                    "document_url",
                ]
            },
        ),
        (
            _("Mottak"),
            {
                "fields": [
                    "opens_on",
                    "deadline",
                    "closed",
                    "web_form",
                    "email_address",
                    "email_subject",
                    "subject_pattern",
                    "contact_name",
                    "send_receipts",
                    "reference_year",
                ]
            },
        ),
        (_("Personvern"), {"fields": ["retention_days"]}),
    ]
