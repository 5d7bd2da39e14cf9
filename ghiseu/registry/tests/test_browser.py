"""The registry in a real browser: a clerk registers a document with the keyboard alone, prints
the slip, finds the document again; axe-core finds no serious accessibility problem; the
registration form fits a 360 px phone screen."""

from __future__ import annotations

import re
import time
from typing import Any

import pypdfium2
import pytest

from ghiseu.core.tests.browser import PASSWORD, assert_accessible
from ghiseu.registry.models import Entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def tab_to(page: Any, element_id: str, *, limit: int = 40) -> int:
    """Press Tab until the element has the focus; the number of presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return presses
    raise AssertionError(f"#{element_id} was not reached with the Tab key")


def focused(page: Any) -> str:
    return str(page.evaluate("document.activeElement && document.activeElement.id"))


def wait_for_autofocus(page: Any, element_id: str) -> None:
    """Chromium moves the focus to an `autofocus` field at a rendering step that may come after
    the load event; wait (5 s at most) until it has, instead of racing it."""
    page.wait_for_function(
        "id => document.activeElement && document.activeElement.id === id", arg=element_id, timeout=5000
    )


def sign_in_with_the_keyboard(page: Any, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/cont/autentificare/")
    wait_for_autofocus(page, "id_username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base_url}/registratura/")


def test_clerk_registers_prints_and_finds_a_document_with_the_keyboard(
    browser_page, live_server, clerk, urbanism, tmp_path
):
    page = browser_page
    base = live_server.url
    # Playwright switches the file-chooser interception on without waiting for the browser to
    # confirm it, so a chooser opened right after `expect_file_chooser()` can escape it; a
    # listener from the start keeps the interception on for the whole test.
    page.on("filechooser", lambda chooser: None)

    page.goto(f"{base}/cont/autentificare/")
    assert_accessible(page, "login")
    sign_in_with_the_keyboard(page, base, clerk.username)
    assert_accessible(page, "list")

    scan = tmp_path / "cerere-scanata.pdf"
    scan.write_bytes(PDF)
    page.goto(f"{base}/registratura/nou/")
    assert_accessible(page, "create")
    started = time.monotonic()
    wait_for_autofocus(page, "id_sender")  # autofocus: the clerk starts typing at once
    page.keyboard.type("Gheorghe Ștefănescu")
    page.keyboard.press("Tab")
    assert focused(page) == "id_sender_address"
    page.keyboard.type("Str. Tudor Vladimirescu nr. 3, Lupeni")
    tab_to(page, "id_subject")
    page.keyboard.type("Cerere de reparare a trotuarului de pe strada Ștefan cel Mare")
    tab_to(page, "id_pages")
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    tab_to(page, "id_department")
    page.keyboard.type("Urb")  # type-ahead picks the department in the closed list
    assert page.eval_on_selector("#id_department", "el => el.selectedOptions[0].text").startswith("Urbanism")
    tab_to(page, "id_attachments")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(scan))
    page.keyboard.press("Shift+Tab")  # back to the last text field: Enter there submits the form
    assert focused(page) == "id_linked_number"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/registratura/\d+/$"))
    elapsed = time.monotonic() - started
    print(f"registered with the keyboard in {elapsed:.1f} s")
    assert elapsed < 30, f"registering took {elapsed:.1f} s"

    entry = Entry.objects.get()
    assert entry.number == 1 and entry.channel == "counter" and entry.direction == "incoming"
    assert entry.sender == "Gheorghe Ștefănescu" and entry.pages == 3
    assert entry.department == urbanism
    assert entry.document_type.code == "correspondence"
    assert list(entry.attachments.values_list("original_name", flat=True)) == ["cerere-scanata.pdf"]
    message = page.locator(".message.success").inner_text()
    assert entry.display_number in message
    assert_accessible(page, "detail")

    # The slip: follow the link in the message (keyboard: focus it, Enter) and fetch the PDF it points to.
    slip_link = page.get_by_role("link", name="Tipăriți fișa de înregistrare")
    slip_url = slip_link.get_attribute("href")
    assert slip_url == f"/registratura/{entry.pk}/fisa.pdf"
    slip = page.request.get(f"{base}{slip_url}")
    assert slip.status == 200
    assert slip.headers["content-type"] == "application/pdf"
    body = slip.body()
    assert body.startswith(b"%PDF")
    document = pypdfium2.PdfDocument(body)
    text = document[0].get_textpage().get_text_range()
    assert entry.display_number in text and entry.tracking_code in text

    # Found again by its number...
    page.goto(f"{base}/registratura/")
    page.focus("#id_number")
    page.keyboard.type(f"{entry.number}/{entry.year}")
    page.keyboard.press("Enter")
    page.wait_for_url("**/registratura/?*")
    rows = page.locator("table tbody tr")
    assert rows.count() == 1
    assert "Cerere de reparare a trotuarului" in rows.first.inner_text()
    # ...and by a word of its subject typed without diacritics.
    page.goto(f"{base}/registratura/")
    page.focus("#id_words")
    page.keyboard.type("stefan trotuarului")
    page.keyboard.press("Enter")
    page.wait_for_url("**/registratura/?*")
    assert page.locator("table tbody tr").count() == 1
    assert entry.display_number in page.locator("table tbody tr").first.inner_text()

    # The citizen's page, with the number and code from the slip.
    page.goto(f"{base}/stare/")
    assert_accessible(page, "public status")
    page.fill("#id_number", f"{entry.number}/{entry.year}")
    page.fill("#id_tracking_code", entry.tracking_code)
    page.keyboard.press("Enter")
    page.wait_for_selector(".result")
    result = page.locator(".result").inner_text()
    assert "repartizat" in result and "Urbanism" in result
    assert "Ștefănescu" not in page.content()
    assert_accessible(page, "public status result")


def test_the_accessibility_check_catches_a_problem(browser_page):
    browser_page.set_content(
        '<html lang="ro"><head><title>t</title></head><body><main><input type="text"></main></body></html>'
    )
    with pytest.raises(AssertionError, match="label"):
        assert_accessible(browser_page, "an input without a label")


def test_registry_pages_fit_a_360_px_screen(narrow_page, live_server, clerk, urbanism):
    from ghiseu.registry.tests.helpers import register

    entry = register(clerk, department=urbanism, subject="Cerere cu un conținut destul de lung " * 4)
    page = narrow_page
    sign_in_with_the_keyboard(page, live_server.url, clerk.username)
    for path in (
        "/registratura/nou/",
        "/registratura/",
        f"/registratura/{entry.pk}/",
        "/registratura/coada/",
        "/stare/",
    ):
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} scrolls sideways: {width}px"
    page.goto(f"{live_server.url}/registratura/nou/")
    wait_for_autofocus(page, "id_sender")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # an empty form: the errors must fit too
    assert page.locator(".error-summary").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
