"""The bulk import: good and bad files, idempotency, resuming after a killed worker, the queue.

OCR is replaced by `fake_ocr` here (test_ocr.py runs the real one): these tests are about
what the import does around it.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from ghiseu.archive.models import (
    BatchStatus,
    Document,
    DocumentVersion,
    Dossier,
    ImportBatch,
    ImportItem,
    ItemStatus,
    Page,
    VersionKind,
)
from ghiseu.archive.services import imports
from ghiseu.archive.services.import_report import import_report_csv
from ghiseu.archive.services.scans import ScanError
from ghiseu.archive.tests.helpers import (
    encrypted_pdf,
    jpeg_bytes,
    manifest_row,
    png_bytes,
    render_text_image,
    scanned_pdf,
    tiff_bytes,
    write_batch,
)
from ghiseu.audit.models import AuditEvent
from ghiseu.core.files import open_stored
from ghiseu.core.models import StoredFile

pytestmark = pytest.mark.django_db(transaction=False)


def _page(text: str) -> Any:
    return render_text_image([text], width=600, font_size=30)


def good_files() -> dict[str, bytes]:
    return {
        "a-scan.pdf": scanned_pdf([_page("Pagina unu"), _page("Pagina doi")]),
        "sub/b-multi.tif": tiff_bytes([_page("Unu"), _page("Doi"), _page("Trei")]),
        "c-photo.jpg": jpeg_bytes(_page("Fotografie")),
        "d-image.png": png_bytes(_page("Imagine")),
    }


def mixed_batch(folder: Path) -> Path:
    """Four good files and one of every kind of bad file and bad line."""
    files = good_files()
    files.update(
        {
            "bad-corrupt.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ngarbage",
            "bad-image.png": png_bytes(_page("Trunchiată"))[:400],  # cut off mid-transfer
            "bad-encrypted.pdf": encrypted_pdf([_page("Secret")]),
            "bad-pages.png": png_bytes(_page("O singură pagină")),
            "orphan.jpg": jpeg_bytes(_page("Nu e în manifest")),
            "notes.txt": b"not a scan, ignored",
        }
    )
    rows = [
        manifest_row("a-scan.pdf", 2, document_date="2021-02-01"),
        manifest_row("sub/b-multi.tif", 3, document_date="2021-06-30", access_class="confidential"),
        manifest_row("c-photo.jpg", 1, dossier_code="III/B/1", dossier_title="Dosare fiscale, 2021"),
        manifest_row("d-image.png", 1, access_class="public"),
        manifest_row("bad-corrupt.pdf", 1),
        manifest_row("bad-image.png", 1),
        manifest_row("bad-encrypted.pdf", 1),
        manifest_row("bad-pages.png", 3),
        manifest_row("missing.pdf", 1),
        manifest_row("d-image.png", 1, document_title="Aceeași imagine, a doua oară"),
        manifest_row("e-unknown-code.png", 1, dossier_code="IX/Z/99"),
        manifest_row("../escape.pdf", 1),
    ]
    return write_batch(folder, files, rows)


def run_import(path: Path, **kwargs: Any) -> ImportBatch:
    batch = imports.import_register(path=path, **kwargs)
    imports.import_reclaim(batch)
    for item_id in imports.import_pending_ids(batch):
        imports.import_process_item(item_id, worker="test")
    return imports.batch_refresh(batch)


def reasons(batch: ImportBatch) -> dict[str, str]:
    return {item.file_name: item.reason_code for item in batch.items.filter(status=ItemStatus.FAILED)}


def test_good_files_are_imported_once_and_every_bad_file_is_reported(tmp_path, nomenclator, fake_ocr):
    batch = run_import(mixed_batch(tmp_path / "batch"))

    assert batch.status == BatchStatus.FINISHED
    assert Document.objects.count() == 4
    assert sorted(ImportItem.objects.filter(status=ItemStatus.DONE).values_list("file_name", flat=True)) == [
        "a-scan.pdf",
        "c-photo.jpg",
        "d-image.png",
        "sub/b-multi.tif",
    ]
    assert reasons(batch) == {
        "bad-corrupt.pdf": "corrupt_pdf",
        "bad-image.png": "unreadable_image",
        "bad-encrypted.pdf": "encrypted_pdf",
        "bad-pages.png": "page_mismatch",
        "missing.pdf": "missing_file",
        "d-image.png": "duplicate_line",
        "e-unknown-code.png": "bad_manifest_line",
        "../escape.pdf": "bad_manifest_line",
        "orphan.jpg": "not_in_manifest",
    }
    mismatch = batch.items.get(file_name="bad-pages.png")
    assert "3" in mismatch.reason and "1" in mismatch.reason
    assert "IX/Z/99" in batch.items.get(file_name="e-unknown-code.png").reason
    # The OCR ran on the good files only; bad files were stopped before it, and never stored.
    assert len(fake_ocr.calls) == 4
    assert not StoredFile.objects.filter(sha256__in=batch.items.filter(status="failed").values("sha256")).exclude(
        sha256=""
    )
    assert batch.counts["done"] == 4 and batch.counts["failed"] == 9
    assert batch.counts["pages_done"] == 7
    assert batch.counts["failures"]["bad_manifest_line"] == 2


def test_documents_dossiers_and_pages_are_filed_from_the_manifest(tmp_path, nomenclator, fake_ocr):
    run_import(mixed_batch(tmp_path / "batch"))

    certificates = Dossier.objects.get(file_code__code="III/B/4", year=2021)
    assert certificates.retention_years == 5 and certificates.expiry_year == 2026
    assert str(certificates.date_from) == "2021-02-01"
    assert str(certificates.date_to) == "2021-06-30"
    assert certificates.documents.count() == 3
    permanent = Dossier.objects.get(file_code__code="III/B/1", year=2021)
    assert permanent.retention_years is None and permanent.expiry_year is None and permanent.is_permanent

    multi = Document.objects.get(title__endswith="sub/b-multi.tif")
    assert multi.page_count == 3 and multi.access == "confidential"
    assert list(multi.pages.values_list("number", flat=True)) == [1, 2, 3]
    first_page = multi.pages.get(number=1)
    assert "ț și ș" in first_page.text and "ţ" not in first_page.text  # comma-below kept
    assert multi.physical_location == "Depozit, raft 3, cutia 7"
    assert multi.classification == "III/B/4" and multi.retention_years == 5
    assert multi.format.startswith("PDF/A-2b") and "image/tiff" in multi.format
    assert {v.kind for v in multi.versions.all()} == {VersionKind.ORIGINAL, VersionKind.ARCHIVAL}
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"archive.import_started", "archive.dossier_constituted", "archive.document_filed"} <= actions
    assert "archive.import_finished" in actions


def test_the_original_is_kept_byte_identical(tmp_path, nomenclator, fake_ocr):
    folder = mixed_batch(tmp_path / "batch")
    run_import(folder)

    for name in ("a-scan.pdf", "sub/b-multi.tif", "c-photo.jpg", "d-image.png"):
        item = ImportItem.objects.get(file_name=name, status=ItemStatus.DONE)
        version = DocumentVersion.objects.get(document__import_items=item, kind=VersionKind.ORIGINAL)
        with open_stored(version.file) as fh:
            assert fh.read() == (folder / name).read_bytes()
        assert version.original_name == Path(name).name


def test_running_the_same_import_again_imports_nothing_twice(tmp_path, nomenclator, fake_ocr):
    folder = mixed_batch(tmp_path / "batch")
    first = run_import(folder)
    calls = len(fake_ocr.calls)

    again = run_import(folder)

    assert again.pk == first.pk  # the same folder and manifest: the same batch, continued
    assert Document.objects.count() == 4
    assert Page.objects.count() == 7
    assert DocumentVersion.objects.count() == 8
    assert len(fake_ocr.calls) == calls
    assert ImportBatch.objects.count() == 1


def test_the_same_scans_in_another_batch_are_skipped_not_imported_again(tmp_path, nomenclator, fake_ocr):
    files = good_files()
    write_batch(tmp_path / "one", files, [manifest_row(n, p) for n, p in _good_pages()])
    run_import(tmp_path / "one")
    calls = len(fake_ocr.calls)
    archive = tmp_path / "two.zip"
    with zipfile.ZipFile(archive, "w") as zf:  # the same scans, zipped inside a folder, renamed
        for name, data in files.items():
            zf.writestr(f"lot/copie-{Path(name).name}", data)
        rows = [manifest_row(f"copie-{Path(n).name}", p) for n, p in _good_pages()]
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        zf.writestr("lot/manifest.csv", buffer.getvalue())

    second = run_import(archive)

    assert second.pk != ImportBatch.objects.order_by("pk")[0].pk
    assert second.counts["skipped"] == 4 and second.counts["done"] == 0
    assert Document.objects.count() == 4
    assert len(fake_ocr.calls) == calls  # recognized by SHA-256 before any OCR
    skipped = second.items.get(file_name="copie-a-scan.pdf")
    assert skipped.document == ImportItem.objects.get(file_name="a-scan.pdf").document


def one_file_batch(folder: Path) -> Path:
    return write_batch(folder, {"d-image.png": png_bytes(_page("Imagine"))}, [manifest_row("d-image.png", 1)])


def _good_pages() -> list[tuple[str, int]]:
    return [("a-scan.pdf", 2), ("sub/b-multi.tif", 3), ("c-photo.jpg", 1), ("d-image.png", 1)]


def test_a_fixed_file_is_imported_when_the_batch_is_run_again(tmp_path, nomenclator, fake_ocr):
    folder = write_batch(tmp_path / "batch", {"x.png": b"\x89PNG broken"}, [manifest_row("x.png", 1)])
    first = run_import(folder)
    assert reasons(first) == {"x.png": "unreadable_image"}

    (folder / "x.png").write_bytes(png_bytes(_page("Reparat")))
    again = run_import(folder)

    assert again.pk == first.pk and again.status == BatchStatus.FINISHED
    assert again.items.get().status == ItemStatus.DONE
    assert Document.objects.count() == 1


def test_an_interrupted_import_completes_on_resume(tmp_path, nomenclator, fake_ocr):
    folder = write_batch(tmp_path / "batch", good_files(), [manifest_row(n, p) for n, p in _good_pages()])
    batch = imports.import_register(path=folder)
    assert imports.import_enqueue(batch) == 4
    first, second, *_others = imports.import_pending_ids(batch)
    imports.import_process_item(first, worker="w1")
    # A worker takes the second file, then is killed: its item stays "processing".
    claimed = imports._claim(second, "w2:killed")
    assert claimed is not None
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PROCESSING
    assert ImportItem.objects.get(pk=second).status == ItemStatus.PROCESSING
    # While its claim is fresh, another worker leaves it alone.
    assert imports.import_process_item(second, worker="w3") == "busy"

    call_command("archive_import", "--resume", str(batch.pk), "--inline", "--reclaim", stdout=io.StringIO())

    batch.refresh_from_db()
    assert batch.status == BatchStatus.FINISHED
    assert batch.counts["done"] == 4 and batch.counts["pending"] == 0 and batch.counts["processing"] == 0
    assert Document.objects.count() == 4
    resumed = ImportItem.objects.get(pk=second)
    assert resumed.attempts == 2 and "w2:killed" in resumed.reason


def test_a_file_that_keeps_killing_its_worker_is_reported_and_can_be_retried(tmp_path, nomenclator, fake_ocr):
    folder = write_batch(tmp_path / "batch", good_files(), [manifest_row(n, p) for n, p in _good_pages()])
    batch = imports.import_register(path=folder)
    first, *others = imports.import_pending_ids(batch)
    for worker in ("w1", "w2", "w3"):  # three workers die on it, one after the other
        assert imports._claim(first, f"{worker}:killed") is not None
        ImportItem.objects.filter(pk=first).update(claimed_at=timezone.now() - timedelta(days=1))
    for item_id in others:
        imports.import_process_item(item_id, worker="w4")

    assert imports.import_process_item(first, worker="w4") == ItemStatus.FAILED
    assert fake_ocr.calls and len(fake_ocr.calls) == len(others)  # not tried a fourth time
    failed = ImportItem.objects.get(pk=first)
    assert failed.reason_code == "ocr_failed" and "3" in failed.reason and "w3:killed" in failed.reason
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FINISHED and batch.counts["failed"] == 1

    call_command("archive_import", "--resume", str(batch.pk), "--inline", "--retry-failed", stdout=io.StringIO())

    retried = ImportItem.objects.get(pk=first)
    assert retried.status == ItemStatus.DONE and retried.attempts == 1
    assert Document.objects.count() == 4


def test_a_registration_interrupted_mid_way_continues_without_duplicates(tmp_path, nomenclator, fake_ocr):
    folder = write_batch(tmp_path / "batch", good_files(), [manifest_row(n, p) for n, p in _good_pages()])
    seen: list[str] = []

    def stop_after_two(name: str) -> None:
        seen.append(name)
        if len(seen) == 2:
            raise KeyboardInterrupt  # the operator pressed Ctrl-C

    with pytest.raises(KeyboardInterrupt):
        imports.import_register(path=folder, progress=imports.RegisterProgress(advance=stop_after_two))
    batch = ImportBatch.objects.get()
    assert batch.items.filter(original__isnull=False).count() == 2

    again = run_import(folder)

    assert again.pk == batch.pk
    assert again.items.count() == 4 and again.counts["done"] == 4
    assert Document.objects.count() == 4


def test_an_expired_claim_is_taken_over_without_reclaim(tmp_path, nomenclator, fake_ocr):
    folder = one_file_batch(tmp_path / "batch")
    batch = imports.import_register(path=folder)
    (item_id,) = imports.import_pending_ids(batch)
    imports._claim(item_id, "dead-worker")
    ImportItem.objects.filter(pk=item_id).update(claimed_at=timezone.now() - timedelta(hours=3))

    imports.import_reclaim(batch)
    assert ImportItem.objects.get(pk=item_id).status == ItemStatus.PENDING
    assert imports.import_process_item(item_id, worker="alive") == ItemStatus.DONE
    assert Document.objects.count() == 1


def test_one_task_per_file_on_the_ocr_queue_and_a_task_run_twice_files_once(tmp_path, nomenclator, fake_ocr):
    from django_tasks_db.models import DBTaskResult

    from ghiseu.archive.tasks import archive_import_item

    folder = write_batch(tmp_path / "batch", good_files(), [manifest_row(n, p) for n, p in _good_pages()])
    batch = imports.import_register(path=folder)

    assert imports.import_enqueue(batch) == 4
    assert imports.import_enqueue(batch) == 0  # still queued: not queued twice
    tasks = DBTaskResult.objects.filter(queue_name="ocr")
    assert tasks.count() == 4
    item = batch.items.order_by("line")[0]
    assert item.task_id in {str(pk) for pk in tasks.values_list("id", flat=True)}

    assert archive_import_item.call(item.pk) == ItemStatus.DONE
    assert archive_import_item.call(item.pk) == ItemStatus.DONE  # a duplicate delivery changes nothing
    assert Document.objects.count() == 1
    assert len(fake_ocr.calls) == 1


def test_an_ocr_failure_is_reported_and_can_be_retried(tmp_path, nomenclator, fake_ocr):
    folder = one_file_batch(tmp_path / "batch")
    fake_ocr.fail_on = lambda path: RuntimeError("tesseract crashed")
    batch = run_import(folder)
    item = batch.items.get()
    assert item.status == ItemStatus.FAILED and item.reason_code == "ocr_failed"
    assert "tesseract crashed" in item.reason

    fake_ocr.fail_on = lambda path: None
    imports.import_reclaim(batch, retry_failed=True)
    imports.import_process_item(item.pk)

    assert ImportItem.objects.get(pk=item.pk).status == ItemStatus.DONE


def test_a_scan_error_during_ocr_fails_only_that_file(tmp_path, nomenclator, fake_ocr):
    files = good_files()
    folder = write_batch(tmp_path / "batch", files, [manifest_row(n, p) for n, p in _good_pages()])
    fake_ocr.fail_on = lambda path: ScanError("corrupt_pdf", "broken page") if path.suffix == ".pdf" else None

    batch = run_import(folder)

    assert reasons(batch) == {"a-scan.pdf": "corrupt_pdf"}
    assert batch.counts["done"] == 3 and batch.status == BatchStatus.FINISHED


def test_the_report_lists_every_item_with_its_reason(tmp_path, nomenclator, fake_ocr):
    batch = run_import(mixed_batch(tmp_path / "batch"))

    raw = import_report_csv(batch)
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    by_file = {row["file"]: row for row in rows if row["status"] != "done"}
    assert len(rows) == batch.items.count() == 13
    assert by_file["bad-encrypted.pdf"]["reason_code"] == "encrypted_pdf"
    assert by_file["bad-encrypted.pdf"]["reason"]
    assert by_file["orphan.jpg"]["line"] == ""
    done = next(row for row in rows if row["file"] == "a-scan.pdf")
    assert done["document_uid"] == str(Document.objects.get(title__endswith="a-scan.pdf").uid)
    assert done["dossier"] == "III/B/4/2021"
    # The finished batch keeps the report as a stored file, downloadable later.
    assert batch.report is not None
    with open_stored(batch.report) as fh:
        assert fh.read() == raw


def test_the_command_imports_a_folder_and_writes_the_report(tmp_path, nomenclator, fake_ocr):
    folder = mixed_batch(tmp_path / "batch")
    report = tmp_path / "report.csv"
    out = io.StringIO()

    call_command("archive_import", str(folder), "--inline", "--report", str(report), stdout=out)

    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.FINISHED
    assert Document.objects.count() == 4
    assert "encrypted_pdf" in report.read_text(encoding="utf-8-sig")


def test_a_batch_without_manifest_columns_is_refused_before_anything_is_written(tmp_path, nomenclator, fake_ocr):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "manifest.csv").write_text("file,pages\na.pdf,1\n", encoding="utf-8")

    with pytest.raises(Exception, match="dossier_code"):
        call_command("archive_import", str(folder), "--inline", stdout=io.StringIO())
    assert not ImportBatch.objects.exists()


def test_the_ocr_queue_falls_back_to_default_when_not_configured(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    assert imports.ocr_queue_name() == "default"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "ocr"]}}
    assert imports.ocr_queue_name() == "ocr"


def test_the_example_batch_fits_the_demo_organization(fake_ocr):
    """examples/archive-batch uses the demo's departments and nomenclator: it imports whole."""
    from django.conf import settings

    from ghiseu.demo.seed import seed_organization

    seed_organization()
    batch = run_import(Path(settings.BASE_DIR) / "examples" / "archive-batch")

    assert batch.counts["failed"] == 0, reasons(batch)
    assert batch.counts["done"] == 5 and batch.counts["pages_done"] == 7
    assert set(Dossier.objects.values_list("file_code__code", flat=True)) == {
        "II/A/1",
        "I/A/1",
        "IV/A/1",
        "II/C/2",
        "II/F/5",
    }
    assert Document.objects.get(number="21").access == "personal_data"
