"""In a real browser: a staff member types words without diacritics in the clerk's box, finds a
scanned page, and opens the document at that page; axe-core finds no serious problem; the
results and the viewer fit a 360 px screen."""

from __future__ import annotations

from typing import Any, cast

import pytest
from django.db import transaction

from ghiseu.accounts.models import Role, User
from ghiseu.accounts.tests.factories import DepartmentFactory, NomenclatorEntryFactory, StaffFactory
from ghiseu.archive.models import AccessAction, AccessLogEntry, Page
from ghiseu.archive.services.indexing import archive_index_document
from ghiseu.archive.tests.factories import document_with_files, new_dossier
from ghiseu.core.tests.browser import assert_accessible, sign_in
from ghiseu.search.tests.helpers import run_search_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_no_horizontal_scroll(page: Any, name: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{name}: {width} px wide at 360 px"


@pytest.fixture
def scanned(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    urb = DepartmentFactory(code="URB", name="Urbanism")
    code = NomenclatorEntryFactory(code="II/A/3", department=urb, retention_years=10)
    document = document_with_files(dossier=new_dossier(file_code=code), title="Hotărâre privind parcările")
    Page.objects.create(
        document=document, number=2, text="Se aprobă înființarea parcării de reședință din strada Ștefan cel Mare."
    )
    with transaction.atomic():
        archive_index_document(document)
    run_search_worker()
    return document


def test_staff_find_a_scanned_page_without_diacritics_and_open_it_there(
    browser_page: Any, narrow_page: Any, live_server: Any, scanned: Any, reference_data: None
) -> None:
    officer = cast(User, StaffFactory(username="ofiter", role=Role.OFFICER, department=scanned.dossier.department))
    base = live_server.url
    page = browser_page
    sign_in(page, base, officer.username)
    page.goto(f"{base}/registratura/")
    page.fill("#clerk-q", "infiintarea parcarii stefan")  # no diacritics
    page.keyboard.press("Enter")
    page.wait_for_url("**/cautare/?q=*")
    assert page.locator(".search-hit").count() == 1
    assert "pagina 2" in page.locator(".hit-meta").inner_text()
    assert page.locator(".hit-snippet mark").first.inner_text() == "înființarea"
    assert_accessible(page, "results")

    page.locator(".hit-title a").click()
    page.wait_for_url(f"**/arhiva/documente/{scanned.pk}/?pagina=2")
    assert "Se aprobă înființarea parcării" in page.locator(".ocr-text").inner_text()
    assert page.locator("object").get_attribute("data").endswith("#page=2")
    assert_accessible(page, "viewer")
    assert AccessLogEntry.objects.filter(document=scanned, action=AccessAction.VIEW, page=2, user=officer).exists()

    narrow = narrow_page
    sign_in(narrow, base, officer.username)
    narrow.goto(f"{base}/cautare/?q=infiintarea")
    assert narrow.locator(".search-hit").count() == 1
    assert_no_horizontal_scroll(narrow, "results")
    narrow.goto(f"{base}/arhiva/documente/{scanned.pk}/?pagina=2")
    assert_no_horizontal_scroll(narrow, "viewer")
