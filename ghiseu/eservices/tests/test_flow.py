"""The whole journey in Python: submit, work the procedure, issue, download from "my file"."""

from __future__ import annotations

import io
import uuid
from typing import Any

import pypdfium2 as pdfium
import pytest
from django.urls import reverse

from ghiseu.core.errors import DomainError, PermissionDenied
from ghiseu.eservices import services
from ghiseu.eservices.models import RequestState, Service, ServiceRequest
from ghiseu.eservices.tests.conftest import client_for, fiscal_draft, submit
from ghiseu.notifications.models import Notification
from ghiseu.procedures.models import CaseStatus, TaskKind, TaskOutcome, TaskStatus
from ghiseu.procedures.services import task_complete
from ghiseu.registry.models import Status

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes) -> str:
    document = pdfium.PdfDocument(io.BytesIO(content))
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def _open_task(request: ServiceRequest, kind: str) -> Any:
    assert request.case is not None
    return request.case.tasks.get(kind=kind, status=TaskStatus.OPEN)


@pytest.fixture
def submitted(fiscal: Service, citizen: Any) -> ServiceRequest:
    client = client_for(citizen)
    draft = fiscal_draft(client, fiscal, str(uuid.uuid4()))
    assert submit(client, draft).status_code == 302
    return ServiceRequest.objects.get(pk=draft.pk)


