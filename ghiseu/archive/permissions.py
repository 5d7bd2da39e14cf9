"""Who may read what in the archive: by role, department and access class.

- The archivist reads everything.
- The secretary general, the mayor and the administrator read every class but personal data.
- Other staff (heads, officers, registry clerks) read public and internal documents of every
  department, and confidential ones of their own department; personal data only the head of
  the department that owns the dossier.
- Citizens and anonymous visitors read public documents only.

A document is read under the stricter of its own class and its dossier's class. Every allowed
set above is closed downwards (whoever reads a class reads the lighter ones), so "the stricter
of the two is allowed" is the same as "both are allowed", which is how the querysets filter.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ghiseu.accounts.models import STAFF_ROLES, Role
from ghiseu.archive.models import AccessClass, Document, Dossier

PUBLIC_ONLY = frozenset({AccessClass.PUBLIC})
STAFF_WIDE = frozenset({AccessClass.PUBLIC, AccessClass.INTERNAL})
OWN_DEPARTMENT = STAFF_WIDE | {AccessClass.CONFIDENTIAL}
ALL_BUT_PERSONAL = OWN_DEPARTMENT
EVERYTHING = frozenset(AccessClass)

# Roles that read every department's dossiers (all classes but personal data; the archivist all).
LEADERSHIP = frozenset({Role.SECRETARY, Role.MAYOR, Role.ADMIN})
# May run imports, read the access log and receive fixity reports.
ARCHIVE_MANAGERS = frozenset({Role.ARCHIVIST, Role.ADMIN})
ACCESS_LOG_READERS = frozenset({Role.ARCHIVIST, Role.SECRETARY, Role.ADMIN})


def _role(user: Any) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    return str(user.role)


def readable_classes(user: Any, *, own_department: bool) -> frozenset[str]:
    """The access classes `user` reads in a dossier of their own department or of another one."""
    if user is not None and getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return EVERYTHING
    role = _role(user)
    if role is None or role not in STAFF_ROLES:
        return PUBLIC_ONLY
    if role == Role.ARCHIVIST:
        return EVERYTHING
    if role in LEADERSHIP:
        return ALL_BUT_PERSONAL
    if own_department:
        return EVERYTHING if role == Role.HEAD else OWN_DEPARTMENT
    return STAFF_WIDE


def _is_own(user: Any, dossier: Dossier) -> bool:
    department_id = getattr(user, "department_id", None)
    return department_id is not None and department_id == dossier.department_id


def can_view_dossier(user: Any, dossier: Dossier) -> bool:
    return dossier.access in readable_classes(user, own_department=_is_own(user, dossier))


def can_view_document(user: Any, document: Document) -> bool:
    classes = readable_classes(user, own_department=_is_own(user, document.dossier))
    return document.access in classes and document.dossier.access in classes


def visible_dossiers(user: Any, queryset: QuerySet[Dossier] | None = None) -> QuerySet[Dossier]:
    qs = Dossier.objects.all() if queryset is None else queryset
    other = readable_classes(user, own_department=False)
    own = readable_classes(user, own_department=True)
    condition = Q(access__in=sorted(other))
    department_id = getattr(user, "department_id", None)
    if department_id is not None and own != other:
        condition |= Q(department_id=department_id, access__in=sorted(own))
    return qs.filter(condition)


def visible_documents(user: Any, queryset: QuerySet[Document] | None = None) -> QuerySet[Document]:
    qs = Document.objects.all() if queryset is None else queryset
    other = sorted(readable_classes(user, own_department=False))
    own = sorted(readable_classes(user, own_department=True))
    condition = Q(access__in=other, dossier__access__in=other)
    department_id = getattr(user, "department_id", None)
    if department_id is not None and own != other:
        condition |= Q(dossier__department_id=department_id, access__in=own, dossier__access__in=own)
    return qs.filter(condition)


def can_import(user: Any) -> bool:
    return _role(user) in ARCHIVE_MANAGERS or bool(getattr(user, "is_superuser", False))


def can_read_access_log(user: Any) -> bool:
    return _role(user) in ACCESS_LOG_READERS or bool(getattr(user, "is_superuser", False))
