"""Lean INSERT statements for the few hot writes that combine several rows in one round trip.

Values are prepared exactly as `Model.save()` prepares them (`pre_save` then
`get_db_prep_save`), so what is stored is what the ORM would have stored; only the
statement is built by hand, so that it can sit inside a `WITH` of a larger statement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, models


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
    qn = connection.ops.quote_name
    with_pk = bool(objs) and objs[0].pk is not None
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
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
    columns = ", ".join(qn(str(f.column)) for f in fields)
    table = qn(model._meta.db_table)
    return f"INSERT INTO {table} ({columns}) VALUES {', '.join(rows)}", params  # noqa: S608 - names from the model
