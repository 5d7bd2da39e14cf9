"""Fixtures of the accounts tests: a real SMTP server (aiosmtpd) for allauth's mails, files under a
temporary directory, and a clean cache (allauth's rate limits and used TOTP codes live there)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from ghiseu.notifications.tests.helpers import SmtpServer


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpServer]:
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
    try:
        yield server
    finally:
        server.stop()


def mail_text(message: Any) -> str:
    body = message.get_body(preferencelist=("plain",))
    return str(body.get_content() if body is not None else message.get_content())


def link_in(text: str, path_start: str) -> str:
    """The path of the first link in the mail that starts with `path_start` (scheme and host dropped)."""
    found = re.search(r"https?://[^/\s]+(" + re.escape(path_start) + r"\S*)", text)
    assert found, f"no link to {path_start} in:\n{text}"
    return found.group(1)
