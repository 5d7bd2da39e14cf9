"""The engine's internals, shared by the case services: opening and closing stages, the gate
statuses (approved, signed), rejection, the stopped clock. Called inside the caller's transaction,
with the case and its tasks already locked; the events are written by the caller."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone

from ghiseu.core.calendar import WorkingCalendar
from ghiseu.procedures.models import (
    GATE_KINDS,
    Case,
    CaseOutcome,
    CaseStatus,
    CaseTask,
    TaskKind,
    TaskOutcome,
    TaskStatus,
)
from ghiseu.procedures.services._common import Events

UNFINISHED = (TaskStatus.PENDING, TaskStatus.OPEN)
# A case in these states takes no more work.
ENDED_CASE_STATUSES = frozenset({CaseStatus.REJECTED, CaseStatus.CANCELLED, CaseStatus.CLOSED})


def _enter_waiting(case: Case, now: dt.datetime, events: Events) -> None:
    case.resume_status = case.status
    case.status = CaseStatus.WAITING_CITIZEN
    if case.completion_stops_clock and case.clock_paused_at is None:
        case.clock_paused_at = now
        events.add("procedures.case.clock_stopped", case, due_date=case.due_date)


def _resume_clock(case: Case, tasks: Sequence[CaseTask], now: dt.datetime, calendar: WorkingCalendar) -> int:
    if case.clock_paused_at is None:
        return 0
    days = (timezone.localdate(now) - timezone.localdate(case.clock_paused_at)).days
    case.clock_paused_at = None
    if days <= 0:
        return 0
    case.paused_days += days
    if case.due_date is not None:
        case.due_date = calendar.next_working_day(case.due_date + dt.timedelta(days=days))
    for task in tasks:
        if task.status == TaskStatus.OPEN and task.due_date is not None:
            task.due_date = calendar.next_working_day(task.due_date + dt.timedelta(days=days))
            task.save(update_fields=["due_date"])
    return days


def _gates_passed(case: Case, tasks: Sequence[CaseTask]) -> bool:
    if case.status not in (CaseStatus.OPEN, CaseStatus.APPROVED, CaseStatus.SIGNED):
        return False
    gates = [t for t in tasks if t.kind in GATE_KINDS and t.required]
    if not gates:
        return case.work_completed_at is not None
    return all(t.status == TaskStatus.DONE and t.outcome == TaskOutcome.APPROVED for t in gates)


def _task_due_date(case: Case, task: CaseTask, today: dt.date, calendar: WorkingCalendar) -> dt.date | None:
    """The task's own deadline from the day it opens, never later than the case's legal due date."""
    if task.deadline_days is None:
        return case.due_date
    due = calendar.due_date(today, task.deadline_days, task.deadline_kind)
    if case.due_date is not None and due > case.due_date:
        return case.due_date
    return due


def _open_stage(
    case: Case, tasks: Sequence[CaseTask], order: int, now: dt.datetime, calendar: WorkingCalendar, events: Events
) -> None:
    today = timezone.localdate(now)
    case.current_stage = order
    opened = []
    for task in tasks:
        if task.stage_order != order or task.status != TaskStatus.PENDING:
            continue
        task.status = TaskStatus.OPEN
        task.opened_at = now
        task.due_date = _task_due_date(case, task, today, calendar)
        if task.kind == TaskKind.COMPLETION:
            task.assignee_id = case.applicant_id
        task.save(update_fields=["status", "opened_at", "due_date", "assignee"])
        events.add("procedures.task.opened", task, case=case.pk, stage=order, kind=task.kind, due_date=task.due_date)
        opened.append(task)
    events.add("procedures.stage.opened", case, stage=order, tasks=[t.pk for t in opened])
    if any(t.kind == TaskKind.COMPLETION for t in opened):
        _enter_waiting(case, now, events)


def _advance(
    case: Case, tasks: Sequence[CaseTask], now: dt.datetime, calendar: WorkingCalendar, events: Events
) -> None:
    """Close the current stage when its required tasks are finished and open the next (or finish)."""
    order = case.current_stage
    if order is None or case.status in ENDED_CASE_STATUSES or case.status == CaseStatus.WAITING_CITIZEN:
        return
    stage = [t for t in tasks if t.stage_order == order]
    if any(t.status in UNFINISHED and (t.required or t.kind == TaskKind.COMPLETION) for t in stage):
        return
    _cancel_tasks([t for t in stage if t.status in UNFINISHED], events, reason="stage_completed")
    events.add("procedures.stage.completed", case, stage=order)
    later = sorted({t.stage_order for t in tasks if t.status == TaskStatus.PENDING and t.stage_order > order})
    if later:
        _open_stage(case, tasks, later[0], now, calendar, events)
        return
    case.current_stage = None
    case.work_completed_at = now
    events.add("procedures.case.work_completed", case, status=case.status)
    if case.status == CaseStatus.ISSUED:
        _close(case, now, events)


def _update_gate_status(case: Case, tasks: Sequence[CaseTask], events: Events) -> None:
    """open → approved once every approve task is done favourably; → signed once every sign task is too."""
    if case.status not in (CaseStatus.OPEN, CaseStatus.APPROVED):
        return
    approvals = [t for t in tasks if t.kind == TaskKind.APPROVE and t.required]
    signatures = [t for t in tasks if t.kind == TaskKind.SIGN and t.required]
    approved = all(t.status == TaskStatus.DONE for t in approvals)
    signed = all(t.status == TaskStatus.DONE for t in signatures)
    target = case.status
    if approved and signatures and signed:
        target = CaseStatus.SIGNED
    elif approved and approvals:
        target = CaseStatus.APPROVED
    if target == case.status:
        return
    before = case.status
    case.status = target
    case.outcome = CaseOutcome.APPROVED
    events.add(f"procedures.case.{target}", case, before=before, after=target)


def _reject(case: Case, tasks: Sequence[CaseTask], by: CaseTask, now: dt.datetime, events: Events) -> None:
    _cancel_tasks([t for t in tasks if t.status in UNFINISHED], events, reason="case_rejected")
    before = case.status
    case.status = CaseStatus.REJECTED
    case.outcome = CaseOutcome.REJECTED
    case.current_stage = None
    case.work_completed_at = now
    events.add("procedures.case.rejected", case, before=before, task=by.pk, kind=by.kind, reason=by.comment)


def _cancel_tasks(tasks: Sequence[CaseTask], events: Events, *, reason: str) -> None:
    for task in tasks:
        before = task.status
        task.status = TaskStatus.CANCELLED
        task.save(update_fields=["status"])
        events.add("procedures.task.cancelled", task, case=task.case_id, before=before, reason=reason)


def _close(case: Case, now: dt.datetime, events: Events) -> None:
    before = case.status
    case.status = CaseStatus.CLOSED
    case.closed_at = now
    case.current_stage = None
    events.add("procedures.case.closed", case, before=before, outcome=case.outcome)
