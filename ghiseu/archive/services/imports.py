"""Bulk import of retro-digitized batches: register, enqueue, process, finish.

1. `import_register` reads the manifest, records one item per line (and one per scan file the
   manifest does not name), and for each line checks the file, hashes it and stores it
   unaltered (`core.files.store_file`, content-addressed by SHA-256). Bad lines and bad files
   are failed with a reason code there and then; they never stop the rest. Each item is
   written in its own short transaction, so an interrupted registration continues where it
   stopped when run again.
2. `import_enqueue` queues one task per pending item on the "ocr" queue (django-tasks, in the
   same transaction as the item): any number of workers on any number of machines share a
   batch, since they read the originals from the storage, not from the batch folder.
3. `import_process_item` (the task) claims the item, OCRs it outside any transaction, then
   files the document in one transaction — unless another worker finished it first, or the
   same bytes were imported already, in which case the item is "skipped". A worker killed
   mid-way leaves its item "processing"; its claim expires after a lease and re-running the
   import (or `archive_import --resume`) queues it again.

Files are identified by SHA-256: importing the same folder again, or the same scan in another
batch, never files a document twice (a unique constraint on the original version backs this).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import os
import socket
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from ghiseu.accounts.models import NomenclatorEntry
from ghiseu.archive.locks import lock_batch, lock_item
from ghiseu.archive.models import (
    FINAL_ITEM_STATUSES,
    BatchStatus,
    Document,
    DocumentVersion,
    ImportBatch,
    ImportItem,
    ItemStatus,
    VersionKind,
)
from ghiseu.archive.services import scans
from ghiseu.archive.services.import_report import import_report_csv
from ghiseu.archive.services.manifest import CleanLine, LineError, read_manifest, validate_row
from ghiseu.archive.services.ocr import ocr_scan
from ghiseu.archive.services.records import DocumentData, PageData, document_file, dossier_constitute
from ghiseu.archive.services.scans import ScanError
from ghiseu.audit.services import Change, audit_record, audit_record_many
from ghiseu.core.errors import DomainError
from ghiseu.core.files import open_stored, store_file
from ghiseu.core.models import StoredFile

log = logging.getLogger(__name__)

OCR_QUEUE = "ocr"
_CHUNK = 1024 * 1024
# A claim older than this (plus a minute per page) belongs to a worker that died.
DEFAULT_LEASE_SECONDS = 600
LEASE_SECONDS_PER_PAGE = 60
MAX_ATTEMPTS = 3  # claims of one file that ended with no result before it is reported, not retried
DEFAULT_MAX_FILE_BYTES = 1024 * 1024 * 1024
# Failures that may have been fixed in the batch folder since: checked again on a re-run.
FILE_FAILURES = frozenset(
    {
        scans.MISSING_FILE,
        scans.CORRUPT_PDF,
        scans.ENCRYPTED_PDF,
        scans.UNREADABLE_IMAGE,
        scans.PAGE_MISMATCH,
        scans.UNSUPPORTED_TYPE,
        scans.TOO_LARGE,
    }
)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def ocr_queue_name() -> str:
    """The "ocr" queue, or the default one when the task backend is not configured with it."""
    from django_tasks import task_backends

    queues = getattr(task_backends["default"], "queues", None) or set()
    if not queues or OCR_QUEUE in queues:
        return OCR_QUEUE
    if not _warned_queue:
        log.warning('The task backend has no "ocr" queue (TASKS QUEUES); OCR tasks go to "default".')
        _warned_queue.append(True)
    return "default"


_warned_queue: list[bool] = []


def _store(path: Path, content_type: str) -> StoredFile:
    """`core.files.store_file`, once more if another worker was storing the same bytes at that moment.

    Two workers storing equal bytes at once both find the content address free; the storage
    saves the second under another name and `store_file` refuses that. The address is taken by
    then, so a second attempt finds the file (and its row) and returns it.
    """
    for attempt in range(2):
        try:
            with path.open("rb") as fh:
                return store_file(fh, content_type=content_type)
        except RuntimeError:
            if attempt:
                raise
    raise AssertionError("unreachable")


def _max_file_bytes() -> int:
    return int(getattr(settings, "GHISEU_ARCHIVE_MAX_SCAN_BYTES", DEFAULT_MAX_FILE_BYTES))


def lease_expired(item: ImportItem, now: dt.datetime | None = None) -> bool:
    if item.claimed_at is None:
        return True
    base = int(getattr(settings, "GHISEU_ARCHIVE_IMPORT_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))
    lease = dt.timedelta(seconds=base + LEASE_SECONDS_PER_PAGE * (item.expected_pages or 1))
    return (now or timezone.now()) - item.claimed_at > lease


# --- 1. Registration ----------------------------------------------------------------------


@dataclass
class RegisterProgress:
    """Callbacks for a progress display: `total` lines, then one `advance(name)` per line."""

    total: Callable[[int], None] = lambda n: None
    advance: Callable[[str], None] = lambda name: None


def _fail(item: ImportItem, code: str, reason: str, **fields: Any) -> None:
    item.status = ItemStatus.FAILED
    item.reason_code = code
    item.reason = reason
    item.finished_at = timezone.now()
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()


def _copy_hashing(source: scans.BatchSource, name: str, target: Path) -> str:
    digest = hashlib.sha256()
    with source.open(name) as src, target.open("wb") as dst:
        for chunk in iter(lambda: src.read(_CHUNK), b""):
            digest.update(chunk)
            dst.write(chunk)
    return digest.hexdigest()


def _register_file(item: ImportItem, clean: CleanLine, source: scans.BatchSource, tmp: Path) -> None:
    """Check, hash and store one line's file; the item ends pending (stored) or failed."""
    name = clean.file
    row = clean.as_row()
    if not source.has(name):
        _fail(item, scans.MISSING_FILE, f"Fișierul „{name}” nu există în lot.", row=row, sha256="")
        return
    if source.size(name) > _max_file_bytes():
        _fail(item, scans.TOO_LARGE, f"Fișierul are peste {_max_file_bytes()} octeți.", row=row)
        return
    local = tmp / f"scan{Path(name).suffix.lower()}"
    sha = _copy_hashing(source, name, local)
    if item.status == ItemStatus.FAILED and item.sha256 == sha:
        return  # the same bad file again: the same reason stands
    if _skip_if_known(item, sha, row):
        return
    try:
        info = scans.inspect_scan(local)
    except ScanError as exc:
        _fail(item, exc.code, exc.message, row=row, sha256=sha)
        return
    if info.pages != clean.pages:
        _fail(
            item,
            scans.PAGE_MISMATCH,
            f"Manifestul declară {clean.pages} pagini, fișierul are {info.pages}.",
            row=row,
            sha256=sha,
            pages=info.pages,
            expected_pages=clean.pages,
            content_type=info.content_type,
        )
        return
    original = _store(local, info.content_type)
    item.status = ItemStatus.PENDING
    item.reason_code = ""
    item.reason = clean.note
    item.row = row
    item.sha256 = sha
    item.original = original
    item.content_type = info.content_type
    item.expected_pages = clean.pages
    item.pages = info.pages
    item.finished_at = None
    item.save()


