from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.urls import reverse

from ghiseu.audit.models import AuditEvent
from ghiseu.eservices import services
from ghiseu.eservices.models import RequestAttachment, RequestState, Service, ServiceRequest
from ghiseu.eservices.tests.conftest import attach, client_for, fiscal_draft, pdf_upload, start_draft, submit
from ghiseu.notifications.models import Notification
from ghiseu.procedures.tests.helpers import Clock
from ghiseu.registry.models import Entry

pytestmark = pytest.mark.django_db


def test_draft_keeps_values_and_same_key_twice_is_one_draft(fiscal: Service, citizen: Any) -> None:
    client = client_for(citizen)
    key = str(uuid.uuid4())
    first = start_draft(client, fiscal, {"f_scop": "Succesiune"}, key)
    second = start_draft(client, fiscal, {"f_scop": "Dosar de licitație"}, key)  # double click / back + resubmit
    assert first.pk == second.pk
    assert ServiceRequest.objects.filter(applicant=citizen).count() == 1
    second.refresh_from_db()
    assert (second.state, second.values) == (RequestState.DRAFT, {"scop": "Dosar de licitație"})


def test_invalid_choice_is_refused_and_nothing_saved(fiscal: Service, citizen: Any) -> None:
    response = client_for(citizen).post(
        reverse("eservices:start", args=[fiscal.code]), {"key": str(uuid.uuid4()), "f_scop": "Nu e în listă"}
    )
    assert response.status_code == 400
    assert "Corectați" in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_submitting_twice_makes_one_request_and_one_entry(fiscal: Service, citizen: Any) -> None:
    client = client_for(citizen)
    draft = fiscal_draft(client, fiscal, str(uuid.uuid4()))
    before = Entry.objects.count()
    first = submit(client, draft)
    again = submit(client, draft)  # double click, retry
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == reverse("eservices:done", args=[draft.pk])
    assert Entry.objects.count() == before + 1
    # the service itself, called again, returns the same request
    same = services.request_submit(request_id=draft.pk, applicant=citizen)
    assert Entry.objects.count() == before + 1
    draft.refresh_from_db()
    assert same.entry_id == draft.entry_id and draft.state == RequestState.SUBMITTED
    # the start form's key replayed after submission changes nothing either
    replay = client.post(
        reverse("eservices:start", args=[fiscal.code]), {"key": str(draft.idempotency_key), "f_scop": "Succesiune"}
    )
    assert replay["Location"] == reverse("eservices:done", args=[draft.pk])
    assert ServiceRequest.objects.count() == 1
    notes = Notification.objects.filter(template__key="request.submitted", recipient=citizen)
    assert sorted(notes.values_list("channel", flat=True)) == ["email", "inbox"]


def test_submission_registers_opens_case_notifies_and_confirms(fiscal: Service, citizen: Any) -> None:
    client = client_for(citizen)
    draft = fiscal_draft(client, fiscal, str(uuid.uuid4()))
    submit(client, draft)
    draft.refresh_from_db()
    entry = draft.entry
    assert entry is not None and draft.case is not None
    assert entry.department is not None and entry.created_by is not None
    assert (entry.direction, entry.channel, entry.department.code) == ("incoming", "portal", "TAX")
    assert entry.document_type.code == "fiscal-certificate"
    assert entry.created_by.username == services.PORTAL_USERNAME
    assert [a.original_name for a in entry.attachments.all()] == ["buletin.pdf"]
    assert draft.case.applicant == citizen and draft.case.due_date == draft.due_date
    emails = Notification.objects.filter(template__key="request.submitted", channel="email")
    assert emails.count() == 1 and emails.get().recipient_email == citizen.email
    assert entry.display_number in emails.get().subject and "/stare/" in emails.get().body
    page = client.get(reverse("eservices:done", args=[draft.pk])).content.decode()
    assert entry.display_number in page and f"{draft.due_date:%d.%m.%Y}" in page
    assert AuditEvent.objects.filter(action="eservices.request.submitted").count() == 1


