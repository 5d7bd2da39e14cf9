"""Reads of the procedures app: work queues, a case's timeline, the staff dashboard."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import BooleanField, Count, F, Q, QuerySet, Value, When
from django.db.models import Case as CaseWhen
from django.utils import timezone
from django.utils.translation import gettext as _

from ghiseu.accounts.models import STAFF_ROLES, Department, Role
from ghiseu.audit.models import AuditEvent
from ghiseu.core.errors import NotFound, PermissionDenied
from ghiseu.procedures import permissions
from ghiseu.procedures.models import (
    ACTIVE_CASE_STATUSES,
    Case,
    CaseStatus,
    CaseTask,
    ProcedureDefinition,
    ProcedureVersion,
    TaskKind,
    TaskStatus,
)

# Cases whose legal clock is running towards a due date (an issued case has its answer).
RUNNING_CASE_STATUSES = ACTIVE_CASE_STATUSES - {CaseStatus.ISSUED}


def procedure_current_version(*, code: str) -> ProcedureVersion:
    """The published version new cases of procedure `code` start with."""
    definition = ProcedureDefinition.objects.filter(code=code, is_active=True).first()
    version = definition.current_version() if definition is not None else None
    if version is None:
        raise NotFound(_("Procedura „%(code)s” nu are o versiune publicată.") % {"code": code})
    return version


# --- Work queues ------------------------------------------------------------------------------


class _QueueAnnotations(TypedDict):
    overdue: bool


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    # A task of a work queue: a CaseTask with `overdue` annotated.
    QueueTask = WithAnnotations[CaseTask, _QueueAnnotations]


def _task_overdue_q(today: dt.date) -> Q:
    return Q(due_date__lt=today, case__clock_paused_at__isnull=True)


def _open_tasks(today: dt.date | None = None) -> QuerySet[QueueTask]:
    """Open tasks of live cases, with `overdue` annotated (never while the case's clock is stopped),
    overdue first then by due date, with the case, its entry and its applicant joined."""
    today = today or timezone.localdate()
    return (
        CaseTask.objects.filter(status=TaskStatus.OPEN, case__status__in=ACTIVE_CASE_STATUSES)
        .select_related(
            "case",
            "case__entry",
            "case__entry__answers",
            "case__applicant",
            "case__department",
            "case__version__definition",
            "department",
            "assignee",
        )
        .annotate(
            overdue=CaseWhen(
                When(_task_overdue_q(today), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-overdue", F("due_date").asc(nulls_last=True), "opened_at", "pk")
    )


def tasks_for_user(user: Any, *, today: dt.date | None = None) -> QuerySet[QueueTask]:
    """The officer's queue: their own open tasks, and the unassigned ones of their department that
    their role may do (and institution-wide tasks of their role: the mayor's, the secretary's).

    A citizen's queue holds the completions asked of them.
    """
    qs = _open_tasks(today)
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    role = str(user.role)
    if role == Role.CITIZEN:
        return qs.filter(kind=TaskKind.COMPLETION, assignee=user)
    if role not in STAFF_ROLES:
        return qs.none()
    role_q = Q(role=role)
    if role in permissions.DEPARTMENT_ROLES:
        role_q |= Q(role="")
    if role == Role.HEAD:
        role_q |= Q(role=Role.OFFICER)
    unassigned = Q(assignee__isnull=True) & Q(department__isnull=True, role=role)
    if user.department_id:
        unassigned |= Q(assignee__isnull=True, department_id=user.department_id) & role_q
    return qs.filter(Q(assignee=user) | unassigned).exclude(Q(kind=TaskKind.COMPLETION) & ~Q(assignee=user))


def tasks_for_department(user: Any, department: Department, *, today: dt.date | None = None) -> QuerySet[QueueTask]:
    """A department's open tasks, assigned or not: for its head and for the leadership."""
    role = getattr(user, "role", None) if getattr(user, "is_active", False) else None
    if not (permissions.is_head_of(user, department.pk) or role in permissions.INSTITUTION_WIDE):
        raise PermissionDenied(_("Doar șeful compartimentului vede sarcinile întregului compartiment."))
    return _open_tasks(today).filter(department=department)


# --- A case's timeline --------------------------------------------------------------------------


@dataclass
class StageView:
    order: int
    name: str
    status: str  # pending, open, done, cancelled
    tasks: list[CaseTask] = field(default_factory=list)


@dataclass
class Timeline:
    case: Case
    stages: list[StageView]
    events: list[AuditEvent]


def _stage_status(tasks: list[CaseTask]) -> str:
    statuses = {t.status for t in tasks}
    if TaskStatus.OPEN in statuses:
        return "open"
    if not statuses or statuses == {TaskStatus.PENDING}:
        return "pending"
    if statuses == {TaskStatus.CANCELLED}:
        return "cancelled"
    if TaskStatus.PENDING in statuses:
        return "pending"
    return "done"


def case_timeline(case: Case) -> Timeline:
    """The stages of the case's version with their tasks (who, when, outcome), and the audit events
    of the case and its tasks in order."""
    tasks = list(case.tasks.select_related("department", "assignee", "completed_by").order_by("stage_order", "pk"))
    by_stage: dict[int, list[CaseTask]] = defaultdict(list)
    for task in tasks:
        by_stage[task.stage_order].append(task)
    names = dict(case.version.stages.values_list("order", "name"))
    stages = [
        StageView(order=order, name=names.get(order, str(order)), status=_stage_status(by_stage[order]))
        for order in sorted(set(names) | set(by_stage))
    ]
    for stage in stages:
        stage.tasks = by_stage[stage.order]
    events = list(
        AuditEvent.objects.filter(
            Q(object_type=Case._meta.label_lower, object_id=str(case.pk))
            | Q(object_type=CaseTask._meta.label_lower, object_id__in=[str(t.pk) for t in tasks])
        )
        .select_related("actor")
        .order_by("position")
    )
    return Timeline(case=case, stages=stages, events=events)


def cases_for_applicant(user: Any) -> QuerySet[Case]:
    """A citizen's own cases ("my file"), newest first."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    return (
        Case.objects.filter(applicant=user)
        .select_related("entry", "department", "version__definition")
        .order_by("-opened_at", "-pk")
    )


# --- The dashboard ------------------------------------------------------------------------------


@dataclass
class DashboardCounts:
    by_status: dict[str, int]
    overdue: int  # cases past their legal due date (clock running)
    due_this_week: int  # cases due from today to Sunday
    waiting_citizen: int
    overdue_tasks: int
    my_tasks: int
    my_overdue_tasks: int
    per_department: list[dict[str, Any]]
    per_subject: list[dict[str, Any]]  # by what is requested (the service), see Case.subject


def dashboard_counts(user: Any, *, today: dt.date | None = None) -> DashboardCounts:
    """Counts over the cases the user may see: by status, overdue, due this week, per department
    and per procedure, and the user's own queue."""
    today = today or timezone.localdate()
    week_end = today + dt.timedelta(days=6 - today.weekday())
    cases = permissions.visible_cases(user)
    by_status = dict.fromkeys(CaseStatus.values, 0)
    for row in cases.order_by().values("status").annotate(n=Count("pk")):
        by_status[row["status"]] = row["n"]
    running = cases.filter(status__in=RUNNING_CASE_STATUSES)
    overdue_q = Q(due_date__lt=today, clock_paused_at__isnull=True)
    week_q = Q(due_date__gte=today, due_date__lte=week_end)
    waiting_q = Q(status=CaseStatus.WAITING_CITIZEN)
    aggregates = {
        "open": Count("pk"),
        "overdue": Count("pk", filter=overdue_q),
        "due_this_week": Count("pk", filter=week_q),
        "waiting_citizen": Count("pk", filter=waiting_q),
    }
    totals = running.aggregate(**aggregates)
    per_department = [
        dict(row)
        for row in running.order_by()
        .values("department_id", "department__code", "department__name")
        .annotate(**aggregates)
        .order_by("department__name")
    ]
    per_subject = [dict(row) for row in running.order_by().values("subject").annotate(**aggregates).order_by("subject")]
    visible_tasks = _open_tasks(today).filter(case__in=cases.values("pk"))
    mine = tasks_for_user(user, today=today)
    return DashboardCounts(
        by_status=by_status,
        overdue=totals["overdue"],
        due_this_week=totals["due_this_week"],
        waiting_citizen=totals["waiting_citizen"],
        overdue_tasks=visible_tasks.filter(_task_overdue_q(today)).count(),
        my_tasks=mine.count(),
        my_overdue_tasks=mine.filter(_task_overdue_q(today)).count(),
        per_department=per_department,
        per_subject=per_subject,
    )