def _skip_if_known(item: ImportItem, sha: str, row: dict[str, Any]) -> bool:
    """Skip a file whose bytes are already a document, or another line of this batch."""
    existing = (
        DocumentVersion.objects.filter(kind=VersionKind.ORIGINAL, file__sha256=sha).select_related("document").first()
    )
    document: Document | None
    if existing is not None:
        reason = f"Același fișier (SHA-256) este deja documentul {existing.document.uid}."
        document = existing.document
    else:
        twin = (
            ImportItem.objects.filter(batch_id=item.batch_id, sha256=sha)
            .exclude(pk=item.pk)
            .exclude(status=ItemStatus.FAILED)
            .exclude(status=ItemStatus.SKIPPED)
            .first()
        )
        if twin is None:
            return False
        reason = f"Același conținut (SHA-256) ca fișierul de pe linia {twin.line}."
        document = twin.document
    item.status = ItemStatus.SKIPPED
    item.reason_code = "already_imported"
    item.reason = reason
    item.document = document
    item.row = row
    item.sha256 = sha
    item.finished_at = timezone.now()
    item.save()
    return True


def _needs_registration(item: ImportItem) -> bool:
    if item.status == ItemStatus.PENDING:
        return item.original_id is None
    return item.status == ItemStatus.FAILED and item.reason_code in FILE_FAILURES


