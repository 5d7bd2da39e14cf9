"""The outbox task: queued in the caller's transaction, run by the one worker of queue "search"."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from ghiseu.search.indexing import apply_operations, decode_operation

SEARCH_QUEUE = "search"


@task(queue_name=SEARCH_QUEUE)
def search_apply(operations: list[dict[str, Any]]) -> dict[str, int]:
    """Apply index updates in order and commit; a retry or a duplicate changes nothing."""
    return apply_operations([decode_operation(op) for op in operations]).as_dict()
