"""Lean INSERT statements for the few hot writes that combine several rows in one round trip.

Values are prepared exactly as `Model.save()` prepares them (`pre_save` then
`get_db_prep_save`), so what is stored is what the ORM would have stored; only the
statement is built by hand, so that it can sit inside a `WITH` of a larger statement.
On PostgreSQL, a value that `get_db_prep_save` would give back unchanged (a `str` for a
text field, an `int` for an integer or a foreign key to an integer key, an aware
`datetime`, ...) is passed as it is, without the call (`_as_is`).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.backends.utils import CursorWrapper


@dataclass(frozen=True)
class SqlValue:
    """A value that the statement itself computes: `sql` (with its `params`) is put where a
    parameter would go, e.g. `(SELECT id FROM new_id)`, an id taken by the same statement."""

    sql: str
    params: tuple[Any, ...] = ()


def fill_text(text: str, fills: Mapping[str, str]) -> tuple[str, list[str]]:
    """`text` as an SQL text expression in which each mark (a key of `fills`, occurring any
    number of times) is replaced by the text of its SQL expression: `(%s || (expr)::text || %s)`
    and the literal parts as its parameters. Marks are plain strings that JSON does not escape."""
    if not fills or not any(mark in text for mark in fills):
        return "%s", [text]
    pieces = _marks_pattern(tuple(fills)).split(text)
    sql = " || ".join("%s" if i % 2 == 0 else f"({fills[piece]})::text" for i, piece in enumerate(pieces))
    return f"({sql})", pieces[0::2]


@functools.lru_cache(maxsize=32)
def _marks_pattern(marks: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("(" + "|".join(re.escape(mark) for mark in marks) + ")")


def insert_values(
    model: type[models.Model],
    objs: Sequence[models.Model],
    *,
    sql_for: Mapping[str, SqlValue] | None = None,
) -> tuple[str, list[Any]]:
    """`INSERT INTO table (columns) VALUES (...), ...` for unsaved objects (their primary key
    included when the first object has one, e.g. taken from the sequence beforehand).

    `sql_for` maps a field's attribute name (`number`, `hash`) to the `SqlValue` put in place of
    its value, e.g. `(SELECT last_number FROM counter)` taken from an enclosing `WITH`.
    """
    sql_for = sql_for or {}
    with_pk = bool(objs) and (objs[0].pk is not None or model._meta.pk.attname in sql_for)
    fields, as_is, head = _insert_head(model, with_pk)
    db = connections[DEFAULT_DB_ALIAS]  # once: each `connection.x` goes through a thread-local proxy
    rows: list[str] = []
    params: list[Any] = []
    for obj in objs:
        placeholders: list[str] = []
        for f, passes in zip(fields, as_is, strict=True):
            value = sql_for[f.attname] if f.attname in sql_for else f.pre_save(obj, True)
            _put(f, passes, value, db, placeholders, params)
        rows.append(f"({', '.join(placeholders)})")
    return f"{head} VALUES {', '.join(rows)}", params


def insert_row(model: type[models.Model], values: Mapping[str, Any]) -> tuple[str, list[Any]]:
    """`INSERT` of one row given as `{attname: value}`, without building a model instance.

    A field not in `values` takes its default; values are prepared by `get_db_prep_save` as
    `save()` does, but no `pre_save` runs: give `auto_now`/`auto_now_add` fields explicitly.
    A `SqlValue` is put in the statement as its SQL. The primary key is inserted when it is in
    `values`.
    """
    fields, as_is, head = _insert_head(model, model._meta.pk.attname in values)
    db = connections[DEFAULT_DB_ALIAS]
    placeholders: list[str] = []
    params: list[Any] = []
    for f, passes in zip(fields, as_is, strict=True):
        _put(f, passes, values[f.attname] if f.attname in values else f.get_default(), db, placeholders, params)
    return f"{head} VALUES ({', '.join(placeholders)})", params


def _put(field: models.Field[Any, Any], passes: AsIs, value: Any, db: Any, sql: list[str], params: list[Any]) -> None:
    """One value of a row: a `SqlValue` as its SQL, anything else as a parameter prepared as
    `save()` prepares it (or as it is, when that would give it back unchanged)."""
    if isinstance(value, SqlValue):
        sql.append(value.sql)
        params.extend(value.params)
    else:
        sql.append("%s")
        params.append(value if passes and passes(value) else field.get_db_prep_save(value, db))


AsIs = Callable[[Any], bool] | None  # True: the value is its own prepared value


def _is_str(value: Any) -> bool:
    return type(value) is str


def _is_int(value: Any) -> bool:
    return type(value) is int


def _is_bool(value: Any) -> bool:
    return type(value) is bool


def _is_date(value: Any) -> bool:
    return type(value) is dt.date


def _is_aware_datetime(value: Any) -> bool:
    # a naive one is made aware by get_prep_value (with a warning): not as it is
    return type(value) is dt.datetime and value.utcoffset() is not None


def _is_uuid(value: Any) -> bool:
    return type(value) is uuid.UUID


# Field classes (exactly these, not subclasses, which may prepare differently) whose
# `get_db_prep_save` returns such a value unchanged on PostgreSQL: `get_prep_value` gives it
# back (`to_python` of a str, `int()` of an int, ...) and the backend's `adapt_*` does not
# convert it (psycopg adapts it). JSON fields are never passed as they are (Jsonb wrapper).
_AS_IS_ON_POSTGRESQL: dict[type[Any], Callable[[Any], bool]] = {
    models.CharField: _is_str,
    models.TextField: _is_str,
    models.EmailField: _is_str,
    models.SlugField: _is_str,
    models.IntegerField: _is_int,
    models.SmallIntegerField: _is_int,
    models.BigIntegerField: _is_int,
    models.PositiveIntegerField: _is_int,
    models.PositiveSmallIntegerField: _is_int,
    models.PositiveBigIntegerField: _is_int,
    models.AutoField: _is_int,
    models.BigAutoField: _is_int,
    models.SmallAutoField: _is_int,
    models.BooleanField: _is_bool,
    models.DateField: _is_date,
    models.DateTimeField: _is_aware_datetime,
    models.UUIDField: _is_uuid,
}


def _as_is(field: models.Field[Any, Any]) -> AsIs:
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    check = _AS_IS_ON_POSTGRESQL.get(type(target))
    if check is None:
        return None
    if field.null:  # None is stored as NULL, as get_db_prep_save gives it for these fields
        return lambda value: value is None or check(value)
    return check


_heads: dict[tuple[str, type[models.Model], bool], tuple[list[models.Field[Any, Any]], list[AsIs], str]] = {}


def _insert_head(model: type[models.Model], with_pk: bool) -> tuple[list[models.Field[Any, Any]], list[AsIs], str]:
    """The model's inserted fields, which of their values pass as they are, and `INSERT INTO
    table (columns)`, built once per database vendor."""
    key = (connection.vendor, model, with_pk)
    if key not in _heads:
        qn = connection.ops.quote_name
        fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        as_is = [_as_is(f) if connection.vendor == "postgresql" else None for f in fields]
        columns = ", ".join(qn(str(f.column)) for f in fields)
        _heads[key] = fields, as_is, f"INSERT INTO {qn(model._meta.db_table)} ({columns})"
    return _heads[key]


_numbered: dict[str, str] = {}


def execute_bound(sql: str, params: Sequence[Any], *, then_commit: bool = False) -> list[tuple[Any, ...]]:
    """Run one hot statement and return its rows; on PostgreSQL with its parameters bound by the server.

    Django's psycopg cursors bind on the client: psycopg parses the statement's text for `%s` on
    every call, and it caches that work only for statements under 4 kB with at most 50
    parameters, which the registry's one-statement registration (about 75) is not. Here the
    text is numbered (`$1`, `$2`, ...) once per process and sent with its parameters apart (a
    `psycopg.RawCursor`, wrapped like any Django cursor: execute wrappers and query logging
    see it). PostgreSQL also prepares it when the database settings' `OPTIONS` set
    `prepare_threshold` (Django leaves preparing off, for connection poolers).

    `then_commit`: when the statement is the last write of an outermost `transaction.atomic()`
    block, it is committed as soon as it has run: the rows it locks are released when the commit
    is durable, without waiting for this process to be scheduled again to send `COMMIT`. If it
    is also the block's first statement (nothing sent since `BEGIN` would have been), it runs as
    a transaction of its own, as in autocommit mode: no `BEGIN`, no `COMMIT`, one message
    exchange. Otherwise its `COMMIT` is sent with it (a psycopg pipeline). Django's own commit at
    the end of the block then finds nothing to do, and runs the `on_commit` callbacks as usual.
    Anywhere else the statement runs in the caller's transaction.
    """
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    numbered = _numbered.get(sql)
    if numbered is None:
        assert "%%" not in sql, "a literal % is not expected in a hot statement"
        head, *rest = sql.split("%s")
        numbered = head + "".join(f"${i}{part}" for i, part in enumerate(rest, 1))
        if len(_numbered) < 256:  # a handful of statement shapes; never grow without bound
            _numbered[sql] = numbered
    import psycopg

    connection.ensure_connection()
    bound: CursorWrapper = connection._prepare_cursor(psycopg.RawCursor(connection.connection))  # type: ignore[attr-defined]
    with bound:
        if not (then_commit and _outermost_atomic_block()):
            bound.execute(numbered, params)
            return bound.fetchall()
        pg = connection.connection
        if pg.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
            # Nothing sent yet in this transaction: the statement is all of it, and runs as
            # its own (no BEGIN, no COMMIT, no pipeline); Django's commit finds nothing to do.
            pg.autocommit = True
            try:
                bound.execute(numbered, params)
            finally:
                if pg.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
                    pg.autocommit = False
                else:  # the connection broke: no use resetting it; Django drops it after the error
                    connection.close()
            return bound.fetchall()
        with connection.wrap_database_errors, pg.pipeline():
            bound.execute(numbered, params)
            pg.commit()
        return bound.fetchall()


def _outermost_atomic_block() -> bool:
    # Inside the only `atomic()` block, which will commit on exit (not a test case's, nor one
    # opened with autocommit already off).
    return len(connection.atomic_blocks) == 1 and connection.commit_on_exit and not connection.needs_rollback
