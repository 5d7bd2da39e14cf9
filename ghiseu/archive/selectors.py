"""Reads of the archive: the access log, the Law 135/2007 metadata sheet, import progress."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ghiseu.archive import permissions
from ghiseu.archive.models import (
    AccessLogEntry,
    Document,
    DocumentVersion,
    Dossier,
    ImportBatch,
    ImportItem,
    ItemStatus,
    VersionKind,
)
from ghiseu.audit.models import AuditEvent
from ghiseu.audit.services import audit_events_for
from ghiseu.core.errors import PermissionDenied


def _check_log_reader(reader: Any) -> None:
    if not permissions.can_read_access_log(reader):
        raise PermissionDenied(_("Numai arhivarul poate consulta jurnalul accesului."), code="forbidden")


def access_log_for_document(*, reader: Any, document: Document) -> QuerySet[AccessLogEntry]:
    """Who viewed or downloaded a document, newest first."""
    _check_log_reader(reader)
    return AccessLogEntry.objects.filter(document=document).select_related("user")


def access_log_for_dossier(*, reader: Any, dossier: Dossier) -> QuerySet[AccessLogEntry]:
    """Every access to a dossier or to any of its documents, newest first."""
    _check_log_reader(reader)
    return AccessLogEntry.objects.filter(dossier=dossier).select_related("user", "document")


def access_log_for_user(*, reader: Any, user: Any) -> QuerySet[AccessLogEntry]:
    """What one person viewed or downloaded, newest first."""
    _check_log_reader(reader)
    return AccessLogEntry.objects.filter(user=user).select_related("document", "dossier__file_code")


def document_history(document: Document) -> QuerySet[AuditEvent]:
    """The document's history (Law 135/2007): its audit events."""
    return audit_events_for(document).order_by("position")


def document_metadata_sheet(document: Document) -> dict[str, Any]:
    """The Law 135/2007 metadata sheet of a document, as plain values."""
    dossier = document.dossier
    versions = {v.kind: v for v in DocumentVersion.objects.filter(document=document).select_related("file")}
    archival = versions.get(VersionKind.ARCHIVAL)
    original = versions.get(VersionKind.ORIGINAL)
    return {
        "unique_id": str(document.uid),
        "title": document.title,
        "number": document.number,
        "owner": document.owner,
        "issuer": document.issuer,
        "right_holder": document.right_holder,
        "type": document.doc_type,
        "classification": document.classification,
        "format": document.format,
        "keywords": [k.strip() for k in document.keywords.replace(";", ",").split(",") if k.strip()],
        "physical_location": document.physical_location,
        "issue_date": document.document_date.isoformat() if document.document_date else None,
        "archiving_date": document.archived_at.isoformat(),
        "retention": document.retention_years,  # None: permanent
        "retention_label": dossier.retention_label if document.retention_years == dossier.retention_years else "",
        "access": document.effective_access,
        "dossier": {
            "file_code": dossier.file_code.code,
            "year": dossier.year,
            "volume": dossier.volume,
            "title": dossier.title,
            "department": dossier.department.code,
            "expiry_year": dossier.expiry_year,
        },
        "pages": document.page_count,
        "original": {"sha256": original.file.sha256, "format": original.format, "name": original.original_name}
        if original
        else None,
        "archival_copy": {"sha256": archival.file.sha256, "format": archival.format} if archival else None,
        "history": [
            {"at": e.occurred_at.isoformat(), "action": e.action, "by": e.actor_label, "summary": e.summary}
            for e in document_history(document)
        ],
    }


def documents_visible_to(user: Any) -> QuerySet[Document]:
    return permissions.visible_documents(user, Document.objects.select_related("dossier__file_code"))


def dossiers_visible_to(user: Any) -> QuerySet[Dossier]:
    return permissions.visible_dossiers(user, Dossier.objects.select_related("file_code", "department"))


@dataclass(frozen=True)
class BatchProgress:
    items: int
    finished: int  # done + failed + skipped
    done: int
    failed: int
    skipped: int
    processing: int
    pending: int
    pages_expected: int
    pages_done: int

    @property
    def is_complete(self) -> bool:
        return self.pending == 0 and self.processing == 0


def batch_progress(batch: ImportBatch) -> BatchProgress:
    from ghiseu.archive.services.imports import batch_counts

    counts = batch_counts(batch)
    return BatchProgress(
        items=counts["items"],
        finished=counts[ItemStatus.DONE] + counts[ItemStatus.FAILED] + counts[ItemStatus.SKIPPED],
        done=counts[ItemStatus.DONE],
        failed=counts[ItemStatus.FAILED],
        skipped=counts[ItemStatus.SKIPPED],
        processing=counts[ItemStatus.PROCESSING],
        pending=counts[ItemStatus.PENDING],
        pages_expected=counts["pages_expected"],
        pages_done=counts["pages_done"],
    )


def failed_items(batch: ImportBatch) -> QuerySet[ImportItem]:
    return batch.items.filter(status=ItemStatus.FAILED).order_by("line", "file_name")
