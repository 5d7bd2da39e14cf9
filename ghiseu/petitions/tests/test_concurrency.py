"""Real concurrency, on whichever database runs the suite (PostgreSQL row locks, SQLite's IMMEDIATE
transactions): clerks racing on one petition get exactly one extension and exactly one answer."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from ghiseu.accounts.models import Department, Role, User
from ghiseu.audit.services import audit_verify_chain
from ghiseu.core.errors import DomainError
from ghiseu.petitions.models import Petition, PetitionStatus
from ghiseu.petitions.services import petition_answer, petition_extend, petition_register
from ghiseu.registry.models import Direction, Entry
from ghiseu.registry.reference import ensure_reference_data

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


def _petition() -> tuple[Petition, User, User]:
    ensure_reference_data()
    registry = Department.objects.create(code="REG", name="Registratură")
    clerk = User.objects.create_user(username="clerk", role=Role.CLERK, department=registry)
    mayor = User.objects.create_user(username="mayor", role=Role.MAYOR, department=registry)
    petition = petition_register(
        actor=clerk,
        kind="complaint",
        channel="counter",
        description="Iluminatul public nu funcționează pe strada Parângului.",
        petitioner_name="Ion Popescu",
        petitioner_email="ion@example.ro",
    )
    return petition, clerk, mayor


def race(action: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    barrier = threading.Barrier(THREADS)
    lock = threading.Lock()
    results: list[Any] = []
    refused: list[BaseException] = []

    def work(n: int) -> None:
        try:
            barrier.wait()
            result = action(n)
            with lock:
                results.append(result)
        except BaseException as exc:  # reported to the main thread
            with lock:
                refused.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return results, refused


def test_racing_extensions_extend_once() -> None:
    petition, _clerk, mayor = _petition()
    results, refused = race(lambda n: petition_extend(actor=mayor, petition=petition, days=n + 1, reason=f"motiv {n}"))
    assert len(results) == 1
    assert len(refused) == THREADS - 1
    assert all(isinstance(e, DomainError) and e.code == "already_extended" for e in refused), refused
    stored = Petition.objects.get(pk=petition.pk)
    assert stored.extension_days == results[0].extension_days
    assert stored.due_date == results[0].due_date
    assert list(audit_verify_chain()) == []


def test_racing_answers_send_one_letter() -> None:
    petition, clerk, _mayor = _petition()
    results, refused = race(
        lambda n: petition_answer(
            actor=clerk, petition=petition, text=f"Răspunsul {n}.", legal_basis="OG 27/2002", outcome="favorable"
        )
    )
    assert len(results) == 1
    assert all(isinstance(e, DomainError) and e.code == "bad_state" for e in refused), refused
    assert Entry.objects.filter(direction=Direction.OUTGOING).count() == 1
    stored = Petition.objects.get(pk=petition.pk)
    assert stored.status == PetitionStatus.ANSWERED and stored.answer_entry_id == results[0].pk
    assert list(audit_verify_chain()) == []
