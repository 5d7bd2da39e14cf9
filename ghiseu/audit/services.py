from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from ghiseu.audit.models import AuditEvent, AuditHead
from ghiseu.core.sql import SqlValue, fill_text, insert_row, insert_values

GENESIS = "0" * 64


def event_hash(
    *,
    position: int,
    occurred_at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    summary: dict[str, Any],
    prev_hash: str,
) -> str:
    """SHA-256 of the compact JSON array `[position, occurred_at, actor_id, ..., summary, prev_hash]`."""
    middle = _hashed_middle(
        occurred_at=occurred_at,
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary,
    )
    return hashlib.sha256(_hashed_payload(position, middle, prev_hash).encode()).hexdigest()


def _hashed_middle(
    *,
    occurred_at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    summary: dict[str, Any],
) -> str:
    # The hashed array without its first (position) and last (prev_hash) elements: the part an
    # event's author knows before the chain head is locked.
    array = [
        occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        actor_id,
        actor_label,
        action,
        object_type,
        object_id,
        summary,
    ]
    return json.dumps(array, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)[1:-1]


def _hashed_payload(position: int, middle: str, prev_hash: str) -> str:
    # What json.dumps([position, *middle, prev_hash]) gives: an int and a hex string need no escaping.
    return f'[{position},{middle},"{prev_hash}"]'


def _hash_of(event: AuditEvent) -> str:
    return event_hash(
        position=event.position,
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        summary=event.summary,
        prev_hash=event.prev_hash,
    )


def _jsonable(summary: dict[str, Any]) -> dict[str, Any]:
    # What is stored must hash the same after a round trip through the JSON column.
    result: dict[str, Any] = json.loads(json.dumps(summary, default=str, ensure_ascii=False))
    return result


@dataclass(frozen=True)
class Change:
    actor: Any
    action: str
    obj: models.Model | None = None
    object_type: str = ""
    object_id: str = ""
    summary: dict[str, Any] | None = None


def _lock_head() -> tuple[int, str]:
    # The head row exists after the first event: lock it straight away, create it only when missing.
    row = AuditHead.objects.select_for_update().filter(id=1).values_list("position", "hash").first()
    if row is None:
        AuditHead.objects.bulk_create([AuditHead(id=1)], ignore_conflicts=True)
        row = AuditHead.objects.select_for_update().filter(id=1).values_list("position", "hash").get()
    return row


def _prepare(change: Change) -> dict[str, Any]:
    actor = change.actor if getattr(change.actor, "pk", None) else None
    return {
        "actor_id": actor.pk if actor else None,
        "actor_label": (actor.get_username() if actor else str(change.actor or "system"))[:200],
        "action": change.action,
        "object_type": change.object_type or (change.obj._meta.label_lower if change.obj is not None else ""),
        "object_id": change.object_id or (str(change.obj.pk) if change.obj is not None else ""),
        "summary": _jsonable(change.summary or {}),
    }


def _write(events: list[AuditEvent]) -> None:
    """Insert the chained events and move the head to the last one."""
    last = events[-1]
    if connection.vendor != "postgresql":
        AuditEvent.objects.bulk_create(events, batch_size=500)
        AuditHead.objects.filter(id=1).update(position=last.position, hash=last.hash, prev_hash=last.prev_hash)
        return
    # PostgreSQL: the head moves in the same statement as the (last) insert, one round trip less
    # while the head is locked.
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for start in range(0, len(events), 500):
            batch = events[start : start + 500]
            sql, params = insert_values(AuditEvent, batch)
            if batch[-1] is last:
                move = (
                    f"UPDATE {qn(AuditHead._meta.db_table)} "  # noqa: S608 - names from the model
                    f"SET {qn('position')} = %s, {qn('hash')} = %s, {qn('prev_hash')} = %s WHERE {qn('id')} = 1"
                )
                sql, params = f"WITH head AS ({move}) {sql}", [last.position, last.hash, last.prev_hash, *params]
            cursor.execute(f"{sql} RETURNING {qn('id')}", params)
            for event, (pk,) in zip(batch, cursor.fetchall(), strict=True):
                event.pk = pk
                event._state.adding = False


