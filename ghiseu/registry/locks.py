"""Row locks of the registry, taken in one place and one order.

Order within a transaction: an existing entry (by primary key) first, then the register
counter, then (in the audit app) the audit chain head, always last.
"""

from __future__ import annotations

from django.db import connection

from ghiseu.registry.models import Entry, Register, RegisterCounter


def lock_counter(register: Register, year: int) -> RegisterCounter:
    """The counter row of a register-year, locked until the transaction ends (created if new).

    The insert ignores a conflicting row (INSERT ... ON CONFLICT DO NOTHING / INSERT OR
    IGNORE), so two clerks opening a new year at once both end up waiting on the same row.
    """
    RegisterCounter.objects.bulk_create([RegisterCounter(register=register, year=year)], ignore_conflicts=True)
    return RegisterCounter.objects.select_for_update().get(register=register, year=year)


def next_number(register: Register, year: int) -> int:
    """Take the next number of a register-year: one statement locks the counter row and increments it.

    `UPDATE ... RETURNING` (PostgreSQL, SQLite 3.35+) replaces SELECT ... FOR UPDATE followed by
    UPDATE: the row stays locked until the transaction ends, so a rollback gives the number back,
    and the lock is held for one round trip less. The row is created only on the first number of
    a year (as in `lock_counter`), then the update runs again and waits behind any concurrent opener.
    """
    qn = connection.ops.quote_name
    sql = (
        f"UPDATE {qn(RegisterCounter._meta.db_table)} SET {qn('last_number')} = {qn('last_number')} + 1 "  # noqa: S608 - names from the model
        f"WHERE {qn('register_id')} = %s AND {qn('year')} = %s RETURNING {qn('last_number')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [register.pk, year])
        row = cursor.fetchone()
        if row is None:
            RegisterCounter.objects.bulk_create([RegisterCounter(register=register, year=year)], ignore_conflicts=True)
            cursor.execute(sql, [register.pk, year])
            row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def lock_entry(entry_id: int) -> Entry:
    return Entry.objects.select_for_update(of=("self",)).select_related("department", "document_type").get(pk=entry_id)
