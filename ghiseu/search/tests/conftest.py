"""Each test gets its own index directory and an empty provider registry."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ghiseu.search import engine
from ghiseu.search.registry import _providers


@pytest.fixture(autouse=True)
def search_index_dir(settings: Any, tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "search-index"
    settings.GHISEU_SEARCH_INDEX_DIR = path
    engine.forget_indexes()
    yield path
    engine.forget_indexes()


@pytest.fixture(autouse=True)
def _staff_without_second_factor(settings: Any) -> None:
    """These tests are about searching, not the login: staff pages without setting up MFA first."""
    settings.GHISEU_STAFF_MFA_REQUIRED = False


@pytest.fixture(autouse=True)
def isolated_providers() -> Iterator[None]:
    saved = dict(_providers)
    _providers.clear()
    yield
    _providers.clear()
    _providers.update(saved)
