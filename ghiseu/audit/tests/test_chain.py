"""The hash chain names the first event that was changed, inserted or removed behind its back."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from ghiseu.audit.models import AuditEvent, AuditHead
from ghiseu.audit.services import ChainProblem, audit_record, audit_verify_chain, event_hash

pytestmark = pytest.mark.django_db

EVENTS = 6


@pytest.fixture
def chain() -> list[AuditEvent]:
    return [
        audit_record(actor="test", action="test.event", object_type="test.thing", object_id=str(i), summary={"i": i})
        for i in range(1, EVENTS + 1)
    ]


def _first_problem() -> ChainProblem | None:
    return next(audit_verify_chain(), None)


def _verify_command_fails_at(position: int) -> str:
    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify")
    message = str(excinfo.value)
    assert f"event #{position}" in message
    return message


def _delete(position: int) -> None:
    # Model.delete() refuses (append-only): go around it the way a tamperer would.
    AuditEvent.objects.filter(position=position)._raw_delete(AuditEvent.objects.db)


def _forge(position: int, prev_hash: str) -> AuditEvent:
    fields: dict[str, Any] = {
        "position": position,
        "occurred_at": AuditEvent.objects.get(position=1).occurred_at,
        "actor_id": None,
        "actor_label": "intrus",
        "action": "test.forged",
        "object_type": "test.thing",
        "object_id": "999",
        "summary": {"i": 999},
        "prev_hash": prev_hash,
    }
    fields["hash"] = event_hash(**fields)  # a valid-looking hash for its own content
    return AuditEvent.objects.bulk_create([AuditEvent(**fields)])[0]


def test_an_intact_chain_passes(chain: list[AuditEvent], capsys: pytest.CaptureFixture[str]) -> None:
    assert list(audit_verify_chain()) == []
    call_command("audit_verify")
    assert f"Audit chain intact: {EVENTS} events." in capsys.readouterr().out
    head = AuditHead.objects.get()
    assert (head.position, head.hash) == (EVENTS, chain[-1].hash)


def test_an_empty_chain_passes() -> None:
    assert list(audit_verify_chain()) == []
    call_command("audit_verify")


def test_events_refuse_to_be_changed_or_deleted_through_the_model(chain: list[AuditEvent]) -> None:
    event = chain[2]
    event.summary = {"i": 0}
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
    assert list(audit_verify_chain()) == []


def test_events_are_written_only_inside_the_transaction_of_the_change() -> None:
    connection = transaction.get_connection()
    # Outside the test's own transaction there is no atomic block: simulate it.
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(connection, "in_atomic_block", False)
        with pytest.raises(RuntimeError):
            audit_record(actor="test", action="test.event", object_type="test.thing", object_id="1")


@pytest.mark.parametrize("position", [1, 3, EVENTS])
def test_a_changed_event_is_named(chain: list[AuditEvent], position: int) -> None:
    AuditEvent.objects.filter(position=position).update(summary={"i": 0})
    problem = _first_problem()
    assert problem is not None
    assert (problem.position, problem.kind, problem.event_id) == (position, "changed", chain[position - 1].pk)
    assert "changed" in _verify_command_fails_at(position)


def test_a_changed_actor_is_named(chain: list[AuditEvent]) -> None:
    AuditEvent.objects.filter(position=2).update(actor_label="altcineva")
    problem = _first_problem()
    assert problem is not None and (problem.position, problem.kind) == (2, "changed")
    _verify_command_fails_at(2)


def test_an_event_inserted_in_the_middle_breaks_the_chain_right_after_it(chain: list[AuditEvent]) -> None:
    # Make room at position 3 (one row at a time: positions are unique), then slip in a forged event
    # that links correctly to event 2 and carries a correct hash of its own content.
    for position in range(EVENTS, 2, -1):
        AuditEvent.objects.filter(position=position).update(position=position + 1)
    _forge(3, prev_hash=chain[1].hash)
    problem = _first_problem()
    assert problem is not None
    # Events 1..3 form a valid chain; the event pushed to position 4 no longer matches its hash.
    assert (problem.position, problem.kind, problem.event_id) == (4, "changed", chain[2].pk)
    _verify_command_fails_at(4)


def test_an_event_appended_with_a_valid_hash_is_caught_by_the_head(chain: list[AuditEvent]) -> None:
    forged = _forge(EVENTS + 1, prev_hash=chain[-1].hash)
    problem = _first_problem()
    assert problem is not None
    assert (problem.position, problem.kind, problem.event_id) == (EVENTS + 1, "inserted", forged.pk)
    assert "inserted" in _verify_command_fails_at(EVENTS + 1)


def test_an_event_inserted_with_a_wrong_link_is_named(chain: list[AuditEvent]) -> None:
    # Positions shifted to make room, but the forged event links to event 1 instead of event 2.
    for position in range(EVENTS, 2, -1):
        AuditEvent.objects.filter(position=position).update(position=position + 1)
    forged = _forge(3, prev_hash=chain[0].hash)
    problem = _first_problem()
    assert problem is not None
    assert (problem.position, problem.kind, problem.event_id) == (3, "inserted", forged.pk)
    _verify_command_fails_at(3)


@pytest.mark.parametrize("position", [1, 3])
def test_a_deleted_event_is_named(chain: list[AuditEvent], position: int) -> None:
    _delete(position)
    problem = _first_problem()
    assert problem is not None
    assert (problem.position, problem.kind, problem.event_id) == (position, "removed", None)
    assert "removed" in _verify_command_fails_at(position)


def test_the_last_event_deleted_is_caught_by_the_head(chain: list[AuditEvent]) -> None:
    _delete(EVENTS)
    problem = _first_problem()
    assert problem is not None
    assert (problem.position, problem.kind) == (EVENTS, "removed")
    _verify_command_fails_at(EVENTS)


def test_only_the_first_break_is_reported(chain: list[AuditEvent]) -> None:
    AuditEvent.objects.filter(position=2).update(summary={"i": 0})
    _delete(5)
    problems = list(audit_verify_chain())
    assert [(p.position, p.kind) for p in problems] == [(2, "changed")]