def import_register(
    *,
    path: Path,
    user: Any = None,
    force_ocr: bool = False,
    progress: RegisterProgress | None = None,
) -> ImportBatch:
    """Record a batch and its items and store its files (or continue a batch recorded before).

    The same folder or ZIP with the same manifest is the same batch: running it again continues
    it, and checks again the files that were missing or bad (they may have been fixed).
    Raises DomainError when the batch cannot be read at all (no manifest, missing columns).
    """
    progress = progress or RegisterProgress()
    try:
        with scans.open_source(Path(path)) as source:
            manifest_name, manifest_bytes = source.manifest()
            manifest = read_manifest(manifest_name, manifest_bytes)
            manifest_sha = hashlib.sha256(manifest_bytes).hexdigest()
            batch = _batch_for(source.root, manifest_name, manifest_sha, user=user, force_ocr=force_ocr)
            named = _register_lines(batch, manifest.lines, source, progress)
            _register_orphans(batch, source, named)
    except ScanError as exc:
        raise DomainError(exc.message, code=exc.code) from exc
    return batch


def _batch_for(root: str, manifest_name: str, manifest_sha: str, *, user: Any, force_ocr: bool) -> ImportBatch:
    with transaction.atomic():
        batch = ImportBatch.objects.filter(source=root, manifest_sha256=manifest_sha).order_by("-pk").first()
        if batch is not None:
            if force_ocr and not batch.force_ocr:
                batch.force_ocr = True
                batch.save(update_fields=["force_ocr"])
            return batch
        batch = ImportBatch.objects.create(
            source=root,
            manifest_name=manifest_name,
            manifest_sha256=manifest_sha,
            force_ocr=force_ocr,
            created_by=user if getattr(user, "pk", None) else None,
        )
        audit_record(
            actor=user or "archive_import",
            action="archive.import_started",
            obj=batch,
            summary={"source": root, "manifest": manifest_name, "manifest_sha256": manifest_sha},
        )
    return batch


def _register_lines(
    batch: ImportBatch, lines: list[Any], source: scans.BatchSource, progress: RegisterProgress
) -> set[str]:
    items = {item.line: item for item in batch.items.filter(line__isnull=False)}
    first_line_of: dict[str, int] = {}
    named: set[str] = set()
    progress.total(len(lines))
    with tempfile.TemporaryDirectory(prefix="ghiseu-import-") as tmpdir:
        # Each item is written on its own (autocommit): files are read and stored outside any
        # transaction, so registering a large batch never holds the database's write lock.
        for manifest_line in lines:
            raw_name = str(manifest_line.values.get("file", ""))
            clean_name = scans.safe_relative_path(raw_name)
            if clean_name:
                named.add(clean_name)
            item = items.get(manifest_line.line)
            if item is None:
                item = ImportItem.objects.create(batch=batch, line=manifest_line.line, file_name=raw_name[:500])
            if not _needs_registration(item):
                if clean_name and item.reason_code not in (scans.BAD_LINE, scans.DUPLICATE_LINE):
                    first_line_of.setdefault(clean_name, manifest_line.line)
                progress.advance(raw_name)
                continue
            try:
                clean = validate_row(manifest_line.values)
            except LineError as exc:
                _fail(item, scans.BAD_LINE, f"Linia {manifest_line.line}: {exc.message}.")
                progress.advance(raw_name)
                continue
            first = first_line_of.setdefault(clean.file, manifest_line.line)
            if first != manifest_line.line:
                _fail(item, scans.DUPLICATE_LINE, f"Fișierul este deja pe linia {first} a manifestului.")
            else:
                try:
                    _register_file(item, clean, source, Path(tmpdir))
                except OSError as exc:
                    _fail(item, scans.MISSING_FILE, f"Fișierul „{clean.file}” nu poate fi citit: {exc}.")
            progress.advance(raw_name)
    return named


def _register_orphans(batch: ImportBatch, source: scans.BatchSource, named: set[str]) -> None:
    known = set(batch.items.filter(line__isnull=True).values_list("file_name", flat=True))
    for name in source.names():
        if name in named or name in known:
            continue
        with transaction.atomic():
            ImportItem.objects.create(
                batch=batch,
                line=None,
                file_name=name[:500],
                status=ItemStatus.FAILED,
                reason_code=scans.NOT_IN_MANIFEST,
                reason=f"Fișierul „{name}” nu apare în manifest.",
                finished_at=timezone.now(),
            )


# --- 2. Queueing --------------------------------------------------------------------------


