"""The whole path in a real browser: a citizen files a complaint with a photo and a location, a
clerk routes it, the officer answers, the citizen reads the answer; axe-core finds no serious or
critical accessibility problem on any page of it."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ghiseu.petitions.models import Petition, PetitionStatus
from ghiseu.petitions.tests.conftest import jpeg_bytes
from ghiseu.registry.tests.test_browser import PASSWORD, assert_accessible

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


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/cont/autentificare/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_citizen_files_clerk_routes_officer_answers_citizen_reads(
    chromium,
    live_server,
    categories,
    clerk,
    officer,
    urbanism,
    tmp_path,
):
    base = live_server.url
    photo = tmp_path / "groapa.jpg"
    photo.write_bytes(jpeg_bytes(size=(320, 240), gps=(45.3601, 23.2189)))

    # The citizen, without an account.
    citizen = new_page(chromium)
    citizen.goto(f"{base}/sesizari/depune/")
    assert_accessible(citizen, "filing form")
    citizen.select_option("#id_kind", "complaint")
    citizen.select_option("#id_category", label="Altele")
    citizen.fill("#id_description", "Groapă adâncă pe trotuar, în fața magazinului. Pericol pentru pietoni.")
    citizen.fill("#id_location_address", "Str. Parângului nr. 4, Lupeni")
    citizen.fill("#id_latitude", "45.3601")
    citizen.fill("#id_longitude", "23.2189")
    citizen.set_input_files("#id_photos", str(photo))
    citizen.fill("#id_petitioner_name", "Elena Dumitrescu")
    citizen.fill("#id_petitioner_address", "Str. Minerului nr. 7, Lupeni")
    citizen.fill("#id_petitioner_email", "elena@example.ro")
    with citizen.expect_navigation():
        citizen.click("button[type=submit]:has-text('Trimite')")
    assert citizen.url.endswith("/sesizari/depusa/")
    assert_accessible(citizen, "filed")
    petition = Petition.objects.select_related("entry").get()
    assert petition.photos.count() == 1 and petition.latitude is not None
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

    # The citizen reads the answer with the number and the tracking code.
    citizen.goto(f"{base}/sesizari/raspuns/")
    assert_accessible(citizen, "answer lookup")
    citizen.fill("#id_number", petition.number)
    citizen.fill("#id_tracking_code", petition.entry.tracking_code)
    with citizen.expect_navigation():
        citizen.keyboard.press("Enter")
    result = citizen.locator(".result").inner_text()
    assert "Echipa de intervenție a reparat trotuarul" in result and "OG 27/2002, art. 8" in result
    assert_accessible(citizen, "answer")
    pdf = citizen.request.get(f"{base}/sesizari/raspuns/{petition.pk}.pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")

    # The public list shows the problem, without the citizen's data.
    citizen.goto(f"{base}/sesizari/")
    assert_accessible(citizen, "public list")
    html = citizen.content()
    assert petition.number in html and "Elena" not in html and "nr. 4" not in html
