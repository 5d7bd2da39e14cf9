"""Fixtures shared by every app's tests, including the browser (Playwright driving Debian's Chromium).

Playwright's sync API keeps an event loop running in the test thread, which makes Django
refuse ORM calls there unless told it is safe (it is: the loop only talks to the browser).
A missing Chromium is a failure, never a skip: the accessibility checks must run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ghiseu.accounts.models import Role
from ghiseu.accounts.tests.factories import DepartmentFactory, StaffFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # PBKDF2 costs about a second per user created; tests are not about password strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def search_index_dir(settings: Any, tmp_path: Path) -> Iterator[Path]:
    """Each test writes to a search index of its own (tests that run the worker or seed the demo
    index documents), never to one that another test left behind."""
    from ghiseu.search import engine

    settings.GHISEU_SEARCH_INDEX_DIR = tmp_path / "search-index"
    engine.forget_indexes()
    yield settings.GHISEU_SEARCH_INDEX_DIR
    engine.forget_indexes()


@pytest.fixture(autouse=True)
def _staff_mfa_relaxed(settings: Any) -> None:
    # Staff MFA (required by default in production) is tested in ghiseu/accounts/tests, which
    # switch it back on; elsewhere tests sign staff in without setting up a second factor.
    settings.GHISEU_STAFF_MFA_REQUIRED = False


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[Any]:
    """A real SMTP server (aiosmtpd on localhost) with Django's SMTP backend pointed at it, short retries.
    What it received is in `.messages` (`email.message.EmailMessage` objects)."""
    from ghiseu.notifications.tests.helpers import SmtpServer

    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Primăria Lupeni <no-reply@primarialupeni.ro>"
    settings.GHISEU_NOTIFY_MAX_ATTEMPTS = 3
    settings.GHISEU_NOTIFY_RETRY_DELAY = 0
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def reference_data(db: Any) -> None:
    from ghiseu.registry.reference import ensure_reference_data

    ensure_reference_data()


@pytest.fixture
def registry_dept(db: Any) -> Any:
    return DepartmentFactory(code="REG", name="Registratură")


@pytest.fixture
def urbanism(db: Any) -> Any:
    return DepartmentFactory(code="URB", name="Urbanism și amenajarea teritoriului")


@pytest.fixture
def taxes(db: Any) -> Any:
    return DepartmentFactory(code="TAX", name="Taxe și impozite locale")


@pytest.fixture
def clerk(reference_data: None, registry_dept: Any) -> Any:
    return StaffFactory(username="clerk", role=Role.CLERK, department=registry_dept)


@pytest.fixture
def officer(reference_data: None, urbanism: Any) -> Any:
    return StaffFactory(username="officer", role=Role.OFFICER, department=urbanism)


@pytest.fixture
def head(reference_data: None, urbanism: Any) -> Any:
    return StaffFactory(username="head", role=Role.HEAD, department=urbanism)


@pytest.fixture
def other_officer(reference_data: None, taxes: Any) -> Any:
    return StaffFactory(username="other", role=Role.OFFICER, department=taxes)


@pytest.fixture
def citizen(db: Any) -> Any:
    return UserFactory(username="citizen", role=Role.CITIZEN)


os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("GHISEU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _context(chromium: Any, **kwargs: Any) -> Any:
    return chromium.new_context(locale="ro-RO", timezone_id="Europe/Bucharest", accept_downloads=True, **kwargs)


@pytest.fixture
def browser_page(chromium: Any) -> Iterator[Any]:
    context = _context(chromium, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.fixture
def narrow_page(chromium: Any) -> Iterator[Any]:
    """A phone-sized window: 360 CSS pixels wide."""
    context = _context(chromium, viewport={"width": 360, "height": 780}, is_mobile=False)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()
