"""Registering petitions: a registry entry with its legal term; anonymous ones filed away at once;
received by forwarding with a new term; nothing half-saved on bad input."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from ghiseu.audit.models import AuditEvent
from ghiseu.core.errors import DomainError, PermissionDenied
from ghiseu.core.models import StoredFile
from ghiseu.petitions.models import FilingReason, Kind, Petition, PetitionCategory, PetitionStatus
from ghiseu.petitions.services import petition_register
from ghiseu.petitions.tests.conftest import PERSON, png_bomb
from ghiseu.registry.models import Direction, Entry, Status
from ghiseu.registry.services import Upload

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def counts() -> tuple[int, int, int, int]:
    return Entry.objects.count(), Petition.objects.count(), AuditEvent.objects.count(), StoredFile.objects.count()


def test_a_petition_is_a_registry_entry_with_its_30_day_term(clock, file_petition, sent):
    clock.set("2026-11-01")
    petition = file_petition()
    entry = petition.entry
    assert entry.number == 1 and entry.direction == Direction.INCOMING
    assert entry.document_type.code == "complaint"
    assert entry.sender == "Maria Ionescu"
    assert petition.term_start == D("2026-11-01")
    assert petition.due_date == D("2026-12-02")  # 1 Dec is National Day
    assert petition.forward_due_date == D("2026-11-06")
    assert petition.status == PetitionStatus.REGISTERED and not petition.anonymous
    actions = list(AuditEvent.objects.order_by("position").values_list("action", flat=True))
    assert actions == ["registry.entry.registered", "petitions.petition.registered"]
    event = AuditEvent.objects.get(action="petitions.petition.registered")
    assert "Maria" not in str(event.summary) and "maria" not in str(event.summary)  # no personal data in the chain
    assert [c["key"] for c in sent] == ["petition.registered"]
    assert sent[0]["to_email"] == "maria.ionescu@example.ro"
    assert sent[0]["context"]["number"] == entry.display_number
    assert sent[0]["context"]["due_date"] == D("2026-12-02")
    assert sent[0]["context"]["tracking_code"] == entry.tracking_code


def test_the_category_routes_the_complaint_to_its_department(clock, file_petition, roads, roads_dept):
    petition = file_petition(kind="report", category=roads, location_address="Str. Minerului nr. 5")
    assert petition.entry.department == roads_dept
    assert petition.entry.status == Status.ASSIGNED
    assert petition.entry.subject == "Drumuri și trotuare: Str. Minerului nr. 5"


@pytest.mark.parametrize(
    "who",
    [
        {"anonymous": True},
        {"petitioner_name": "", "petitioner_address": "", "petitioner_email": "", "petitioner_phone": ""},
        # a name, but nowhere to send the answer
        {"petitioner_name": "Ion", "petitioner_address": "", "petitioner_email": "", "petitioner_phone": "0722000000"},
    ],
)
def test_anonymous_petitions_are_registered_then_filed_away_never_examined(clock, file_petition, roads, sent, who):
    clock.set("2026-11-02")
    petition = file_petition(category=roads, **who)
    petition.refresh_from_db()
    entry = Entry.objects.get(pk=petition.entry_id)
    assert entry.number == 1  # registered: it has its number and is never lost
    assert entry.department is None  # not routed: it will not be examined
    assert entry.status == Status.CLOSED
    assert "OG 27/2002, art. 7" in entry.outcome
    assert petition.status == PetitionStatus.FILED_AWAY and petition.anonymous
    assert petition.filed_away_reason == FilingReason.ANONYMOUS
    assert AuditEvent.objects.filter(action="petitions.petition.filed_away").count() == 1
    assert sent == []  # nobody to tell


def test_anonymous_entry_is_registered_with_anonymous_sender(clock, file_petition):
    petition = file_petition(anonymous=True, petitioner_name="")
    assert petition.entry.sender == "Anonim"


def test_received_by_forwarding_starts_a_new_30_day_term(clock, file_petition):
    clock.set("2027-04-01")
    petition = file_petition(
        kind="request",
        channel="post",
        received_by_forwarding=True,
        forwarded_from="Instituția Prefectului Județul Hunedoara",
        sender_reference="4567",
        sender_date=D("2027-02-01"),
    )
    # 30 days from our registration, not from the petitioner's date: 1 May, Easter -> Tue 4 May
    assert petition.due_date == D("2027-05-04")
    assert petition.received_by_forwarding
    assert petition.entry.sender == "Instituția Prefectului Județul Hunedoara"
    assert petition.entry.sender_reference == "4567"
    assert petition.petitioner_name == "Maria Ionescu"


def test_forwarded_petition_needs_the_forwarding_authority(clock, file_petition):
    with pytest.raises(DomainError) as exc:
        file_petition(received_by_forwarding=True)
    assert exc.value.field == "forwarded_from"
    assert counts() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": "   "}, "description"),
        ({"petitioner_email": "nu-este-email"}, "petitioner_email"),
        ({"petitioner_phone": "sunați-mă"}, "petitioner_phone"),
        ({"latitude": "91", "longitude": "23.2"}, "latitude"),
        ({"latitude": "45.36", "longitude": "-181"}, "longitude"),
        ({"latitude": "45.36", "longitude": ""}, "longitude"),
        ({"latitude": "nan", "longitude": "23.2"}, "latitude"),
        ({"latitude": "abc", "longitude": "23.2"}, "latitude"),
        ({"kind": "wish"}, "kind"),
        ({"channel": "pigeon"}, "channel"),
        ({"petitioner_type": "alien"}, "petitioner_type"),
        ({"media_url": "javascript:alert(1)"}, "media_url"),
        ({"photos": [Upload(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "poza.jpg")]}, "photos"),
        ({"photos": [Upload(io.BytesIO(png_bomb()), "bomba.png")]}, "photos"),
    ],
)
def test_bad_input_writes_nothing(clock, file_petition, roads, overrides, field):
    before = counts()
    with pytest.raises(DomainError) as exc:
        file_petition(category=roads, **overrides)
    assert exc.value.field == field
    assert counts() == before


def test_locations_outside_the_city_are_refused(clock, file_petition, roads, settings):
    settings.GHISEU_PETITION_RULES = {
        **settings.GHISEU_PETITION_RULES,
        "city_bbox": ["45.30", "23.10", "45.42", "23.32"],
    }
    with pytest.raises(DomainError) as exc:
        file_petition(category=roads, latitude="44.4268", longitude="26.1025")  # Bucharest
    assert exc.value.code == "outside"
    assert counts() == (0, 0, 0, 0)
    petition = file_petition(category=roads, latitude="45.3601", longitude="23.2189")
    assert str(petition.latitude) == "45.360100"


def test_an_inactive_category_is_refused(clock, file_petition, roads):
    PetitionCategory.objects.filter(pk=roads.pk).update(is_active=False)
    roads.refresh_from_db()
    with pytest.raises(DomainError):
        file_petition(category=roads)
    assert counts() == (0, 0, 0, 0)


def test_only_the_registry_registers(clock, citizen, officer, reference_data):
    for actor in (citizen, officer):
        with pytest.raises(PermissionDenied):
            petition_register(actor=actor, kind="complaint", channel="portal", description="x", **PERSON)
    assert counts() == (0, 0, 0, 0)


def test_public_information_request_has_10_and_5_day_terms(clock, file_petition):
    clock.set("2026-11-21")
    petition = file_petition(kind=Kind.PUBLIC_INFORMATION, petitioner_type="company", petitioner_name="SC Exemplu SRL")
    assert petition.entry.document_type.code == "public-information"
    assert petition.due_date == D("2026-12-02")
    assert petition.refusal_due_date == D("2026-11-26")
    assert petition.forward_due_date is None


def test_administrative_complaint_is_linked_to_the_original_request(clock, file_petition, clerk):
    from ghiseu.petitions.services import petition_answer

    clock.set("2026-11-02")
    request = file_petition(kind=Kind.PUBLIC_INFORMATION)
    with pytest.raises(DomainError) as exc:  # not answered and still in its term
        file_petition(kind=Kind.ADMINISTRATIVE_COMPLAINT, original_request=request)
    assert exc.value.field == "original_request"
    with pytest.raises(DomainError):
        file_petition(kind=Kind.ADMINISTRATIVE_COMPLAINT)
    petition_answer(
        actor=clerk,
        petition=request,
        text="Informația este exceptată.",
        legal_basis="Legea 544/2001, art. 12",
        outcome="refused_exempt",
    )
    clock.set("2026-11-16")
    complaint = file_petition(kind=Kind.ADMINISTRATIVE_COMPLAINT, original_request=request)
    assert complaint.entry.linked_to_id == request.entry_id
    assert complaint.original_request == request
    assert complaint.due_date == D("2026-12-02")  # 15 days: 1 Dec -> 2 Dec


def test_administrative_complaint_against_a_tacit_refusal(clock, file_petition):
    clock.set("2026-11-02")
    request = file_petition(kind=Kind.PUBLIC_INFORMATION)
    clock.set("2026-11-13")  # the 10 days ended on 12 Nov without an answer
    complaint = file_petition(kind=Kind.ADMINISTRATIVE_COMPLAINT, original_request=request)
    assert complaint.original_request == request


def test_information_kinds_have_no_category(clock, file_petition, roads):
    with pytest.raises(DomainError):
        file_petition(kind=Kind.PUBLIC_INFORMATION, category=roads)
