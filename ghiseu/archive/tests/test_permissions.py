"""Who reads what: every role against every access class, in and out of the owning department."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from ghiseu.accounts.models import Role
from ghiseu.accounts.tests.factories import DepartmentFactory, NomenclatorEntryFactory, StaffFactory, UserFactory
from ghiseu.archive import permissions
from ghiseu.archive.models import AccessClass, Document
from ghiseu.archive.tests.factories import new_document, new_dossier

pytestmark = pytest.mark.django_db

PUB, INT, CONF, PERS = AccessClass.PUBLIC, AccessClass.INTERNAL, AccessClass.CONFIDENTIAL, AccessClass.PERSONAL_DATA

# What each person reads of the taxes department's dossiers.
EXPECTED = {
    "archivist": {PUB, INT, CONF, PERS},
    "secretary": {PUB, INT, CONF},
    "mayor": {PUB, INT, CONF},
    "admin": {PUB, INT, CONF},
    "head_tax": {PUB, INT, CONF, PERS},
    "officer_tax": {PUB, INT, CONF},
    "clerk_reg": {PUB, INT},
    "officer_urb": {PUB, INT},
    "head_urb": {PUB, INT},
    "citizen": {PUB},
    "anonymous": {PUB},
    "inactive_archivist": {PUB},
}


@pytest.fixture
def people(db: Any) -> dict[str, Any]:
    tax = DepartmentFactory(code="TAX")
    urb = DepartmentFactory(code="URB")
    reg = DepartmentFactory(code="REG")
    arh = DepartmentFactory(code="ARH")
    sg = DepartmentFactory(code="SG")
    return {
        "archivist": StaffFactory(role=Role.ARCHIVIST, department=arh),
        "secretary": StaffFactory(role=Role.SECRETARY, department=sg),
        "mayor": StaffFactory(role=Role.MAYOR, department=sg),
        "admin": StaffFactory(role=Role.ADMIN, department=sg),
        "head_tax": StaffFactory(role=Role.HEAD, department=tax),
        "officer_tax": StaffFactory(role=Role.OFFICER, department=tax),
        "clerk_reg": StaffFactory(role=Role.CLERK, department=reg),
        "officer_urb": StaffFactory(role=Role.OFFICER, department=urb),
        "head_urb": StaffFactory(role=Role.HEAD, department=urb),
        "citizen": UserFactory(role=Role.CITIZEN),
        "anonymous": AnonymousUser(),
        "inactive_archivist": StaffFactory(role=Role.ARCHIVIST, department=arh, is_active=False),
    }


@pytest.fixture
def tax_documents(people: dict[str, Any]) -> dict[str, Document]:
    code = NomenclatorEntryFactory(code="III/B/1", department=people["head_tax"].department, retention_years=None)
    return {
        access: new_document(dossier=new_dossier(file_code=code, access=access), access=access)
        for access in AccessClass.values
    }


@pytest.mark.parametrize("person", sorted(EXPECTED))
def test_each_person_reads_exactly_the_classes_the_rules_give(person, people, tax_documents):
    user = people[person]
    readable = {access for access, doc in tax_documents.items() if permissions.can_view_document(user, doc)}
    assert readable == EXPECTED[person]
    # The queryset filter (used by lists and search) agrees with the per-object check.
    visible = set(permissions.visible_documents(user).values_list("access", flat=True))
    assert visible == EXPECTED[person]
    dossiers = set(permissions.visible_dossiers(user).values_list("access", flat=True))
    assert dossiers == EXPECTED[person]


def test_a_document_is_read_under_the_stricter_of_its_class_and_its_dossiers(people, tax_documents):
    confidential = tax_documents[CONF].dossier
    public_paper = new_document(dossier=confidential, access=PUB)  # a public act in a confidential dossier

    assert public_paper.effective_access == CONF
    assert not permissions.can_view_document(people["officer_urb"], public_paper)
    assert permissions.can_view_document(people["officer_tax"], public_paper)
    assert public_paper not in permissions.visible_documents(people["officer_urb"])
    assert public_paper in permissions.visible_documents(people["officer_tax"])


def test_a_superuser_reads_everything(people, tax_documents):
    root = UserFactory(role=Role.CITIZEN, is_superuser=True)
    assert all(permissions.can_view_document(root, doc) for doc in tax_documents.values())
    assert permissions.visible_documents(root).count() == 4


def test_only_the_archivist_secretary_and_admin_read_the_access_log(people):
    readers = {name for name, user in people.items() if permissions.can_read_access_log(user)}
    assert readers == {"archivist", "secretary", "admin"}
    importers = {name for name, user in people.items() if permissions.can_import(user)}
    assert importers == {"archivist", "admin"}
