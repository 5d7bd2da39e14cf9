"""The whole path in a real browser: a citizen files a complaint with a photo and a location (picked
on the map, whose tiles are unreachable here), a clerk routes it, the officer answers, the citizen
reads the answer delivered to the portal inbox and by its link; axe-core finds no serious or
critical accessibility problem on any page of it."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ghiseu.accounts.tests.factories import UserFactory
from ghiseu.core.tests.browser import assert_accessible, sign_in
from ghiseu.petitions.models import Petition, PetitionStatus
from ghiseu.petitions.tests.conftest import jpeg_bytes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def new_page(chromium: Any) -> Any:
    context = chromium.new_context(
        locale="ro-RO", timezone_id="Europe/Bucharest", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    return page


def signed_in(page: Any, base: str, user: Any) -> None:
    """A portal session for `user` (the login screens have their own tests)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])


def test_citizen_files_clerk_routes_officer_answers_citizen_reads(
    chromium,
    live_server,
    categories,
    clerk,
    officer,
    urbanism,
    tmp_path,
    settings,
):
    base = live_server.url
    settings.GHISEU_SITE_URL = base
    settings.GHISEU_MAP_TILES_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"  # unreachable, as here
    photo = tmp_path / "groapa.jpg"
    photo.write_bytes(jpeg_bytes(size=(320, 240), gps=(45.3601, 23.2189)))
    person: Any = UserFactory(username="elena", first_name="Elena", last_name="Dumitrescu", email="elena@example.ro")

    # The citizen, signed in to the portal.
    citizen = new_page(chromium)
    signed_in(citizen, base, person)
    citizen.goto(f"{base}/sesizari/depune/")
    citizen.locator(".petition-map .leaflet-container").wait_for()
    assert_accessible(citizen, "filing form")
    citizen.select_option("#id_kind", "complaint")
    citizen.select_option("#id_category", label="Altele")
    citizen.fill("#id_description", "Groapă adâncă pe trotuar, în fața magazinului. Pericol pentru pietoni.")
    citizen.fill("#id_location_address", "Str. Parângului nr. 4, Lupeni")
    # a click on the map fills the typed fields (the tiles do not load: the map still works)
    citizen.locator(".petition-map .map-canvas").click(position={"x": 120, "y": 80})
    picked_lat = float(citizen.input_value("#id_latitude"))
    picked_long = float(citizen.input_value("#id_longitude"))
    assert 45.3 < picked_lat < 45.4 and 23.1 < picked_long < 23.3
    assert "Locul ales:" in citizen.locator(".map-status").inner_text()
    # from the keyboard: Enter on the focused map picks its centre
    citizen.locator(".petition-map .map-canvas").focus()
    citizen.keyboard.press("Enter")
    assert citizen.input_value("#id_latitude") == "45.360000"
    citizen.fill("#id_latitude", "45.3601")  # typing stays the way in
    citizen.fill("#id_longitude", "23.2189")
    citizen.set_input_files("#id_photos", str(photo))
    assert citizen.input_value("#id_petitioner_name") == "Elena Dumitrescu"
    citizen.fill("#id_petitioner_address", "Str. Minerului nr. 7, Lupeni")
    with citizen.expect_navigation():
        citizen.click("button[type=submit]:has-text('Trimite')")
    assert citizen.url.endswith("/sesizari/depusa/")
    assert_accessible(citizen, "filed")
    petition = Petition.objects.select_related("entry").get()
    assert petition.photos.count() == 1 and str(petition.latitude) == "45.360100"
    assert petition.petitioner_user == person
    assert petition.entry.tracking_code in citizen.content()

    # The clerk routes it to Urbanism from the registry entry.
    desk = new_page(chromium)
    sign_in(desk, base, clerk.username)
    desk.goto(f"{base}/petitii/")
    assert_accessible(desk, "staff list")
    desk.click(f"a:has-text('{petition.number}')")
    desk.wait_for_url(re.compile(rf"/petitii/{petition.pk}/$"))
    assert_accessible(desk, "staff detail")
    desk.click("text=Înregistrarea din registru")
    desk.click("summary:has-text('Repartizează')")
    desk.select_option("#id_assign-department", label=urbanism.name)
    with desk.expect_navigation():
        desk.click("form[action$='/repartizare/'] button[type=submit]")
    petition.entry.refresh_from_db()
    assert petition.entry.department == urbanism

    # The officer of Urbanism answers.
    work = new_page(chromium)
    sign_in(work, base, officer.username)
    work.goto(f"{base}/petitii/{petition.pk}/")
    with work.expect_navigation():
        work.click("button:has-text('Preia în lucru')")
    work.click("summary:has-text('Răspunde')")
    work.fill("#id_text", "Echipa de intervenție a reparat trotuarul pe 20 noiembrie.")
    work.fill("#id_legal_basis", "OG 27/2002, art. 8; Legea 50/1991")
    work.select_option("#id_outcome", "favorable")
    with work.expect_navigation():
        work.click("button:has-text('Înregistrează și trimite răspunsul')")
    assert "Răspunsul a fost înregistrat" in work.locator(".message.success").inner_text()
    assert_accessible(work, "answered detail")
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ANSWERED

    # The citizen reads the answer delivered to the portal inbox, and opens the letter by its link.
    citizen.goto(f"{base}/dosarul-meu/")
    assert_accessible(citizen, "my file")
    citizen.click(f"a:has-text('Răspuns la petiția nr. {petition.number}')")
    assert_accessible(citizen, "inbox message")
    message = citizen.locator("main").inner_text()
    assert petition.number in message
    link = citizen.locator("a[href*='/sesizari/raspuns/scrisoare/']")
    with citizen.expect_download() as download:
        link.click()
    letter = download.value.path()
    with open(letter, "rb") as fh:
        assert fh.read(5) == b"%PDF-"

    # ... and with the number and the tracking code, without signing in.
    reader = new_page(chromium)
    reader.goto(f"{base}/sesizari/raspuns/")
    assert_accessible(reader, "answer lookup")
    reader.fill("#id_number", petition.number)
    reader.fill("#id_tracking_code", petition.entry.tracking_code)
    with reader.expect_navigation():
        reader.keyboard.press("Enter")
    result = reader.locator(".result").inner_text()
    assert "Echipa de intervenție a reparat trotuarul" in result and "OG 27/2002, art. 8" in result
    assert_accessible(reader, "answer")
    pdf = reader.request.get(f"{base}/sesizari/raspuns/{petition.pk}.pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")

    # The public list shows the problem, without the citizen's data.
    citizen.goto(f"{base}/sesizari/")
    citizen.locator(".petition-map .leaflet-container").wait_for()
    assert_accessible(citizen, "public list")
    html = citizen.locator("main").inner_html()  # (the header names the signed-in citizen)
    assert petition.number in html and "Elena" not in html and "nr. 4" not in html


