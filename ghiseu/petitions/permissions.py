"""Who may do what with petitions: the registry's rules, plus the head of the authority for extensions."""

from __future__ import annotations

from typing import Any

from ghiseu.accounts.models import Role
from ghiseu.petitions.models import Petition
from ghiseu.registry import permissions as registry_permissions
from ghiseu.registry.models import Direction

# OG 27/2002 art. 9: the head of the authority extends the term (the mayor, or the secretary
# general acting by delegation).
EXTEND_ROLES = frozenset({Role.MAYOR, Role.SECRETARY})
# The public-relations work (reports) is done by the registry office and the leadership.
REPORT_ROLES = registry_permissions.READ_ALL


def _role(user: Any) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return str(user.role)


def can_register(user: Any) -> bool:
    return registry_permissions.can_register(user, direction=Direction.INCOMING)


def can_handle(user: Any, petition: Petition) -> bool:
    """Answer, forward, join, file away: whoever may work the petition's registry entry."""
    return registry_permissions.can_work(user, petition.entry)


def can_extend(user: Any, petition: Petition) -> bool:
    return _role(user) in EXTEND_ROLES


def can_view_reports(user: Any) -> bool:
    return _role(user) in REPORT_ROLES
