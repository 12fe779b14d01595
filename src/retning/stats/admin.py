"""Statistics in the admin: read-only, because figures come only from fetches."""

from __future__ import annotations

from django.contrib import admin

from retning.stats.models import CodeChange, Dataset, Fetch, Observation


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Dataset)
class DatasetAdmin(ReadOnlyAdmin):
    list_display = ["slug", "title", "publisher", "licence", "rank"]


@admin.register(Fetch)
class FetchAdmin(ReadOnlyAdmin):
    list_display = ["id", "dataset", "via", "retrieved_at", "outcome", "created", "changed"]
    list_filter = ["outcome", "via", "dataset"]
    search_fields = ["message", "note", "url"]


@admin.register(Observation)
class ObservationAdmin(ReadOnlyAdmin):
    list_display = ["measure", "code", "code_published", "period", "dimension_key", "value"]
    list_filter = ["current", "dataset", "measure"]
    search_fields = ["code", "code_published", "measure"]
    list_select_related = ["dataset"]


@admin.register(CodeChange)
class CodeChangeAdmin(ReadOnlyAdmin):
    list_display = ["old_code", "new_code", "change_occurred", "old_name", "new_name"]
