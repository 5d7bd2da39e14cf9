"""The import page in a real browser: an archivist uploads the example batch (zipped here), the
worker OCRs it, the page's progress (htmx polling) reaches "finished" by itself, the report is
downloadable; a word of a scanned page typed without diacritics finds it and opens the document
at that page; axe-core finds no serious or critical problem; the pages fit a 360 px screen."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from django.conf import settings

from ghiseu.accounts.models import Department, Role
from ghiseu.accounts.tests.factories import StaffFactory
from ghiseu.archive.models import BatchStatus, Document, ImportBatch
from ghiseu.archive.tests.worker import run_worker
from ghiseu.core.tests.browser import assert_accessible, sign_in
from ghiseu.demo.seed import seed_organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXAMPLE = Path(settings.BASE_DIR) / "examples" / "archive-batch"


def example_zip(target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(EXAMPLE.rglob("*")):
            if path.is_file() and path.name != "make_batch.py":
                archive.write(path, f"lot-exemplu/{path.relative_to(EXAMPLE).as_posix()}")
    return target


def test_archivist_uploads_the_example_batch_and_watches_it_finish(browser_page, narrow_page, live_server, tmp_path):
    seed_organization()
    archivist = StaffFactory(
        username="arhivar-test", role=Role.ARCHIVIST, department=Department.objects.get(code="ARH")
    )
    page = browser_page
    base = live_server.url
    sign_in(page, base, str(archivist.username), next_path="/arhiva/import/")
    assert_accessible(page, "import")

    page.set_input_files("#id_batch", str(example_zip(tmp_path / "lot-exemplu.zip")))
    page.get_by_role("button", name="Încarcă și importă").click()
    page.wait_for_url(f"{base}/arhiva/import/*/")
    assert page.locator("[data-state]").get_attribute("data-state") == BatchStatus.REGISTERING
    assert page.get_by_role("link", name="Reîmprospătați progresul").is_visible()  # the no-JS way
    assert_accessible(page, "progress (registering)")

    run_worker()  # registration, then OCR of the 5 scans (7 pages), then the search index

    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.FINISHED and Document.objects.count() == 5
    # The page was not reloaded: htmx polling brings the finished state in.
    page.wait_for_selector(f'[data-state="{BatchStatus.FINISHED}"]', timeout=15_000)
    assert page.locator('[data-field="files"]').inner_text() == "5 / 5"
    assert page.locator('[data-field="pages"]').inner_text() == "7 / 7"
    assert page.locator('[data-field="failed"]').inner_text() == "0"
    assert not page.get_by_role("link", name="Reîmprospătați progresul").count()
    assert_accessible(page, "progress (finished)")
    with page.expect_download() as download:
        page.get_by_role("link", name="Descărcați raportul de import (CSV)").click()
    report = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert report.count(",done,") == 5

    # A word of a scanned page, typed without diacritics in the box of every staff page, finds
    # the page; the hit opens the document at that page.
    page.fill("#clerk-q", "excedentul anii precedenti")
    page.keyboard.press("Enter")
    page.wait_for_url("**/cautare/?q=*")
    hit = page.locator(".search-hit").first
    assert "HCL nr. 45/2019" in hit.inner_text() and "pagina 2" in hit.locator(".hit-meta").inner_text()
    assert_accessible(page, "search results")
    hit.locator(".hit-title a").click()
    page.wait_for_url("**/arhiva/documente/*/?pagina=2")
    assert "Excedentul bugetului local" in page.locator(".ocr-text").inner_text()
    assert_accessible(page, "viewer at the hit page")

    narrow = narrow_page
    sign_in(narrow, base, str(archivist.username), next_path="/arhiva/import/")
    for path in ("/arhiva/import/", f"/arhiva/import/{batch.pk}/", "/arhiva/", "/arhiva/dosare/", "/arhiva/predare/"):
        narrow.goto(f"{base}{path}")
        width = narrow.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} scrolls sideways: {width}px"
    assert_accessible(narrow, "dossiers (360 px)")
