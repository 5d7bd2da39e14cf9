"""A batch uploaded as a ZIP in the staff UI: checked, stored, registered and OCR'd by workers.

`import_upload` runs in the request: it checks the upload (size from settings, a ZIP by its
bytes, a readable manifest with the required columns), keeps the ZIP as a content-addressed
`core.StoredFile`, records the batch and — in the same transaction — queues the task that
registers it (`archive_register_upload`). The task, in the worker, copies the ZIP out of the
storage (so any machine's worker can run it), registers the files and queues their OCR tasks.
The same ZIP uploaded again is the same batch (imports are idempotent by SHA-256).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from ghiseu.archive import permissions
from ghiseu.archive.locks import lock_batch
from ghiseu.archive.models import BatchStatus, ImportBatch, ItemStatus
from ghiseu.archive.services import scans
from ghiseu.archive.services.imports import _batch_for, batch_refresh, import_enqueue, import_register, ocr_queue_name
from ghiseu.archive.services.manifest import read_manifest
from ghiseu.archive.services.scans import ScanError
from ghiseu.audit.services import audit_record
from ghiseu.core.errors import DomainError, PermissionDenied
from ghiseu.core.files import open_stored, store_file
from ghiseu.core.models import StoredFile

log = logging.getLogger(__name__)

ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
DEFAULT_MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "GHISEU_ARCHIVE_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def upload_dir() -> Path:
    return Path(settings.VAR_DIR) / "archive-uploads"


def upload_path(stored: StoredFile) -> Path:
    """The uploaded ZIP as a local file (copied out of the storage when this machine lacks it)."""
    target = upload_dir() / f"{stored.sha256}.zip"
    if target.exists() and target.stat().st_size == stored.size:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    digest = hashlib.sha256()
    with open_stored(stored) as src, partial.open("wb") as dst:
        for chunk in iter(lambda: src.read(1024 * 1024), b""):
            digest.update(chunk)
            dst.write(chunk)
    if digest.hexdigest() != stored.sha256:
        partial.unlink(missing_ok=True)
        raise DomainError(_("Arhiva ZIP stocată nu mai corespunde SHA-256."), code="zip_changed")
    partial.replace(target)
    return target


def import_upload(*, user: Any, upload: IO[bytes], name: str, size: int) -> ImportBatch:
    """Check and keep an uploaded ZIP batch; record it and queue its registration (one transaction)."""
    if not permissions.can_import(user):
        raise PermissionDenied(_("Doar arhivarul și administratorul pot importa loturi."))
    limit = max_upload_bytes()
    if size > limit:
        raise DomainError(
            _("Arhiva are %(size)d MB; limita este %(limit)d MB.")
            % {"size": size // (1024 * 1024), "limit": limit // (1024 * 1024)},
            field="batch",
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    if head not in ZIP_SIGNATURES:
        raise DomainError(_("Fișierul nu este o arhivă ZIP (după conținut)."), field="batch", code="not_zip")
    stored = store_file(upload, content_type="application/zip")
    path = upload_path(stored)
    try:
        with scans.open_source(path) as source:
            manifest_name, manifest_bytes = source.manifest()
            read_manifest(manifest_name, manifest_bytes)
            root = source.root
    except ScanError as exc:
        raise DomainError(exc.message, field="batch", code=exc.code) from exc
    from ghiseu.archive.tasks import archive_register_upload

    manifest_sha = hashlib.sha256(manifest_bytes).hexdigest()
    with transaction.atomic():
        batch = _batch_for(root, manifest_name, manifest_sha, user=user, force_ocr=False)
        audit_record(
            actor=user,
            action="archive.import_uploaded",
            obj=batch,
            summary={"name": name[-255:], "zip_sha256": stored.sha256, "size": stored.size},
        )
        archive_register_upload.using(queue_name=ocr_queue_name()).enqueue(batch_id=batch.pk, zip_file_id=stored.pk)
    return batch


def import_register_upload(*, batch_id: int, zip_file_id: int) -> str:
    """The task's body: register the uploaded ZIP's files and queue their OCR; idempotent."""
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    stored = StoredFile.objects.get(pk=zip_file_id)
    try:
        path = upload_path(stored)
        batch = import_register(path=path, user=batch.created_by, force_ocr=batch.force_ocr)
    except DomainError as exc:
        with transaction.atomic():
            locked = lock_batch(batch_id)
            locked.counts = {**locked.counts, "error": str(exc.message)}
            locked.status = BatchStatus.FINISHED
            locked.finished_at = timezone.now()
            locked.save(update_fields=["counts", "status", "finished_at"])
        return "error"
    import_enqueue(batch)
    batch_refresh(batch)
    return "registered"


@dataclass(frozen=True)
class LiveProgress:
    """What the progress page shows: files, pages, speed, time left, failures."""

    batch: ImportBatch
    items: int
    finished: int
    done: int
    skipped: int
    failed: int
    pending: int
    processing: int
    pages_expected: int
    pages_done: int
    pages_per_minute: float | None
    eta_seconds: int | None
    failures: dict[str, int]
    error: str

    @property
    def is_complete(self) -> bool:
        return self.batch.status == BatchStatus.FINISHED

    @property
    def percent(self) -> int:
        if self.is_complete:
            return 100
        if not self.items:
            return 0
        return min(99, int(100 * self.finished / self.items))

    @property
    def eta(self) -> str:
        if self.eta_seconds is None:
            return ""
        minutes, seconds = divmod(self.eta_seconds, 60)
        return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"


def batch_live_progress(batch: ImportBatch, *, now: dt.datetime | None = None) -> LiveProgress:
    from ghiseu.archive.services.imports import batch_counts

    counts = batch.counts if batch.status == BatchStatus.FINISHED and batch.counts else batch_counts(batch)
    if "items" not in counts:
        counts = batch_counts(batch)
    times = batch.items.filter(status=ItemStatus.DONE).aggregate(first=Min("claimed_at"), last=Max("finished_at"))
    rate: float | None = None
    eta: int | None = None
    pages_done = int(counts.get("pages_done", 0))
    pages_expected = int(counts.get("pages_expected", 0))
    if times["first"] is not None and pages_done:
        end = times["last"] if batch.status == BatchStatus.FINISHED else (now or timezone.now())
        minutes = max((end - times["first"]).total_seconds(), 1.0) / 60
        rate = round(pages_done / minutes, 1)
        if batch.status != BatchStatus.FINISHED and rate > 0:
            eta = int(max(pages_expected - pages_done, 0) / rate * 60)
    return LiveProgress(
        batch=batch,
        items=int(counts.get("items", 0)),
        finished=sum(int(counts.get(s, 0)) for s in (ItemStatus.DONE, ItemStatus.FAILED, ItemStatus.SKIPPED)),
        done=int(counts.get(ItemStatus.DONE, 0)),
        skipped=int(counts.get(ItemStatus.SKIPPED, 0)),
        failed=int(counts.get(ItemStatus.FAILED, 0)),
        pending=int(counts.get(ItemStatus.PENDING, 0)),
        processing=int(counts.get(ItemStatus.PROCESSING, 0)),
        pages_expected=pages_expected,
        pages_done=pages_done,
        pages_per_minute=rate,
        eta_seconds=eta,
        failures=dict(counts.get("failures", {})),
        error=str(batch.counts.get("error", "")),
    )
