"""Fixtures of the procedures tests: a settable clock, the people of a small city hall, the standard
procedures, and a helper that registers a request and opens a case on it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from ghiseu.accounts.models import Role
from ghiseu.accounts.tests.factories import DepartmentFactory, StaffFactory, UserFactory
from ghiseu.procedures.defaults import ensure_standard_procedures
from ghiseu.procedures.models import Case
from ghiseu.procedures.selectors import procedure_current_version
from ghiseu.procedures.services import case_start
from ghiseu.procedures.tests.helpers import Clock
from ghiseu.registry.models import DocumentType
from ghiseu.registry.services import entry_register


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    clock.set(dt.date(2027, 3, 1))  # a Monday with no holiday near
    return clock


@pytest.fixture
def legal(db: Any) -> Any:
    return DepartmentFactory(code="JUR", name="Juridic și contencios administrativ")


@pytest.fixture
def leadership(db: Any) -> Any:
    return DepartmentFactory(code="PRIM", name="Cabinet Primar")


@pytest.fixture
def mayor(reference_data: None, leadership: Any) -> Any:
    return StaffFactory(username="mayor", role=Role.MAYOR, department=leadership)


@pytest.fixture
def secretary(reference_data: None, leadership: Any) -> Any:
    return StaffFactory(username="secretary", role=Role.SECRETARY, department=leadership)


@pytest.fixture
def legal_officer(reference_data: None, legal: Any) -> Any:
    return StaffFactory(username="legal", role=Role.OFFICER, department=legal)


@pytest.fixture
def officer2(reference_data: None, urbanism: Any) -> Any:
    return StaffFactory(username="officer2", role=Role.OFFICER, department=urbanism)


@pytest.fixture
def tax_head(reference_data: None, taxes: Any) -> Any:
    return StaffFactory(username="taxhead", role=Role.HEAD, department=taxes)


@pytest.fixture
def citizen2(db: Any) -> Any:
    return UserFactory(username="citizen2", role=Role.CITIZEN)


@pytest.fixture
def procedures(reference_data: None, urbanism: Any, taxes: Any, legal: Any) -> None:
    ensure_standard_procedures(departments={"taxes": "TAX", "urbanism": "URB", "legal": "JUR"})


@pytest.fixture
def make_case(clerk: Any, procedures: None, citizen: Any) -> Callable[..., Case]:
    """Register a request at the portal and open a case of procedure `code` on it."""

    def make(code: str, department: Any, *, applicant: Any = "citizen", actor: Any = None, **kwargs: Any) -> Case:
        entry = entry_register(
            actor=clerk,
            direction="incoming",
            channel="portal",
            document_type=DocumentType.objects.get(code="service-request"),
            sender="Ion Ionescu",
            subject=f"Cerere {code}",
            department=department,
        )
        return case_start(
            version=procedure_current_version(code=code),
            entry=entry,
            department=department,
            applicant=citizen if applicant == "citizen" else applicant,
            actor=actor or clerk,
            **kwargs,
        )

    return make
