"""Providers: how `search_rebuild` and `search_check` reach each app's documents without the
search app importing any of them. An app registers, from its `AppConfig.ready()`:

    from ghiseu.search.registry import register_provider
    register_provider("registry_entry", iter_entry_documents, count=lambda: Entry.objects.count())

`iter_documents()` yields, for every object that should be in the index, the same documents
the app hands `search_index_document` (a `SearchDocument`, or a dict of its keyword
arguments); `count()` (optional) gives the total for the progress bar.

`load(object_ids)` (optional) yields the documents of just those objects, read from the
database now; an object it yields nothing for is not (or no longer) searchable and is taken
out of the index. With it, an app enqueues only `(kind, id)` inside its transaction
(`services.search_refresh`) and the worker of queue "search" builds the document when it
applies the update: the current state always wins, and a retry changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ghiseu.search.documents import KIND_RE, SearchDocument

IterDocuments = Callable[[], Iterable[SearchDocument | dict[str, Any]]]
LoadDocuments = Callable[[Sequence[str]], Iterable[SearchDocument | dict[str, Any]]]


@dataclass(frozen=True)
class Provider:
    kind: str
    iter_documents: IterDocuments
    count: Callable[[], int] | None = None
    load: LoadDocuments | None = None


_providers: dict[str, Provider] = {}


def register_provider(
    kind: str,
    iter_documents: IterDocuments,
    *,
    count: Callable[[], int] | None = None,
    load: LoadDocuments | None = None,
) -> None:
    if not KIND_RE.fullmatch(kind):
        raise ValueError(f"search: kind must match {KIND_RE.pattern}, got {kind!r}")
    existing = _providers.get(kind)
    if existing is not None and existing.iter_documents is not iter_documents:
        raise ValueError(f"search: a provider for {kind!r} is already registered ({existing.iter_documents!r})")
    _providers[kind] = Provider(kind=kind, iter_documents=iter_documents, count=count, load=load)


def unregister_provider(kind: str) -> None:
    _providers.pop(kind, None)


def get_providers() -> dict[str, Provider]:
    return dict(_providers)