def _task_is_queued(task_id: str) -> bool:
    from django_tasks.base import TaskResultStatus
    from django_tasks.exceptions import TaskResultDoesNotExist

    from ghiseu.archive.tasks import archive_import_item

    if not task_id:
        return False
    try:
        result = archive_import_item.get_result(task_id)
    except (TaskResultDoesNotExist, NotImplementedError, ValueError):
        return False
    return bool(result.status == TaskResultStatus.READY)


def import_reclaim(batch: ImportBatch, *, reclaim: bool = False, retry_failed: bool = False) -> int:
    """Put back to pending what a dead worker left "processing" (its claim expired, or at once
    with `reclaim`, when the operator knows no worker is running) and, with `retry_failed`,
    what failed during OCR (not bad input). Returns how many items were put back; marks the
    batch as processing when it has work again."""
    now = timezone.now()
    reset = 0
    with transaction.atomic():
        if retry_failed:
            reset += batch.items.filter(
                status=ItemStatus.FAILED, reason_code=scans.OCR_FAILED, original__isnull=False
            ).update(status=ItemStatus.PENDING, reason_code="", reason="", finished_at=None, attempts=0)
        for item in ImportItem.objects.select_for_update().filter(batch=batch, status=ItemStatus.PROCESSING):
            if reclaim or lease_expired(item, now):
                item.status = ItemStatus.PENDING
                item.reason = f"reluat după o întrerupere ({item.claimed_by})"
                item.save(update_fields=["status", "reason"])
                reset += 1
        locked = lock_batch(batch.pk)
        if locked.items.filter(status__in=[ItemStatus.PENDING, ItemStatus.PROCESSING]).exists():
            locked.status = BatchStatus.PROCESSING
            locked.finished_at = None
            locked.save(update_fields=["status", "finished_at"])
            _refresh_batch(locked, finish_if_done=False)
        else:
            locked.status = BatchStatus.PROCESSING if locked.status == BatchStatus.REGISTERING else locked.status
            locked.save(update_fields=["status"])
            _refresh_batch(locked, finish_if_done=True)
    batch.refresh_from_db()
    return reset


def import_enqueue(batch: ImportBatch, *, reclaim: bool = False, retry_failed: bool = False) -> int:
    """Queue a task for every pending item not already queued; returns how many were queued.

    Runs `import_reclaim` first. Each task row is written in the transaction that records its
    id on the item, so an item is never left believed-queued without a task.
    """
    from ghiseu.archive.tasks import archive_import_item

    import_reclaim(batch, reclaim=reclaim, retry_failed=retry_failed)
    queue = ocr_queue_name()
    queued = 0
    with transaction.atomic():
        pending = ImportItem.objects.select_for_update().filter(
            batch=batch, status=ItemStatus.PENDING, original__isnull=False
        )
        for item in pending:
            if _task_is_queued(item.task_id):
                continue
            result = archive_import_item.using(queue_name=queue).enqueue(item_id=item.pk)
            item.task_id = str(result.id)[:64]
            item.save(update_fields=["task_id"])
            queued += 1
    return queued


