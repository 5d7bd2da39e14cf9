"""Background tasks of the procedures app (django-tasks).

`escalate_overdue_tasks` is the periodic job: run it daily from cron with
`manage.py procedures_escalate` (or `procedures_escalate --enqueue` to hand it to the workers).
"""

from __future__ import annotations

from typing import Any

from django_tasks import task

from ghiseu.procedures.services import tasks_escalate_overdue


@task()
def escalate_overdue_tasks() -> dict[str, Any]:
    """Escalate overdue tasks one level where due; returns the task ids per level (JSON for the result)."""
    return tasks_escalate_overdue().as_dict()
