"""Real concurrency: many connections registering at once get gap-free numbers and no errors."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection, transaction

from ghiseu.accounts.models import Department, Role, User
from ghiseu.audit.models import AuditEvent
from ghiseu.audit.services import audit_verify_chain
from ghiseu.registry.models import DocumentType, Entry, Register, RegisterCounter
from ghiseu.registry.reference import ensure_reference_data
from ghiseu.registry.services import entry_register, entry_reply, general_register


class Boom(Exception):
    """Raised on purpose inside a transaction to roll it back."""


def _setup() -> tuple[User, list[Register], DocumentType]:
    ensure_reference_data()
    registry = Department.objects.create(code="REG", name="Registratură")
    urbanism = Department.objects.create(code="URB", name="Urbanism")
    clerk = User.objects.create_user(username="clerk", role=Role.CLERK, department=registry)
    registers = [
        general_register(),
        Register.objects.create(code="URB", name="Registrul Urbanism", department=urbanism),
    ]
    return clerk, registers, DocumentType.objects.get(code="petition")


def _assert_gap_free(committed: Counter[int]) -> None:
    for register_id, count in committed.items():
        numbers = list(
            Entry.objects.filter(register_id=register_id, answers__isnull=True)
            .order_by("number")
            .values_list("number", flat=True)
        )
        assert numbers == list(range(1, count + 1)), register_id
        assert RegisterCounter.objects.get(register_id=register_id).last_number == count


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sixteen_connections_register_two_thousand_entries_gap_free_on_postgresql() -> None:
    assert connection.vendor == "postgresql", "this test needs PostgreSQL: run it with DATABASE_URL=postgres://..."
    clerk, registers, petition = _setup()
    threads, total = 16, 2000
    per_thread = total // threads
    barrier = threading.Barrier(threads)
    lock = threading.Lock()
    committed: Counter[int] = Counter()
    replies: list[int] = []
    errors: list[BaseException] = []

    def work(t: int) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                n = t * per_thread + i
                register = registers[n % 2]
                try:
                    with transaction.atomic():
                        entry = entry_register(
                            actor=clerk,
                            register=register,
                            direction="incoming",
                            channel="counter",
                            document_type=petition,
                            sender=f"Petent {n}",
                            subject=f"Cererea {n}",
                        )
                        if n % 7 == 6:
                            raise Boom  # rolled back on purpose: its number must be given again
                except Boom:
                    continue
                with lock:
                    committed[register.pk] += 1
                if n % 11 == 0:
                    reply = entry_reply(actor=clerk, entry=entry, recipient=entry.sender, subject="Răspuns")
                    with lock:
                        replies.append(reply.pk)
        except BaseException as exc:  # reported to the main thread
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()

    assert errors == []
    rolled_back = sum(1 for n in range(total) if n % 7 == 6)
    assert sum(committed.values()) == total - rolled_back
    _assert_gap_free(committed)
    assert Entry.objects.filter(answers__isnull=False).count() == len(replies) > 0
    assert AuditEvent.objects.count() == total - rolled_back + len(replies)
    assert list(audit_verify_chain()) == []
    assert Entry.objects.values("tracking_code").distinct().count() == Entry.objects.count()


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_twenty_clerks_registering_at_the_same_moment_all_succeed_on_sqlite() -> None:
    assert connection.vendor == "sqlite", "this test is about the embedded SQLite database"
    clerk, registers, petition = _setup()
    clerks = 20
    barrier = threading.Barrier(clerks)
    numbers: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work(n: int) -> None:
        try:
            barrier.wait()
            entry = entry_register(
                actor=clerk,
                direction="incoming",
                channel="counter",
                document_type=petition,
                sender=f"Petent {n}",
                subject="Cerere depusă la ghișeu",
            )
            with lock:
                numbers.append(entry.number)
        except BaseException as exc:  # "database is locked" would land here
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(n,)) for n in range(clerks)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()

    assert errors == []
    assert sorted(numbers) == list(range(1, clerks + 1))
    _assert_gap_free(Counter({registers[0].pk: clerks}))
    assert list(audit_verify_chain()) == []
