"""Working petitions within the law: extension once, forwarding within 5 days, joining, repeated
petitions, answers with their legal basis; audit in the same transaction; nothing half-saved."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from pdfminer.high_level import extract_text

from ghiseu.accounts.models import Role
from ghiseu.accounts.tests.factories import StaffFactory
from ghiseu.audit.models import AuditEvent
from ghiseu.audit.services import audit_verify_chain
from ghiseu.core.errors import DomainError, PermissionDenied
from ghiseu.core.files import open_stored
from ghiseu.petitions import selectors
from ghiseu.petitions.models import FilingReason, Kind, Petition, PetitionStatus
from ghiseu.petitions.services import (
    petition_answer,
    petition_extend,
    petition_file_away_repeated,
    petition_forward,
    petition_information_extend,
    petition_join,
    petition_start,
)
from ghiseu.registry.models import Attachment, Direction, Entry, Status

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def pdf_text(entry: Entry) -> str:
    attachment = Attachment.objects.get(entry=entry)
    assert attachment.file.content_type == "application/pdf"
    with open_stored(attachment.file) as fh:
        return " ".join(extract_text(io.BytesIO(fh.read())).split())


def answer(actor, petition, **kw):
    args = {
        "actor": actor,
        "petition": petition,
        "text": "Groapa a fost reparată de echipa de intervenție.\n\nVă mulțumim pentru sesizare.",
        "legal_basis": "OG 27/2002, art. 8; HCL nr. 12/2026",
        "outcome": "favorable",
    }
    args.update(kw)
    return petition_answer(**args)


def counts() -> tuple[int, int]:
    return Entry.objects.count(), AuditEvent.objects.count()


# --- taking into work -----------------------------------------------------------------------------


def test_the_department_takes_the_petition_into_work(clock, file_petition, roads, roads_officer, other_officer):
    petition = file_petition(category=roads)
    with pytest.raises(PermissionDenied):
        petition_start(actor=other_officer, petition=petition)
    petition = petition_start(actor=roads_officer, petition=petition)
    assert petition.status == PetitionStatus.IN_PROGRESS
    assert Entry.objects.get(pk=petition.entry_id).status == Status.IN_PROGRESS
    assert AuditEvent.objects.filter(action="petitions.petition.started").count() == 1
    with pytest.raises(DomainError):
        petition_start(actor=roads_officer, petition=petition)


def test_an_unrouted_petition_must_be_routed_first(clock, file_petition, clerk):
    petition = file_petition()
    with pytest.raises(DomainError) as exc:
        petition_start(actor=clerk, petition=petition)
    assert exc.value.code == "not_assigned"


# --- extension (OG 27/2002 art. 9) ----------------------------------------------------------------


def test_the_head_of_the_authority_extends_once_by_at_most_15_days(clock, file_petition, mayor, sent):
    clock.set("2026-11-17")
    petition = file_petition()
    assert petition.due_date == D("2026-12-17")
    with pytest.raises(DomainError):
        petition_extend(actor=mayor, petition=petition, days=16, reason="Cercetare pe teren")
    with pytest.raises(DomainError):
        petition_extend(actor=mayor, petition=petition, days=10, reason="  ")
    clock.set("2026-12-10")
    petition = petition_extend(actor=mayor, petition=petition, days=15, reason="Necesită cercetare pe teren")
    assert petition.due_date == D("2027-01-04")  # 17 Dec + 15 = 1 Jan (holiday), 2 Jan (holiday), Sunday
    assert petition.status == PetitionStatus.EXTENDED
    assert petition.extension_reason == "Necesită cercetare pe teren" and petition.extended_by == mayor
    event = AuditEvent.objects.get(action="petitions.petition.extended")
    assert event.summary["due_before"] == "2026-12-17" and event.summary["due_after"] == "2027-01-04"
    assert [c["key"] for c in sent] == ["petition.registered", "petition.extended"]
    assert sent[-1]["context"]["new_due_date"] == D("2027-01-04")
    assert sent[-1]["context"]["reason"] == "Necesită cercetare pe teren"
    with pytest.raises(DomainError) as exc:  # not twice
        petition_extend(actor=mayor, petition=petition, days=1, reason="Încă o dată")
    assert exc.value.code == "already_extended"
    assert Petition.objects.get(pk=petition.pk).due_date == D("2027-01-04")


def test_only_the_head_of_the_authority_extends(clock, file_petition, clerk, officer):
    petition = file_petition()
    for actor in (clerk, officer):
        with pytest.raises(PermissionDenied):
            petition_extend(actor=actor, petition=petition, days=5, reason="x")
    secretary: Any = StaffFactory(username="secretar", role=Role.SECRETARY)
    assert petition_extend(actor=secretary, petition=petition, days=5, reason="delegare").extension_days == 5


def test_an_expired_term_cannot_be_extended(clock, file_petition, mayor):
    clock.set("2026-11-02")
    petition = file_petition()
    clock.set("2026-12-03")
    before = counts()
    with pytest.raises(DomainError) as exc:
        petition_extend(actor=mayor, petition=petition, days=15, reason="prea târziu")
    assert exc.value.code == "expired"
    assert counts() == before


def test_public_information_is_extended_by_the_notice_not_by_15_days(clock, file_petition, mayor):
    petition = file_petition(kind=Kind.PUBLIC_INFORMATION)
    with pytest.raises(DomainError):
        petition_extend(actor=mayor, petition=petition, days=15, reason="x")


# --- Law 544/2001: notice of more time, refusal in 5 days --------------------------------------


def test_more_time_notice_within_10_days_then_30_days_at_most(clock, file_petition, clerk, sent):
    clock.set("2026-11-21")
    petition = file_petition(kind=Kind.PUBLIC_INFORMATION)
    assert petition.due_date == D("2026-12-02")
    clock.set("2026-12-02")  # the last day of the 10
    petition = petition_information_extend(actor=clerk, petition=petition, reason="Volum mare de documente")
    assert petition.due_date == D("2026-12-21")
    assert petition.status == PetitionStatus.EXTENDED
    assert sent[-1]["key"] == "petition.extended"
    with pytest.raises(DomainError):
        petition_information_extend(actor=clerk, petition=petition, reason="din nou")


def test_more_time_notice_after_the_10_days_is_refused(clock, file_petition, clerk):
    clock.set("2026-11-21")
    petition = file_petition(kind=Kind.PUBLIC_INFORMATION)
    clock.set("2026-12-03")
    with pytest.raises(DomainError) as exc:
        petition_information_extend(actor=clerk, petition=petition, reason="prea târziu")
    assert exc.value.code == "expired"
    assert Petition.objects.get(pk=petition.pk).due_date == D("2026-12-02")


@pytest.mark.parametrize(("answered_on", "on_time"), [("2026-11-26", True), ("2026-11-27", False)])
def test_a_refusal_is_due_within_5_days(clock, file_petition, clerk, answered_on, on_time):
    clock.set("2026-11-21")
    petition = file_petition(kind=Kind.PUBLIC_INFORMATION)
    clock.set(answered_on)
    answer(clerk, petition, legal_basis="Legea 544/2001, art. 12 alin. (1) lit. c)", outcome="refused_exempt")
    petition.refresh_from_db()
    assert petition.answered_on_time is on_time  # 27 Nov is within the 10 days, but not within the 5 for a refusal


def test_a_refusal_is_only_for_public_information(clock, file_petition, clerk):
    petition = file_petition()
    with pytest.raises(DomainError):
        answer(clerk, petition, outcome="refused_exempt")


# --- forwarding (OG 27/2002 art. 6^1) --------------------------------------------------------------


def test_forwarding_within_5_days_with_a_registered_letter(clock, file_petition, clerk, sent):
    clock.set("2026-11-26")
    petition = file_petition(kind="request")
    assert selectors.forward_state(petition, D("2026-11-28")) == ""
    assert selectors.forward_state(petition, D("2026-11-29")) == "warn"  # from day 3
    assert selectors.forward_state(petition, D("2026-12-02")) == "warn"  # 1 Dec is a holiday: still in time
    assert selectors.forward_state(petition, D("2026-12-03")) == "overdue"
    clock.set("2026-11-30")
    petition = petition_forward(
        actor=clerk,
        petition=petition,
        authority="Direcția Silvică Hunedoara",
        authority_address="Str. Avram Iancu nr. 1, Deva",
    )
    assert petition.status == PetitionStatus.FORWARDED
    letter = petition.forward_entry
    assert letter is not None
    assert letter.direction == Direction.OUTGOING and letter.answers_id == petition.entry_id
    assert letter.display_number == petition.entry.display_number  # under the petition's number
    assert letter.recipient == "Direcția Silvică Hunedoara"
    text = pdf_text(letter)
    assert "Direcția Silvică Hunedoara" in text and petition.entry.display_number in text
    entry = Entry.objects.get(pk=petition.entry_id)
    assert entry.status == Status.CLOSED and "Direcția Silvică Hunedoara" in entry.outcome
    event = AuditEvent.objects.get(action="petitions.petition.forwarded")
    assert event.summary["late"] is False
    assert sent[-1]["key"] == "petition.forwarded"
    assert sent[-1]["context"]["forwarded_to"] == "Direcția Silvică Hunedoara"
    assert selectors.forward_state(petition, D("2026-12-05")) == ""  # no longer open


def test_late_forwarding_is_done_and_recorded_as_late(clock, file_petition, clerk):
    clock.set("2026-11-02")
    petition = file_petition()
    clock.set("2026-11-10")
    petition_forward(actor=clerk, petition=petition, authority="Garda de Mediu")
    assert AuditEvent.objects.get(action="petitions.petition.forwarded").summary["late"] is True


def test_forwarding_needs_an_authority_and_writes_nothing_without(clock, file_petition, clerk):
    petition = file_petition()
    before = counts()
    with pytest.raises(DomainError):
        petition_forward(actor=clerk, petition=petition, authority=" ")
    assert counts() == before
    assert Petition.objects.get(pk=petition.pk).status == PetitionStatus.REGISTERED


# --- joining (conexare) and repeated petitions ------------------------------------------------------


def test_petitions_of_the_same_person_are_joined_and_one_answer_covers_all(
    clock, file_petition, clerk, roads, roads_officer, sent
):
    clock.set("2026-11-02")
    first = file_petition(category=roads)
    clock.set("2026-11-05")
    second = file_petition(category=roads, petitioner_name="MARIA  IONESCU", petitioner_email="")  # same person
    clock.set("2026-11-06")
    third = file_petition(category=roads, petitioner_name="Maria Ionescu", petitioner_address="alta")
    with pytest.raises(DomainError):  # join the later one to the first one, not the other way round
        petition_join(actor=clerk, petition=first, to=second)
    second = petition_join(actor=clerk, petition=second, to=first)
    third = petition_join(actor=clerk, petition=third, to=second)  # goes to the first one of the matter
    assert second.status == third.status == PetitionStatus.JOINED
    assert second.joined_to == first and third.joined_to == first
    assert Entry.objects.get(pk=second.entry_id).linked_to_id == first.entry_id
    assert Entry.objects.get(pk=third.entry_id).linked_to_id == first.entry_id
    with pytest.raises(DomainError) as exc:
        answer(roads_officer, second)
    assert exc.value.code == "joined"
    clock.set("2026-11-20")
    reply = answer(roads_officer, first)
    for p in (first, second, third):
        p.refresh_from_db()
        assert p.status == PetitionStatus.ANSWERED and p.answer_entry == reply and p.answered_on_time
        assert Entry.objects.get(pk=p.entry_id).status == Status.CLOSED
    assert Entry.objects.filter(direction=Direction.OUTGOING).count() == 1  # one answer
    text = pdf_text(reply)
    assert second.entry.display_number in text and third.entry.display_number in text
    assert [c["key"] for c in sent].count("petition.answered") == 1


def test_only_petitions_of_the_same_person_are_joined(clock, file_petition, clerk):
    first = file_petition()
    other = file_petition(petitioner_name="Ion Popescu", petitioner_email="ion@example.ro")
    before = counts()
    with pytest.raises(DomainError) as exc:
        petition_join(actor=clerk, petition=other, to=first)
    assert exc.value.code == "other_person"
    assert counts() == before
    anonymous = file_petition(anonymous=True)
    with pytest.raises(DomainError):
        petition_join(actor=clerk, petition=anonymous, to=first)


def test_a_repeated_petition_after_the_answer_is_filed_away_with_the_earlier_number(clock, file_petition, clerk):
    clock.set("2026-11-02")
    earlier = file_petition()
    clock.set("2026-11-03")
    pending = file_petition()
    with pytest.raises(DomainError):  # the earlier one has no answer yet: join instead
        petition_file_away_repeated(actor=clerk, petition=pending, earlier=earlier)
    answer(clerk, earlier)
    clock.set("2026-12-10")
    repeated = file_petition(description="Aceeași groapă, din nou.")
    repeated = petition_file_away_repeated(actor=clerk, petition=repeated, earlier=earlier)
    assert repeated.status == PetitionStatus.FILED_AWAY
    assert repeated.filed_away_reason == FilingReason.REPEATED and repeated.repeated_of == earlier
    assert earlier.entry.display_number in repeated.filed_away_note
    entry = Entry.objects.get(pk=repeated.entry_id)
    assert entry.status == Status.CLOSED and entry.linked_to_id == earlier.entry_id
    assert earlier.entry.display_number in entry.outcome
    stranger = file_petition(petitioner_name="Ion Popescu", petitioner_email="ion@example.ro")
    with pytest.raises(DomainError):
        petition_file_away_repeated(actor=clerk, petition=stranger, earlier=earlier)


# --- the answer --------------------------------------------------------------------------------------


def test_the_answer_is_a_registered_letter_with_its_legal_basis(clock, file_petition, roads, roads_officer, sent):
    clock.set("2026-11-02")
    petition = file_petition(category=roads)
    clock.set("2026-11-20")
    reply = answer(roads_officer, petition)
    petition.refresh_from_db()
    assert reply.direction == Direction.OUTGOING and reply.answers_id == petition.entry_id
    assert reply.number == petition.entry.number and reply.display_number == petition.entry.display_number
    assert reply.recipient == "Maria Ionescu" and reply.channel == "email"
    assert petition.status == PetitionStatus.ANSWERED and petition.answered_on_time is True
    assert petition.solving_department == roads.department
    assert petition.legal_basis == "OG 27/2002, art. 8; HCL nr. 12/2026"
    entry = Entry.objects.get(pk=petition.entry_id)
    assert entry.status == Status.CLOSED
    text = pdf_text(reply)
    assert "Primăria Municipiului Lupeni" in text
    assert "OG 27/2002, art. 8; HCL nr. 12/2026" in text
    assert "Groapa a fost reparată" in text and petition.entry.display_number in text
    assert sent[-1]["key"] == "petition.answered" and sent[-1]["context"]["reply_number"] == reply.display_number
    with pytest.raises(DomainError):  # not twice
        answer(roads_officer, petition)


def test_a_late_answer_is_sent_and_counted_late(clock, file_petition, clerk):
    clock.set("2026-11-02")
    petition = file_petition()
    clock.set("2026-12-03")
    answer(clerk, petition)
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ANSWERED and petition.answered_on_time is False


@pytest.mark.parametrize(
    "overrides",
    [{"legal_basis": ""}, {"text": " "}, {"outcome": "maybe"}, {"channel": "pigeon"}],
)
def test_an_answer_without_its_legal_basis_or_text_writes_nothing(clock, file_petition, clerk, overrides):
    petition = file_petition()
    before = counts()
    with pytest.raises(DomainError):
        answer(clerk, petition, **overrides)
    assert counts() == before
    assert Petition.objects.get(pk=petition.pk).status == PetitionStatus.REGISTERED


def test_anonymous_petitions_are_never_answered_or_forwarded(clock, file_petition, clerk):
    petition = file_petition(anonymous=True)
    with pytest.raises(DomainError):
        answer(clerk, petition)
    with pytest.raises(DomainError):
        petition_forward(actor=clerk, petition=petition, authority="Poliția Locală")


def test_another_department_cannot_answer(clock, file_petition, roads, other_officer):
    petition = file_petition(category=roads)
    with pytest.raises(PermissionDenied):
        answer(other_officer, petition)


def test_the_audit_chain_stays_whole(clock, file_petition, clerk, mayor):
    petition = file_petition()
    petition_extend(actor=mayor, petition=petition, days=3, reason="x")
    answer(clerk, petition)
    assert list(audit_verify_chain()) == []
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"petitions.petition.registered", "petitions.petition.extended", "petitions.petition.answered"} <= actions
