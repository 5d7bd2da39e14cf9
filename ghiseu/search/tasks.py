"""The outbox task: queued in the caller's transaction, run by the one worker of queue "search".

Each run applies, in one index commit, its own operations and those of every other queued
`search_apply` task (ghiseu/search/consumer.py): a burst of updates costs one commit, not one each.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_tasks import TaskContext, task

SEARCH_QUEUE = "search"


@task(queue_name=SEARCH_QUEUE, takes_context=True)
def search_apply(context: TaskContext, operations: list[dict[str, Any]]) -> dict[str, int]:
    """Apply index updates in order and commit; a retry or a duplicate changes nothing."""
    from ghiseu.search.consumer import apply_queued

    result = context.task_result
    return apply_queued(
        own_id=result.id,
        own_enqueued_at=result.enqueued_at or timezone.now(),
        own_operations=operations,
        queue_name=SEARCH_QUEUE,
        task_path=result.task.module_path,
    )
