"""Each test gets an empty provider registry (its own index directory: `search_index_dir` in
ghiseu/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ghiseu.search.registry import _providers


@pytest.fixture(autouse=True)
def isolated_providers() -> Iterator[None]:
    saved = dict(_providers)
    _providers.clear()
    yield
    _providers.clear()
    _providers.update(saved)
