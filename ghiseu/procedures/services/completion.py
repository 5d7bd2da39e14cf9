"""Completion by the citizen: the officer asks for what is missing, the case waits for the
applicant (its legal clock stopped if the service says so), the applicant answers and work resumes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ghiseu.accounts.models import Role
from ghiseu.audit.models import AuditEvent
from ghiseu.core.calendar import WorkingCalendar
from ghiseu.core.errors import DomainError, PermissionDenied
from ghiseu.core.text import clean_text
from ghiseu.procedures import permissions
from ghiseu.procedures.locks import lock_case, lock_case_tasks
from ghiseu.procedures.models import Case, CaseStatus, CaseTask, TaskKind, TaskOutcome, TaskStatus
from ghiseu.procedures.notify import notify
from ghiseu.procedures.services._common import Events
from ghiseu.procedures.services._engine import _advance, _enter_waiting, _resume_clock

COMPLETION_NOTIFICATION = "request.completion_needed"
ANSWERED_NOTIFICATION = "case.completion_answered"


def case_request_completion(
    *,
    case: Case,
    actor: Any,
    message: str,
    respond_by: dt.date | None = None,
    notify_applicant: bool = True,
    tracking_url: str = "",
) -> CaseTask:
    """Ask the applicant for what is missing: the case waits for them (and its clock stops, if configured).

    The applicant is notified ("request.completion_needed") unless `notify_applicant` is False (for a
    caller that sends its own message). `respond_by` is the term given to the applicant, if any;
    `tracking_url` the address where they answer (their file in the portal).
    """
    message = clean_text(message, field="message", label=_("Ce se cere"), required=True)
    if respond_by is not None and respond_by < timezone.localdate():
        raise DomainError(_("Termenul de răspuns nu poate fi în trecut."), field="respond_by")
    with transaction.atomic():
        case = lock_case(case.pk)
        tasks = lock_case_tasks(case)
        for t in tasks:
            t.case = case
        may = permissions.is_head_of(actor, case.department_id) or any(
            t.status == TaskStatus.OPEN and permissions.can_complete(actor, t) for t in tasks
        )
        if not may:
            raise PermissionDenied(_("Nu aveți dreptul să cereți completări în acest dosar."))
        if case.status != CaseStatus.OPEN:
            raise DomainError(
                _("Completările se cer doar unui dosar în lucru (acum: %(status)s).")
                % {"status": case.get_status_display()},
                code="bad_state",
            )
        if case.applicant_id is None:
            raise DomainError(_("Dosarul nu are un petent cu cont în portal."), code="no_applicant")
        now = timezone.now()
        events = Events(actor)
        stage = case.current_stage or max(t.stage_order for t in tasks)
        completion = CaseTask.objects.create(
            case=case,
            definition=None,
            stage_order=stage,
            kind=TaskKind.COMPLETION,
            name=_("Completarea dosarului"),
            role=Role.CITIZEN,
            assignee_id=case.applicant_id,
            status=TaskStatus.OPEN,
            opened_at=now,
            due_date=respond_by,
            instructions=message,
        )
        events.add("procedures.task.opened", completion, case=case.pk, stage=stage, kind=TaskKind.COMPLETION)
        _enter_waiting(case, now, events)
        events.add(
            "procedures.case.completion_requested",
            case,
            task=completion.pk,
            message=message,
            clock_stopped=case.clock_paused_at is not None,
        )
        case.save()
        if notify_applicant:
            notify(
                key=COMPLETION_NOTIFICATION,
                to_user=case.applicant,
                # The variables of the "request.completion_needed" template (ghiseu.notifications.defaults).
                context={
                    "service_name": case.version.definition.name,
                    "number": case.number,
                    "missing": message,
                    "respond_by": respond_by,
                    "tracking_url": tracking_url,
                    "case_id": case.pk,
                    "clock_stopped": case.clock_paused_at is not None,
                },
                related=case,
            )
        events.write(now)  # the audit head is locked last
    return completion


def _who_asked(case: Case) -> Any:
    """The staff member who asked for the completion the case waits for (the latest request's actor)."""
    event = (
        AuditEvent.objects.filter(
            action="procedures.case.completion_requested",
            object_type=Case._meta.label_lower,
            object_id=str(case.pk),
        )
        .select_related("actor")
        .order_by("-position")
        .first()
    )
    return event.actor if event is not None else None


def case_completion_answered(*, case: Case, actor: Any, message: str = "", case_url: str = "") -> Case:
    """The applicant answered (in the portal, or staff record a paper answer): work resumes.

    If the clock was stopped, the case's due date and its open tasks' due dates move by the
    calendar days it stood (to the next working day when they land on a day off). When the
    applicant answers, the staff member who asked is notified ("case.completion_answered"), with
    `case_url` the address of the case page.
    """
    message = clean_text(message, field="message", label=_("Răspuns"), required=False)
    with transaction.atomic():
        case = lock_case(case.pk)
        is_applicant = actor is not None and case.applicant_id is not None and actor.pk == case.applicant_id
        if not is_applicant and not (
            permissions.is_staff(actor)
            and (permissions.works_on_case(actor, case) or permissions.can_manage_case(actor, case))
        ):
            raise PermissionDenied(_("Nu aveți dreptul să răspundeți în acest dosar."))
        if case.status != CaseStatus.WAITING_CITIZEN:
            raise DomainError(_("Dosarul nu așteaptă completări."), code="bad_state")
        tasks = lock_case_tasks(case)
        now = timezone.now()
        events = Events(actor)
        for task in tasks:
            if task.kind == TaskKind.COMPLETION and task.status == TaskStatus.OPEN:
                task.status = TaskStatus.DONE
                task.outcome = TaskOutcome.OK
                task.comment = message
                task.completed_at = now
                task.completed_by = actor
                task.save(update_fields=["status", "outcome", "comment", "completed_at", "completed_by"])
                events.add("procedures.task.completed", task, case=case.pk, kind=task.kind, outcome=TaskOutcome.OK)
        calendar = WorkingCalendar()
        shifted = _resume_clock(case, tasks, now, calendar)
        before = case.status
        case.status = case.resume_status or CaseStatus.OPEN
        case.resume_status = ""
        events.add(
            "procedures.case.completion_answered",
            case,
            before=before,
            after=case.status,
            message=message,
            on_behalf=not is_applicant,
            paused_days=shifted,
            due_date=case.due_date,
        )
        _advance(case, tasks, now, calendar, events)
        case.save()
        asked_by = _who_asked(case)
        if is_applicant and asked_by is not None and asked_by.is_active:
            notify(
                key=ANSWERED_NOTIFICATION,
                to_user=asked_by,
                context={
                    "service_name": case.version.definition.name,
                    "case_number": case.number,
                    "answer": message,
                    "case_url": case_url,
                },
                related=case,
            )
        events.write(now)
    return case