def test_whole_flow_from_request_to_downloaded_pdf(
    submitted: ServiceRequest, citizen: Any, tax_officer: Any, tax_head: Any, mayor: Any
) -> None:
    number = submitted.number
    assert number
    # not before the procedure is done
    with pytest.raises(DomainError):
        services.request_issue(request=submitted, actor=tax_head)
    task_complete(task=_open_task(submitted, TaskKind.EXECUTE), actor=tax_officer, comment="Fără datorii.")
    task_complete(task=_open_task(submitted, TaskKind.APPROVE), actor=tax_head, outcome=TaskOutcome.APPROVED)
    task_complete(task=_open_task(submitted, TaskKind.SIGN), actor=mayor, outcome=TaskOutcome.APPROVED)

    issued = services.request_issue(request=submitted, actor=tax_head, site_url="https://ghiseu.example.ro")
    assert issued.state == RequestState.ISSUED and issued.issued_file is not None
    reply = issued.issued_entry
    assert reply is not None and reply.direction == "outgoing" and reply.answers_id == issued.entry_id
    assert reply.display_number == number  # registered under the request's number
    assert issued.entry is not None
    issued.entry.refresh_from_db()
    assert issued.entry.status == Status.CLOSED
    assert issued.case is not None
    issued.case.refresh_from_db()
    assert issued.case.status in {CaseStatus.ISSUED, CaseStatus.CLOSED}
    # twice is refused
    with pytest.raises(DomainError):
        services.request_issue(request=issued, actor=tax_head)

    # announced in the inbox and by e-mail
    issued_notes = Notification.objects.filter(template__key="request.issued", recipient=citizen)
    assert set(issued_notes.values_list("channel", flat=True)) == {"inbox", "email"}
    email = issued_notes.get(channel="email")
    assert "https://ghiseu.example.ro/dosarul-meu/cereri/" in email.body

    client = client_for(citizen)
    home = client.get(reverse("myfile:home")).content.decode()
    assert number in home and "Dosarul meu" in home
    detail = client.get(reverse("myfile:request", args=[issued.pk])).content.decode()
    assert reverse("myfile:document", args=[issued.pk]) in detail
    assert "Verificarea situației fiscale" in detail  # the timeline's stages
    response = client.get(reverse("myfile:document", args=[issued.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = response.getvalue()
    assert content.startswith(b"%PDF")
    text = _pdf_text(content)
    assert number in text
    assert "CERTIFICAT DE ATESTARE FISCALĂ" in text.upper()
    assert "Primăria Municipiului Lupeni" in text
    assert "Înstrăinare imobil" in text  # the citizen's value rendered by the service's template
    message = issued_notes.get(channel="inbox")
    assert client.get(reverse("myfile:message", args=[message.pk])).status_code == 200
    message.refresh_from_db()
    assert message.read_at is not None


def test_only_staff_who_work_the_case_may_issue(
    submitted: ServiceRequest, tax_officer: Any, tax_head: Any, mayor: Any, officer: Any, citizen: Any
) -> None:
    task_complete(task=_open_task(submitted, TaskKind.EXECUTE), actor=tax_officer)
    task_complete(task=_open_task(submitted, TaskKind.APPROVE), actor=tax_head, outcome=TaskOutcome.APPROVED)
    task_complete(task=_open_task(submitted, TaskKind.SIGN), actor=mayor, outcome=TaskOutcome.APPROVED)
    for stranger in (officer, citizen):  # an urbanism officer, the applicant
        with pytest.raises(PermissionDenied):
            services.request_issue(request=submitted, actor=stranger)
    submitted.refresh_from_db()
    assert submitted.state == RequestState.SUBMITTED and submitted.issued_entry is None


def test_payment_due_blocks_issuing_until_paid(
    submitted: ServiceRequest, tax_officer: Any, tax_head: Any, mayor: Any, clerk: Any
) -> None:
    ServiceRequest.objects.filter(pk=submitted.pk).update(state=RequestState.PAYMENT_DUE)
    task_complete(task=_open_task(submitted, TaskKind.EXECUTE), actor=tax_officer)
    task_complete(task=_open_task(submitted, TaskKind.APPROVE), actor=tax_head, outcome=TaskOutcome.APPROVED)
    task_complete(task=_open_task(submitted, TaskKind.SIGN), actor=mayor, outcome=TaskOutcome.APPROVED)
    with pytest.raises(DomainError, match="Taxa"):
        services.request_issue(request=submitted, actor=tax_head)
    services.request_mark_paid(request_id=submitted.pk, actor=clerk)
    assert services.request_issue(request=submitted, actor=tax_head).state == RequestState.ISSUED


def test_seal_seam_is_applied_to_every_issued_pdf(
    submitted: ServiceRequest, tax_officer: Any, tax_head: Any, mayor: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    task_complete(task=_open_task(submitted, TaskKind.EXECUTE), actor=tax_officer)
    task_complete(task=_open_task(submitted, TaskKind.APPROVE), actor=tax_head, outcome=TaskOutcome.APPROVED)
    task_complete(task=_open_task(submitted, TaskKind.SIGN), actor=mayor, outcome=TaskOutcome.APPROVED)
    sealed: list[int] = []

    def fake_seal(pdf_bytes: bytes) -> bytes:
        sealed.append(len(pdf_bytes))
        return pdf_bytes + b"%SEALED\n"

    monkeypatch.setattr(services, "seal_pdf", fake_seal)
    issued = services.request_issue(request=submitted, actor=tax_head)
    assert len(sealed) == 1
    assert issued.issued_file is not None
    from ghiseu.core.files import open_stored

    with open_stored(issued.issued_file) as fh:
        assert fh.read().endswith(b"%SEALED\n")


def test_another_citizen_gets_404_on_every_my_file_url(
    submitted: ServiceRequest, citizen: Any, citizen2: Any, tax_officer: Any, tax_head: Any, mayor: Any
) -> None:
    task_complete(task=_open_task(submitted, TaskKind.EXECUTE), actor=tax_officer)
    task_complete(task=_open_task(submitted, TaskKind.APPROVE), actor=tax_head, outcome=TaskOutcome.APPROVED)
    task_complete(task=_open_task(submitted, TaskKind.SIGN), actor=mayor, outcome=TaskOutcome.APPROVED)
    issued = services.request_issue(request=submitted, actor=tax_head)
    attachment = issued.attachments.get()
    message = Notification.objects.filter(recipient=citizen, channel="inbox").first()
    assert message is not None
    urls = [
        reverse("myfile:request", args=[issued.pk]),
        reverse("myfile:document", args=[issued.pk]),
        reverse("myfile:attachment", args=[issued.pk, attachment.pk]),
        reverse("myfile:message", args=[message.pk]),
        reverse("eservices:done", args=[issued.pk]),
        reverse("eservices:values", args=[issued.pk]),
        reverse("eservices:documents", args=[issued.pk]),
        reverse("eservices:review", args=[issued.pk]),
    ]
    owner, intruder = client_for(citizen), client_for(citizen2)
    assert owner.get(urls[2]).status_code == 200  # the owner reaches them
    for url in urls:
        assert intruder.get(url).status_code == 404, url
    for url in (reverse("myfile:answer", args=[issued.pk]), reverse("eservices:values", args=[issued.pk])):
        assert intruder.post(url, {"text": "nu e cererea mea", "f_scop": "x"}).status_code == 404, url
    # the staff download of the request's documents is not the citizens' way in either
    assert intruder.get(reverse("eservices:staff_attachment", args=[issued.pk, attachment.pk])).status_code in (
        403,
        404,
    )
    home = intruder.get(reverse("myfile:home")).content.decode()
    assert issued.number not in home and message.subject not in home
    message.refresh_from_db()
    assert message.read_at is None  # the intruder did not even mark it read
    # anonymous visitors are sent to the login page
    from django.test import Client

    assert Client().get(urls[0])["Location"].startswith("/cont/autentificare/")


def test_staff_issue_button_issues_and_hides_from_others(
    submitted: ServiceRequest, citizen: Any, citizen2: Any, tax_officer: Any, tax_head: Any, mayor: Any
) -> None:
    url = reverse("eservices:issue", args=[submitted.pk])
    assert client_for(tax_head).post(url).status_code == 302  # not ready yet: a message, nothing issued
    submitted.refresh_from_db()
    assert submitted.state == RequestState.SUBMITTED
    task_complete(task=_open_task(submitted, TaskKind.EXECUTE), actor=tax_officer)
    task_complete(task=_open_task(submitted, TaskKind.APPROVE), actor=tax_head, outcome=TaskOutcome.APPROVED)
    task_complete(task=_open_task(submitted, TaskKind.SIGN), actor=mayor, outcome=TaskOutcome.APPROVED)
    for outsider in (citizen, citizen2):
        assert client_for(outsider).post(url).status_code == 404
    assert client_for(tax_head).get(url).status_code == 405
    response = client_for(tax_head).post(url)
    assert response.status_code == 302 and submitted.case is not None
    assert response["Location"] == reverse("procedures:case", args=[submitted.case.pk])
    submitted.refresh_from_db()
    assert submitted.state == RequestState.ISSUED


def test_an_issued_request_files_the_citizens_documents_and_the_act_into_the_services_dossier(
    fiscal: Service, citizen: Any, tax_officer: Any, tax_head: Any, mayor: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django_tasks_db.models import DBTaskResult

    from ghiseu.accounts.models import NomenclatorEntry
    from ghiseu.archive.models import Document
    from ghiseu.archive.services import filing
    from ghiseu.archive.tasks import archive_file_entry
    from ghiseu.archive.tests.conftest import FakeOcr

    fiscal.file_code = NomenclatorEntry.objects.create(
        code="III/B/4", name="Certificate de atestare fiscală", department=fiscal.department, retention_years=5
    )
    fiscal.save(update_fields=["file_code"])
    client = client_for(citizen)
    draft = fiscal_draft(client, fiscal, str(uuid.uuid4()))
    assert submit(client, draft).status_code == 302
    request = ServiceRequest.objects.select_related("entry").get(pk=draft.pk)
    assert request.entry is not None and request.entry.file_code == fiscal.file_code
    task_complete(task=_open_task(request, TaskKind.EXECUTE), actor=tax_officer)
    task_complete(task=_open_task(request, TaskKind.APPROVE), actor=tax_head, outcome=TaskOutcome.APPROVED)
    task_complete(task=_open_task(request, TaskKind.SIGN), actor=mayor, outcome=TaskOutcome.APPROVED)
    filing_tasks = DBTaskResult.objects.filter(task_path="ghiseu.archive.tasks.archive_file_entry")
    assert not filing_tasks.exists()

    services.request_issue(request=request, actor=tax_head)

    [queued] = filing_tasks  # the closing transaction queued the filing
    assert queued.args_kwargs["kwargs"] == {"entry_id": request.entry.pk}

    monkeypatch.setattr(filing, "ocr_scan", FakeOcr())  # the OCR engine itself is tested with the archive
    archive_file_entry.call(entry_id=request.entry.pk)
    filed = Document.objects.filter(dossier__file_code=fiscal.file_code, dossier__year=request.entry.year)
    assert filed.count() == 2  # the citizen's document and the issued certificate
