"""Who may act on a case and its tasks: by department and role, checked by every service."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ghiseu.accounts.models import STAFF_ROLES, Role
from ghiseu.procedures.models import Case, CaseTask, TaskKind

# Roles that see every case of the institution (the dashboard, any department's queue).
INSTITUTION_WIDE = frozenset({Role.SECRETARY, Role.MAYOR, Role.ADMIN})
# Roles that may open a case for any department (the registry office routes requests).
CASE_OPENERS = INSTITUTION_WIDE | {Role.CLERK}
DEPARTMENT_ROLES = frozenset({Role.HEAD, Role.OFFICER})


def _role(user: Any) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return str(user.role)


def is_staff(user: Any) -> bool:
    return _role(user) in STAFF_ROLES


def role_matches(user_role: str | None, task_role: str) -> bool:
    """The task's role, or none asked (any officer or head); a head also does the officers' work."""
    if user_role is None:
        return False
    if not task_role:
        return user_role in DEPARTMENT_ROLES
    return user_role == task_role or (task_role == Role.OFFICER and user_role == Role.HEAD)


def holds(user: Any, task: CaseTask) -> bool:
    """The user answers for the task by department and role (whoever it is assigned to)."""
    role = _role(user)
    if role is None or role not in STAFF_ROLES or task.kind == TaskKind.COMPLETION:
        return False
    if task.department_id is not None and user.department_id != task.department_id:
        return False
    return role_matches(role, task.role)


def can_complete(user: Any, task: CaseTask) -> bool:
    """An assigned task is the assignee's; an unassigned one is anyone's who holds it.

    A completion task is the applicant's (see `can_answer_completion`).
    """
    if task.kind == TaskKind.COMPLETION:
        return _role(user) is not None and task.assignee_id == user.pk
    if not holds(user, task):
        return False
    return task.assignee_id is None or task.assignee_id == user.pk


def is_head_of(user: Any, department_id: int | None) -> bool:
    return _role(user) == Role.HEAD and department_id is not None and user.department_id == department_id


def can_assign(user: Any, task: CaseTask) -> bool:
    """Reassign: the head of the task's department (of the case's, for institution tasks), or a holder."""
    department_id = task.department_id if task.department_id is not None else task.case.department_id
    return is_head_of(user, department_id) or holds(user, task)


def can_start_case(user: Any, *, department_id: int, applicant: Any = None) -> bool:
    """The registry office and the leadership for any department, a department's own staff for it,
    the system (no user), or a citizen submitting their own request."""
    if user is None:
        return True
    role = _role(user)
    if role in CASE_OPENERS:
        return True
    if role in DEPARTMENT_ROLES:
        return user.department_id == department_id
    return role == Role.CITIZEN and applicant is not None and applicant.pk == user.pk


def works_on_case(user: Any, case: Case) -> bool:
    """Staff of the case's department, or a holder of one of its open tasks."""
    role = _role(user)
    if role in DEPARTMENT_ROLES and user.department_id == case.department_id:
        return True
    return any(holds(user, t) for t in case.tasks.filter(status="open"))


def can_manage_case(user: Any, case: Case) -> bool:
    """Cancel, issue: the head of the case's department or the leadership; the registry office issues."""
    role = _role(user)
    return role in CASE_OPENERS or is_head_of(user, case.department_id)


def can_view_case(user: Any, case: Case) -> bool:
    return visible_cases(user).filter(pk=case.pk).exists()


def visible_cases(user: Any, queryset: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """Cases a user may see: all for the leadership and the registry office; a department its own
    and those it has a task in; a citizen their own."""
    qs = Case.objects.all() if queryset is None else queryset
    role = _role(user)
    if role is None:
        return qs.none()
    if role in CASE_OPENERS:
        return qs
    # Subqueries, not joins: the result stays one row per case (counts over it stay right).
    assigned = CaseTask.objects.filter(assignee=user).values("case_id")
    if role in DEPARTMENT_ROLES and user.department_id:
        in_department = CaseTask.objects.filter(department_id=user.department_id).values("case_id")
        return qs.filter(Q(department_id=user.department_id) | Q(pk__in=in_department) | Q(pk__in=assigned))
    if role == Role.CITIZEN:
        return qs.filter(applicant=user)
    if role in STAFF_ROLES:
        return qs.filter(pk__in=assigned)
    return qs.none()