def test_required_documents_must_be_attached(fiscal: Service, citizen: Any) -> None:
    client = client_for(citizen)
    draft = start_draft(client, fiscal, {"f_scop": "Succesiune"}, str(uuid.uuid4()))
    response = submit(client, draft)
    assert response.status_code == 400
    assert "Copie a actului de identitate" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == RequestState.DRAFT and not Entry.objects.exists()


def test_fee_puts_the_request_in_payment_due(catalogue: None, citizen: Any) -> None:
    service = Service.objects.get(code="certificat-de-urbanism")
    client = client_for(citizen)
    draft = start_draft(
        client,
        service,
        {"f_adresa_imobil": "Str. Minerilor 5, Lupeni", "f_nr_cadastral": "60123-C1", "f_scop": "construire"},
        str(uuid.uuid4()),
    )
    for document in service.documents.all():
        attach(
            client,
            draft,
            f"doc-{document.pk}",
            pdf_upload(f"doc{document.pk}.pdf", b"%PDF-1.4\n%" + str(document.pk).encode() * 20),
        )
    submit(client, draft)
    draft.refresh_from_db()
    assert draft.state == RequestState.PAYMENT_DUE
    page = client.get(reverse("myfile:home")).content.decode()
    assert "15,00" in page


def test_bad_cadastral_number_is_refused(catalogue: None, citizen: Any) -> None:
    service = Service.objects.get(code="certificat-de-urbanism")
    response = client_for(citizen).post(
        reverse("eservices:start", args=[service.code]),
        {"key": str(uuid.uuid4()), "f_adresa_imobil": "Str. X", "f_nr_cadastral": "abc; drop", "f_scop": "x"},
    )
    assert response.status_code == 400 and "cadastral" in response.content.decode()
    assert not ServiceRequest.objects.exists()


# --- Files ----------------------------------------------------------------------------------------


