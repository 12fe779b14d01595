from django.contrib import admin

from retning.consultation.models import ConsultationRound
from retning.strategy.admin import AuditedAdminMixin


@admin.register(ConsultationRound)
class ConsultationRoundAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "slug", "deadline", "web_form"]
