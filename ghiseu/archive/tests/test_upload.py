"""The staff import page: a ZIP upload checked by content and size, registered and OCR'd by the
worker, progress shown (htmx partial or a plain page), the report downloadable with reasons."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from ghiseu.accounts.models import Role
from ghiseu.accounts.tests.factories import StaffFactory
from ghiseu.archive.models import BatchStatus, Document, ImportBatch
from ghiseu.archive.services.uploads import batch_live_progress
from ghiseu.archive.tests.helpers import (
    ROMANIAN_LINES,
    jpeg_bytes,
    manifest_row,
    png_bytes,
    render_text_image,
    write_batch,
)
from ghiseu.archive.tests.worker import run_worker

pytestmark = pytest.mark.django_db


def zip_folder(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


@pytest.fixture
def batch_zip(tmp_path: Path, nomenclator: Any) -> bytes:
    image = png_bytes(render_text_image(ROMANIAN_LINES))
    folder = write_batch(
        tmp_path / "lot",
        {"a.png": image, "b.png": image[:200], "extra.png": image + b"x"},
        [manifest_row("a.png", 1), manifest_row("b.png", 1), manifest_row("missing.png", 1)],
    )
    return zip_folder(folder)


def upload(client: Any, name: str, data: bytes) -> Any:
    return client.post(reverse("archive:import"), {"batch": SimpleUploadedFile(name, data)})


def test_only_the_archivist_and_the_administrator_reach_the_pages(client, archivist, taxes_dept):
    for name in ("archive:home", "archive:import", "archive:selection", "archive:handover", "archive:dossiers"):
        assert client.get(reverse(name)).status_code == 302  # to the login page
    client.force_login(StaffFactory(role=Role.OFFICER, department=taxes_dept))
    for name in ("archive:home", "archive:import", "archive:selection", "archive:handover", "archive:dossiers"):
        assert client.get(reverse(name)).status_code == 403
    client.force_login(StaffFactory(role=Role.ADMIN, department=taxes_dept))
    assert client.get(reverse("archive:import")).status_code == 200
    client.force_login(archivist)
    page = client.get(reverse("archive:import"))
    assert page.status_code == 200 and "Import loturi scanate" in page.content.decode()


def test_a_file_that_is_not_a_zip_by_its_bytes_is_refused(client, archivist):
    client.force_login(archivist)
    response = upload(client, "lot.zip", b"%PDF-1.4 this is a pdf named .zip")
    assert response.status_code == 400
    assert "nu este o arhivă ZIP" in response.content.decode()
    assert not ImportBatch.objects.exists() and not DBTaskResult.objects.exists()


def test_an_upload_over_the_size_limit_is_refused(client, archivist, batch_zip, settings):
    settings.GHISEU_ARCHIVE_MAX_UPLOAD_BYTES = len(batch_zip) - 1
    client.force_login(archivist)
    response = upload(client, "lot.zip", batch_zip)
    assert response.status_code == 400 and "limita" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_zip_without_a_usable_manifest_is_refused_before_anything_is_queued(client, archivist, tmp_path):
    folder = tmp_path / "fara"
    folder.mkdir()
    (folder / "manifest.csv").write_text("file,pages\na.png,1\n", encoding="utf-8")
    client.force_login(archivist)
    response = upload(client, "fara.zip", zip_folder(folder))
    assert response.status_code == 400
    assert "lipsesc coloanele" in response.content.decode()
    assert not ImportBatch.objects.exists() and not DBTaskResult.objects.exists()


def test_an_uploaded_batch_is_imported_by_the_worker_with_progress_and_report(client, archivist, batch_zip, fake_ocr):
    client.force_login(archivist)
    response = upload(client, "lot-2021.zip", batch_zip)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("archive:import-progress", args=[batch.pk])
    # Nothing was registered in the request: one task waits for the worker, on the "ocr" queue.
    assert batch.status == BatchStatus.REGISTERING and not batch.items.exists()
    assert list(DBTaskResult.objects.values_list("queue_name", "task_path")) == [
        ("ocr", "ghiseu.archive.tasks.archive_register_upload")
    ]
    page = client.get(reverse("archive:import-progress", args=[batch.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page and "Reîmprospătați progresul" in page  # polls; a link without JS

    run_worker()

    batch.refresh_from_db()
    assert batch.status == BatchStatus.FINISHED
    assert Document.objects.count() == 1 and len(fake_ocr.calls) == 1
    progress = batch_live_progress(batch)
    assert (progress.items, progress.done, progress.failed, progress.pages_done) == (4, 1, 3, 1)
    assert progress.percent == 100 and progress.pages_per_minute is not None and progress.pages_per_minute > 0
    partial = client.get(reverse("archive:import-progress", args=[batch.pk]), headers={"HX-Request": "true"})
    text = partial.content.decode()
    assert "<html" not in text and "hx-trigger" not in text  # done: the partial stops polling
    assert "unreadable_image" in text and "missing_file" in text and "not_in_manifest" in text

    report = client.get(reverse("archive:import-report", args=[batch.pk]))
    assert report.status_code == 200 and "attachment" in report["Content-Disposition"]
    rows = {row["file"]: row for row in csv.DictReader(io.StringIO(b"".join(report.streaming_content).decode()))}
    assert rows["a.png"]["status"] == "done"
    assert rows["b.png"]["reason_code"] == "unreadable_image" and rows["b.png"]["reason"]
    assert rows["missing.png"]["reason_code"] == "missing_file"
    assert rows["extra.png"]["reason_code"] == "not_in_manifest"

    # The same ZIP again: the same batch, nothing imported twice.
    again = upload(client, "lot-2021-copie.zip", batch_zip)
    assert again["Location"] == reverse("archive:import-progress", args=[batch.pk])
    run_worker()
    assert Document.objects.count() == 1 and len(fake_ocr.calls) == 1


def _flip_a_pixel_byte(png: bytes) -> bytes:
    at = png.index(b"IDAT") + 200  # inside the compressed pixels; the chunk's CRC no longer matches
    return png[:at] + bytes([png[at] ^ 0xFF]) + png[at + 1 :]


@pytest.mark.parametrize(
    ("name", "damage"),
    [
        ("flipped.png", lambda image: _flip_a_pixel_byte(png_bytes(image))),
        ("no-end.png", lambda image: png_bytes(image)[:-12]),  # IEND missing
        ("cut.jpg", lambda image: jpeg_bytes(image)[: len(jpeg_bytes(image)) * 2 // 3]),
    ],
)
def test_damaged_scans_are_unreadable_and_whole_ones_are_counted(tmp_path, name, damage):
    from ghiseu.archive.services.scans import ScanError, inspect_scan

    image = render_text_image(ROMANIAN_LINES)
    whole = tmp_path / f"whole{Path(name).suffix}"
    whole.write_bytes(png_bytes(image) if name.endswith(".png") else jpeg_bytes(image))
    assert inspect_scan(whole).pages == 1
    damaged = tmp_path / name
    damaged.write_bytes(damage(image))
    with pytest.raises(ScanError) as error:
        inspect_scan(damaged)
    assert error.value.code == "unreadable_image"


def test_a_truncated_scan_stays_unreadable_in_a_process_that_rendered_a_pdf(tmp_path):
    import weasyprint  # noqa: F401  - importing it sets PIL's LOAD_TRUNCATED_IMAGES for the whole process
    from PIL import ImageFile

    from ghiseu.archive.services.scans import ScanError, inspect_scan

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    cut = tmp_path / "cut.png"
    cut.write_bytes(png_bytes(render_text_image(ROMANIAN_LINES))[:400])
    with pytest.raises(ScanError) as error:
        inspect_scan(cut)
    assert error.value.code == "unreadable_image"
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # the process's own setting is left as it was