def ocr_queue_busy() -> bool:
    """Whether the OCR queue holds a task that is waiting or running (any batch's)."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    active = [TaskResultStatus.READY, TaskResultStatus.RUNNING]
    return DBTaskResult.objects.filter(queue_name=ocr_queue_name(), status__in=active).exists()


def import_pending_ids(batch: ImportBatch) -> list[int]:
    pending = batch.items.filter(status=ItemStatus.PENDING, original__isnull=False).order_by("line")
    return list(pending.values_list("pk", flat=True))


# --- 3. Processing (the task) ---------------------------------------------------------------


def _claim(item_id: int, worker: str) -> ImportItem | None:
    with transaction.atomic():
        item = lock_item(item_id)
        if item.status in FINAL_ITEM_STATUSES or item.original_id is None:
            return None
        if item.status == ItemStatus.PROCESSING and not lease_expired(item):
            return None  # another worker holds it
        if item.attempts >= MAX_ATTEMPTS:
            # Each attempt ended without a result: the worker died on it (a crash in the OCR
            # engine, memory); trying it again would take down the next worker too.
            _fail(
                item,
                scans.OCR_FAILED,
                f"Procesarea fișierului s-a întrerupt de {item.attempts} ori (ultima dată la {item.claimed_by}); "
                "nu se mai reîncearcă automat (--retry-failed o reia).",
            )
            _item_finished(item.batch_id)
            return None
        item.status = ItemStatus.PROCESSING
        item.claimed_at = timezone.now()
        item.claimed_by = worker[:200]
        item.attempts += 1
        item.save(update_fields=["status", "claimed_at", "claimed_by", "attempts"])
        return item


def _fetch_original(item: ImportItem, target: Path) -> None:
    """Copy the stored original out, checking that it still hashes to its address."""
    assert item.original is not None
    digest = hashlib.sha256()
    with open_stored(item.original) as src, target.open("wb") as dst:
        for chunk in iter(lambda: src.read(_CHUNK), b""):
            digest.update(chunk)
            dst.write(chunk)
    if digest.hexdigest() != item.original.sha256:
        raise ScanError(scans.OCR_FAILED, "Originalul stocat nu mai corespunde SHA-256 (vezi archive_fixity).")


def import_process_item(item_id: int, *, worker: str | None = None) -> str:
    """OCR one item and file its document; returns the item's status (or "busy"/"gone")."""
    item = _claim(item_id, worker or worker_name())
    if item is None:
        current = ImportItem.objects.filter(pk=item_id).values_list("status", flat=True).first()
        return str(current) if current in FINAL_ITEM_STATUSES else ("busy" if current else "gone")
    assert item.original is not None
    suffix = {"application/pdf": ".pdf", "image/tiff": ".tif", "image/jpeg": ".jpg", "image/png": ".png"}
    with tempfile.TemporaryDirectory(prefix="ghiseu-ocr-") as tmpdir:
        tmp = Path(tmpdir)
        local = tmp / f"original{suffix.get(item.content_type, '')}"
        try:
            _fetch_original(item, local)
            result = ocr_scan(
                local, content_type=item.content_type, workdir=tmp / "ocr", force_ocr=item.batch.force_ocr
            )
            if item.expected_pages is not None and len(result.pages) != item.expected_pages:
                raise ScanError(
                    scans.PAGE_MISMATCH,
                    f"Manifestul declară {item.expected_pages} pagini, OCR a găsit {len(result.pages)}.",
                )
            archival = _store(result.pdf, "application/pdf")
        except ScanError as exc:
            return _finish_failed(item_id, exc.code, exc.message)
        except Exception as exc:
            log.exception("OCR of import item %s failed", item_id)
            return _finish_failed(item_id, scans.OCR_FAILED, f"{type(exc).__name__}: {exc}"[:2000])
    for attempt in range(2):
        try:
            return _finish_done(item_id, result, archival)
        except IntegrityError:
            # The same original was filed concurrently by another batch: the retry sees it and skips.
            if attempt:
                raise
    return "unreachable"


def _finish_failed(item_id: int, code: str, reason: str) -> str:
    with transaction.atomic():
        item = lock_item(item_id)
        if item.status in FINAL_ITEM_STATUSES:
            return str(item.status)
        _fail(item, code, reason)
        _item_finished(item.batch_id)
    return str(ItemStatus.FAILED)


def _finish_done(item_id: int, result: Any, archival: Any) -> str:
    with transaction.atomic():
        item = lock_item(item_id)
        if item.status in FINAL_ITEM_STATUSES:
            return str(item.status)  # another worker finished it first; this work is dropped
        changes: list[Change] = []
        batch = item.batch
        original = item.original
        assert original is not None  # only stored items are claimed
        actor = batch.created_by or "archive_import"
        existing = (
            DocumentVersion.objects.filter(kind=VersionKind.ORIGINAL, file_id=item.original_id)
            .select_related("document")
            .first()
        )
        if existing is not None:
            item.status = ItemStatus.SKIPPED
            item.document = existing.document
            item.reason_code = "already_imported"
            item.reason = f"Același fișier (SHA-256) este deja documentul {existing.document.uid}."
        else:
            clean = CleanLine.from_row(item.row)
            file_code = NomenclatorEntry.objects.get(pk=clean.file_code_id)
            dossier, _created = dossier_constitute(
                file_code=file_code,
                year=clean.dossier_year,
                volume=clean.dossier_volume,
                title=clean.dossier_title,
                department_id=clean.department_id,
                access=clean.dossier_access_class,
                physical_location=clean.physical_location,
                actor=actor,
                changes=changes,
            )
            document = document_file(
                dossier=dossier,
                data=DocumentData(
                    title=clean.document_title,
                    document_date=clean.document_date,
                    number=clean.document_number,
                    keywords=clean.keywords,
                    access=clean.access_class,
                    issuer=clean.issuer,
                    doc_type=clean.document_type,
                    physical_location=clean.physical_location,
                ),
                original=original,
                original_name=Path(item.file_name).name,
                original_format=item.content_type,
                archival=archival,
                archival_format=result.format,
                pages=[PageData(p.number, p.text, p.confidence, p.has_text_layer) for p in result.pages],
                actor=actor,
                audit_summary={
                    "import_batch": batch.pk,
                    "manifest_line": item.line,
                    "file": item.file_name,
                    "ocr_engine": result.engine,
                },
                changes=changes,
            )
            item.status = ItemStatus.DONE
            item.document = document
            item.reason_code = ""
            item.reason = "; ".join(part for part in (item.reason, result.note) if part)
        item.pages = len(result.pages)
        item.finished_at = timezone.now()
        item.ocr_seconds = round(result.seconds, 3)
        item.save()
        _item_finished(item.batch_id, changes)
        if changes:
            audit_record_many(changes)
    return str(item.status)


