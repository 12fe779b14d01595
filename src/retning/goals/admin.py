from __future__ import annotations

from django.contrib import admin

from retning.goals.models import FacilityClosure
from retning.strategy.admin import AuditedAdminMixin


@admin.register(FacilityClosure)
class FacilityClosureAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("facility_id", "facility_name", "closed_from", "recorded_by", "recorded_at")
    readonly_fields = ("recorded_by", "recorded_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
