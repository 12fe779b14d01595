"""Admin for the strategy objects. Every change staff make is written to the change log."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _

from retning.core.audit import (
    audited_fields,
    field_values,
    record_changes,
    record_created,
    record_deleted,
)
from retning.core.models import ChangeRecord
from retning.strategy.models import (
    FileBaseline,
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
    """Records old → new for every changed field, and every object created or deleted, with
    the user and the time. Objects the strategy file created are deleted by removing them
    from the file, not here (see `retning.strategy.loader`)."""

    def save_model(self, request, obj, form, change):
        before = {}
        if change and obj.pk:
            stored = type(obj).objects.get(pk=obj.pk)
            before = field_values(stored, audited_fields(stored))
        super().save_model(request, obj, form, change)
        if before:
            record_changes(obj, before, via=ChangeRecord.Via.ADMIN, user=request.user)
        elif not change:
            record_created(obj, via=ChangeRecord.Via.ADMIN, user=request.user)

    def save_formset(self, request, form, formset, change):
        befores = {}
        for inline_form in formset.forms:
            instance = inline_form.instance
            if instance.pk and inline_form.has_changed():
                stored = type(instance).objects.get(pk=instance.pk)
                befores[instance.pk] = field_values(stored, audited_fields(stored))
        for inline_form in formset.deleted_forms:
            if inline_form.instance.pk:
                record_deleted(inline_form.instance, via=ChangeRecord.Via.ADMIN, user=request.user)
        super().save_formset(request, form, formset, change)
        for instance in formset.new_objects:
            record_created(instance, via=ChangeRecord.Via.ADMIN, user=request.user)
        for instance, _fields in formset.changed_objects:
            if instance.pk in befores:
                record_changes(
                    instance, befores[instance.pk], via=ChangeRecord.Via.ADMIN, user=request.user
                )

    def delete_model(self, request, obj):
        record_deleted(obj, via=ChangeRecord.Via.ADMIN, user=request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record_deleted(obj, via=ChangeRecord.Via.ADMIN, user=request.user)
        super().delete_queryset(request, queryset)

    def get_deleted_objects(self, objs, request):
        """The admin refuses to delete what is listed as protected: here also objects the
        strategy file created, which go by removing them from the file."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        from_file = [
            _("%(object)s (fra strategifilen: fjern det fra filen i stedet)") % {"object": obj}
            for obj in objs
            if created_by_file(obj)
        ]
        return deleted, counts, perms_needed, [*protected, *from_file]


def created_by_file(obj) -> bool:
    """Whether the strategy file created (and so owns the existence of) this object."""
    return FileBaseline.objects.filter(model=obj._meta.label, object_id=obj.pk).exists()


class FileOwnedInlineFormSet(BaseInlineFormSet):
    """Inline rows the strategy file created cannot be deleted here either."""

    def clean(self):
        super().clean()
        for inline_form in self.deleted_forms:
            if inline_form.instance.pk and created_by_file(inline_form.instance):
                raise ValidationError(
                    _("%(object)s kommer fra strategifilen: fjern det fra filen i stedet.")
                    % {"object": inline_form.instance}
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
    formset = FileOwnedInlineFormSet
    extra = 0


@admin.register(Strategy)
class StrategyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "start_year", "end_year"]
    inlines = [RevisionInline]


class MunicipalityCodeInline(admin.TabularInline):
    model = MunicipalityCode
    formset = FileOwnedInlineFormSet
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "region"]
    inlines = [MunicipalityCodeInline]


@admin.register(Region)
class RegionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
