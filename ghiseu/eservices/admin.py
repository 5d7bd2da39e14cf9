"""The catalogue is defined here, without code: services, their documents and their fields."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ghiseu.eservices.models import RequestAttachment, Service, ServiceDocument, ServiceField, ServiceRequest


class ServiceDocumentInline(admin.TabularInline):
    model = ServiceDocument
    extra = 1
    fields = ["order", "name", "required", "description"]


class ServiceFieldInline(admin.StackedInline):
    model = ServiceField
    extra = 0
    fields = [
        ("order", "label", "name", "kind", "required"),
        "help_text",
        "choices",
        ("regex", "min_value", "max_value"),
    ]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "life_event", "department", "fee", "deadline_days", "deadline_kind", "is_published"]
    list_filter = ["is_published", "life_event", "department", "applicant_kind"]
    search_fields = ["name", "code", "legal_basis"]
    list_editable = ["is_published"]
    prepopulated_fields = {"code": ["name"]}
    inlines = [ServiceDocumentInline, ServiceFieldInline]
    fieldsets = [
        (None, {"fields": ["name", "code", "description", "life_event", "department", "applicant_kind", "order"]}),
        (_("Lege, taxă, termen"), {"fields": ["legal_basis", "fee", "deadline_days", "deadline_kind"]}),
        (_("Lucrare"), {"fields": ["procedure", "document_type", "file_code", "completion_stops_clock"]}),
        (_("Actul emis"), {"fields": ["output_title", "output_template"]}),
        (_("Publicare"), {"fields": ["is_published"]}),
    ]


class RequestAttachmentInline(admin.TabularInline):
    model = RequestAttachment
    extra = 0
    fields = ["label", "original_name", "reused", "uploaded_at"]
    readonly_fields = ["label", "original_name", "reused", "uploaded_at"]
    can_delete = False

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    """Read-only: requests change only through the portal and the procedures."""

    list_display = ["__str__", "applicant", "state", "due_date", "submitted_at", "issued_at"]
    list_filter = ["state", "service"]
    search_fields = ["entry__number", "applicant__last_name", "service__name"]
    readonly_fields = [
        "service",
        "applicant",
        "state",
        "values",
        "entry",
        "case",
        "due_date",
        "submitted_at",
        "issued_at",
        "issued_entry",
        "issued_file",
    ]
    exclude = ["idempotency_key"]
    inlines = [RequestAttachmentInline]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
