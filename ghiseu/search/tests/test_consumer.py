"""The batching consumer: one index commit for everything queued, idempotent, crash-safe."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from ghiseu.search import consumer, engine
from ghiseu.search.models import IndexedDocument
from ghiseu.search.registry import register_provider
from ghiseu.search.services import search_index_document, search_refresh
from ghiseu.search.tasks import search_apply
from ghiseu.search.tests.helpers import ids, index_size, run_search_worker

pytestmark = pytest.mark.django_db(transaction=True)


class Store:
    """A stand-in app: its objects live in a dict; its provider reads them when asked."""

    def __init__(self) -> None:
        self.objects: dict[str, str] = {}
        self.loads: list[list[str]] = []

    def docs(self, object_ids: Sequence[str]) -> Iterator[dict[str, Any]]:
        for oid in object_ids:
            if oid in self.objects:
                yield {"kind": "petition", "object_id": oid, "title": f"Petiția {oid}", "text": self.objects[oid]}

    def iter_all(self) -> Iterator[dict[str, Any]]:
        return self.docs(sorted(self.objects))

    def load(self, object_ids: Sequence[str]) -> Iterator[dict[str, Any]]:
        self.loads.append(list(object_ids))
        return self.docs(object_ids)


@pytest.fixture
def store() -> Store:
    found = Store()
    register_provider("petition", found.iter_all, load=found.load)
    return found


@pytest.fixture
def commits(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many Tantivy commits were made."""
    made: list[int] = []
    original = engine.IndexWriter.commit

    def counting(self: engine.IndexWriter) -> None:
        made.append(1)
        original(self)

    monkeypatch.setattr(engine.IndexWriter, "commit", counting)
    return made


def statuses() -> list[str]:
    return list(
        DBTaskResult.objects.filter(queue_name="search").order_by("enqueued_at").values_list("status", flat=True)
    )


def test_all_queued_updates_go_in_one_commit(store: Store, commits: list[int]) -> None:
    for n in range(30):
        search_index_document(kind="registry_entry", object_id=n, title=f"Cerere {n}", text="iluminat public")
    for n in range(10):
        store.objects[str(n)] = "groapă în asfalt"
        search_refresh(kind="petition", object_id=n)
    run_search_worker()

    assert len(commits) == 1
    assert statuses() == ["SUCCESSFUL"] * 40
    assert index_size() == 40 and IndexedDocument.objects.count() == 40
    assert len(store.loads) == 1 and len(store.loads[0]) == 10  # one load for the whole batch
    first = DBTaskResult.objects.filter(queue_name="search").order_by("enqueued_at").first()
    assert first is not None and first.return_value == {"indexed": 40, "removed_objects": 10, "tasks": 40}
    call_command("search_check", "--full", stdout=StringIO())


def test_the_batch_is_bounded(settings: Any, commits: list[int]) -> None:
    settings.GHISEU_SEARCH_BATCH_OPERATIONS = 2
    for n in range(5):
        search_index_document(kind="registry_entry", object_id=n, title="Cerere", text="")
    run_search_worker()
    assert len(commits) == 2  # 1 + 2 drained, then 1 + 1
    assert statuses() == ["SUCCESSFUL"] * 5 and index_size() == 5


def test_later_updates_of_an_object_win_within_a_batch(store: Store) -> None:
    search_index_document(kind="registry_entry", object_id=1, title="Cerere", text="prima versiune")
    search_index_document(kind="registry_entry", object_id=1, title="Cerere", text="a doua versiune")
    store.objects["7"] = "text vechi"
    search_refresh(kind="petition", object_id=7)
    store.objects["7"] = "text nou"  # the refresh reads what is there when it is applied
    run_search_worker()
    assert ids("doua") == {"1"} and ids("prima") == set()
    assert ids("nou") == {"7"} and ids("vechi") == set()
    assert index_size() == 2


def test_a_refreshed_object_that_is_gone_leaves_the_index(store: Store) -> None:
    store.objects["3"] = "sesizare despre câini fără stăpân"
    search_refresh(kind="petition", object_id=3)
    run_search_worker()
    assert ids("caini") == {"3"}

    del store.objects["3"]
    search_refresh(kind="petition", object_id=3)
    run_search_worker()
    assert ids("caini") == set()
    assert not IndexedDocument.objects.filter(kind="petition").exists()


def test_a_crash_between_the_index_commit_and_marking_the_tasks_loses_nothing(
    store: Store, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    for n in range(3):
        search_index_document(kind="registry_entry", object_id=n, title=f"Cerere {n}", text="trotuar")
    store.objects["9"] = "trotuar spart"
    search_refresh(kind="petition", object_id=9)
    rows = list(DBTaskResult.objects.filter(queue_name="search").order_by("enqueued_at"))
    own = rows[0]
    own.claim("worker-that-dies")

    def killed(*args: Any, **kwargs: Any) -> None:
        raise SystemExit("killed")

    monkeypatch.setattr(consumer, "_mark_done", killed)
    with pytest.raises(SystemExit):
        consumer.apply_queued(
            own_id=own.id,
            own_enqueued_at=own.enqueued_at,
            own_operations=own.args_kwargs["kwargs"]["operations"],
            queue_name="search",
            task_path=own.task_path,
        )
    # The index was committed; the database was not: the ledger is empty, the tasks are not done.
    assert index_size() == 4
    assert IndexedDocument.objects.count() == 0
    assert statuses() == ["RUNNING", "READY", "READY", "READY"]

    monkeypatch.undo()
    run_search_worker()  # the next run applies them again; the dead worker's task is not yet orphaned
    assert statuses() == ["RUNNING", "SUCCESSFUL", "SUCCESSFUL", "SUCCESSFUL"]
    settings.GHISEU_SEARCH_LOCK_TIMEOUT = 0  # a live worker would have stopped waiting by now
    search_index_document(kind="registry_entry", object_id=99, title="Încă o cerere", text="")
    run_search_worker()  # takes over the dead worker's task

    assert statuses() == ["SUCCESSFUL"] * 5
    assert index_size() == 5  # applied twice, indexed once
    assert all(len(v) == 1 for v in engine.lookup_keys(engine.get_index(), ["registry_entry:0", "petition:9"]).values())
    call_command("search_check", "--full", stdout=StringIO())


def test_a_bad_update_fails_alone() -> None:
    search_index_document(kind="registry_entry", object_id=1, title="Cerere bună", text="")
    search_refresh(kind="service_request", object_id=5)  # no provider loads this kind: a programming mistake
    search_apply.enqueue(operations=[{"op": "rename"}])  # not an operation at all
    search_index_document(kind="registry_entry", object_id=2, title="Altă cerere bună", text="")
    run_search_worker()
    assert statuses() == ["SUCCESSFUL", "FAILED", "FAILED", "SUCCESSFUL"]
    assert ids("cerere") == {"1", "2"}
