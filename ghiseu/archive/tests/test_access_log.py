"""Every view and download is checked and logged; the archivist lists the log per document and per person."""

from __future__ import annotations

from typing import Any

import pytest

from ghiseu.accounts.models import Role
from ghiseu.accounts.tests.factories import DepartmentFactory, NomenclatorEntryFactory, StaffFactory
from ghiseu.archive import selectors
from ghiseu.archive.models import AccessAction, AccessClass, AccessLogEntry, VersionKind
from ghiseu.archive.services.access import archive_download, archive_log_access
from ghiseu.archive.tests.factories import document_with_files, new_dossier
from ghiseu.core.errors import DomainError, PermissionDenied

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(archivist: Any) -> dict[str, Any]:
    tax = DepartmentFactory(code="TAX")
    code = NomenclatorEntryFactory(code="III/B/2", department=tax, retention_years=10)
    dossier = new_dossier(file_code=code, access=AccessClass.INTERNAL)
    return {
        "archivist": archivist,
        "officer": StaffFactory(username="ofiter", role=Role.OFFICER, department=tax),
        "other": StaffFactory(username="altul", role=Role.OFFICER, department=DepartmentFactory(code="URB")),
        "dossier": dossier,
        "internal": document_with_files(dossier=dossier, content=b"%PDF-1.4 internal"),
        "personal": document_with_files(dossier=dossier, access=AccessClass.PERSONAL_DATA, content=b"%PDF-1.4 cnp"),
    }


def test_views_and_downloads_are_logged_with_who_when_and_what(setting):
    officer, document = setting["officer"], setting["internal"]

    view = archive_log_access(user=officer, action=AccessAction.VIEW, document=document, page=1)
    opened = archive_download(user=officer, document=document, kind=VersionKind.ORIGINAL)
    with opened.file as fh:
        assert fh.read() == b"%PDF-1.4 internal"

    entries = list(AccessLogEntry.objects.order_by("pk"))
    assert [(e.user, e.action, e.document, e.dossier) for e in entries] == [
        (officer, "view", document, document.dossier),
        (officer, "download", document, document.dossier),
    ]
    assert entries[0].page == 1 and entries[0].at is not None and entries[0].user_label == "ofiter"
    assert entries[1].detail == "original"
    assert view.pk == entries[0].pk


def test_a_refused_view_is_refused_and_not_logged_as_a_view(setting):
    with pytest.raises(PermissionDenied):
        archive_log_access(user=setting["officer"], action=AccessAction.VIEW, document=setting["personal"])
    with pytest.raises(PermissionDenied):
        archive_download(user=setting["other"], document=setting["personal"])
    assert not AccessLogEntry.objects.exists()


def test_the_archivist_lists_the_log_per_document_per_dossier_and_per_person(setting):
    archivist, officer, other = setting["archivist"], setting["officer"], setting["other"]
    internal, personal = setting["internal"], setting["personal"]
    archive_log_access(user=officer, action=AccessAction.VIEW, document=internal)
    archive_log_access(user=other, action=AccessAction.VIEW, document=internal)
    archive_log_access(user=archivist, action=AccessAction.VIEW, document=personal)
    archive_download(user=archivist, document=personal)
    archive_log_access(user=officer, action=AccessAction.VIEW, dossier=setting["dossier"])

    per_document = selectors.access_log_for_document(reader=archivist, document=internal)
    assert sorted(e.user_label for e in per_document) == ["altul", "ofiter"]
    per_person = selectors.access_log_for_user(reader=archivist, user=archivist)
    assert [(e.action, e.document) for e in per_person] == [("download", personal), ("view", personal)]
    per_dossier = selectors.access_log_for_dossier(reader=archivist, dossier=setting["dossier"])
    assert per_dossier.count() == 5
    assert per_dossier[0].document is None  # the newest: a view of the dossier itself

    with pytest.raises(PermissionDenied):
        selectors.access_log_for_user(reader=officer, user=officer)


def test_bad_requests_are_domain_errors(setting):
    with pytest.raises(DomainError):
        archive_log_access(user=setting["officer"], action="delete", document=setting["internal"])
    with pytest.raises(DomainError):
        archive_log_access(user=setting["officer"], action=AccessAction.VIEW)
    assert not AccessLogEntry.objects.exists()
