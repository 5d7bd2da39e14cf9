"""The demo's archive: the example batch (examples/archive-batch) registered and queued for OCR.

`seed_archive_example` registers the batch (hashing and storing five small scans: well under a
second) and queues its OCR tasks on the "ocr" queue; the worker that `make run` starts
(`db_worker --queue-name '*'`) OCRs them and the pages become searchable as they finish, so
`seed_demo` does not wait for OCR. Idempotent: the same folder and manifest are the same batch,
already imported scans are never imported again, and a task still queued is not queued twice.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from ghiseu.accounts.models import Role, User
from ghiseu.archive.models import BatchStatus
from ghiseu.archive.services.imports import import_enqueue, import_register
from ghiseu.core.errors import DomainError

EXAMPLE_BATCH = Path(settings.BASE_DIR) / "examples" / "archive-batch"


def seed_archive_example(path: Path = EXAMPLE_BATCH) -> str:
    """Register the example batch and queue its OCR; a one-line summary for the seed's output."""
    if not (path / "manifest.csv").exists():
        return "Arhivă: lotul de exemplu lipsește; nimic de importat."
    archivist = User.objects.filter(role=Role.ARCHIVIST, is_active=True).order_by("pk").first()
    try:
        batch = import_register(path=path, user=archivist)
    except DomainError as exc:
        return f"Arhivă: lotul de exemplu nu a putut fi citit: {exc}"
    queued = import_enqueue(batch)
    batch.refresh_from_db()
    if batch.status == BatchStatus.FINISHED:
        return f"Arhivă: lotul de exemplu nr. {batch.pk} este deja importat ({batch.counts.get('done', 0)} documente)."
    return (
        f"Arhivă: lotul de exemplu nr. {batch.pk} înregistrat; {queued} fișiere puse la OCR "
        "(le prelucrează workerul pornit de `make run`)."
    )
