from django.contrib import admin

from retning.core.models import ChangeRecord


@admin.register(ChangeRecord)
class ChangeRecordAdmin(admin.ModelAdmin):
    list_display = [
        "changed_at",
        "object_repr",
        "action",
        "field",
        "old_value",
        "new_value",
        "changed_by",
        "via",
    ]
    list_filter = ["action", "via", "model"]
    search_fields = ["object_repr", "field", "old_value", "new_value"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
