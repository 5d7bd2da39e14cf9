"""Writing the index: applying queued updates (the outbox task) and rebuilding from providers.

Both keep the ledger (`IndexedDocument`) in step with the index: the ledger rows and the
Tantivy commit are made in one database transaction, so a failed commit leaves neither.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from ghiseu.search import engine
from ghiseu.search.documents import SearchDocument, as_documents
from ghiseu.search.models import IndexedDocument
from ghiseu.search.registry import get_providers

LEDGER_BATCH = 1_000


@dataclass(frozen=True)
class IndexOp:
    document: SearchDocument


@dataclass(frozen=True)
class RemoveOp:
    kind: str
    object_id: str


@dataclass(frozen=True)
class RefreshOp:
    """Index the object as the database holds it when the update is applied (its provider's
    `load`), or take it out when the provider yields nothing for it (deleted, not searchable)."""

    kind: str
    object_id: str


Operation = IndexOp | RemoveOp | RefreshOp


def encode_operation(op: Operation) -> dict[str, Any]:
    if isinstance(op, IndexOp):
        return {"op": "index", "document": op.document.to_payload()}
    if isinstance(op, RefreshOp):
        return {"op": "refresh", "kind": op.kind, "object_id": op.object_id}
    return {"op": "remove", "kind": op.kind, "object_id": op.object_id}


def decode_operation(data: dict[str, Any]) -> Operation:
    if data.get("op") == "index":
        return IndexOp(SearchDocument.from_payload(data["document"]))
    if data.get("op") == "remove":
        return RemoveOp(kind=str(data["kind"]), object_id=str(data["object_id"]))
    if data.get("op") == "refresh":
        return RefreshOp(kind=str(data["kind"]), object_id=str(data["object_id"]))
    raise ValueError(f"search: unknown operation {data!r}")


def resolve_refreshes(ops: Sequence[Operation]) -> list[IndexOp | RemoveOp]:
    """Replace each refresh by "remove the object, then index what its provider loads now".

    One `load` call per kind for all the objects refreshed in the batch (a few queries, not a
    few per object); an object refreshed twice is loaded once and applied at its last place.
    """
    wanted: dict[str, dict[str, None]] = {}
    for op in ops:
        if isinstance(op, RefreshOp):
            wanted.setdefault(op.kind, {})[op.object_id] = None
    loaded: dict[tuple[str, str], list[SearchDocument]] = {}
    if wanted:
        providers = get_providers()
        for kind, object_ids in wanted.items():
            provider = providers.get(kind)
            if provider is None or provider.load is None:
                raise ValueError(f"search: no provider with `load` registered for {kind!r}")
            for doc in as_documents(provider.load(list(object_ids))):
                if doc.kind != kind or doc.object_id not in object_ids:
                    raise ValueError(f"search: the {kind!r} provider loaded {doc.key!r}, which was not asked for")
                loaded.setdefault((kind, doc.object_id), []).append(doc)
    last = {(op.kind, op.object_id): i for i, op in enumerate(ops) if isinstance(op, RefreshOp)}
    out: list[IndexOp | RemoveOp] = []
    for i, op in enumerate(ops):
        if not isinstance(op, RefreshOp):
            out.append(op)
            continue
        target = (op.kind, op.object_id)
        if last[target] != i:
            continue
        out.append(RemoveOp(kind=op.kind, object_id=op.object_id))
        out.extend(IndexOp(doc) for doc in loaded.get(target, ()))
    return out


@dataclass(frozen=True)
class ApplyStats:
    indexed: int
    removed_objects: int

    def as_dict(self) -> dict[str, int]:
        return {"indexed": self.indexed, "removed_objects": self.removed_objects}


def _ledger_rows(docs: Iterable[tuple[SearchDocument, str]]) -> list[IndexedDocument]:
    now = timezone.now()
    return [
        IndexedDocument(key=doc.key, kind=doc.kind, object_id=doc.object_id, page=doc.page, sha256=sha, updated_at=now)
        for doc, sha in docs
    ]


def _ledger_upsert(rows: list[IndexedDocument]) -> None:
    IndexedDocument.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["kind", "object_id", "page", "sha256", "updated_at"],
        batch_size=LEDGER_BATCH,
    )


def apply_operations(ops: Sequence[Operation], *, search_index: engine.SearchIndex | None = None) -> ApplyStats:
    """Apply updates in order, idempotently (a document replaces any older one with its key),
    and commit once. Used by the outbox task; safe to run twice with the same operations.
    Refreshes read their objects from the database first (`resolve_refreshes`)."""
    search_index = search_index or engine.get_index()
    with search_index.open_writer() as writer:
        return apply_with_writer(writer, ops)


def apply_with_writer(writer: engine.IndexWriter, ops: Sequence[Operation]) -> ApplyStats:
    """`apply_operations` with a writer the caller holds: ledger rows and the Tantivy commit in
    one database transaction (a savepoint when the caller has opened one)."""
    resolved = resolve_refreshes(ops)
    pending: dict[str, tuple[SearchDocument, str]] = {}
    removed: dict[tuple[str, str], None] = {}
    with transaction.atomic():
        for op in resolved:
            if isinstance(op, IndexOp):
                sha = op.document.content_hash
                writer.add(op.document, content_hash=sha)
                pending.pop(op.document.key, None)
                pending[op.document.key] = (op.document, sha)
            else:
                writer.delete_object(op.kind, op.object_id)
                parent = f"{op.kind}:{op.object_id}"
                pending = {k: v for k, v in pending.items() if v[0].parent_key != parent}
                removed[(op.kind, op.object_id)] = None
        by_kind: dict[str, list[str]] = {}
        for kind, object_id in removed:
            by_kind.setdefault(kind, []).append(object_id)
        for kind, object_ids in by_kind.items():  # one statement per kind and chunk, not per object
            for start in range(0, len(object_ids), LEDGER_BATCH):
                chunk = object_ids[start : start + LEDGER_BATCH]
                IndexedDocument.objects.filter(kind=kind, object_id__in=chunk).delete()
        if pending:
            _ledger_upsert(_ledger_rows(pending.values()))
        writer.commit()
    return ApplyStats(indexed=sum(isinstance(op, IndexOp) for op in resolved), removed_objects=len(removed))


@dataclass
class RebuildStats:
    per_kind: dict[str, int]
    stale_ledger_rows: int


def rebuild(
    *,
    kinds: Sequence[str] | None = None,
    batch_size: int = 2_000,
    heap_bytes: int | None = None,
    threads: int = 1,
    progress: Callable[[str, int], None] | None = None,
    search_index: engine.SearchIndex | None = None,
) -> RebuildStats:
    """Re-index every document the providers yield (all kinds, or `kinds`), in one commit.

    Searches keep seeing the old index until the end, then the new one at once. The ledger is
    written batch by batch (short transactions, so the application keeps working), and rows
    of documents the providers no longer yield are deleted at the end. Updates queued while
    this runs wait for the writer lock and are applied afterwards, so nothing is lost.
    """
    providers = get_providers()
    selected = list(providers) if kinds is None else list(kinds)
    unknown = [k for k in selected if k not in providers]
    if unknown:
        raise ValueError(f"search: no provider registered for {', '.join(unknown)}")
    search_index = search_index or engine.get_index()
    started = timezone.now()
    per_kind: dict[str, int] = {}
    with search_index.open_writer(heap_bytes=heap_bytes, threads=threads) as writer:
        if kinds is None:
            writer.delete_all()
        else:
            for kind in selected:
                writer.delete_kind(kind)
        for kind in selected:
            per_kind[kind] = 0
            batch: list[tuple[SearchDocument, str]] = []
            seen: set[str] = set()
            for doc in as_documents(providers[kind].iter_documents()):
                if doc.kind != kind:
                    raise ValueError(f"search: the {kind!r} provider yielded a {doc.kind!r} document")
                sha = doc.content_hash
                # The index was emptied above: only a key the provider yields twice needs replacing.
                writer.add(doc, content_hash=sha, replace=doc.key in seen)
                seen.add(doc.key)
                batch.append((doc, sha))
                if len(batch) >= batch_size:
                    _flush_ledger(batch)
                    per_kind[kind] += len(batch)
                    if progress:
                        progress(kind, len(batch))
                    batch = []
            if batch:
                _flush_ledger(batch)
                per_kind[kind] += len(batch)
                if progress:
                    progress(kind, len(batch))
        writer.commit()
    stale = IndexedDocument.objects.filter(updated_at__lt=started)
    if kinds is not None:
        stale = stale.filter(kind__in=selected)
    stale_count, _ = stale.delete()
    return RebuildStats(per_kind=per_kind, stale_ledger_rows=stale_count)


def _flush_ledger(batch: list[tuple[SearchDocument, str]]) -> None:
    unique = {doc.key: (doc, sha) for doc, sha in batch}  # one row per key in one statement
    with transaction.atomic():
        _ledger_upsert(_ledger_rows(unique.values()))
