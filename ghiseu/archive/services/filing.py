"""Closed registry entries file their attachments into the dossier their file code names.

The archive depends on the registry, never the reverse: the registry sends `entry_closed`
(ghiseu/registry/signals.py) inside the transaction that closes an entry; `on_entry_closed`
(connected in `ArchiveConfig.ready`) enqueues `archive_file_entry` on the "ocr" queue in that
same transaction (the database task queue is the outbox: a rolled-back close queues nothing).

The task files every attachment of the entry and of its replies as a document of the dossier
of the entry's file code and year (constituted if missing, department from the entry): the
attachment's stored file is the document's original, unaltered; scans and PDFs get an OCR'd
PDF/A copy with their pages' text; other formats (e.g. .docx) are filed with the original as
their only copy (no pages). Content-addressed: a file already filed (by SHA-256, also from an
import) is never filed twice, so re-closing or re-running files nothing twice.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction

from ghiseu.archive.models import AccessClass, DocumentVersion, VersionKind
from ghiseu.archive.services.ocr import OcrResult, PageText, ocr_scan
from ghiseu.archive.services.records import DocumentData, PageData, document_file, dossier_constitute
from ghiseu.archive.services.scans import ScanError
from ghiseu.audit.services import Change, audit_record_many
from ghiseu.core.files import open_stored, store_file
from ghiseu.core.models import StoredFile

log = logging.getLogger(__name__)

SCANNABLE = {"application/pdf": ".pdf", "image/tiff": ".tif", "image/jpeg": ".jpg", "image/png": ".png"}


def on_entry_closed(sender: Any, *, entry: Any, **kwargs: Any) -> None:
    """Receiver of `registry.signals.entry_closed`: queue the filing in the closing transaction."""
    if entry.file_code_id is None:
        return
    from ghiseu.archive.services.imports import ocr_queue_name
    from ghiseu.archive.tasks import archive_file_entry

    archive_file_entry.using(queue_name=ocr_queue_name()).enqueue(entry_id=entry.pk)


def _already_filed(file_id: int) -> bool:
    return DocumentVersion.objects.filter(kind=VersionKind.ORIGINAL, file_id=file_id).exists()


def _archival_copy(stored: StoredFile) -> tuple[StoredFile, str, list[PageText], str]:
    """OCR a scan or PDF into a PDF/A copy; other formats keep the original as their copy."""
    suffix = SCANNABLE.get(stored.content_type)
    if suffix is None:
        return stored, stored.content_type, [], "original"
    with tempfile.TemporaryDirectory(prefix="ghiseu-file-") as tmpdir:
        local = Path(tmpdir) / f"original{suffix}"
        with open_stored(stored) as src, local.open("wb") as dst:
            for chunk in iter(lambda: src.read(1024 * 1024), b""):
                dst.write(chunk)
        try:
            result: OcrResult = ocr_scan(local, content_type=stored.content_type, workdir=Path(tmpdir) / "ocr")
        except ScanError as exc:
            log.warning("Attachment %s filed without a PDF/A copy: %s", stored.sha256, exc.message)
            return stored, stored.content_type, [], "original"
        with result.pdf.open("rb") as fh:
            archival = store_file(fh, content_type="application/pdf")
        return archival, result.format, result.pages, result.engine


def registry_entry_file(*, entry_id: int) -> dict[str, int]:
    """File the attachments of a closed entry (and of its replies) into its dossier; idempotent."""
    from ghiseu.registry.models import Attachment, Entry

    entry = Entry.objects.select_related("file_code", "department", "file_code__department").get(pk=entry_id)
    counts = {"filed": 0, "skipped": 0}
    if entry.file_code is None:
        return counts
    attachments = Attachment.objects.filter(entry_id__in=[entry.pk, *entry.replies.values_list("pk", flat=True)])
    for attachment in attachments.select_related("file", "entry").order_by("uploaded_at", "pk"):
        if _already_filed(attachment.file_id):
            counts["skipped"] += 1
            continue
        archival, archival_format, pages, engine = _archival_copy(attachment.file)
        try:
            filed = _file_one(entry, attachment, archival, archival_format, pages, engine)
        except IntegrityError:  # the same bytes filed concurrently
            filed = False
        counts["filed" if filed else "skipped"] += 1
    return counts


def _file_one(
    entry: Any, attachment: Any, archival: StoredFile, archival_format: str, pages: list[PageText], engine: str
) -> bool:
    department = entry.department or entry.file_code.department
    source = attachment.entry
    with transaction.atomic():
        changes: list[Change] = []
        dossier, _created = dossier_constitute(
            file_code=entry.file_code,
            year=entry.year,
            title=f"{entry.file_code.name}, {entry.year}",
            department_id=department.pk,
            access=AccessClass.INTERNAL,
            actor="registry",
            changes=changes,
        )
        if _already_filed(attachment.file_id):  # checked again under the dossier's lock
            return False
        document_file(
            dossier=dossier,
            data=DocumentData(
                title=f"{source.display_number} — {source.subject} ({attachment.original_name})",
                document_date=source.registered_on,
                number=str(source.number if not source.is_reply else entry.number),
                issuer=source.sender,
                doc_type=source.document_type.name if source.document_type_id else "",
                access=AccessClass.INTERNAL,
            ),
            original=attachment.file,
            original_name=attachment.original_name,
            original_format=attachment.file.content_type,
            archival=archival,
            archival_format=archival_format,
            pages=[PageData(p.number, p.text, p.confidence, p.has_text_layer) for p in pages],
            actor="registry",
            audit_summary={"registry_entry": source.pk, "attachment": attachment.pk, "ocr_engine": engine},
            changes=changes,
        )
        audit_record_many(changes)
    return True
