"""Row locks of the registry, taken in one place and one order.

Order within a transaction: an existing entry (by primary key) first, then the register
counter, then (in the audit app) the audit chain head, always last. A registration takes the
counter and the head in one statement (`insert_entry`), in that order.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.utils import timezone

from ghiseu.audit.services import Change, audit_append_sql, audit_record_many
from ghiseu.core.sql import SqlValue, execute_bound, insert_values
from ghiseu.registry.models import Entry, Register, RegisterCounter


def _counter_upsert(after: Sequence[str] = ()) -> str:
    """Create the register-year's counter at 1 or add 1 to it, returning the number (row locked until commit).

    `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` (PostgreSQL, SQLite 3.35+): one statement
    takes the row lock, increments and answers; a rollback gives the number back. Two clerks
    opening a new year at once both end up on the one row the first of them created.

    `after`: names of `WITH` parts (data-modifying, with a `RETURNING`) of the same PostgreSQL
    statement that must be written before the counter is locked. PostgreSQL runs a part that
    nothing reads after the main query, i.e. inside the window; counting its rows here makes
    it run first, so its inserts and their index entries are out of the window.
    """
    qn = connection.ops.quote_name
    table = qn(RegisterCounter._meta.db_table)
    last = qn("last_number")
    source = "VALUES (%s, %s, 1)"
    if after:  # names of this module's own WITH parts
        counted = ", ".join(f"(SELECT count(*) FROM {name}) AS {name}_n" for name in after)  # noqa: S608
        source = f"SELECT %s, %s, 1 FROM {counted}"  # noqa: S608
    return (
        f"INSERT INTO {table} ({qn('register_id')}, {qn('year')}, {last}) {source} "
        f"ON CONFLICT ({qn('register_id')}, {qn('year')}) DO UPDATE SET {last} = {table}.{last} + 1 RETURNING {last}"
    )


def next_number(register: Register, year: int) -> int:
    """Take the next number of a register-year (the counter row stays locked until commit)."""
    with connection.cursor() as cursor:
        cursor.execute(_counter_upsert(), [register.pk, year])
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


NUMBER_MARK = "{registry-number}"  # in an audit summary: the number the statement takes
ENTRY_ID_MARK = "{registry-entry-id}"  # in an audit event: the id the statement takes
# A new entry's id on PostgreSQL, in the rows of its one statement (insert_entry takes it there).
ENTRY_ID = SqlValue("(SELECT id FROM new_id)")


def reserve_entry_id() -> int | SqlValue:
    """The id the next entry will have, or how its one statement refers to it.

    On PostgreSQL the entry's statement (`insert_entry`) takes it from the sequence itself, and
    the rows sent with it (routing step, attachments, search outbox) refer to it as `ENTRY_ID`:
    no round trip before the statement, which is then the first of its transaction. Under SQLite the
    rows that need the id are written before the entry: the id is the next rowid, taken under
    the transaction's write lock, and their foreign keys are checked at commit (Django makes
    them DEFERRABLE INITIALLY DEFERRED)."""
    if connection.vendor == "postgresql":
        return ENTRY_ID
    qn = connection.ops.quote_name
    table = Entry._meta.db_table
    with connection.cursor() as cursor:
        # SQLite: the transaction holds the database's one write lock from its BEGIN
        # (IMMEDIATE), so no other entry can take this id before ours is inserted.
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "  # noqa: S608
            f"COALESCE((SELECT MAX(id) FROM {qn(table)}), 0)) + 1",
            [table],
        )
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def insert_entry(
    entry: Entry, *, audit: Change, rows: Sequence[tuple[str, list[Any]]] = (), last: bool = False
) -> None:
    """Number and insert an entry (its id reserved) with its audit event.

    A new entry takes the next number of its register-year; a reply (`answers` set) already has
    the number it answers. `audit` is the registration's event, its summary holding NUMBER_MARK
    where the number goes. `rows` are other `INSERT`s (sql, params) that need only the entry's
    id (its routing step, attachments, its search outbox row), sent in the same statement.
    `last`: nothing else is written in the transaction after it; if it is the caller's outermost
    one, it is committed with the statement (`execute_bound(then_commit=True)`: the statement is
    then the whole transaction when nothing was written before it, e.g. no file stored).

    This is the registration's whole locked window. On PostgreSQL it is one statement: the
    entry's id from its sequence (`reserve_entry_id` left it to the statement: the entry's pk is
    None, the rows and the audit event's object id refer to it), the counter upsert (the row
    stays locked until commit), the entry, and the audit event appended to the chain, whose head
    is locked after the counter (its hash needs the number); the commit follows at once.
    Elsewhere (SQLite lets one writer in at a time anyway) the rows are written one by one.

    The `rows` ride in the same statement (one round trip each less, the cost that counts when
    the machine, not the lock, is the limit); PostgreSQL runs a `WITH` part that the main query
    does not read after it, so they add their few index entries to the window, not a round trip.
    """
    when = timezone.now()
    numbered = entry.answers_id is None
    if connection.vendor != "postgresql":
        assert entry.pk is not None, "reserve_entry_id() first"
        with connection.cursor() as cursor:
            for row_sql, row_params in rows:
                cursor.execute(row_sql, row_params)
        if numbered:
            entry.number = next_number(entry.register, entry.year)
        entry.save(force_insert=True)
        summary = json.loads(json.dumps(audit.summary or {}).replace(NUMBER_MARK, str(entry.number)))
        audit_record_many([dataclasses.replace(audit, summary=summary)], occurred_at=when)
        return

    parts: list[str] = []
    params: list[Any] = []
    fills: dict[str, str] = {}  # mark in the audit event -> the SQL of its value
    entry_sql_for: dict[str, SqlValue] = {}
    if entry.pk is None:
        # nextval() is volatile: the CTE is run once, however often it is read.
        parts.append(f"new_id AS (SELECT nextval(pg_get_serial_sequence('{Entry._meta.db_table}', 'id')) AS id)")
        entry_sql_for["id"] = ENTRY_ID
        fills[ENTRY_ID_MARK] = ENTRY_ID.sql
        if audit.obj is entry and not audit.object_id:
            audit = dataclasses.replace(audit, object_id=ENTRY_ID_MARK)
    id_sql = ENTRY_ID.sql if entry.pk is None else str(int(entry.pk))
    names = [f"row{i}" for i in range(len(rows))]
    parts += [f"{name} AS ({sql} RETURNING 1)" for name, (sql, _) in zip(names, rows, strict=True)]
    params += [p for _, row_params in rows for p in row_params]
    number_sql = "''"
    if numbered:
        parts.append(f"counter AS ({_counter_upsert(after=names)})")  # the rows first, then the lock
        params += [entry.register_id, entry.year]
        number_sql = "(SELECT last_number FROM counter)"
        entry_sql_for["number"] = SqlValue(number_sql)
        fills[NUMBER_MARK] = number_sql
    sql, entry_params = insert_values(Entry, [entry], sql_for=entry_sql_for)
    parts.append(f"new_entry AS ({sql})")
    params += entry_params
    head_sql, head_params, event_sql, event_params = audit_append_sql(audit, occurred_at=when, fills=fills)
    parts.append(f"head AS ({head_sql})")
    params += head_params
    (row,) = execute_bound(
        f"WITH {', '.join(parts)} {event_sql} RETURNING {id_sql}, {number_sql}",
        [*params, *event_params],
        then_commit=last,
    )
    entry.pk = row[0]
    if numbered:
        entry.number = row[1]
    entry._state.adding = False


def lock_entry(entry_id: int) -> Entry:
    return Entry.objects.select_for_update(of=("self",)).select_related("department", "document_type").get(pk=entry_id)
