"""Admin of procedures: definitions are edited here without code; cases are only looked at.

A draft version is edited with its stages inline (and each stage with its tasks inline). A
published version is read-only: "Versiune nouă" copies it into a new draft, "Publică" publishes a
draft. Cases and their tasks change only through the services (with their audit events).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _

from ghiseu.core.errors import DomainError
from ghiseu.procedures.models import (
    Case,
    CaseTask,
    ProcedureDefinition,
    ProcedureVersion,
    StageDefinition,
    TaskDefinition,
)
from ghiseu.procedures.services import procedure_version_new_draft, procedure_version_publish


def _published(obj: Any) -> bool:
    if isinstance(obj, ProcedureVersion):
        return obj.is_published
    if isinstance(obj, StageDefinition):
        return obj.version.is_published
    return False


class _ReadOnlyWhenPublished:
    """Admin mixin: a published version (or a stage of one) may not be changed or deleted."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _published(obj) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _published(obj) and super().has_delete_permission(request, obj)  # type: ignore[misc]


class _InlineReadOnlyWhenPublished(_ReadOnlyWhenPublished):
    """Inline mixin: nothing is added to a published version (or to a stage of one) either."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _published(obj) and super().has_add_permission(request, obj)  # type: ignore[misc]


class ProcedureVersionInline(admin.TabularInline):
    model = ProcedureVersion
    fields = ["version", "is_published", "published_at", "note"]
    readonly_fields = ["version", "is_published", "published_at", "note"]
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["-version"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ProcedureDefinition)
class ProcedureDefinitionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_active", "current_version_label"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
    inlines = [ProcedureVersionInline]
    actions = ["new_draft"]

    @admin.display(description=_("versiunea în vigoare"))
    def current_version_label(self, obj: ProcedureDefinition) -> str:
        version = obj.current_version()
        return f"v{version.version}" if version else "—"

    @admin.action(description=_("Creează o versiune nouă (ciornă) de editat"))
    def new_draft(self, request: HttpRequest, queryset: QuerySet[ProcedureDefinition]) -> None:
        for definition in queryset:
            draft = procedure_version_new_draft(definition=definition, actor=request.user)
            self.message_user(request, _("Ciorna de editat: %(version)s.") % {"version": draft})

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # versions refer to it: deactivate instead

    def response_add(
        self, request: HttpRequest, obj: ProcedureDefinition, post_url_continue: Any = None
    ) -> HttpResponse:
        """A new procedure goes straight to its first (empty) draft version, to add its stages."""
        draft = procedure_version_new_draft(definition=obj, actor=request.user)
        self.message_user(request, _("Adăugați etapele versiunii %(version)s, apoi publicați-o.") % {"version": draft})
        return HttpResponseRedirect(reverse("admin:procedures_procedureversion_change", args=[draft.pk]))


class StageDefinitionInline(_InlineReadOnlyWhenPublished, admin.TabularInline):
    model = StageDefinition
    fields = ["order", "name"]
    extra = 0
    show_change_link = True
    ordering = ["order"]


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(_ReadOnlyWhenPublished, admin.ModelAdmin):
    list_display = ["definition", "version", "is_published", "created_at", "published_at", "note"]
    list_filter = ["is_published", "definition"]
    list_select_related = ["definition"]
    fields = ["definition", "version", "note", "is_published", "created_at", "published_at"]
    readonly_fields = ["definition", "version", "is_published", "created_at", "published_at"]
    inlines = [StageDefinitionInline]
    actions = ["publish"]
    change_form_template = "admin/procedures/procedureversion/change_form.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a version is made by "new draft" (numbered, copied from the last one)

    @admin.action(description=_("Publică versiunile selectate"))
    def publish(self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]) -> None:
        for version in queryset:
            try:
                procedure_version_publish(version=version, actor=request.user)
            except DomainError as error:
                self.message_user(request, f"{version}: {error}", level=messages.ERROR)
            else:
                self.message_user(request, _("Publicată: %(version)s.") % {"version": version})

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<int:pk>/new-draft/",
                self.admin_site.admin_view(self.new_draft_view),
                name="procedures_procedureversion_new_draft",
            ),
            path(
                "<int:pk>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="procedures_procedureversion_publish",
            ),
        ]
        return own + super().get_urls()

    def _post_only(self, request: HttpRequest) -> None:
        if request.method != "POST":
            raise DjangoPermissionDenied
        if not request.user.has_perm("procedures.add_procedureversion"):
            raise DjangoPermissionDenied

    def new_draft_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        self._post_only(request)
        version = get_object_or_404(ProcedureVersion, pk=pk)
        draft = procedure_version_new_draft(definition=version.definition, actor=request.user)
        self.message_user(request, _("Editați ciorna %(version)s, apoi publicați-o.") % {"version": draft})
        return HttpResponseRedirect(reverse("admin:procedures_procedureversion_change", args=[draft.pk]))

    def publish_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        self._post_only(request)
        version = get_object_or_404(ProcedureVersion, pk=pk)
        try:
            procedure_version_publish(version=version, actor=request.user)
        except DomainError as error:
            self.message_user(request, str(error), level=messages.ERROR)
        else:
            self.message_user(request, _("Publicată: %(version)s.") % {"version": version})
        return HttpResponseRedirect(reverse("admin:procedures_procedureversion_change", args=[pk]))


class TaskDefinitionInline(_InlineReadOnlyWhenPublished, admin.TabularInline):
    model = TaskDefinition
    fields = ["order", "kind", "name", "department", "role", "deadline_days", "deadline_kind", "required"]
    extra = 0
    ordering = ["order", "pk"]


@admin.register(StageDefinition)
class StageDefinitionAdmin(_ReadOnlyWhenPublished, admin.ModelAdmin):
    list_display = ["__str__", "version"]
    list_filter = ["version__definition"]
    list_select_related = ["version__definition"]
    fields = ["version", "order", "name"]
    inlines = [TaskDefinitionInline]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "version":
            kwargs["queryset"] = ProcedureVersion.objects.filter(is_published=False).select_related("definition")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CaseTaskInline(admin.TabularInline):
    model = CaseTask
    fields = ["stage_order", "kind", "name", "department", "role", "assignee", "status", "due_date", "outcome"]
    readonly_fields = ["stage_order", "kind", "name", "department", "role", "assignee", "status", "due_date", "outcome"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "department", "status", "current_stage", "due_date", "opened_at"]
    list_filter = ["status", "department", "version__definition"]
    list_select_related = ["entry", "entry__answers", "department", "version__definition"]
    search_fields = ["entry__sender", "entry__subject", "entry__tracking_code"]
    date_hierarchy = "opened_at"
    inlines = [CaseTaskInline]


@admin.register(CaseTask)
class CaseTaskAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "case", "department", "role", "assignee", "status", "due_date", "escalation_level"]
    list_filter = ["status", "kind", "escalation_level", "department"]
    list_select_related = ["case__entry", "case__version__definition", "department", "assignee"]
