"""The batching consumer of queue "search": one Tantivy commit for everything queued.

A Tantivy commit costs ~180 ms here, so one commit per task would cap indexing near five
updates a second. The worker of queue "search" runs one `search_apply` task; that task then
takes the writer and, in one database transaction, drains the other queued `search_apply`
tasks in the order they were enqueued (up to `GHISEU_SEARCH_BATCH_OPERATIONS` operations),
applies all their operations with its own, commits the index once and marks the drained
tasks done (`SUCCESSFUL`, `return_value` naming the task that applied them).

Crash safety: the task rows are marked done in the same database transaction as the ledger,
and that transaction commits after the Tantivy commit. A crash between the two leaves the
drained tasks `READY` (and this one `RUNNING`): they are applied again by the next run, and
applying an update twice gives the same index (a refresh reads the current state, an index
operation replaces by key, a removal removes). A `search_apply` task still `RUNNING` longer
than a writer may wait for the index lock (`GHISEU_SEARCH_LOCK_TIMEOUT`) was left by a worker
that died (there is one consumer by design, and a live one would have given up waiting): it is
taken over too, so its updates are not lost.

If the batch fails (one bad update), the task retries with its own operations only, so one
poisoned update fails alone and never blocks the others.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from ghiseu.search import engine
from ghiseu.search.indexing import Operation, apply_operations, apply_with_writer, decode_operation

logger = logging.getLogger(__name__)

READY = "READY"
RUNNING = "RUNNING"
SUCCESSFUL = "SUCCESSFUL"
FETCH_CHUNK = 50


def batch_limit() -> int:
    return max(1, int(getattr(settings, "GHISEU_SEARCH_BATCH_OPERATIONS", 5_000)))


@dataclass(frozen=True)
class QueuedTask:
    id: Any
    enqueued_at: datetime
    operations: list[Operation]


def orphan_after() -> timedelta:
    """How long a task may be `RUNNING` before it counts as left by a dead worker."""
    return timedelta(seconds=float(getattr(settings, "GHISEU_SEARCH_LOCK_TIMEOUT", 600)))


def _queued(queue_name: str, task_path: str, own_id: Any) -> Any:
    now = timezone.now()
    ready = Q(status=READY) & (Q(run_after=get_date_max()) | Q(run_after__lte=now))
    orphaned = Q(status=RUNNING, started_at__lt=now - orphan_after())
    return (
        DBTaskResult.objects.filter(queue_name=queue_name, task_path=task_path)
        .filter(ready | orphaned)
        .exclude(id=own_id)
        .order_by("enqueued_at", "id")
    )


def drain(*, queue_name: str, task_path: str, own_id: Any, limit: int) -> list[QueuedTask]:
    """Lock and decode the queued tasks, oldest first, until `limit` operations (at least one task).

    Call inside a transaction: on PostgreSQL the rows stay locked (`SKIP LOCKED`) until it ends.
    """
    tasks: list[QueuedTask] = []
    total = 0
    seen: list[Any] = []
    while total < limit:
        rows = list(
            _queued(queue_name, task_path, own_id)
            .exclude(id__in=seen)
            .select_for_update(skip_locked=True)
            .values_list("id", "enqueued_at", "args_kwargs")[:FETCH_CHUNK]
        )
        for task_id, enqueued_at, args_kwargs in rows:
            seen.append(task_id)
            try:
                raw = list((args_kwargs or {}).get("kwargs", {}).get("operations", []))
                operations = [decode_operation(op) for op in raw]
            except (AttributeError, KeyError, TypeError, ValueError):
                continue  # malformed: left for its own run, where it fails alone
            if tasks and total + len(raw) > limit:
                return tasks
            tasks.append(QueuedTask(id=task_id, enqueued_at=enqueued_at, operations=operations))
            total += len(raw)
        if len(rows) < FETCH_CHUNK:
            break
    return tasks


def _mark_done(ids: Sequence[Any], own_id: Any) -> None:
    now = timezone.now()
    for start in range(0, len(ids), 500):
        DBTaskResult.objects.filter(id__in=list(ids[start : start + 500])).update(
            status=SUCCESSFUL,
            finished_at=now,
            return_value={"applied_by": str(own_id)},
            exception_class_path="",
            traceback="",
        )


def apply_queued(
    *,
    own_id: Any,
    own_enqueued_at: datetime,
    own_operations: Sequence[dict[str, Any]],
    queue_name: str,
    task_path: str,
) -> dict[str, int]:
    """Apply this task's operations and every queued task's, in enqueue order, in one commit."""
    own = QueuedTask(id=own_id, enqueued_at=own_enqueued_at, operations=[decode_operation(op) for op in own_operations])
    search_index = engine.get_index()
    drained: list[QueuedTask] = []
    try:
        with search_index.open_writer() as writer, transaction.atomic():
            drained = drain(queue_name=queue_name, task_path=task_path, own_id=own_id, limit=batch_limit())
            ordered = sorted([own, *drained], key=lambda t: t.enqueued_at)  # stable: ties keep drain order
            stats = apply_with_writer(writer, [op for t in ordered for op in t.operations])
            _mark_done([t.id for t in drained], own_id)
    except Exception:
        if not drained:
            raise
        logger.exception("search: a batch of %d queued updates failed; applying task %s alone", len(drained), own_id)
        stats = apply_operations(own.operations, search_index=search_index)
        return {**stats.as_dict(), "tasks": 1}
    return {**stats.as_dict(), "tasks": 1 + len(drained)}
