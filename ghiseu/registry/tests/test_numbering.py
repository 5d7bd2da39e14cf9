"""Gap-free numbering: any mix of registrations, rolled-back transactions and replies leaves
each register-year numbered exactly 1..N; the numbering restarts on 1 January in Bucharest."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ghiseu.audit.models import AuditEvent
from ghiseu.audit.services import audit_verify_chain
from ghiseu.registry.models import Entry, Register, RegisterCounter
from ghiseu.registry.services import entry_reply, general_register
from ghiseu.registry.tests.helpers import register

pytestmark = pytest.mark.django_db


class Boom(Exception):
    """Raised on purpose inside a transaction to roll it back."""


REGISTERS = st.sampled_from(["general", "department"])
OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("register"), REGISTERS),
        st.tuples(st.just("register-rolled-back"), REGISTERS),
        st.tuples(st.just("reply"), st.integers(min_value=0, max_value=10_000)),
        st.tuples(st.just("reply-rolled-back"), st.integers(min_value=0, max_value=10_000)),
    ),
    min_size=1,
    max_size=20,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=OPERATIONS)
def test_any_interleaving_leaves_each_register_year_numbered_one_to_n(
    clerk: Any, urbanism: Any, operations: list[tuple[str, Any]]
) -> None:
    # Each example runs in its own savepoint, rolled back at the end: examples start from the same state.
    with transaction.atomic():
        registers = {
            "general": general_register(),
            "department": Register.objects.create(code="URB", name="Registrul Urbanism", department=urbanism),
        }
        committed = {"general": 0, "department": 0}
        originals: list[Entry] = []
        replies: list[Entry] = []
        for operation, argument in operations:
            if operation == "register":
                originals.append(register(clerk, register=registers[argument]))
                committed[argument] += 1
            elif operation == "register-rolled-back":
                with pytest.raises(Boom), transaction.atomic():
                    register(clerk, register=registers[argument])
                    raise Boom
            elif originals:
                origin = originals[argument % len(originals)]
                if operation == "reply":
                    replies.append(entry_reply(actor=clerk, entry=origin, recipient=origin.sender, subject="Răspuns"))
                else:
                    with pytest.raises(Boom), transaction.atomic():
                        entry_reply(actor=clerk, entry=origin, recipient=origin.sender, subject="Răspuns")
                        raise Boom

        year = timezone.localdate().year
        for name, book in registers.items():
            numbers = list(
                Entry.objects.filter(register=book, year=year, answers__isnull=True)
                .order_by("number")
                .values_list("number", flat=True)
            )
            assert numbers == list(range(1, committed[name] + 1)), name
            counter = RegisterCounter.objects.filter(register=book, year=year).first()
            assert (counter.last_number if counter else 0) == committed[name]
        # Replies carry the number of what they answer and take no number of their own.
        assert Entry.objects.filter(answers__isnull=False).count() == len(replies)
        for reply in replies:
            assert reply.answers is not None
            assert (reply.register_id, reply.year, reply.number) == (
                reply.answers.register_id,
                reply.answers.year,
                reply.answers.number,
            )
        # Rolled-back work left no audit event behind, and the chain is whole.
        assert AuditEvent.objects.filter(action="registry.entry.registered").count() == len(originals) + len(replies)
        assert list(audit_verify_chain()) == []
        transaction.set_rollback(True)


def _at(moment: str) -> Any:
    return mock.patch("django.utils.timezone.now", return_value=dt.datetime.fromisoformat(moment))


def test_numbering_restarts_at_midnight_of_31_december_in_bucharest(clerk: Any) -> None:
    with _at("2026-12-31T09:00:00+00:00"):
        first, second = register(clerk), register(clerk)
    with _at("2026-12-31T21:59:59+00:00"):  # 23:59:59 in Bucharest: still 2026
        last_of_year = register(clerk)
    with _at("2026-12-31T22:00:01+00:00"):  # 00:00:01 on 1 January 2027 in Bucharest
        first_of_year = register(clerk)
    with _at("2027-01-04T08:30:00+00:00"):
        reply = entry_reply(actor=clerk, entry=last_of_year, recipient="Maria Lungu", subject="Răspuns")
        next_of_year = register(clerk)

    assert [(e.year, e.number) for e in (first, second, last_of_year)] == [(2026, 1), (2026, 2), (2026, 3)]
    assert (first_of_year.year, first_of_year.number) == (2027, 1)
    assert (next_of_year.year, next_of_year.number) == (2027, 2)
    assert last_of_year.display_number == "3/31.12.2026"
    assert first_of_year.display_number == "1/01.01.2027"
    # The answer sent in January goes out under the December number.
    assert (reply.year, reply.number, reply.display_number) == (2026, 3, "3/31.12.2026")
    counters = dict(RegisterCounter.objects.filter(register=general_register()).values_list("year", "last_number"))
    assert counters == {2026: 3, 2027: 2}
    # The 30-day term of a petition registered on 1 January ends on Sunday 31 January: it moves to Monday.
    assert first_of_year.due_date == dt.date(2027, 2, 1)
    assert last_of_year.due_date == dt.date(2027, 2, 1)  # 30 January is a Saturday
