"""The engine: cases follow their procedure version, stage by stage; every transition is audited.

Rules enforced here (each refusal is a DomainError raised before anything is written):
- a task is completed only once, only when its stage is open, and only by someone who answers for
  it (its assignee, or, while unassigned, anyone of its department holding its role);
- the next stage opens when every required task of the current one is finished; optional tasks
  still open then are cancelled;
- an approve or sign task refused rejects the case (other open or pending tasks are cancelled);
- a case is issued only after all its approve and sign tasks were done favourably (or, for a
  rejected case, with its reasoned rejection);
- while the case waits for the citizen, only the citizen's completion is accepted (see
  `completion.py`); if the case's service says so, the legal clock stops meanwhile and every due
  date moves by the days it stood.

The internals shared by these services (stages, gates, rejection, the clock) are in `_engine.py`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ghiseu.accounts.models import Department
from ghiseu.core.calendar import CALENDAR, WorkingCalendar
from ghiseu.core.errors import DomainError, PermissionDenied
from ghiseu.core.text import clean_text
from ghiseu.procedures import permissions
from ghiseu.procedures.locks import lock_case, lock_case_tasks, lock_entry_for_case, lock_task
from ghiseu.procedures.models import (
    ACTIVE_CASE_STATUSES,
    DECISION_KINDS,
    GATE_KINDS,
    INSTITUTION_ROLES,
    Case,
    CaseStatus,
    CaseTask,
    ProcedureVersion,
    TaskDefinition,
    TaskKind,
    TaskOutcome,
    TaskStatus,
)
from ghiseu.procedures.services._common import Events
from ghiseu.procedures.services._engine import (
    ENDED_CASE_STATUSES,
    UNFINISHED,
    _advance,
    _cancel_tasks,
    _close,
    _gates_passed,
    _open_stage,
    _reject,
    _update_gate_status,
)
from ghiseu.registry.models import Direction, Entry

# --- Starting -----------------------------------------------------------------------------------


def case_start(
    *,
    version: ProcedureVersion,
    entry: Entry | None,
    department: Department,
    actor: Any,
    applicant: Any = None,
    due_date: dt.date | None = None,
    deadline_days: int | None = None,
    deadline_kind: str = CALENDAR,
    completion_stops_clock: bool = False,
    subject: str = "",
) -> Case:
    """Open a case on a registered request, following `version`; stage 1's tasks open now.

    `subject` says what is requested (the e-service's name): the dashboard counts cases by it.

    The case's legal due date: `due_date` if given, else `deadline_days` (the service's legal
    deadline) counted from the entry's registration, else the entry's own due date.
    `completion_stops_clock` comes from the service: whether asking the citizen to complete the
    file stops the legal clock.
    """
    if not permissions.can_start_case(actor, department_id=department.pk, applicant=applicant):
        raise PermissionDenied(_("Nu aveți dreptul să deschideți un dosar pentru acest compartiment."))
    if not version.is_published:
        raise DomainError(_("Un dosar pornește doar pe o versiune publicată a procedurii."), code="draft")
    if not version.definition.is_active:
        raise DomainError(_("Procedura nu mai este folosită."), code="inactive")
    if not department.is_active:
        raise DomainError(_("Compartimentul nu mai este activ."), field="department")
    if entry is not None and (entry.direction != Direction.INCOMING or entry.answers_id is not None):
        raise DomainError(_("Un dosar se deschide pe o cerere înregistrată la intrare."), field="entry")
    if deadline_days is not None and deadline_days < 0:
        raise DomainError(_("Termenul nu poate fi negativ."), field="deadline_days")
    definitions = list(
        TaskDefinition.objects.filter(stage__version=version).select_related("stage").order_by("stage__order", "order")
    )
    if not definitions:
        raise DomainError(_("Procedura nu are nicio sarcină."), code="empty")
    if applicant is None and any(d.kind == TaskKind.COMPLETION for d in definitions):
        raise DomainError(_("Procedura cere completări de la petent: dosarul are nevoie de petent."), field="applicant")

    calendar = WorkingCalendar()
    now = timezone.now()
    if due_date is None and deadline_days is not None:
        start = entry.registered_on if entry is not None else timezone.localdate(now)
        due_date = calendar.due_date(start, deadline_days, deadline_kind)
    if due_date is None and entry is not None:
        due_date = entry.due_date

    with transaction.atomic():
        if entry is not None:
            lock_entry_for_case(entry.pk)
            if Case.objects.filter(entry_id=entry.pk).exists():
                raise DomainError(_("Cererea are deja un dosar."), code="duplicate")
        case = Case.objects.create(
            version=version,
            entry=entry,
            department=department,
            applicant=applicant,
            status=CaseStatus.OPEN,
            opened_at=now,
            opened_by=actor if getattr(actor, "pk", None) else None,
            due_date=due_date,
            completion_stops_clock=completion_stops_clock,
            subject=(subject or version.definition.name)[:200],
        )
        tasks = CaseTask.objects.bulk_create(
            [
                CaseTask(
                    case=case,
                    definition=d,
                    stage_order=d.stage.order,
                    kind=d.kind,
                    name=d.name,
                    department=_responsible_department(d, department),
                    role=d.role,
                    required=d.required,
                    deadline_days=d.deadline_days,
                    deadline_kind=d.deadline_kind,
                    status=TaskStatus.PENDING,
                )
                for d in definitions
            ]
        )
        events = Events(actor)
        events.add(
            "procedures.case.started",
            case,
            procedure=version.definition.code,
            version=version.version,
            entry=entry.display_number if entry is not None else None,
            department=department.code,
            applicant=applicant.pk if applicant is not None else None,
            due_date=due_date,
            completion_stops_clock=completion_stops_clock,
        )
        _open_stage(case, tasks, min(t.stage_order for t in tasks), now, calendar, events)
        case.save()
        events.write(now)
    return case


def _responsible_department(definition: TaskDefinition, case_department: Department) -> Department | None:
    if definition.department_id is not None:
        return definition.department
    if definition.kind == TaskKind.COMPLETION or definition.role in INSTITUTION_ROLES:
        return None
    return case_department


# --- Working tasks ----------------------------------------------------------------------------


def _normalize_outcome(kind: str, outcome: str) -> str:
    if kind in DECISION_KINDS:
        value = TaskOutcome.APPROVED if outcome in (TaskOutcome.OK, TaskOutcome.APPROVED) else outcome
        if value not in (TaskOutcome.APPROVED, TaskOutcome.REJECTED):
            raise DomainError(_("Rezultatul trebuie să fie favorabil sau nefavorabil."), field="outcome")
        return value
    if outcome != TaskOutcome.OK:
        raise DomainError(_("Această sarcină se încheie doar ca îndeplinită."), field="outcome")
    return TaskOutcome.OK


def _check_can_work(case: Case, task: CaseTask) -> None:
    if case.status in ENDED_CASE_STATUSES:
        raise DomainError(
            _("Dosarul este încheiat (%(status)s).") % {"status": case.get_status_display()}, code="ended"
        )
    if task.status == TaskStatus.PENDING:
        raise DomainError(
            _("Etapa %(stage)d nu a început: sarcinile etapelor anterioare nu sunt încă îndeplinite.")
            % {"stage": task.stage_order},
            code="out_of_order",
        )
    if task.status != TaskStatus.OPEN:
        raise DomainError(
            _("Sarcina este deja încheiată (%(status)s).") % {"status": task.get_status_display()},
            code="already_done",
        )
    if case.status == CaseStatus.WAITING_CITIZEN and task.kind != TaskKind.COMPLETION:
        raise DomainError(_("Dosarul așteaptă completarea de la petent."), code="waiting_citizen")


def task_complete(*, task: CaseTask, actor: Any, outcome: str = TaskOutcome.OK, comment: str = "") -> CaseTask:
    """Complete an open task (approve, sign, opinion: favourable or not; the others: done).

    A refusal must give its reasons. Completing the last required task of a stage opens the next one.
    """
    comment = clean_text(comment, field="comment", label=_("Observații"), required=False)
    with transaction.atomic():
        case, locked = lock_task(task.pk)
        if not permissions.can_complete(actor, locked):
            raise PermissionDenied(_("Nu aveți dreptul să încheiați această sarcină."))
        if locked.kind == TaskKind.COMPLETION:
            raise DomainError(_("Completarea se încheie prin răspunsul petentului."), code="completion")
        _check_can_work(case, locked)
        outcome = _normalize_outcome(locked.kind, outcome)
        if outcome == TaskOutcome.REJECTED and not comment:
            raise DomainError(_("Motivați soluția nefavorabilă."), field="comment", code="required")

        tasks = lock_case_tasks(case)
        task = next(t for t in tasks if t.pk == locked.pk)
        now = timezone.now()
        events = Events(actor)
        task.status = TaskStatus.REJECTED if outcome == TaskOutcome.REJECTED else TaskStatus.DONE
        task.outcome = outcome
        task.comment = comment
        task.completed_at = now
        task.completed_by = actor
        task.assignee = task.assignee or actor
        task.save(update_fields=["status", "outcome", "comment", "completed_at", "completed_by", "assignee"])
        events.add(
            "procedures.task.completed",
            task,
            case=case.pk,
            stage=task.stage_order,
            kind=task.kind,
            outcome=outcome,
            comment=comment,
        )
        if outcome == TaskOutcome.REJECTED and task.kind in GATE_KINDS:
            _reject(case, tasks, task, now, events)
        else:
            _update_gate_status(case, tasks, events)
            _advance(case, tasks, now, WorkingCalendar(), events)
        case.save()
        events.write(now)
    return task


def task_assign(*, task: CaseTask, assignee: Any, actor: Any, reason: str) -> CaseTask:
    """Give a task to one person (or take it), with a reason: by the head of the department or a holder."""
    reason = clean_text(reason, field="reason", label=_("Motiv"), required=True, max_length=1000)
    with transaction.atomic():
        case, task = lock_task(task.pk)
        task.case = case
        if not permissions.can_assign(actor, task):
            raise PermissionDenied(_("Nu aveți dreptul să repartizați această sarcină."))
        if task.kind == TaskKind.COMPLETION:
            raise DomainError(_("Completarea este sarcina petentului."), code="completion")
        if case.status in ENDED_CASE_STATUSES or task.status not in UNFINISHED:
            raise DomainError(_("Sarcina este deja încheiată."), code="already_done")
        if not getattr(assignee, "is_active", False) or not permissions.holds(assignee, task):
            raise DomainError(
                _("Persoana aleasă nu are compartimentul și rolul cerute de sarcină."),
                field="assignee",
                code="assignee",
            )
        if task.assignee_id == assignee.pk:
            raise DomainError(_("Sarcina este deja repartizată acestei persoane."), field="assignee", code="same")
        before = task.assignee_id
        task.assignee = assignee
        task.save(update_fields=["assignee"])
        now = timezone.now()
        events = Events(actor)
        events.add("procedures.task.assigned", task, case=case.pk, before=before, after=assignee.pk, reason=reason)
        events.write(now)
    return task


# --- Issuing, cancelling ------------------------------------------------------------------------


def case_can_issue(case: Case) -> bool:
    """True once every approve and sign task is done favourably (and the case is not ended or waiting).

    A procedure without approve or sign tasks may issue once all its stages are done.
    """
    return _gates_passed(case, list(case.tasks.all()))


def case_can_issue_rejection(case: Case) -> bool:
    """A rejected case may still produce its reasoned rejection."""
    return case.status == CaseStatus.REJECTED


def case_mark_issued(*, case: Case, actor: Any, rejection: bool = False, comment: str = "") -> Case:
    """Record that the act (or, with `rejection`, the reasoned rejection) was issued.

    The case closes as soon as it is issued and no task is left open (inform tasks may follow).
    `actor` None means the system (the issuing job).
    """
    comment = clean_text(comment, field="comment", label=_("Observații"), required=False)
    with transaction.atomic():
        case = lock_case(case.pk)
        if actor is not None and not (
            permissions.can_manage_case(actor, case)
            or (permissions.is_staff(actor) and permissions.works_on_case(actor, case))
        ):
            raise PermissionDenied(_("Nu aveți dreptul să emiteți actul acestui dosar."))
        tasks = lock_case_tasks(case)
        if rejection:
            if case.status != CaseStatus.REJECTED:
                raise DomainError(_("Doar un dosar respins primește o respingere motivată."), code="not_rejected")
        elif not _gates_passed(case, tasks):
            raise DomainError(
                _("Actul se emite doar după ce dosarul a fost aprobat și semnat."),
                code="not_ready",
            )
        now = timezone.now()
        events = Events(actor)
        before = case.status
        case.status = CaseStatus.ISSUED
        case.issued_at = now
        events.add("procedures.case.issued", case, before=before, rejection=rejection, comment=comment)
        if not any(t.status in UNFINISHED for t in tasks):
            _close(case, now, events)
        case.save()
        events.write(now)
    return case


def case_cancel(*, case: Case, actor: Any, reason: str) -> Case:
    """Cancel a case (withdrawn by the applicant, or stopped by the head of department or leadership)."""
    reason = clean_text(reason, field="reason", label=_("Motiv"), required=True, max_length=1000)
    with transaction.atomic():
        case = lock_case(case.pk)
        is_applicant = actor is not None and case.applicant_id is not None and actor.pk == case.applicant_id
        if not (is_applicant or permissions.can_manage_case(actor, case)):
            raise PermissionDenied(_("Nu aveți dreptul să anulați acest dosar."))
        if case.status not in ACTIVE_CASE_STATUSES or case.status == CaseStatus.ISSUED:
            raise DomainError(_("Dosarul nu mai poate fi anulat."), code="bad_state")
        tasks = lock_case_tasks(case)
        now = timezone.now()
        events = Events(actor)
        _cancel_tasks([t for t in tasks if t.status in UNFINISHED], events, reason=reason)
        before = case.status
        case.status = CaseStatus.CANCELLED
        case.current_stage = None
        case.clock_paused_at = None
        case.closed_at = now
        events.add("procedures.case.cancelled", case, before=before, reason=reason, withdrawn=is_applicant)
        case.save()
        events.write(now)
    return case
