"""Deadlines: overdue tasks escalate to the head of their department, then to the secretary general.

An open task past its due date (while its case's legal clock runs) goes to level 1: the heads of the
task's department (of the case's department for an institution-wide task) are told. If it is still
open GHISEU_ESCALATION_DAYS working days after that, it goes to level 2: the secretary general. Each
step is recorded on the task (so running the job again does not repeat it), audited and notified.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ghiseu.accounts.models import Role, User
from ghiseu.core.calendar import WorkingCalendar
from ghiseu.procedures.locks import lock_task
from ghiseu.procedures.models import ACTIVE_CASE_STATUSES, Case, CaseTask, TaskKind, TaskStatus
from ghiseu.procedures.notify import notify
from ghiseu.procedures.services._common import Events

logger = logging.getLogger(__name__)

ESCALATION_KEY = "task.escalated"
MAX_LEVEL = 2


@dataclass
class EscalationReport:
    level1: list[int] = field(default_factory=list)  # task ids escalated to the head of department
    level2: list[int] = field(default_factory=list)  # task ids escalated to the secretary general
    failed: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"level1": self.level1, "level2": self.level2, "failed": self.failed}


def escalation_recipients(task: CaseTask, case: Case, level: int) -> list[User]:
    """Level 1: the heads of the responsible department (but not the task's own assignee);
    level 2, or no such head: the secretary general."""
    if level == 1:
        department_id = task.department_id if task.department_id is not None else case.department_id
        heads = list(
            User.objects.filter(role=Role.HEAD, department_id=department_id, is_active=True)
            .exclude(pk=task.assignee_id or 0)
            .order_by("pk")
        )
        if heads:
            return heads
    return list(User.objects.filter(role=Role.SECRETARY, is_active=True).order_by("pk"))


def _next_level(task: CaseTask, today: dt.date, calendar: WorkingCalendar, days: int) -> int | None:
    if task.escalation_level == 0:
        return 1
    if task.escalation_level == 1 and task.escalated_at is not None:
        waited = calendar.working_days_between(timezone.localdate(task.escalated_at), today)
        return 2 if waited >= days else None
    return None


def _escalate_one(task_id: int, today: dt.date, calendar: WorkingCalendar, days: int) -> int | None:
    case, task = lock_task(task_id)
    if (
        task.status != TaskStatus.OPEN
        or task.kind == TaskKind.COMPLETION
        or task.due_date is None
        or task.due_date >= today
        or case.status not in ACTIVE_CASE_STATUSES
        or case.clock_paused_at is not None
    ):
        return None
    level = _next_level(task, today, calendar, days)
    if level is None:
        return None
    recipients = escalation_recipients(task, case, level)
    now = timezone.now()
    task.escalation_level = level
    task.escalated_at = now
    task.save(update_fields=["escalation_level", "escalated_at"])
    events = Events(None)
    events.add(
        "procedures.task.escalated",
        task,
        case=case.pk,
        level=level,
        due_date=task.due_date,
        overdue_days=(today - task.due_date).days,
        recipients=[u.pk for u in recipients],
    )
    overdue_days = (today - task.due_date).days
    reason = (
        _("Termen depășit cu %(days)d zile; escaladare la șeful compartimentului.")
        if level == 1
        else _("Termen depășit cu %(days)d zile; escaladare la secretarul general.")
    ) % {"days": overdue_days}
    # The variables of the "task.escalated" template (ghiseu.notifications.defaults), then extras.
    context = {
        "task_title": task.name,
        "case_number": case.number,
        "assignee_name": str(task.assignee) if task.assignee_id else "",
        "due_date": task.due_date,
        "reason": reason,
        "task_url": "",
        "level": level,
        "task_id": task.pk,
        "case_id": case.pk,
        "kind": task.get_kind_display(),
        "procedure": case.version.definition.name,
        "department": str(task.department or case.department),
        "overdue_days": overdue_days,
    }
    for user in recipients:
        notify(key=ESCALATION_KEY, to_user=user, context=context, related=task)
    events.write(now)  # the audit head is locked last
    return level


def tasks_escalate_overdue(*, today: dt.date | None = None) -> EscalationReport:
    """Escalate every overdue open task one level where it is due; idempotent for a given day."""
    today = today or timezone.localdate()
    days = settings.GHISEU_ESCALATION_DAYS
    calendar = WorkingCalendar()
    report = EscalationReport()
    candidates = list(
        CaseTask.objects.filter(
            status=TaskStatus.OPEN,
            due_date__lt=today,
            escalation_level__lt=MAX_LEVEL,
            case__status__in=ACTIVE_CASE_STATUSES,
            case__clock_paused_at__isnull=True,
        )
        .exclude(kind=TaskKind.COMPLETION)
        .order_by("due_date", "pk")
        .values_list("pk", flat=True)
    )
    for task_id in candidates:
        try:
            with transaction.atomic():  # one task at a time: a failure leaves the others escalated
                level = _escalate_one(task_id, today, calendar, days)
        except Exception:
            logger.exception("escalating task %s failed", task_id)
            report.failed.append(task_id)
            continue
        if level == 1:
            report.level1.append(task_id)
        elif level == 2:
            report.level2.append(task_id)
    return report
