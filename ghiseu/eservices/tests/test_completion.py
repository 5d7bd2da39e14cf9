"""The citizen answers a completion request in "my file"; the officer works the case from its page."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ghiseu.audit.models import AuditEvent
from ghiseu.eservices.models import RequestAttachment, Service, ServiceRequest
from ghiseu.eservices.tests.conftest import PDF_BYTES, client_for, fiscal_draft, pdf_upload, submit
from ghiseu.notifications.models import Notification
from ghiseu.procedures.models import Case, CaseStatus, TaskKind, TaskStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(fiscal: Service, citizen: Any) -> ServiceRequest:
    client = client_for(citizen)
    draft = fiscal_draft(client, fiscal, str(uuid.uuid4()))
    assert submit(client, draft).status_code == 302
    return ServiceRequest.objects.select_related("case").get(pk=draft.pk)


@pytest.fixture
def clock_days(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Move `timezone.now()` forward by whole days."""
    real_now = timezone.now
    offset = {"days": 0}
    monkeypatch.setattr(timezone, "now", lambda: real_now() + dt.timedelta(days=offset["days"]))

    def advance(days: int) -> None:
        offset["days"] += days

    return advance


def _case(request: ServiceRequest) -> Case:
    assert request.case is not None
    return Case.objects.get(pk=request.case.pk)


@pytest.fixture
def waiting(submitted: ServiceRequest, tax_officer: Any) -> ServiceRequest:
    url = reverse("procedures:request_completion", args=[_case(submitted).pk])
    response = client_for(tax_officer).post(url, {"message": "Lipsește extrasul de carte funciară."})
    assert response.status_code == 302
    assert _case(submitted).status == CaseStatus.WAITING_CITIZEN
    return submitted


def test_case_page_shows_the_request_data_contact_and_documents(submitted: ServiceRequest, tax_officer: Any) -> None:
    case = _case(submitted)
    html = client_for(tax_officer).get(reverse("procedures:case", args=[case.pk])).content.decode()
    assert "Înstrăinare imobil" in html  # the citizen's value
    assert submitted.applicant.email in html
    attachment = submitted.attachments.get()
    url = reverse("eservices:staff_attachment", args=[submitted.pk, attachment.pk])
    assert url in html
    response = client_for(tax_officer).get(url)
    assert response.status_code == 200 and response.getvalue() == PDF_BYTES


def test_staff_download_is_checked_by_permission(
    submitted: ServiceRequest, officer: Any, citizen2: Any, tax_head: Any
) -> None:
    attachment = submitted.attachments.get()
    url = reverse("eservices:staff_attachment", args=[submitted.pk, attachment.pk])
    assert client_for(tax_head).get(url).status_code == 200
    for outsider in (officer, citizen2, submitted.applicant):  # another department, another citizen, the owner
        assert client_for(outsider).get(url).status_code == 404
    other = RequestAttachment.objects.exclude(request=submitted).first()
    assert other is None  # and an attachment id of another request is not served under this one
    assert client_for(tax_head).get(reverse("eservices:staff_attachment", args=[submitted.pk, 999])).status_code == 404


def test_citizen_sees_what_is_asked_and_answers_with_a_document(
    waiting: ServiceRequest, citizen: Any, tax_officer: Any
) -> None:
    asked = Notification.objects.get(template__key="request.completion_needed", recipient=citizen, channel="email")
    assert reverse("myfile:request", args=[waiting.pk]) in asked.body  # where to answer
    client = client_for(citizen)
    page = client.get(reverse("myfile:request", args=[waiting.pk])).content.decode()
    assert "Lipsește extrasul de carte funciară." in page
    assert reverse("myfile:answer", args=[waiting.pk]) in page
    assert 'hx-encoding="multipart/form-data"' in page and "<progress" in page
    response = client.post(
        reverse("myfile:answer", args=[waiting.pk]),
        {"documents": [pdf_upload("extras-cf.pdf")], "text": "Am atașat extrasul."},
    )
    assert response.status_code == 302 and response["Location"] == reverse("myfile:request", args=[waiting.pk])
    case = _case(waiting)
    assert case.status == CaseStatus.OPEN
    completion = case.tasks.get(kind=TaskKind.COMPLETION)
    assert completion.status == TaskStatus.DONE and "extras-cf.pdf" in completion.comment
    added = waiting.attachments.get(original_name="extras-cf.pdf")
    assert added.label == "Completare"
    # the officer is told, with a link to the case page
    note = Notification.objects.get(template__key="case.completion_answered", recipient=tax_officer, channel="inbox")
    assert "Am atașat extrasul." in note.body and reverse("procedures:case", args=[case.pk]) in note.body
    # and opens the new document from the case page
    html = client_for(tax_officer).get(reverse("procedures:case", args=[case.pk])).content.decode()
    url = reverse("eservices:staff_attachment", args=[waiting.pk, added.pk])
    assert url in html and "Petentul a răspuns" in html
    assert client_for(tax_officer).get(url).status_code == 200
    # the answer form is gone: nothing is asked any more
    assert (
        reverse("myfile:answer", args=[waiting.pk])
        not in client.get(reverse("myfile:request", args=[waiting.pk])).content.decode()
    )


