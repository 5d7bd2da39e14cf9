"""The demo's archive: the example batch is registered and queued for the worker, once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from ghiseu.archive.models import BatchStatus, Document, ImportBatch, ItemStatus
from ghiseu.archive.services import imports
from ghiseu.archive.tests.conftest import FakeOcr
from ghiseu.archive.tests.worker import run_worker
from ghiseu.audit.models import AuditEvent
from ghiseu.demo.archive import EXAMPLE_BATCH, seed_archive_example
from ghiseu.demo.seed import seed_organization

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "search", "ocr"]}}


def test_the_example_batch_is_queued_for_the_worker_once_and_imported_by_it(monkeypatch):
    seed_organization()
    message = seed_archive_example()
    batch = ImportBatch.objects.get()
    assert str(batch.pk) in message and "5 fișiere" in message
    assert batch.source == str(EXAMPLE_BATCH.resolve())
    assert batch.items.filter(status=ItemStatus.PENDING).count() == 5
    assert DBTaskResult.objects.filter(queue_name="ocr").count() == 5
    assert not Document.objects.exists()  # the seed does not wait for OCR

    audit_before = AuditEvent.objects.count()
    seed_archive_example()  # again: nothing new
    assert ImportBatch.objects.count() == 1 and DBTaskResult.objects.filter(queue_name="ocr").count() == 5
    assert AuditEvent.objects.count() == audit_before

    monkeypatch.setattr(imports, "ocr_scan", FakeOcr())
    run_worker()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FINISHED and Document.objects.count() == 5
    assert "deja importat" in seed_archive_example()
    assert Document.objects.count() == 5
