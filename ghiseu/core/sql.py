"""Lean INSERT statements for the few hot writes that combine several rows in one round trip.

Values are prepared exactly as `Model.save()` prepares them (`pre_save` then
`get_db_prep_save`), so what is stored is what the ORM would have stored; only the
statement is built by hand, so that it can sit inside a `WITH` of a larger statement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, models
from django.db.backends.utils import CursorWrapper


def insert_values(
    model: type[models.Model],
    objs: Sequence[models.Model],
    *,
    sql_for: Mapping[str, tuple[str, Sequence[Any]]] | None = None,
) -> tuple[str, list[Any]]:
    """`INSERT INTO table (columns) VALUES (...), ...` for unsaved objects (their primary key
    included when the first object has one, e.g. taken from the sequence beforehand).

    `sql_for` maps a field's attribute name (`number`, `hash`) to an SQL expression and its
    parameters put in place of its value, e.g. `(SELECT last_number FROM counter)` taken from
    an enclosing `WITH`.
    """
    sql_for = sql_for or {}
    with_pk = bool(objs) and objs[0].pk is not None
    fields, head = _insert_head(model, with_pk)
    rows: list[str] = []
    params: list[Any] = []
    for obj in objs:
        placeholders = []
        for f in fields:
            if f.attname in sql_for:
                expression, expression_params = sql_for[f.attname]
                placeholders.append(expression)
                params.extend(expression_params)
            else:
                placeholders.append("%s")
                params.append(f.get_db_prep_save(f.pre_save(obj, True), connection))
        rows.append(f"({', '.join(placeholders)})")
    return f"{head} VALUES {', '.join(rows)}", params


def insert_row(model: type[models.Model], values: Mapping[str, Any]) -> tuple[str, list[Any]]:
    """`INSERT` of one row given as `{attname: value}`, without building a model instance.

    A field not in `values` takes its default; values are prepared by `get_db_prep_save` as
    `save()` does, but no `pre_save` runs: give `auto_now`/`auto_now_add` fields explicitly.
    The primary key is inserted when it is in `values`.
    """
    fields, head = _insert_head(model, model._meta.pk.attname in values)
    params = [
        f.get_db_prep_save(values[f.attname] if f.attname in values else f.get_default(), connection) for f in fields
    ]
    return f"{head} VALUES ({', '.join(['%s'] * len(fields))})", params


_heads: dict[tuple[str, type[models.Model], bool], tuple[list[models.Field[Any, Any]], str]] = {}


def _insert_head(model: type[models.Model], with_pk: bool) -> tuple[list[models.Field[Any, Any]], str]:
    """The model's inserted fields and `INSERT INTO table (columns)`, built once per database vendor."""
    key = (connection.vendor, model, with_pk)
    if key not in _heads:
        qn = connection.ops.quote_name
        fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        columns = ", ".join(qn(str(f.column)) for f in fields)
        _heads[key] = fields, f"INSERT INTO {qn(model._meta.db_table)} ({columns})"
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
    block, its `COMMIT` is sent with it (a psycopg pipeline): the rows it locks are released as
    soon as the commit is durable, without waiting for this process to be scheduled again to
    send it. Django's own commit at the end of the block then finds nothing to do, and runs the
    `on_commit` callbacks as usual. Anywhere else the statement runs in the caller's transaction.
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
        with connection.wrap_database_errors, connection.connection.pipeline():
            bound.execute(numbered, params)
            connection.connection.commit()
        return bound.fetchall()


def _outermost_atomic_block() -> bool:
    # Inside the only `atomic()` block, which will commit on exit (not a test case's, nor one
    # opened with autocommit already off).
    return len(connection.atomic_blocks) == 1 and connection.commit_on_exit and not connection.needs_rollback
