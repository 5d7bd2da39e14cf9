"""Fixtures shared by every app's tests."""

from __future__ import annotations

from typing import Any

import pytest

from ghiseu.accounts.models import Role
from ghiseu.accounts.tests.factories import DepartmentFactory, StaffFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # PBKDF2 costs about a second per user created; tests are not about password strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def reference_data(db: Any) -> None:
    from ghiseu.registry.reference import ensure_reference_data

    ensure_reference_data()


@pytest.fixture
def registry_dept(db: Any) -> Any:
    return DepartmentFactory(code="REG", name="Registratură")


@pytest.fixture
def urbanism(db: Any) -> Any:
    return DepartmentFactory(code="URB", name="Urbanism și amenajarea teritoriului")


@pytest.fixture
def taxes(db: Any) -> Any:
    return DepartmentFactory(code="TAX", name="Taxe și impozite locale")


@pytest.fixture
def clerk(reference_data: None, registry_dept: Any) -> Any:
    return StaffFactory(username="clerk", role=Role.CLERK, department=registry_dept)


@pytest.fixture
def officer(reference_data: None, urbanism: Any) -> Any:
    return StaffFactory(username="officer", role=Role.OFFICER, department=urbanism)


@pytest.fixture
def head(reference_data: None, urbanism: Any) -> Any:
    return StaffFactory(username="head", role=Role.HEAD, department=urbanism)


@pytest.fixture
def other_officer(reference_data: None, taxes: Any) -> Any:
    return StaffFactory(username="other", role=Role.OFFICER, department=taxes)


@pytest.fixture
def citizen(db: Any) -> Any:
    return UserFactory(username="citizen", role=Role.CITIZEN)
