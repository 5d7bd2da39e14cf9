"""The registration's locked window: number, entry and audit event written together (one
statement on PostgreSQL, the ORM on SQLite), with the same results and the same chain."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from ghiseu.audit.models import AuditEvent, AuditHead
from ghiseu.audit.services import GENESIS, audit_record, audit_verify_chain
from ghiseu.core.models import StoredFile
from ghiseu.registry.models import Assignment, Attachment, Entry, Register
from ghiseu.registry.services import Upload, entry_register, entry_reply, general_register
from ghiseu.registry.tests.helpers import register

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Boom(Exception):
    pass


def test_the_first_registration_starts_the_chain_and_every_field_is_stored(clerk, urbanism):
    assert not AuditHead.objects.exists()
    entry = register(
        clerk,
        department=urbanism,
        sender_reference="12/2026",
        files=[Upload(io.BytesIO(PDF), "cerere.pdf", len(PDF))],
    )
    stored = Entry.objects.get(pk=entry.pk)
    assert (stored.number, stored.register, stored.department) == (1, general_register(), urbanism)
    assert stored.tracking_code == entry.tracking_code and stored.due_date == entry.due_date
    assert Assignment.objects.get(entry=stored).department == urbanism
    assert Attachment.objects.get(entry=stored).original_name == "cerere.pdf"
    (task,) = DBTaskResult.objects.values_list("args_kwargs", flat=True)  # the search outbox row names it
    assert task["kwargs"]["operations"] == [{"op": "refresh", "kind": "registry_entry", "object_id": str(entry.pk)}]

    event = AuditEvent.objects.get(action="registry.entry.registered")
    assert (event.position, event.prev_hash, event.object_id) == (1, GENESIS, str(entry.pk))
    assert event.summary["number"] == entry.display_number == stored.display_number
    assert event.summary["department"] == "URB" and event.actor == clerk
    head = AuditHead.objects.get()
    assert (head.position, head.hash, head.prev_hash) == (1, event.hash, GENESIS)
    assert list(audit_verify_chain()) == []


def test_registrations_and_other_writes_share_one_chain(clerk, urbanism):
    audit_record(actor="test", action="test.before", object_type="test.thing", object_id="1")
    first = register(clerk)
    reply = entry_reply(actor=clerk, entry=first, recipient="Ion Ionescu", subject="Răspuns", close=True)
    second = register(clerk, department=urbanism)
    actions = list(AuditEvent.objects.order_by("position").values_list("action", "summary__number"))
    assert actions == [
        ("test.before", None),
        ("registry.entry.registered", first.display_number),
        ("registry.entry.registered", first.display_number),  # the reply goes out under the number it answers
        ("registry.entry.closed", None),
        ("registry.entry.registered", second.display_number),
    ]
    assert (reply.number, second.number) == (1, 2)
    head = AuditHead.objects.get()
    last_two = list(AuditEvent.objects.order_by("-position").values_list("hash", "prev_hash")[:2])
    assert (head.hash, head.prev_hash) == (last_two[0][0], last_two[1][0])
    assert list(audit_verify_chain()) == []


def test_a_rolled_back_registration_gives_back_its_number_and_leaves_no_row(clerk, urbanism):
    register(clerk)
    with pytest.raises(Boom), transaction.atomic():
        register(clerk, department=urbanism, files=[Upload(io.BytesIO(PDF), "a.pdf", len(PDF))])
        raise Boom
    assert (Entry.objects.count(), Assignment.objects.count(), Attachment.objects.count()) == (1, 0, 0)
    assert register(clerk).number == 2
    assert AuditEvent.objects.count() == 2
    assert list(audit_verify_chain()) == []


def test_the_number_written_by_the_statement_is_covered_by_the_hash(clerk):
    for _ in range(3):
        entry = register(clerk)
    # Renumbering the event behind the log's back is named by audit_verify.
    event = AuditEvent.objects.get(object_id=str(entry.pk))
    AuditEvent.objects.filter(pk=event.pk).update(summary={**event.summary, "number": "99" + event.summary["number"]})
    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify")
    assert f"event #{event.position}" in str(excinfo.value)


def test_another_register_counts_on_its_own(clerk, urbanism):
    own = Register.objects.create(code="URB", name="Registrul Urbanism", department=urbanism)
    assert [register(clerk, register=own).number for _ in range(2)] == [1, 2]
    assert register(clerk).number == 1
    assert list(audit_verify_chain()) == []


def test_the_general_register_is_read_again_once_it_changes(clerk):
    before = general_register()
    assert register(clerk).register == before
    Register.objects.filter(pk=before.pk).update(is_general=False)  # no signal: the cache is not told
    moved = Register.objects.create(code="RG2", name="Registrul general nou", is_general=True)
    assert general_register() == moved  # saving a register clears what the process kept
    assert register(clerk).register == moved


@pytest.mark.django_db(transaction=True)
def test_a_registration_that_is_its_own_transaction_commits_with_its_statement(clerk, urbanism):
    """On PostgreSQL the one statement is committed as it runs (locks.insert_entry, `last`): alone
    as a transaction of its own, or with a stored file's row before it and its COMMIT pipelined.
    The rows are durable when entry_register returns, a failure at commit (a deferred foreign key)
    leaves nothing, the file's row included, and gives the number back, and a registration inside
    a caller's transaction does not commit it early."""
    from django.db import IntegrityError, connection

    from ghiseu.accounts.models import Department

    commits = []
    first = register(clerk, department=urbanism)
    assert connection.connection is not None
    if connection.vendor == "postgresql":
        assert connection.connection.info.transaction_status == 0  # IDLE: nothing left to commit

    gone = Department(pk=987654, code="XXX", name="Desființat")  # never saved: its key fails at commit
    with pytest.raises(IntegrityError):
        register(clerk, department=gone)
    assert Entry.objects.count() == 1 and Assignment.objects.count() == 1
    # With a file, its row is written before the statement, and the commit that fails takes it along.
    with pytest.raises(IntegrityError):
        register(clerk, department=gone, files=[Upload(io.BytesIO(PDF), "scan.pdf")])
    assert not StoredFile.objects.exists() and not Attachment.objects.exists()
    with_file = register(clerk, department=urbanism, files=[Upload(io.BytesIO(PDF), "scan.pdf")])
    assert with_file.number == 2 and Attachment.objects.get().entry == with_file
    if connection.vendor == "postgresql":
        assert connection.connection.info.transaction_status == 0

    with pytest.raises(Boom), transaction.atomic():
        transaction.on_commit(lambda: commits.append("outer"))
        register(clerk, department=urbanism)
        raise Boom
    assert commits == [] and Entry.objects.count() == 2

    with transaction.atomic():
        transaction.on_commit(lambda: commits.append("outer"))
        second = register(clerk, department=urbanism)
    assert commits == ["outer"]
    numbers = [e.number for e in Entry.objects.order_by("number")]
    assert numbers == [first.number, with_file.number, second.number] == [1, 2, 3]
    assert AuditEvent.objects.filter(action="registry.entry.registered").count() == 3
    assert list(audit_verify_chain()) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_registration_whose_connection_dies_leaves_nothing_and_the_next_one_connects_again(clerk, urbanism):
    """The one statement of a registration that is its own transaction runs as a transaction of its
    own (core.sql.execute_bound): if the server goes away under it, nothing is written and the
    process's next registration opens a new connection instead of failing on the dead one."""
    import psycopg
    from django.db import DatabaseError, connection

    from ghiseu.registry.models import DocumentType

    petition = DocumentType.objects.get(code="petition")

    def register_petition() -> Entry:  # no query before the registration's own
        return entry_register(
            actor=clerk,
            direction="incoming",
            channel="counter",
            document_type=petition,
            sender="Ion Ionescu",
            subject="Cerere",
            department=urbanism,
        )

    register_petition()  # fills the caches: the statement is the first query of the next one
    pid = connection.connection.info.backend_pid
    settings = connection.get_connection_params()
    with psycopg.connect(**settings, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    with pytest.raises(DatabaseError):
        register_petition()
    again = register_petition()
    assert connection.connection.info.backend_pid != pid
    assert again.number == 2 and Entry.objects.count() == 2
    assert list(audit_verify_chain()) == []
