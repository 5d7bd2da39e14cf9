"""Admin of the registry: registers and document types are configured here; entries and their
attachments are only looked at (every change to an entry goes through the services, with its
audit event)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ghiseu.registry.models import Attachment, DocumentType, Entry, Register, RegisterCounter


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Register)
class RegisterAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "department", "is_general"]
    list_filter = ["is_general"]
    search_fields = ["code", "name"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # numbers were given in it


@admin.register(RegisterCounter)
class RegisterCounterAdmin(ReadOnlyAdmin):
    list_display = ["register", "year", "last_number"]
    list_filter = ["register", "year"]


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "deadline_days", "deadline_kind", "legal_basis", "is_active"]
    list_filter = ["deadline_kind", "is_active"]
    search_fields = ["code", "name", "legal_basis"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # entries refer to it: deactivate instead


class AttachmentInline(admin.TabularInline):
    model = Attachment
    fields = ["original_name", "file", "uploaded_by", "uploaded_at"]
    readonly_fields = ["original_name", "file", "uploaded_by", "uploaded_at"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "registered_at", "direction", "sender", "subject", "department", "status", "due_date"]
    list_filter = ["register", "year", "direction", "channel", "status", "department", "document_type"]
    search_fields = ["sender", "subject", "tracking_code", "sender_reference"]
    date_hierarchy = "registered_at"
    list_select_related = ["department", "register", "answers"]
    inlines = [AttachmentInline]
    exclude = ["search_text"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "entry", "uploaded_by", "uploaded_at"]
    search_fields = ["original_name", "file__sha256"]
    list_select_related = ["entry", "entry__answers", "uploaded_by"]
