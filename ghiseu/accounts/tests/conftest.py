"""Fixtures of the accounts tests (the real SMTP server is `smtp_server` in ghiseu/conftest.py): files
under a temporary directory, and a clean cache (allauth's rate limits and used TOTP codes live there)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def mail_text(message: Any) -> str:
    body = message.get_body(preferencelist=("plain",))
    return str(body.get_content() if body is not None else message.get_content())


def link_in(text: str, path_start: str) -> str:
    """The path of the first link in the mail that starts with `path_start` (scheme and host dropped)."""
    found = re.search(r"https?://[^/\s]+(" + re.escape(path_start) + r"\S*)", text)
    assert found, f"no link to {path_start} in:\n{text}"
    return found.group(1)