def audit_record_many(
    changes: Iterable[Change], *, occurred_at: datetime | None = None, head: tuple[int, str] | None = None
) -> list[AuditEvent]:
    """Append events to the chain in the caller's transaction (the head lock is taken last).

    `head` is the chain head's (position, hash) when the caller's own statement has already
    locked its row (the registry takes its number and the head in one statement).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit events must be written inside the transaction of the change")
    # Everything that does not depend on the chain is prepared before the head is locked:
    # the head is the one lock every write in the system shares, so it is held as briefly as possible.
    prepared = [_prepare(change) for change in changes]
    position, prev_hash = head or _lock_head()
    when = occurred_at or timezone.now()
    events = []
    for fields in prepared:
        position += 1
        fields.update(position=position, occurred_at=when, prev_hash=prev_hash)
        fields["hash"] = prev_hash = event_hash(**fields)
        events.append(AuditEvent(**fields))
    if events:
        _write(events)
    return events


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    summary: dict[str, Any] | None = None,
    head: tuple[int, str] | None = None,
) -> AuditEvent:
    change = Change(actor=actor, action=action, obj=obj, object_type=object_type, object_id=object_id, summary=summary)
    return audit_record_many([change], head=head)[0]


def audit_append_sql(
    change: Change, *, occurred_at: datetime, fills: Mapping[str, str] | None = None
) -> tuple[str, list[Any], str, list[Any]]:
    """Append `change` to the chain within a caller's larger PostgreSQL statement (one round trip).

    Returns `(head_sql, head_params, insert_sql, insert_params)`: `head AS (head_sql)` goes last
    in the caller's `WITH`, `insert_sql` is the statement's main part. The head row is created or
    moved by one upsert that locks it (as `registry.locks` takes the register counter), computes
    the event's hash in SQL from the head it found, and returns what the event's INSERT needs;
    the hashed text is exactly what `event_hash` hashes, so `audit_verify` checks it as any other.

    `fills` maps a mark to an SQL expression: the mark stands, in the summary or the object id,
    for a value that only the statement knows (the registry number, the entry's id), and is
    replaced by the text of that expression in what is hashed and in what is stored.
    """
    fields = _prepare(change)
    middle = _hashed_middle(occurred_at=occurred_at, **fields)
    fills = fills or {}
    for mark in fills:
        if mark not in middle:
            raise ValueError(f"{mark!r} occurs neither in the summary nor in the object id")
    middle_sql, middle_params = fill_text(middle, fills)

    head_sql = _head_upsert_sql(middle_sql)
    head_params = [GENESIS, *middle_params, GENESIS, *middle_params]  # in the order of its %s
    summary_sql, summary_params = fill_text(json.dumps(fields["summary"], ensure_ascii=False), fills)
    values = {
        **fields,
        "occurred_at": occurred_at,
        "position": SqlValue('(SELECT "position" FROM head)'),
        "prev_hash": SqlValue('(SELECT "prev_hash" FROM head)'),
        "hash": SqlValue('(SELECT "hash" FROM head)'),
        "summary": SqlValue(f"({summary_sql})::jsonb", tuple(summary_params)),
    }
    if any(mark in fields["object_id"] for mark in fills):
        object_id_sql, object_id_params = fill_text(fields["object_id"], fills)
        values["object_id"] = SqlValue(object_id_sql, tuple(object_id_params))
    insert_sql, insert_params = insert_row(AuditEvent, values)
    return head_sql, head_params, insert_sql, insert_params


@functools.lru_cache(maxsize=64)
def _head_upsert_sql(middle_sql: str) -> str:
    """The head's upsert (audit_append_sql) for the SQL of the hashed middle: a handful of shapes."""

    def hashed(position_sql: str, prev_sql: str) -> str:
        # event_hash() in SQL: sha256 of '[' position ',' middle (with the filled values) ',"' prev '"]'.
        payload = f"'[' || ({position_sql}) || ',' || {middle_sql} || ',\"' || ({prev_sql}) || '\"]'"
        return f"encode(sha256(convert_to({payload}, 'UTF8')), 'hex')"

    qn = connection.ops.quote_name
    position, prev_hash, hash_ = qn("position"), qn("prev_hash"), qn("hash")
    return (
        f"INSERT INTO {qn(AuditHead._meta.db_table)} AS h ({qn('id')}, {position}, {prev_hash}, {hash_}) "  # noqa: S608 - names from the model
        f"VALUES (1, 1, %s, {hashed('1', '%s')}) "
        f"ON CONFLICT ({qn('id')}) DO UPDATE SET {position} = h.{position} + 1, {prev_hash} = h.{hash_}, "
        f"{hash_} = {hashed(f'h.{position} + 1', f'h.{hash_}')} "
        f"RETURNING {position}, {prev_hash}, {hash_}"
    )


@dataclass(frozen=True)
class ChainProblem:
    position: int
    event_id: int | None
    kind: str  # "changed", "inserted", "removed"
    detail: str


def audit_verify_chain(batch_size: int = 2000) -> Iterator[ChainProblem]:
    """Walk the chain in order and yield the problems found; the first one is the earliest break."""
    prev_hash = GENESIS
    expected_position = 1
    for event in AuditEvent.objects.order_by("position").iterator(chunk_size=batch_size):
        if _hash_of(event) != event.hash:
            yield ChainProblem(event.position, event.pk, "changed", "its content no longer matches its hash")
            return
        if event.position != expected_position or event.prev_hash != prev_hash:
            if event.position > expected_position and event.prev_hash != prev_hash:
                yield ChainProblem(
                    expected_position, None, "removed", f"events {expected_position}..{event.position - 1} are missing"
                )
            else:
                yield ChainProblem(
                    event.position, event.pk, "inserted", "it does not follow its predecessor in the chain"
                )
            return
        prev_hash = event.hash
        expected_position += 1
    head = AuditHead.objects.filter(id=1).first()
    last = expected_position - 1
    if head is None or (head.position == last and head.hash == prev_hash):
        return
    if head.position == last:
        changed = AuditEvent.objects.filter(position=last).values_list("pk", flat=True).first()
        yield ChainProblem(last, changed, "changed", "the last event does not match the head")
    elif head.position > last:
        yield ChainProblem(last + 1, None, "removed", f"the chain ends at {last}, the head says {head.position}")
    else:
        extra = AuditEvent.objects.filter(position=head.position + 1).values_list("pk", flat=True).first()
        yield ChainProblem(
            head.position + 1, extra, "inserted", f"the head ends at {head.position}, the chain at {last}"
        )


def audit_events_for(obj: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related("actor")
