"""The one search shows a staff member exactly the scanned pages the archive lets them read: the
index's readers (ghiseu/archive/services/indexing.py) and the archive's rules
(ghiseu/archive/permissions.py) agree for every role and every access class."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from ghiseu.accounts.models import Role
from ghiseu.accounts.tests.factories import DepartmentFactory, StaffFactory
from ghiseu.archive.models import AccessClass, Page
from ghiseu.archive.permissions import can_view_document
from ghiseu.archive.tests.factories import new_document, new_dossier
from ghiseu.search.selectors import access_for_user, search_query

pytestmark = pytest.mark.django_db


def test_search_hits_are_the_pages_the_archive_lets_each_role_read(nomenclator, taxes_dept, archivist):
    documents = {}
    for access in AccessClass:
        dossier = new_dossier(file_code=nomenclator["III/B/4"], access=access)
        document = new_document(dossier=dossier, access=access, title=f"Fișă fiscală {access}")
        Page.objects.create(document=document, number=1, text="Certificat de atestare fiscală pentru contribuabil")
        documents[str(document.pk)] = document
    call_command("search_rebuild", "--kind=archive_page", stdout=io.StringIO())
    urbanism = DepartmentFactory(code="URB", name="Urbanism")
    people: list[Any] = [
        archivist,
        StaffFactory(username="sef.taxe", role=Role.HEAD, department=taxes_dept),
        StaffFactory(username="taxe", role=Role.OFFICER, department=taxes_dept),
        StaffFactory(username="sef.urbanism", role=Role.HEAD, department=urbanism),
        StaffFactory(username="urbanism", role=Role.OFFICER, department=urbanism),
        StaffFactory(username="primar", role=Role.MAYOR, department=None),
        StaffFactory(username="secretar", role=Role.SECRETARY, department=None),
        StaffFactory(username="registratura", role=Role.CLERK, department=None),
    ]
    seen_by = {}
    for person in people:
        found = search_query(user_access=access_for_user(person), q="atestare fiscala", kinds=["archive_page"])
        hits = {hit.object_id for hit in found.hits}
        readable = {pk for pk, document in documents.items() if can_view_document(person, document)}
        assert hits == readable, person.username
        seen_by[person.username] = {documents[pk].access for pk in hits}
    # what the rules say, spelled out for the roles that differ
    assert seen_by["arhivar"] == set(AccessClass)
    assert seen_by["sef.taxe"] == set(AccessClass)
    assert AccessClass.PERSONAL_DATA not in seen_by["taxe"] and AccessClass.CONFIDENTIAL in seen_by["taxe"]
    assert seen_by["sef.urbanism"] == {AccessClass.PUBLIC, AccessClass.INTERNAL}
    assert AccessClass.CONFIDENTIAL in seen_by["primar"] and AccessClass.PERSONAL_DATA not in seen_by["primar"]