def test_the_map_form_and_the_429_page_on_a_phone(narrow_page, live_server, categories, settings):
    """At 360 px the form with its map fits the screen; the 429 page is accessible too."""
    settings.GHISEU_MAP_TILES_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    settings.GHISEU_PETITION_FILINGS_PER_HOUR = 1
    page = narrow_page
    page.goto(f"{live_server.url}/sesizari/depune/")
    page.locator(".petition-map .leaflet-container").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box = page.locator(".petition-map .map-canvas").bounding_box()
    assert box is not None and box["width"] <= 360 and box["height"] > 100
    assert_accessible(page, "filing form at 360 px")
    for _ in range(2):  # the second submission is over the limit
        with page.expect_navigation():
            page.click("button[type=submit]:has-text('Trimite')")
    assert "Prea multe trimiteri" in page.locator("h1").inner_text()
    assert_accessible(page, "429 page")


def test_without_javascript_the_typed_fields_remain(chromium, live_server, categories, settings):
    settings.GHISEU_MAP_TILES_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/sesizari/depune/")
    assert page.locator(".petition-map").is_hidden()
    assert page.locator("#id_latitude").is_visible() and page.locator("#id_longitude").is_visible()
    assert page.locator(".hp-field input").get_attribute("tabindex") == "-1"  # the honeypot: out of reach
    context.close()
