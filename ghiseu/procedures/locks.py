"""Row locks of the procedures app, taken in one place and one order.

Order within a transaction: the procedure definition (numbering its versions), then the version; for
work on a case, the registry entry (only when a case is opened on it), the case row, then its tasks
(by primary key); the audit chain head is locked last, by the audit app, when the events are written
at the end of the transaction.
"""

from __future__ import annotations

from django.db.models import QuerySet

from ghiseu.procedures.models import Case, CaseTask, ProcedureDefinition, ProcedureVersion
from ghiseu.registry.models import Entry


def lock_definition(definition_id: int) -> ProcedureDefinition:
    return ProcedureDefinition.objects.select_for_update().get(pk=definition_id)


def lock_version(version_id: int) -> ProcedureVersion:
    return ProcedureVersion.objects.select_for_update().get(pk=version_id)


def lock_case(case_id: int) -> Case:
    """The case row, locked until the transaction ends (no joins: FOR UPDATE on a nullable join fails)."""
    return Case.objects.select_for_update().get(pk=case_id)


def lock_case_tasks(case: Case) -> list[CaseTask]:
    """All the tasks of a case, locked in primary-key order. Take the case lock first."""
    tasks: QuerySet[CaseTask] = CaseTask.objects.select_for_update().filter(case_id=case.pk).order_by("pk")
    return list(tasks)


def lock_task(task_id: int) -> tuple[Case, CaseTask]:
    """A task and its case: the case row first, then the task."""
    case_id = CaseTask.objects.values_list("case_id", flat=True).get(pk=task_id)
    case = lock_case(case_id)
    task = CaseTask.objects.select_for_update().get(pk=task_id)
    return case, task


def lock_entry_for_case(entry_id: int) -> None:
    """The registry entry a case is opened on, locked before the case (one case per entry)."""
    Entry.objects.select_for_update().filter(pk=entry_id).values_list("pk", flat=True).first()
