"""The registry entry's due date follows the petition's legal term: at registration (set by the
system under the rule), after an OG 27 extension, after a Law 544 "more time" notice, and for a
petition received by forwarding (a new 30-day term); the department's queue follows."""

from __future__ import annotations

import datetime as dt

import pytest

from ghiseu.audit.models import AuditEvent
from ghiseu.petitions.models import Kind
from ghiseu.petitions.services import petition_extend, petition_information_extend
from ghiseu.registry.models import DocumentType, Entry
from ghiseu.registry.selectors import department_queue

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def entry_due(petition) -> dt.date:
    due = Entry.objects.get(pk=petition.entry_id).due_date
    assert due is not None
    return due


def moves(petition) -> list[dict]:
    return [
        e.summary
        for e in AuditEvent.objects.filter(
            action="registry.entry.due_date_changed", object_id=str(petition.entry_id)
        ).order_by("pk")
    ]


def test_an_og27_extension_moves_the_registry_due_date_and_the_queue_follows(
    clock, file_petition, roads, roads_officer, mayor
):
    clock.set("2026-11-17")
    petition = file_petition(category=roads)
    assert entry_due(petition) == petition.due_date == D("2026-12-17")
    clock.set("2026-12-14")  # due in 3 days: "due soon" for the roads department
    queue = department_queue(user=roads_officer, department_id=roads.department_id)
    assert petition.entry_id in {e.pk for e in queue.due_soon}
    petition = petition_extend(actor=mayor, petition=petition, days=15, reason="Cercetare pe teren")
    assert entry_due(petition) == petition.due_date == D("2027-01-04")
    assert moves(petition)[-1] == {"before": "2026-12-17", "after": "2027-01-04", "reason": "OG 27/2002, art. 9"}
    event = AuditEvent.objects.filter(action="registry.entry.due_date_changed").latest("pk")
    assert event.actor_id == mayor.pk  # the head of the authority's decision
    queue = department_queue(user=roads_officer, department_id=roads.department_id)
    assert petition.entry_id not in {e.pk for e in queue.due_soon}
    clock.set("2026-12-20")  # past the original term, within the extended one: not overdue
    queue = department_queue(user=roads_officer, department_id=roads.department_id)
    assert petition.entry_id not in {e.pk for e in queue.overdue}
    clock.set("2027-01-05")
    queue = department_queue(user=roads_officer, department_id=roads.department_id)
    assert petition.entry_id in {e.pk for e in queue.overdue}


def test_a_law544_more_time_notice_moves_the_registry_due_date(clock, file_petition, clerk):
    clock.set("2026-11-21")
    petition = file_petition(kind=Kind.PUBLIC_INFORMATION)
    assert entry_due(petition) == D("2026-12-02")
    clock.set("2026-11-30")
    petition = petition_information_extend(actor=clerk, petition=petition, reason="Volum mare de documente")
    assert entry_due(petition) == petition.due_date == D("2026-12-21")
    assert moves(petition)[-1]["reason"] == "Legea 544/2001, art. 7 alin. (1)"


def test_a_petition_received_by_forwarding_gets_a_new_term_in_the_registry(clock, file_petition, clerk):
    # the registry's own deadline for the document type differs, so the petition's term must be set
    DocumentType.objects.filter(code="complaint").update(deadline_days=20)
    clock.set("2026-11-02")
    petition = file_petition(
        received_by_forwarding=True,
        forwarded_from="Instituția Prefectului — Județul Hunedoara",
        sender_reference="1234/2026",
        sender_date=D("2026-10-01"),
    )
    assert petition.due_date == D("2026-12-02")  # 30 days from registration here, not from 1 October
    assert entry_due(petition) == D("2026-12-02")
    (moved,) = moves(petition)
    assert moved["after"] == "2026-12-02" and moved["reason"] == "OG 27/2002, art. 8"
    event = AuditEvent.objects.get(action="registry.entry.due_date_changed")
    assert event.actor_id is None  # set by the system, under the rule: not by the registering account


def test_a_refused_move_leaves_petition_and_entry_unchanged(clock, file_petition, mayor):
    from ghiseu.core.errors import DomainError
    from ghiseu.registry.models import Status

    clock.set("2026-11-17")
    petition = file_petition()
    Entry.objects.filter(pk=petition.entry_id).update(status=Status.CLOSED)  # closed behind its back
    with pytest.raises(DomainError):
        petition_extend(actor=mayor, petition=petition, days=10, reason="Cercetare")
    petition.refresh_from_db()
    assert petition.due_date == D("2026-12-17") and petition.extended_at is None
    assert entry_due(petition) == D("2026-12-17")
