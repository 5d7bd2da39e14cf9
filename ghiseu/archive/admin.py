"""Administration of the archive's records. Reading documents is for the staff UI, where every
view and download is logged: the admin shows metadata, checksums and import state, never the
pages' text nor the files themselves. The logs and import items are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ghiseu.archive.models import (
    AccessLogEntry,
    DisposalProposal,
    DisposalRecord,
    Document,
    DocumentVersion,
    Dossier,
    FixityProblem,
    ImportBatch,
    ImportItem,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = ("file_code", "year", "volume", "title", "department", "status", "access", "expiry_year")
    list_filter = ("status", "access", "year", "department")
    search_fields = ("title", "file_code__code")
    readonly_fields = ("expiry_year", "created_at", "updated_at")
    list_select_related = ("file_code", "department")


class VersionInline(admin.TabularInline):
    model = DocumentVersion
    extra = 0
    can_delete = False
    fields = ("kind", "format", "original_name", "file", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "dossier", "document_date", "number", "access", "page_count", "archived_at")
    list_filter = ("access", "dossier__year")
    search_fields = ("title", "number", "keywords", "uid")
    readonly_fields = ("uid", "page_count", "archived_at", "created_by", "created_at", "format", "retention_years")
    inlines = [VersionInline]
    list_select_related = ("dossier__file_code",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # nothing leaves the archive but through disposal


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "user_label", "action", "document", "dossier", "page")
    list_filter = ("action",)
    search_fields = ("user_label", "document__title")
    date_hierarchy = "at"


class ItemInline(admin.TabularInline):
    model = ImportItem
    extra = 0
    can_delete = False
    fields = ("line", "file_name", "status", "reason_code", "reason", "pages", "document")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ("pk", "source", "status", "created_at", "finished_at")
    list_filter = ("status",)
    readonly_fields = ("source", "manifest_name", "manifest_sha256", "status", "counts", "report", "force_ocr")
    inlines = [ItemInline]


@admin.register(ImportItem)
class ImportItemAdmin(ReadOnlyAdmin):
    list_display = ("batch", "line", "file_name", "status", "reason_code", "attempts", "claimed_by", "ocr_seconds")
    list_filter = ("status", "reason_code")
    search_fields = ("file_name", "sha256")


@admin.register(FixityProblem)
class FixityProblemAdmin(admin.ModelAdmin):
    list_display = ("stored_file", "kind", "detected_at", "last_seen_at", "resolved_at")
    list_filter = ("kind", "resolved_at")
    readonly_fields = ("stored_file", "kind", "detected_at", "last_seen_at", "detail")


@admin.register(DisposalProposal)
class DisposalProposalAdmin(ReadOnlyAdmin):
    """Proposals are made and confirmed on the staff pages (/arhiva/selectionare/), never here."""

    list_display = ("pk", "status", "created_at", "created_by", "decision_number", "decision_date", "confirmed_at")
    list_filter = ("status",)


@admin.register(DisposalRecord)
class DisposalRecordAdmin(ReadOnlyAdmin):
    """What was disposed of: kept forever, never edited."""

    list_display = ("file_code", "year", "volume", "title", "department", "pages", "disposed_at")
    search_fields = ("file_code", "title")
    list_filter = ("year",)