def test_wrong_file_type_is_refused_by_its_content(fiscal: Service, citizen: Any) -> None:
    client = client_for(citizen)
    draft = start_draft(client, fiscal, {"f_scop": "Succesiune"}, str(uuid.uuid4()))
    slot = f"doc-{fiscal.documents.get().pk}"
    # an executable renamed .pdf
    response = attach(client, draft, slot, pdf_upload("buletin.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200 + b"PE\x00\x00"))
    assert response.status_code == 400
    assert "nu are un tip acceptat" in response.content.decode()
    assert not RequestAttachment.objects.exists()


def test_oversize_file_is_refused(fiscal: Service, citizen: Any, settings: Any) -> None:
    settings.GHISEU_MAX_UPLOAD_BYTES = 1000
    client = client_for(citizen)
    draft = start_draft(client, fiscal, {"f_scop": "Succesiune"}, str(uuid.uuid4()))
    response = attach(
        client, draft, f"doc-{fiscal.documents.get().pk}", pdf_upload(content=b"%PDF-1.4\n" + b"0" * 2000)
    )
    assert response.status_code == 400
    assert "limita este" in response.content.decode()
    assert not RequestAttachment.objects.exists()


def test_once_only_reuses_a_file_of_an_earlier_request(fiscal: Service, citizen: Any) -> None:
    client = client_for(citizen)
    earlier = fiscal_draft(client, fiscal, str(uuid.uuid4()))
    submit(client, earlier)
    draft = start_draft(client, fiscal, {"f_scop": "Succesiune"}, str(uuid.uuid4()))
    documents_page = client.get(reverse("eservices:documents", args=[draft.pk])).content.decode()
    old = earlier.attachments.get()
    assert f'value="{old.pk}"' in documents_page  # offered
    response = client.post(
        reverse("eservices:documents", args=[draft.pk]), {"slot": f"doc-{fiscal.documents.get().pk}", "reuse": old.pk}
    )
    assert response.status_code == 302
    reused = draft.attachments.get()
    assert reused.reused and reused.file_id == old.file_id


# --- Tampering --------------------------------------------------------------------------------------


def test_another_citizens_draft_is_not_found_and_nothing_saved(fiscal: Service, citizen: Any, citizen2: Any) -> None:
    owner = client_for(citizen)
    draft = start_draft(owner, fiscal, {"f_scop": "Succesiune"}, str(uuid.uuid4()))
    intruder = client_for(citizen2)
    slot = f"doc-{fiscal.documents.get().pk}"
    urls = ["values", "documents", "review", "done"]
    for name in urls:
        assert intruder.get(reverse(f"eservices:{name}", args=[draft.pk])).status_code == 404, name
    assert intruder.post(reverse("eservices:values", args=[draft.pk]), {"f_scop": "Alt scop"}).status_code == 404
    assert attach(intruder, draft, slot, pdf_upload()).status_code == 404
    assert submit(intruder, draft).status_code == 404
    draft.refresh_from_db()
    assert draft.values == {"scop": "Succesiune"} and draft.state == RequestState.DRAFT
    assert not RequestAttachment.objects.exists() and not Entry.objects.exists()


def test_tampered_slot_key_and_reuse_ids(fiscal: Service, citizen: Any, citizen2: Any, catalogue: None) -> None:
    # citizen2 has a file in a request of theirs; citizen tries to reuse it by id
    theirs = fiscal_draft(client_for(citizen2), fiscal, str(uuid.uuid4()))
    their_file = theirs.attachments.get()
    client = client_for(citizen)
    draft = start_draft(client, fiscal, {"f_scop": "Succesiune"}, str(uuid.uuid4()))
    slot = f"doc-{fiscal.documents.get().pk}"
    other_service_doc = Service.objects.get(code="certificat-de-urbanism").documents.first()
    assert other_service_doc is not None
    assert attach(client, draft, f"doc-{other_service_doc.pk}", pdf_upload()).status_code == 404
    response = client.post(reverse("eservices:documents", args=[draft.pk]), {"slot": slot, "reuse": their_file.pk})
    assert response.status_code == 400  # not offered to them, and refused by the service too
    with pytest.raises(services.NotFound):
        services.request_reuse(request_id=draft.pk, applicant=citizen, slot=slot, attachment_id=their_file.pk)
    response = client.post(reverse("eservices:review", args=[draft.pk]), {"key": str(uuid.uuid4()), "confirm": "on"})
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.state == RequestState.DRAFT and draft.attachments.count() == 0
    assert not Entry.objects.exists()


# --- Deadlines --------------------------------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    from django.utils import timezone

    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


def test_working_day_deadline_across_christmas(fiscal: Service, citizen: Any, clock: Clock, settings: Any) -> None:
    clock.set(dt.date(2026, 12, 23))  # Wednesday; 25 and 26 December are legal holidays
    client = client_for(citizen)
    draft = fiscal_draft(client, fiscal, str(uuid.uuid4()))
    submit(client, draft)
    draft.refresh_from_db()
    # two working days: Thursday 24, then (Fri 25 holiday, weekend) Monday 28
    assert draft.due_date == dt.date(2026, 12, 28)
    assert draft.case is not None and draft.case.due_date == dt.date(2026, 12, 28)
    assert draft.entry is not None and draft.entry.registered_on == dt.date(2026, 12, 23)


def test_working_day_deadline_with_a_declared_day_off(
    fiscal: Service, citizen: Any, clock: Clock, settings: Any
) -> None:
    settings.GHISEU_EXTRA_DAYS_OFF = ["2026-12-24"]
    clock.set(dt.date(2026, 12, 23))
    client = client_for(citizen)
    draft = fiscal_draft(client, fiscal, str(uuid.uuid4()))
    submit(client, draft)
    draft.refresh_from_db()
    assert draft.due_date == dt.date(2026, 12, 29)
