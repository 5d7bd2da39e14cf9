"""Accounts in a real browser: a citizen signs up, confirms the address from the mail (read from the
SMTP server), fills in the profile with a CNP shown masked, adds a company, downloads "my data"; a
staff member is sent to set up TOTP and gets in with the code. axe-core finds no serious or critical
problem on any of these pages, at 1280 px and at 360 px (no sideways scrolling)."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest

from ghiseu.accounts.models import CitizenProfile, User
from ghiseu.accounts.tests.conftest import link_in, mail_text
from ghiseu.accounts.tests.factories import PASSWORD as FACTORY_PASSWORD
from ghiseu.accounts.tests.test_mfa import totp
from ghiseu.core.tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Castan-Lupeni-2026"
CNP = "1800101221144"


def check(page: Any, narrow: Any, name: str) -> None:
    """The page is accessible, and fits a 360 px screen without sideways scrolling."""
    assert_accessible(page, name)
    narrow.goto(page.url)
    width = narrow.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{name}: {width}px wide at 360px"
    assert_accessible(narrow, f"{name} (360 px)")


def test_citizen_signs_up_confirms_fills_the_profile_and_downloads_their_data(
    browser_page, narrow_page, live_server, smtp_server
):
    page, base = browser_page, live_server.url

    page.goto(f"{base}/cont/autentificare/")
    check(page, narrow_page, "login")
    with page.expect_navigation():
        page.click("text=Nu aveți cont? Creați unul (cetățeni)")
    check(page, narrow_page, "signup")
    page.fill("#id_last_name", "Ștefănescu")
    page.fill("#id_first_name", "Ioana")
    page.fill("#id_email", "ioana.stefanescu@example.ro")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    with page.expect_navigation():
        page.click("button:has-text('Creează contul')")
    assert page.locator("h1").inner_text() == "Confirmați adresa de e-mail"
    assert_accessible(page, "verification sent")

    [mail] = smtp_server.messages
    confirm = link_in(mail_text(mail), "/cont/confirm-email/")
    page.goto(f"{base}{confirm}")
    assert_accessible(page, "confirm")
    with page.expect_navigation():
        page.click("button:has-text('Confirm adresa')")
    assert page.url.rstrip("/") == base  # a citizen lands on the portal, signed in

    page.goto(f"{base}/cont/profil/")
    assert_accessible(page, "profile")
    page.fill("#id_address", "Str. Tudor Vladimirescu nr. 3, Lupeni")
    page.fill("#id_phone", "0722 123 456")
    page.fill("#id_cnp", "1800101221145")  # a wrong check digit first
    with page.expect_navigation():
        page.click("button:has-text('Salvează')")
    assert page.locator(".error-summary").is_visible()
    assert "cifra de control" in page.content()
    assert_accessible(page, "profile with errors")
    page.fill("#id_cnp", CNP)
    with page.expect_navigation():
        page.click("button:has-text('Salvează')")
    assert page.locator("#cnp-masked").inner_text() == "1********1144"
    assert CNP not in page.content()
    user = User.objects.get(email="ioana.stefanescu@example.ro")
    assert CitizenProfile.objects.get(user=user).cnp == CNP

    page.goto(f"{base}/cont/firme/")
    assert_accessible(page, "companies")
    page.fill("#id_cui", "RO18547290")
    page.fill("#id_name", "Lupeni Construct SRL")
    page.fill("#id_capacity", "administrator")
    with page.expect_navigation():
        page.click("button:has-text('Adaugă')")
    assert page.locator("tbody tr").count() == 1 and "Lupeni Construct SRL" in page.locator("tbody").inner_text()
    assert_accessible(page, "companies with one")

    page.goto(f"{base}/cont/datele-mele/")
    assert_accessible(page, "my data")
    with page.expect_download() as info:
        page.click("button:has-text('Descarcă arhiva ZIP')")
    with open(info.value.path(), "rb") as downloaded:
        archive = zipfile.ZipFile(io.BytesIO(downloaded.read()))
    document = json.loads(archive.read("datele-mele.json"))
    assert document["parts"]["account"]["profile"]["cnp"] == CNP
    assert document["parts"]["account"]["companies"][0]["cui"] == "18547290"

    # the signed-in pages fit a phone too
    narrow_page.context.add_cookies(page.context.cookies())
    for path in ["/cont/profil/", "/cont/firme/", "/cont/datele-mele/", "/cont/2fa/"]:
        page.goto(f"{base}{path}")
        check(page, narrow_page, path)


def test_staff_member_sets_up_totp_before_work_then_gets_in(browser_page, narrow_page, live_server, settings, clerk):
    settings.GHISEU_STAFF_MFA_REQUIRED = True
    page, base = browser_page, live_server.url

    page.goto(f"{base}/cont/autentificare/")
    assert page.locator("#demo-mfa-note").count() == 0
    page.fill("#id_username", "clerk")
    page.fill("#id_password", FACTORY_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto(f"{base}/registratura/")
    assert "/cont/reauthenticate/" in page.url or "/cont/2fa/totp/activate/" in page.url
    if "/cont/reauthenticate/" in page.url:
        assert_accessible(page, "reauthenticate")
        page.fill("input[type=password]", FACTORY_PASSWORD)
        with page.expect_navigation():
            page.locator("main button[type=submit]").first.click()
    assert "/cont/2fa/totp/activate/" in page.url
    assert_accessible(page, "activate TOTP")
    secret = page.input_value("#authenticator_secret")
    page.fill("#id_code", totp(secret))
    with page.expect_navigation():
        page.click("button:has-text('Activează')")
    assert_accessible(page, "after activation")

    page.goto(f"{base}/registratura/")
    assert page.url == f"{base}/registratura/"
