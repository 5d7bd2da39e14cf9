"""The document viewer: the PDF/A copy at the hit page, that page's text, every view logged."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ghiseu.accounts.models import Role
from ghiseu.accounts.tests.factories import DepartmentFactory, NomenclatorEntryFactory, StaffFactory
from ghiseu.archive.models import AccessAction, AccessClass, AccessLogEntry, Page
from ghiseu.archive.tests.factories import document_with_files, new_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(archivist: Any) -> dict[str, Any]:
    tax = DepartmentFactory(code="TAX")
    code = NomenclatorEntryFactory(code="III/B/2", department=tax, retention_years=10)
    dossier = new_dossier(file_code=code, access=AccessClass.INTERNAL)
    document = document_with_files(dossier=dossier, title="Decizie de impunere 2019", content=b"%PDF-1.4 dec")
    Page.objects.create(document=document, number=2, text="Contribuabilul Ștefan Țurcanu datorează <impozit>")
    Page.objects.create(document=document, number=3, text="Pagina a treia")
    confidential = document_with_files(
        dossier=new_dossier(file_code=code, access=AccessClass.CONFIDENTIAL), title="Confidențial"
    )
    return {
        "document": document,
        "confidential": confidential,
        "officer": StaffFactory(username="ofiter", role=Role.OFFICER, department=tax),
        "other": StaffFactory(username="altul", role=Role.OFFICER, department=DepartmentFactory(code="URB")),
    }


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_viewer_opens_the_pdf_at_the_page_with_its_text_and_logs_the_view(setting: dict[str, Any]) -> None:
    document, officer = setting["document"], setting["officer"]
    response = client_for(officer).get(f"/arhiva/documente/{document.pk}/", {"pagina": 2})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data="/arhiva/documente/{document.pk}/pdf#page=2"' in html
    assert "Contribuabilul Ștefan Țurcanu datorează &lt;impozit&gt;" in html  # the page's text, escaped
    assert "Pagina a treia" not in html
    assert 'aria-current="page">2<' in html
    log = AccessLogEntry.objects.get()
    assert (log.user, log.action, log.document, log.page) == (officer, AccessAction.VIEW, document, 2)


def test_a_page_out_of_range_or_not_a_number_shows_a_real_page(setting: dict[str, Any]) -> None:
    document, officer = setting["document"], setting["officer"]
    client = client_for(officer)
    assert client.get(f"/arhiva/documente/{document.pk}/", {"pagina": "x"}).status_code == 200
    assert client.get(f"/arhiva/documente/{document.pk}/", {"pagina": 99}).status_code == 200
    assert list(AccessLogEntry.objects.order_by("pk").values_list("page", flat=True)) == [1, 3]


def test_the_pdf_and_the_downloads_are_logged(setting: dict[str, Any]) -> None:
    document, officer = setting["document"], setting["officer"]
    client = client_for(officer)
    pdf = client.get(f"/arhiva/documente/{document.pk}/pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf" and pdf["Content-Disposition"].startswith("inline")
    assert pdf["X-Frame-Options"] == "SAMEORIGIN"  # shown inside the viewer page
    assert pdf.getvalue() == b"%PDF-1.4 dec archival copy"
    original = client.get(f"/arhiva/documente/{document.pk}/descarcare/original/")
    assert original.status_code == 200 and original["Content-Disposition"].startswith("attachment")
    assert original.getvalue() == b"%PDF-1.4 dec"
    assert client.get(f"/arhiva/documente/{document.pk}/descarcare/altceva/").status_code == 404
    actions = list(AccessLogEntry.objects.order_by("pk").values_list("action", "detail"))
    assert actions == [(AccessAction.VIEW, "pdf"), (AccessAction.DOWNLOAD, "original")]


def test_who_may_not_read_gets_a_404_and_nothing_is_logged(setting: dict[str, Any], citizen: Any) -> None:
    confidential = setting["confidential"]
    other = client_for(setting["other"])
    for url in ("", "pdf", "descarcare/archival/"):
        assert other.get(f"/arhiva/documente/{confidential.pk}/{url}").status_code == 404
    assert client_for(citizen).get(f"/arhiva/documente/{setting['document'].pk}/").status_code == 404
    assert Client().get(f"/arhiva/documente/{confidential.pk}/").status_code == 302  # to the login page
    assert not AccessLogEntry.objects.exists()
    assert client_for(setting["officer"]).get(f"/arhiva/documente/{confidential.pk}/").status_code == 200
