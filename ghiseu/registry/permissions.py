"""Who may do what in the registry: by role and by department, checked on every request."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ghiseu.accounts.models import Role
from ghiseu.registry.models import Direction, Entry

# Roles that work the whole register: the registry office and the institution's leadership.
REGISTRY_WIDE = frozenset({Role.CLERK, Role.SECRETARY, Role.MAYOR, Role.ADMIN})
READ_ALL = REGISTRY_WIDE | {Role.ARCHIVIST}
DEPARTMENT_ROLES = frozenset({Role.HEAD, Role.OFFICER})


def _role(user: Any) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return str(user.role)


def is_registry_staff(user: Any) -> bool:
    """May open the registry screens at all."""
    return _role(user) in READ_ALL | DEPARTMENT_ROLES


def visible_entries(user: Any, queryset: QuerySet[Entry] | None = None) -> QuerySet[Entry]:
    qs = Entry.objects.all() if queryset is None else queryset
    role = _role(user)
    if role in READ_ALL:
        return qs
    if role in DEPARTMENT_ROLES and user.department_id:
        return qs.filter(Q(department_id=user.department_id) | Q(created_by=user))
    return qs.none()


def can_view(user: Any, entry: Entry) -> bool:
    return visible_entries(user, Entry.objects.filter(pk=entry.pk)).exists()


def can_register(user: Any, *, direction: str = Direction.INCOMING, department_id: int | None = None) -> bool:
    """Clerks register anything; a department registers its own outgoing and internal documents."""
    role = _role(user)
    if role in REGISTRY_WIDE:
        return True
    return (
        role in DEPARTMENT_ROLES
        and direction != Direction.INCOMING
        and department_id is not None
        and department_id == user.department_id
    )


def can_route(user: Any, entry: Entry) -> bool:
    """Assign or reassign: the registry office, or the head of the department that holds it."""
    role = _role(user)
    if role in REGISTRY_WIDE:
        return True
    return role == Role.HEAD and entry.department_id is not None and entry.department_id == user.department_id


def can_work(user: Any, entry: Entry) -> bool:
    """Record progress, reply, close: the registry office or the department that holds it."""
    role = _role(user)
    if role in REGISTRY_WIDE:
        return True
    return role in DEPARTMENT_ROLES and entry.department_id is not None and entry.department_id == user.department_id
