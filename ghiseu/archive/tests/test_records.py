"""Dossiers by nomenclator and year, retention and expiry, the metadata sheet, the search fields."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from ghiseu.archive import selectors
from ghiseu.archive.models import AccessClass, Dossier, expiry_year_for, stricter_access
from ghiseu.archive.services import indexing
from ghiseu.archive.services.records import dossier_constitute
from ghiseu.archive.tests.factories import document_with_files, new_document, new_dossier
from ghiseu.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_expiry_follows_the_retention_and_permanent_has_none():
    assert expiry_year_for(2020, 5) == 2025
    assert expiry_year_for(2020, None) is None
    assert stricter_access("public", "confidential") == "confidential"
    assert stricter_access("personal_data", "internal") == "personal_data"


def test_a_dossier_is_constituted_once_per_code_and_year_with_the_nomenclators_retention(nomenclator, taxes_dept):
    code, dept = nomenclator["III/B/4"], taxes_dept.pk
    with transaction.atomic():
        first, created = dossier_constitute(file_code=code, year=2022, title="Certificate 2022", department_id=dept)
    with transaction.atomic():
        again, created_again = dossier_constitute(file_code=code, year=2022, title="Alt titlu", department_id=dept)

    assert created and not created_again and again.pk == first.pk
    assert again.title == "Certificate 2022" and again.retention_years == 5 and again.expiry_year == 2027
    assert Dossier.objects.count() == 1
    assert AuditEvent.objects.filter(action="archive.dossier_constituted").count() == 1
    # The expiry year follows a later change of the retention (save keeps them consistent).
    again.retention_years = 10
    again.save(update_fields=["retention_years"])
    again.refresh_from_db()
    assert again.expiry_year == 2032


def test_the_metadata_sheet_has_the_law_135_fields(nomenclator):
    dossier = new_dossier(file_code=nomenclator["III/B/1"], year=2019, physical_location="Raft 1")
    document = document_with_files(dossier=dossier, issuer="ANAF", keywords="fiscal; certificat", number="7")

    sheet = selectors.document_metadata_sheet(document)

    for key in (
        "owner",
        "issuer",
        "right_holder",
        "history",
        "type",
        "classification",
        "format",
        "keywords",
        "physical_location",
        "unique_id",
        "issue_date",
        "archiving_date",
        "retention",
    ):
        assert key in sheet
    assert sheet["unique_id"] == str(document.uid)
    assert sheet["retention"] is None and sheet["dossier"]["expiry_year"] is None  # permanent
    assert sheet["keywords"] == ["fiscal", "certificat"]
    assert sheet["original"]["sha256"] and sheet["archival_copy"]["sha256"]


def test_pages_are_indexed_with_the_stricter_access_and_their_readers(nomenclator):
    dossier = new_dossier(file_code=nomenclator["III/B/4"], access=AccessClass.CONFIDENTIAL)
    document = document_with_files(dossier=dossier, access=AccessClass.PUBLIC)
    page = document.pages.get()

    fields = indexing.page_search_fields(document, page)
    assert fields["kind"] == "archive_page" and fields["object_id"] == str(document.pk) and fields["page"] == 1
    assert fields["access"] == "confidential"
    assert fields["departments"] == ("TAX", "role:archivist", "role:admin", "role:mayor", "role:secretary")
    assert fields["file_code"] == "III/B/4" and fields["text"] == "Registratura generală"

    personal = new_document(dossier=dossier, access=AccessClass.PERSONAL_DATA)
    assert indexing.page_search_fields(personal, page)["access"] == "personal"
    assert indexing.page_search_fields(personal, page)["departments"] == ("role:archivist", "TAX:head")

    public = new_document(dossier=new_dossier(file_code=nomenclator["III/B/4"], access=AccessClass.PUBLIC))
    assert indexing.page_search_fields(public, page)["departments"] == ("*",)


def test_indexing_goes_through_the_search_outbox_and_is_skipped_without_the_search_app(nomenclator, monkeypatch):
    document = document_with_files(dossier=new_dossier(file_code=nomenclator["III/B/4"]))

    with transaction.atomic():
        indexing.archive_index_document(document)
    assert DBTaskResult.objects.filter(queue_name="search").count() == 1

    monkeypatch.setattr(indexing, "search_available", lambda: False)
    indexing.archive_index_document(document)
    assert DBTaskResult.objects.filter(queue_name="search").count() == 1

    monkeypatch.undo()
    documents = list(indexing.iter_page_documents())
    assert [(d["object_id"], d["page"]) for d in documents] == [(str(document.pk), 1)]
