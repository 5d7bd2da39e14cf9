"""Fixtures of the notification tests: a real SMTP server with Django's SMTP backend pointed at it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ghiseu.notifications.tests.helpers import SmtpServer


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpServer]:
    """A running SMTP server, with Django's SMTP backend pointed at it (short retries)."""
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
