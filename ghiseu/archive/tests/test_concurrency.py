"""Many workers on one batch (real connections, in threads): every file is filed once, whoever
finishes first. PostgreSQL serializes them with row locks, SQLite with its one write lock
(IMMEDIATE transactions); both halves of the test suite run these."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from ghiseu.accounts.models import Department, NomenclatorEntry
from ghiseu.archive.models import Document, Dossier, ImportItem, ItemStatus
from ghiseu.archive.services import imports
from ghiseu.archive.tests.helpers import manifest_row, png_bytes, render_text_image, write_batch


def _setup() -> None:
    taxes = Department.objects.create(code="TAX", name="Taxe și impozite locale")
    NomenclatorEntry.objects.create(code="III/B/4", name="Certificate fiscale", department=taxes, retention_years=5)


def _run_threads(count: int, work: Any) -> list[BaseException]:
    errors: list[BaseException] = []

    def wrapped(index: int) -> None:
        try:
            work(index)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@pytest.mark.django_db(transaction=True)
def test_four_workers_share_a_batch_and_file_every_scan_once(tmp_path: Path, fake_ocr: Any) -> None:
    _setup()
    files = {f"scan-{n}.png": png_bytes(render_text_image([f"Certificat {n}"], width=500)) for n in range(12)}
    folder = write_batch(tmp_path / "batch", files, [manifest_row(name, 1) for name in files])
    batch = imports.import_register(path=folder)
    imports.import_enqueue(batch)
    ids = imports.import_pending_ids(batch)
    barrier = threading.Barrier(4)

    def worker(index: int) -> None:
        barrier.wait()
        for item_id in ids:  # every worker tries every item, as duplicate task deliveries would
            imports.import_process_item(item_id, worker=f"w{index}")

    errors = _run_threads(4, worker)

    assert errors == []
    assert Document.objects.count() == 12
    assert Dossier.objects.count() == 1  # constituted once, though four workers raced to do it
    assert ImportItem.objects.filter(status=ItemStatus.DONE).count() == 12
    assert len(fake_ocr.calls) == 12  # a claimed item is left alone by the others
    batch.refresh_from_db()
    assert batch.status == "finished" and batch.counts["done"] == 12


@pytest.mark.django_db(transaction=True)
def test_the_same_scan_in_two_batches_at_once_is_filed_once(tmp_path: Path, fake_ocr: Any) -> None:
    _setup()
    scan = png_bytes(render_text_image(["Același certificat"], width=500))
    batches = [
        imports.import_register(path=write_batch(tmp_path / name, {"x.png": scan}, [manifest_row("x.png", 1)]))
        for name in ("one", "two")
    ]
    item_ids = [imports.import_pending_ids(batch)[0] for batch in batches]
    both_read = threading.Barrier(2)
    fake_ocr.fail_on = lambda path: (both_read.wait(), None)[1]  # both OCR before either files

    errors = _run_threads(2, lambda index: imports.import_process_item(item_ids[index], worker=f"w{index}"))

    assert errors == []
    assert Document.objects.count() == 1
    statuses = sorted(ImportItem.objects.filter(pk__in=item_ids).values_list("status", flat=True))
    assert statuses == [ItemStatus.DONE, ItemStatus.SKIPPED]
    skipped = ImportItem.objects.get(pk__in=item_ids, status=ItemStatus.SKIPPED)
    assert skipped.document == Document.objects.get()
