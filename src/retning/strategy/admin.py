"""Admin for the strategy objects. Every change staff make is written to the change log."""

from __future__ import annotations

from django.contrib import admin

from retning.core.audit import audited_fields, field_values, record_changes
from retning.core.models import ChangeRecord
from retning.strategy.models import (
    FocusArea,
    Goal,
    MainStrategy,
    Measure,
    Municipality,
    MunicipalityCode,
    Region,
    Revision,
    Strategy,
    Target,
)


class AuditedAdminMixin:
    """Records old → new for every changed field, with the user and the time."""

    def save_model(self, request, obj, form, change):
        before = {}
        if change and obj.pk:
            stored = type(obj).objects.get(pk=obj.pk)
            before = field_values(stored, audited_fields(stored))
        super().save_model(request, obj, form, change)
        if before:
            record_changes(obj, before, via=ChangeRecord.Via.ADMIN, user=request.user)

    def save_formset(self, request, form, formset, change):
        befores = {}
        for inline_form in formset.forms:
            instance = inline_form.instance
            if instance.pk and inline_form.has_changed():
                stored = type(instance).objects.get(pk=instance.pk)
                befores[instance.pk] = field_values(stored, audited_fields(stored))
        super().save_formset(request, form, formset, change)
        for instance in formset.new_objects + [obj for obj, _ in formset.changed_objects]:
            if instance.pk in befores:
                record_changes(
                    instance, befores[instance.pk], via=ChangeRecord.Via.ADMIN, user=request.user
                )


class TargetInline(admin.StackedInline):
    model = Target
    can_delete = False


@admin.register(Goal)
class GoalAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "slug", "indicator_ref", "strategy"]
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["goal", "kind", "baseline_year", "end_year"]


@admin.register(MainStrategy)
class MainStrategyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["number", "title", "slug"]


@admin.register(FocusArea)
class FocusAreaAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "slug"]


@admin.register(Measure)
class MeasureAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "owner", "status"]
    list_filter = ["status", "main_strategies"]


class RevisionInline(admin.TabularInline):
    model = Revision
    extra = 0


@admin.register(Strategy)
class StrategyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "start_year", "end_year"]
    inlines = [RevisionInline]


class MunicipalityCodeInline(admin.TabularInline):
    model = MunicipalityCode
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "region"]
    inlines = [MunicipalityCodeInline]


@admin.register(Region)
class RegionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