def test_a_text_answer_alone_is_enough(waiting: ServiceRequest, citizen: Any) -> None:
    response = client_for(citizen).post(
        reverse("myfile:answer", args=[waiting.pk]), {"text": "Extrasul a fost depus la ghișeu."}
    )
    assert response.status_code == 302
    assert _case(waiting).status == CaseStatus.OPEN


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Atașați documentele cerute sau scrieți un răspuns."),
        (
            {"documents": [SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")]},
            "nu are un tip acceptat",
        ),
        ({"documents": [SimpleUploadedFile("gol.pdf", b"", "application/pdf")]}, "gol"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_written(
    waiting: ServiceRequest, citizen: Any, data: dict[str, Any], message: str
) -> None:
    before = (RequestAttachment.objects.count(), AuditEvent.objects.count())
    response = client_for(citizen).post(reverse("myfile:answer", args=[waiting.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (RequestAttachment.objects.count(), AuditEvent.objects.count()) == before
    assert _case(waiting).status == CaseStatus.WAITING_CITIZEN


def test_oversize_answer_is_refused(waiting: ServiceRequest, citizen: Any, settings: Any) -> None:
    settings.GHISEU_MAX_UPLOAD_BYTES = 100
    response = client_for(citizen).post(
        reverse("myfile:answer", args=[waiting.pk]), {"documents": [pdf_upload(content=PDF_BYTES + b"x" * 200)]}
    )
    assert response.status_code == 400 and "limita este" in response.content.decode()
    assert _case(waiting).status == CaseStatus.WAITING_CITIZEN


def test_another_citizen_cannot_answer_and_a_request_not_waiting_is_refused(
    waiting: ServiceRequest, submitted: ServiceRequest, citizen: Any, citizen2: Any
) -> None:
    url = reverse("myfile:answer", args=[waiting.pk])
    assert client_for(citizen2).post(url, {"text": "Eu"}).status_code == 404
    assert _case(waiting).status == CaseStatus.WAITING_CITIZEN
    assert client_for(citizen).get(url).status_code == 405
    assert client_for(citizen).post(url, {"text": "Gata"}).status_code == 302
    again = client_for(citizen).post(url, {"text": "Încă o dată"})
    assert again.status_code == 400 and "nu așteaptă completări" in again.content.decode()


def test_the_clock_stops_while_waiting_when_the_service_says_so(
    fiscal: Service, citizen: Any, tax_officer: Any, clock_days: Any
) -> None:
    Service.objects.filter(pk=fiscal.pk).update(completion_stops_clock=True)
    client = client_for(citizen)
    draft = fiscal_draft(client, Service.objects.get(pk=fiscal.pk), str(uuid.uuid4()))
    assert submit(client, draft).status_code == 302
    request = ServiceRequest.objects.get(pk=draft.pk)
    case = _case(request)
    due = case.due_date
    assert due is not None
    client_for(tax_officer).post(reverse("procedures:request_completion", args=[case.pk]), {"message": "Lipsă act."})
    assert _case(request).clock_paused_at is not None
    clock_days(7)
    assert client.post(reverse("myfile:answer", args=[request.pk]), {"text": "Trimis."}).status_code == 302
    resumed = _case(request)
    assert resumed.clock_paused_at is None and resumed.due_date is not None and resumed.due_date > due