# --- 4. Counts, finishing, the report ----------------------------------------------------


def batch_counts(batch: ImportBatch) -> dict[str, Any]:
    by_status = dict(batch.items.values_list("status").annotate(n=Count("id")).order_by())
    totals = batch.items.aggregate(
        expected=Sum("expected_pages", filter=~Q(status=ItemStatus.FAILED)),
        done=Sum("pages", filter=Q(status=ItemStatus.DONE)),
        ocr_seconds=Sum("ocr_seconds", filter=Q(status=ItemStatus.DONE)),
    )
    reasons = dict(
        batch.items.filter(status=ItemStatus.FAILED).values_list("reason_code").annotate(n=Count("id")).order_by()
    )
    counts: dict[str, Any] = {status: int(by_status.get(status, 0)) for status in ItemStatus.values}
    counts["items"] = sum(counts[status] for status in ItemStatus.values)
    counts["pages_expected"] = int(totals["expected"] or 0)
    counts["pages_done"] = int(totals["done"] or 0)
    counts["ocr_seconds"] = round(float(totals["ocr_seconds"] or 0.0), 1)
    counts["failures"] = {str(code): int(n) for code, n in reasons.items()}
    return counts


def _refresh_batch(batch: ImportBatch, *, finish_if_done: bool, changes: list[Change] | None = None) -> None:
    """Store the batch's counts; finish it (report, audit) when nothing is left to do. Batch locked."""
    counts = batch_counts(batch)
    batch.counts = counts
    fields = ["counts"]
    open_items = counts[ItemStatus.PENDING] + counts[ItemStatus.PROCESSING]
    if finish_if_done and open_items == 0 and batch.status != BatchStatus.FINISHED:
        batch.status = BatchStatus.FINISHED
        batch.finished_at = timezone.now()
        batch.report = store_file(io.BytesIO(import_report_csv(batch)), content_type="text/csv")
        fields += ["status", "finished_at", "report"]
        finished = Change(
            actor=batch.created_by or "archive_import",
            action="archive.import_finished",
            obj=batch,
            summary={key: counts[key] for key in ("items", "done", "failed", "skipped", "pages_done", "failures")},
        )
        if changes is None:
            batch.save(update_fields=fields)
            audit_record_many([finished])
            return
        changes.append(finished)
    batch.save(update_fields=fields)


def _item_finished(batch_id: int, changes: list[Change] | None = None) -> None:
    """After an item's final status (same transaction): finish the batch if nothing is left open.

    Only then are the counts stored again: counting a batch costs time in proportion to its
    size (0.13–0.19 s at 100,000 files on PostgreSQL), and every finishing item would pay it
    under the batch's lock. Progress displays count live (`selectors.batch_progress`). The
    batch lock orders the finishing items, so exactly one of them sees none left open.
    """
    batch = lock_batch(batch_id)
    if not batch.items.filter(status__in=[ItemStatus.PENDING, ItemStatus.PROCESSING]).exists():
        _refresh_batch(batch, finish_if_done=True, changes=changes)


def batch_refresh(batch: ImportBatch) -> ImportBatch:
    """Recount a batch and finish it if nothing is left to do (e.g. after every item was rejected)."""
    with transaction.atomic():
        locked = lock_batch(batch.pk)
        if locked.status != BatchStatus.REGISTERING:
            _refresh_batch(locked, finish_if_done=True)
        else:
            _refresh_batch(locked, finish_if_done=False)
    return ImportBatch.objects.get(pk=batch.pk)
