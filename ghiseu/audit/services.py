from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from ghiseu.audit.models import AuditEvent, AuditHead

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
    payload = json.dumps(
        [
            position,
            occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            actor_id,
            actor_label,
            action,
            object_type,
            object_id,
            summary,
            prev_hash,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


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


def _lock_head() -> AuditHead:
    # The head row exists after the first event: lock it straight away, create it only when missing.
    head = AuditHead.objects.select_for_update().filter(id=1).first()
    if head is None:
        AuditHead.objects.bulk_create([AuditHead(id=1)], ignore_conflicts=True)
        head = AuditHead.objects.select_for_update().get(id=1)
    return head


def audit_record_many(changes: Iterable[Change], *, occurred_at: datetime | None = None) -> list[AuditEvent]:
    """Append events to the chain in the caller's transaction (the head lock is taken last)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit events must be written inside the transaction of the change")
    # Everything that does not depend on the chain is prepared before the head is locked:
    # the head is the one lock every write in the system shares, so it is held as briefly as possible.
    prepared: list[dict[str, Any]] = []
    for change in changes:
        actor = change.actor if getattr(change.actor, "pk", None) else None
        prepared.append(
            {
                "actor_id": actor.pk if actor else None,
                "actor_label": (actor.get_username() if actor else str(change.actor or "system"))[:200],
                "action": change.action,
                "object_type": change.object_type or (change.obj._meta.label_lower if change.obj is not None else ""),
                "object_id": change.object_id or (str(change.obj.pk) if change.obj is not None else ""),
                "summary": _jsonable(change.summary or {}),
            }
        )
    head = _lock_head()
    when = occurred_at or timezone.now()
    events = []
    for fields in prepared:
        fields.update(position=head.position + 1, occurred_at=when, prev_hash=head.hash)
        fields["hash"] = event_hash(**fields)
        events.append(AuditEvent(**fields))
        head.position, head.hash = fields["position"], fields["hash"]
    AuditEvent.objects.bulk_create(events, batch_size=500)
    head.save(update_fields=["position", "hash"])
    return events


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    summary: dict[str, Any] | None = None,
) -> AuditEvent:
    change = Change(actor=actor, action=action, obj=obj, object_type=object_type, object_id=object_id, summary=summary)
    return audit_record_many([change])[0]


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
