"""Registry entries, e-service requests, petitions and archive pages in the one index.

The apps enqueue only `(kind, id)` in their own transaction; the worker of queue "search" builds
each document from the database when it applies the update.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from ghiseu.accounts.models import Role
from ghiseu.accounts.tests.factories import DepartmentFactory, StaffFactory
from ghiseu.registry.models import Entry
from ghiseu.registry.services import entry_assign, entry_close
from ghiseu.registry.tests.helpers import register
from ghiseu.search.selectors import SearchAccess, access_for_user
from ghiseu.search.tests.helpers import find, ids, run_search_worker

pytestmark = pytest.mark.django_db(transaction=True)

PERSON: dict[str, Any] = {
    "petitioner_name": "Maria Ionescu",
    "petitioner_address": "Str. Minerului nr. 5, Lupeni",
    "petitioner_email": "maria.ionescu@example.ro",
}


class Boom(Exception):
    pass


@pytest.fixture(autouse=True)
def providers(isolated_providers: None) -> Iterator[None]:
    """The real apps' providers (the search tests' default registry is empty)."""
    from ghiseu.archive.services.indexing import register_search_provider as archive
    from ghiseu.eservices.indexing import register_search_provider as eservices
    from ghiseu.petitions.indexing import register_search_provider as petitions
    from ghiseu.registry.indexing import register_search_provider as registry

    for register_provider in (registry, eservices, petitions, archive):
        register_provider()
    yield


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def search_tasks() -> list[dict[str, Any]]:
    return [
        op
        for row in DBTaskResult.objects.filter(queue_name="search").order_by("enqueued_at")
        for op in row.args_kwargs["kwargs"]["operations"]
    ]


def test_an_entry_is_queued_as_kind_and_id_and_indexed_from_the_database(clerk, officer, other_officer, urbanism):
    entry = register(clerk, department=urbanism)

    # The transaction wrote one small task row: which object, not its text.
    assert search_tasks() == [{"op": "refresh", "kind": "registry_entry", "object_id": str(entry.pk)}]
    assert ids("iluminatul") == set()
    run_search_worker()

    hits = find("iluminat stefan").hits  # other inflection, no diacritics
    assert [(h.kind, h.object_id) for h in hits] == [("registry_entry", str(entry.pk))]
    assert hits[0].url == f"/registratura/{entry.pk}/"
    assert hits[0].department == "URB" and hits[0].year == entry.year
    assert ids(f"{entry.number}/{entry.year}") == {str(entry.pk)}  # the registration number, exactly
    # Read by the registry-wide roles and the department that holds it, nobody else.
    assert ids("iluminatul", access_for_user(clerk)) == {str(entry.pk)}
    assert ids("iluminatul", access_for_user(officer)) == {str(entry.pk)}
    assert ids("iluminatul", access_for_user(other_officer)) == set()
    assert ids("iluminatul", SearchAccess.public()) == set()


def test_rerouting_and_closing_update_the_index(clerk, officer, other_officer, urbanism, taxes):
    entry = register(clerk, department=urbanism)
    run_search_worker()
    entry = entry_assign(actor=clerk, entry=entry, department=taxes)
    entry = entry_close(actor=other_officer, entry=entry, outcome="Rezolvat prin înlocuirea becurilor arse")
    run_search_worker()

    assert ids("iluminatul", access_for_user(officer)) == set()
    assert ids("iluminatul", access_for_user(other_officer)) == {str(entry.pk)}
    assert ids("becuri arse") == {str(entry.pk)}
    assert find("iluminatul").count == 1  # replaced, not duplicated


def test_the_state_when_the_update_is_applied_wins(clerk):
    entry = register(clerk)
    # A later change that queued nothing itself: the queued refresh still reads the current row.
    Entry.objects.filter(pk=entry.pk).update(subject="Sesizare despre deszăpezire")
    run_search_worker()
    assert ids("deszapezire") == {str(entry.pk)}
    assert ids("iluminatul") == set()


def test_a_rolled_back_registration_never_reaches_the_index(clerk, urbanism):
    from ghiseu.petitions.services import petition_register

    with pytest.raises(Boom), transaction.atomic():
        register(clerk, subject="Cerere anulată despre canalizare")
        petition_register(
            actor=clerk, kind="complaint", channel="counter", description="Canalizare înfundată", **PERSON
        )
        raise Boom
    assert not DBTaskResult.objects.filter(queue_name="search").exists()
    register(clerk, subject="Cerere păstrată despre trotuar")
    run_search_worker()
    assert find("canalizare").count == 0
    assert find("trotuar").count == 1


def test_a_petition_is_read_by_its_department_and_never_public(clerk, urbanism, officer, other_officer):
    from ghiseu.petitions.services import petition_register

    petition = petition_register(
        actor=clerk,
        kind="complaint",
        channel="counter",
        description="Groapă mare în asfalt în fața blocului 3 de pe strada Minerului.",
        department=urbanism,
        **PERSON,
    )
    run_search_worker()

    found = find("groapa asfalt", kinds=["petition"]).hits
    assert [(h.object_id, h.access) for h in found] == [(str(petition.pk), "personal")]
    assert found[0].url == f"/petitii/{petition.pk}/"
    assert ids("Ionescu", access_for_user(clerk), kinds=["petition"]) == {str(petition.pk)}
    assert ids("Ionescu", access_for_user(officer), kinds=["petition"]) == {str(petition.pk)}
    assert ids("Ionescu", access_for_user(other_officer), kinds=["petition"]) == set()
    assert find("Ionescu", SearchAccess.public()).count == 0
    assert find("groapa", access="public").count == 0


def test_a_submitted_request_is_read_by_the_handling_department_only(clerk, citizen, taxes, urbanism, officer):
    from ghiseu.eservices.defaults import ensure_demo_services
    from ghiseu.eservices.models import Service, ServiceRequest
    from ghiseu.eservices.tests.conftest import client_for, fiscal_draft, submit

    DepartmentFactory(code="JUR", name="Juridic")
    ensure_demo_services()
    fiscal = Service.objects.get(code="certificat-de-atestare-fiscala")
    tax_officer = StaffFactory(username="taxe", role=Role.OFFICER, department=taxes)
    client = client_for(citizen)
    draft = fiscal_draft(client, fiscal, str(uuid.uuid4()))
    run_search_worker()
    assert find("instrainare", kinds=["service_request"]).count == 0  # a draft is the citizen's own

    assert submit(client, draft).status_code == 302
    request = ServiceRequest.objects.get(pk=draft.pk)
    run_search_worker()

    hits = find("instrainare imobil", kinds=["service_request"]).hits
    assert [(h.object_id, h.access, h.department) for h in hits] == [(str(request.pk), "personal", "TAX")]
    assert ids("instrainare", access_for_user(tax_officer), kinds=["service_request"]) == {str(request.pk)}
    assert ids("instrainare", access_for_user(officer), kinds=["service_request"]) == set()
    assert ids("instrainare", access_for_user(clerk), kinds=["service_request"]) == set()


def _archive_page(text: str) -> Any:
    from ghiseu.archive.models import Page
    from ghiseu.archive.services.indexing import archive_index_document
    from ghiseu.archive.tests.factories import new_document

    document = new_document()
    Page.objects.create(document=document, number=1, text=text)
    with transaction.atomic():
        archive_index_document(document)
    return document


def test_search_check_covers_every_kind_and_catches_a_stale_entry(clerk, urbanism):
    from ghiseu.petitions.services import petition_register

    entry = register(clerk, department=urbanism)
    petition_register(actor=clerk, kind="complaint", channel="counter", description="Gunoi nestrâns", **PERSON)
    _archive_page("Hotărârea consiliului local privind bugetul")
    run_search_worker()

    out = StringIO()
    call_command("search_check", "--full", stdout=out)
    report = out.getvalue()
    for kind in ("registry_entry", "petition", "service_request", "archive_page"):
        assert kind in report
    assert "consistent" in report

    Entry.objects.filter(pk=entry.pk).update(subject="Schimbat fără să treacă prin servicii")
    with pytest.raises(CommandError, match=f"registry_entry:{entry.pk}: stale"):
        call_command("search_check", stdout=StringIO())
    call_command("search_rebuild", stdout=StringIO(), stderr=StringIO())
    call_command("search_check", "--full", stdout=StringIO())
    assert ids("schimbat") == {str(entry.pk)}
