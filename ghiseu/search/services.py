"""How other apps put things in the search index, and take them out.

Call these inside the transaction that changes the object: the update is queued as a
django-tasks task whose row is written in that same transaction (an outbox), so a change
that is rolled back never reaches the index and a committed one always does. The one worker
of queue "search" applies the updates in order (docs/adr/0004-search-outbox.md).

    search_index_document(
        kind="registry_entry", object_id=entry.pk, title=f"{entry.number}/{entry.year} {entry.subject}",
        text=entry.summary, year=entry.year, department=entry.department.code,
        file_code=entry.file_code.code, access="internal", departments=(entry.department.code, "REG"),
        url=reverse("registry:entry", args=[entry.pk]),
    )
    search_remove_document(kind="registry_entry", object_id=entry.pk)

Cheaper still, and the way registry entries, requests and petitions do it: enqueue only which
object changed, and the worker builds its document from the database when it applies the
update (the app registered a provider with `load`, ghiseu/search/registry.py):

    search_refresh(kind="registry_entry", object_id=entry.pk)

A scanned document is indexed one page at a time (`page=1`, `page=2`, …, one call per page,
or all pages at once with `search_index_documents`); `search_remove_document` removes the
object and all of its pages. When a document loses pages, remove it, then index it again.
"""

from __future__ import annotations

import functools
import json
import uuid
import weakref
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone
from django_tasks.backends.base import BaseTaskBackend
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from ghiseu.core.sql import SqlValue, fill_text, insert_row
from ghiseu.search.documents import ALL_DEPARTMENTS, INTERNAL, SearchDocument, as_documents, make_document
from ghiseu.search.indexing import IndexOp, Operation, RefreshOp, RemoveOp, encode_operation
from ghiseu.search.tasks import search_apply

# One task carries at most this many documents (its JSON row stays a reasonable size).
MAX_DOCUMENTS_PER_TASK = 200


def _enqueue(ops: Sequence[Operation]) -> None:
    """One task row (django-tasks' `enqueue`, through the ORM) in the caller's transaction."""
    if ops:
        search_apply.enqueue(operations=[encode_operation(op) for op in ops])


def search_index_document(
    *,
    kind: str,
    object_id: int | str,
    title: str,
    text: str,
    page: int | None = None,
    year: int | None = None,
    department: str = "",
    file_code: str = "",
    access: str = INTERNAL,
    departments: Sequence[str] = (ALL_DEPARTMENTS,),
    url: str = "",
) -> None:
    """Queue (re-)indexing of one object or one page of it; replaces what the index had.

    `access` is one of public, internal, confidential, personal. A public document is shown
    to anyone; the others to the staff named in `departments`: "*" (every department), a
    department code ("URB"), a role ("role:archivist") or a role in a department ("URB:head"),
    and to those whose role reads that class everywhere (`selectors.access_for_user`).
    Raises ValueError for a programming mistake (bad kind, access class or code).
    """
    doc = make_document(
        kind=kind,
        object_id=object_id,
        title=title,
        text=text,
        page=page,
        year=year,
        department=department,
        file_code=file_code,
        access=access,
        departments=departments,
        url=url,
    )
    _enqueue([IndexOp(doc)])


def search_index_documents(*, documents: Iterable[SearchDocument | dict[str, Any]]) -> None:
    """Queue many documents (e.g. every page of a scanned dossier): fewer tasks, fewer commits."""
    batch: list[Operation] = []
    for doc in as_documents(documents):
        batch.append(IndexOp(doc))
        if len(batch) >= MAX_DOCUMENTS_PER_TASK:
            _enqueue(batch)
            batch = []
    _enqueue(batch)


def search_remove_document(*, kind: str, object_id: int | str) -> None:
    """Queue removal of an object and of all of its pages."""
    probe = make_document(kind=kind, object_id=object_id, title="", text="")  # validates kind and id
    _enqueue([RemoveOp(kind=probe.kind, object_id=probe.object_id)])


def search_refresh(*, kind: str, object_id: int | str) -> None:
    """Queue "index this object as the database holds it when the update is applied".

    One small task row in the caller's transaction (no document is built here): the worker
    asks the kind's provider (`register_provider(..., load=...)`) for the object's documents,
    and takes the object out of the index when it yields none (deleted or not searchable).
    """
    probe = make_document(kind=kind, object_id=object_id, title="", text="")  # validates kind and id
    _enqueue([RefreshOp(kind=probe.kind, object_id=probe.object_id)])


# Backends (one per thread) that have validated `search_apply` once: its definition does not change.
_validated: weakref.WeakSet[BaseTaskBackend] = weakref.WeakSet()


def search_refresh_insert(*, kind: str, object_id: int | str | SqlValue) -> tuple[str, list[Any]] | None:
    """`search_refresh`'s task row as an `INSERT` (sql, params) that a caller sends within a
    statement of its own (a `WITH` on PostgreSQL): one round trip less on a hot path.

    The row is the one django-tasks-db's `enqueue` writes (same fields and values, READY, run by
    `db_worker --queue-name search`), in the caller's transaction like any outbox row (ADR 0004);
    only the `task_enqueued` signal (a debug log line) is not sent. Returns None when the search
    task's backend is not django-tasks-db: call `search_refresh` then.

    `object_id` may be a `SqlValue` (PostgreSQL): an integer id that the caller's statement
    takes itself (a new row's, from its sequence), written into the task's JSON by that statement.
    """
    backend = search_apply.get_backend()
    if not isinstance(backend, DatabaseBackend) or backend.id_function not in (None, _default_id):
        return None
    if backend not in _validated:
        backend.validate_task(search_apply)
        _validated.add(backend)
    args_kwargs: Any
    if isinstance(object_id, SqlValue):
        if object_id.params:
            raise ValueError("search: an id computed by SQL is an expression without parameters")
        args_kwargs = _computed_id_args(kind, object_id.sql)
    else:
        probe = make_document(kind=kind, object_id=object_id, title="", text="")  # validates kind and id
        operation = RefreshOp(kind=probe.kind, object_id=probe.object_id)
        args_kwargs = {"args": [], "kwargs": {"operations": [encode_operation(operation)]}}
    return insert_row(
        DBTaskResult,
        {
            "id": uuid.uuid4(),
            "enqueued_at": timezone.now(),
            "args_kwargs": args_kwargs,
            "priority": search_apply.priority,
            "task_path": search_apply.module_path,
            "queue_name": search_apply.queue_name,
            "run_after": search_apply.run_after or get_date_max(),
            "backend_name": backend.alias,
        },
    )


_ID_MARK = "{search-object-id}"


@functools.lru_cache(maxsize=64)
def _computed_id_args(kind: str, id_sql: str) -> SqlValue:
    """The task's `args_kwargs` JSON for a refresh of `kind` whose id is `id_sql`, an integer
    SQL expression of the caller's statement; the same for every row of that kind: built once."""
    make_document(kind=kind, object_id=1, title="", text="")  # validates the kind (an integer id is valid)
    operation = RefreshOp(kind=kind, object_id=_ID_MARK)
    args_sql, args_params = fill_text(
        json.dumps({"args": [], "kwargs": {"operations": [encode_operation(operation)]}}), {_ID_MARK: id_sql}
    )
    return SqlValue(f"({args_sql})::jsonb", tuple(args_params))


_default_id = DBTaskResult._meta.pk.default
