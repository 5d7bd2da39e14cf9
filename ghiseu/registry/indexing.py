"""Registry entries in the one search index (ghiseu.search).

The registry's services call `entry_search_update(entry)` inside the transaction that changes
the entry: that enqueues only `("registry_entry", id)` (one small task row, one statement), and
the worker of queue "search" builds the document from the database when it applies the update
(`load_entry_documents`), so the index holds the entry as it is then. Search is called, it never
calls back: the provider registered from `RegistryConfig.ready()` is how `search_rebuild` and
`search_check` read the entries.

Who finds an entry: the registry-wide roles (permissions.READ_ALL) and the department that holds
it, as in `permissions.visible_entries` (the "entries I registered" exception of department staff
is not expressed in the index).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation

from ghiseu.core.sql import SqlValue
from ghiseu.registry.models import Entry
from ghiseu.registry.permissions import READ_ALL

SEARCH_KIND = "registry_entry"
SEARCH_APP = "ghiseu.search"
WIDE_READERS = tuple(sorted(f"role:{role}" for role in READ_ALL))
CHUNK = 500


def search_available() -> bool:
    return apps.is_installed(SEARCH_APP)


# Apps whose documents depend on an entry (a petition is read by the entry's department) add a
# callback here; `entry_search_update(entry, dependents=True)` (a reroute) calls them.
_dependents: list[Callable[[int], None]] = []


def on_entry_search_update(callback: Callable[[int], None]) -> None:
    if callback not in _dependents:
        _dependents.append(callback)


def entry_search_update(entry: Entry | int, *, dependents: bool = False) -> None:
    """Queue the entry's (re)indexing; call inside the transaction that changes it.

    `dependents`: also queue the documents of other apps that depend on the entry (when its
    department changes, and with it who may read them).
    """
    if not search_available():
        return
    from ghiseu.search.services import search_refresh

    entry_id = entry if isinstance(entry, int) else entry.pk
    search_refresh(kind=SEARCH_KIND, object_id=entry_id)
    if dependents:
        for callback in _dependents:
            callback(entry_id)


def entry_search_insert(entry_id: int | SqlValue) -> tuple[str, list[Any]] | None:
    """`entry_search_update` of a new entry as an INSERT (sql, params) for the caller to send with
    its own statement (`services.entry_register`; `entry_id` may be the id that statement takes,
    `locks.ENTRY_ID`); None: call `entry_search_update` instead, once the entry has its id."""
    if not search_available():
        return None
    from ghiseu.search.services import search_refresh_insert

    return search_refresh_insert(kind=SEARCH_KIND, object_id=entry_id)


def _entries() -> QuerySet[Entry]:
    return Entry.objects.select_related("answers", "department", "file_code", "document_type").order_by("pk")


def entry_search_fields(entry: Entry) -> dict[str, Any]:
    """What the index holds for one entry: keyword arguments of `search_index_document`."""
    origin = entry.answers if entry.answers_id else entry
    assert origin is not None
    department = entry.department.code.replace(" ", "") if entry.department_id and entry.department else ""
    with translation.override("ro"):
        direction = entry.get_direction_display()
    text = "\n".join(
        part
        for part in (
            f"{origin.number}/{origin.year}",
            str(entry.document_type.name),
            str(direction),
            entry.sender,
            entry.subject,
            entry.sender_reference,
            entry.recipient,
            entry.resolution,
            entry.outcome,
        )
        if part
    )
    return {
        "kind": SEARCH_KIND,
        "object_id": entry.pk,
        "title": f"{entry.display_number} {entry.subject}",
        "text": text,
        "year": entry.year,
        "department": department,
        "file_code": entry.file_code.code.replace(" ", "") if entry.file_code_id and entry.file_code else "",
        "access": "internal",
        "departments": (*WIDE_READERS, department) if department else WIDE_READERS,
        "url": reverse("registry:detail", args=[entry.pk]),
    }


def iter_entry_documents() -> Iterator[dict[str, Any]]:
    for entry in _entries().iterator(chunk_size=CHUNK):
        yield entry_search_fields(entry)


def load_entry_documents(object_ids: Sequence[str]) -> Iterator[dict[str, Any]]:
    """The documents of these entries as the database holds them now (absent ids: none)."""
    ids = [int(i) for i in object_ids if str(i).isdigit()]
    for start in range(0, len(ids), CHUNK):
        for entry in _entries().filter(pk__in=ids[start : start + CHUNK]):
            yield entry_search_fields(entry)


def register_search_provider() -> None:
    if not search_available():
        return
    from ghiseu.search.registry import register_provider

    register_provider(SEARCH_KIND, iter_entry_documents, count=Entry.objects.count, load=load_entry_documents)
