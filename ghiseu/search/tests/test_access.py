"""Who sees what: the access rule is a clause of the Tantivy query, so counts exclude the rest."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from ghiseu.accounts.models import Role
from ghiseu.accounts.tests.factories import StaffFactory
from ghiseu.search.selectors import SearchAccess, access_for_user
from ghiseu.search.tests.helpers import doc, find, ids, index_docs

pytestmark = pytest.mark.django_db

URB = SearchAccess.staff("URB")
TAX = SearchAccess.staff("TAX")


@pytest.fixture
def documents() -> None:
    index_docs(
        doc(object_id="public", text="cerere autorizație", access="public"),
        doc(object_id="internal_all", text="cerere autorizație", access="internal", departments=["*"]),
        doc(object_id="internal_urb", text="cerere autorizație", access="internal", departments=["URB"]),
        doc(object_id="confidential_urb", text="cerere autorizație", access="confidential", departments=["URB"]),
        doc(object_id="personal_urb_reg", text="cerere autorizație", access="personal", departments=["URB", "REG"]),
        doc(object_id="confidential_tax", text="cerere autorizație", access="confidential", departments=["TAX"]),
    )


def test_confidential_document_of_another_department_is_neither_shown_nor_counted(documents: None) -> None:
    urb = find("autorizatie", URB, limit=1)
    assert urb.count == 5  # counted by the engine with the access clause, not filtered afterwards
    assert ids("autorizatie", URB) == {
        "public",
        "internal_all",
        "internal_urb",
        "confidential_urb",
        "personal_urb_reg",
    }
    tax = find("autorizatie", TAX, limit=1)
    assert tax.count == 3
    assert ids("autorizatie", TAX) == {"public", "internal_all", "confidential_tax"}
    # pages stay full: the second page of TAX results holds its third document
    assert len(find("autorizatie", TAX, limit=2, offset=2).hits) == 1


def test_anonymous_and_citizens_see_public_documents_only(documents: None) -> None:
    assert ids("autorizatie", SearchAccess.public()) == {"public"}
    assert find("autorizatie", SearchAccess.public()).count == 1


def test_everything_and_class_filter(documents: None) -> None:
    assert find("autorizatie", SearchAccess.everything()).count == 6
    assert ids("autorizatie", SearchAccess.everything(), access="confidential") == {
        "confidential_urb",
        "confidential_tax",
    }
    # a class filter never widens access
    assert ids("autorizatie", TAX, access="confidential") == {"confidential_tax"}


def test_access_filter_also_applies_without_text(documents: None) -> None:
    assert ids("", TAX, kinds=["archive_page"]) == {"public", "internal_all", "confidential_tax"}


def test_access_for_user_follows_role_and_department(
    documents: None, officer: Any, other_officer: Any, citizen: Any, urbanism: Any
) -> None:
    assert ids("autorizatie", access_for_user(AnonymousUser())) == {"public"}
    assert ids("autorizatie", access_for_user(citizen)) == {"public"}
    assert ids("autorizatie", access_for_user(other_officer)) == {"public", "internal_all", "confidential_tax"}
    assert ids("autorizatie", access_for_user(officer)) == {
        "public",
        "internal_all",
        "internal_urb",
        "confidential_urb",
        "personal_urb_reg",
    }
    clerk = StaffFactory(username="reg-clerk", role=Role.CLERK, department=None)
    # registry-wide roles read every internal document, not other departments' confidential ones
    assert ids("autorizatie", access_for_user(clerk)) == {"public", "internal_all", "internal_urb"}
    officer.is_active = False
    assert ids("autorizatie", access_for_user(officer)) == {"public"}


def test_documents_can_name_a_role_or_a_role_in_a_department(officer: Any, head: Any) -> None:
    archivist = StaffFactory(username="arhivar", role=Role.ARCHIVIST, department=None)
    index_docs(
        doc(object_id="heads", text="date personale", access="personal", departments=["URB:head", "role:archivist"]),
    )
    assert ids("personale", access_for_user(head)) == {"heads"}
    assert ids("personale", access_for_user(archivist)) == {"heads"}
    assert ids("personale", access_for_user(officer)) == set()  # same department, another role


def test_access_clause_shortcuts_keep_the_same_readers(documents: None) -> None:
    """The clause is left out for a reader of everything, and the class condition on a
    department's documents is dropped only when the other classes are readable anyway."""
    assert SearchAccess.everything().reads_everything
    assert not URB.reads_everything and not SearchAccess.public().reads_everything
    assert ids("autorizatie", SearchAccess.everything()) == {
        "public",
        "internal_all",
        "internal_urb",
        "confidential_urb",
        "personal_urb_reg",
        "confidential_tax",
    }
    # URB's documents in any class (the shortcut: no class condition)
    by_department = SearchAccess(classes=frozenset({"public"}), departments=frozenset({"URB"}))
    assert ids("autorizatie", by_department) == {"public", "internal_urb", "confidential_urb", "personal_urb_reg"}
    # only URB's internal documents: the class condition stays
    internal_only = SearchAccess(
        classes=frozenset({"public"}), departments=frozenset({"URB"}), department_classes=frozenset({"internal"})
    )
    assert ids("autorizatie", internal_only) == {"public", "internal_urb"}
