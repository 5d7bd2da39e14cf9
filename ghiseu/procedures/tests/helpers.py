"""Helpers of the procedures tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ghiseu.procedures.models import Case, CaseTask


class Clock:
    """`timezone.now()` (and so `timezone.localdate()`) answers what the test sets."""

    def __init__(self) -> None:
        self.now = timezone.now()

    def set(self, day: dt.date, hour: int = 10) -> None:
        self.now = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))

    def advance(self, days: int) -> None:
        self.now += dt.timedelta(days=days)

    @property
    def today(self) -> dt.date:
        return timezone.localdate(self.now)


def task_of(case: Case, kind: str, name_part: str = "") -> CaseTask:
    """The case's task of `kind` (whose name contains `name_part`), fresh from the database."""
    tasks = [t for t in case.tasks.order_by("stage_order", "pk") if t.kind == kind and name_part in t.name]
    assert len(tasks) == 1, f"expected one {kind} task matching {name_part!r}, got {tasks}"
    return tasks[0]


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def due(task: CaseTask) -> dt.date:
    """The due date of an open task (which always has one in these procedures)."""
    assert task.due_date is not None
    return task.due_date
