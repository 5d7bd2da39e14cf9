"""Index updates ride the task queue in the caller's transaction and are applied by the worker."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from ghiseu.search import engine
from ghiseu.search.documents import make_document
from ghiseu.search.indexing import IndexOp, Operation, RemoveOp, apply_operations, decode_operation, encode_operation
from ghiseu.search.models import IndexedDocument
from ghiseu.search.services import search_index_document, search_index_documents, search_remove_document
from ghiseu.search.tests.helpers import doc, ids, index_size, run_search_worker


class Boom(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_rolled_back_change_never_reaches_the_index_and_committed_one_does() -> None:
    with pytest.raises(Boom), transaction.atomic():
        search_index_document(kind="registry_entry", object_id=1, title="Cerere anulată", text="rollback")
        raise Boom
    with transaction.atomic():
        search_index_document(kind="registry_entry", object_id=2, title="Cerere înregistrată", text="commit")

    assert list(DBTaskResult.objects.values_list("queue_name", flat=True)) == ["search"]
    assert ids("cerere") == set()  # nothing is indexed before the worker runs
    run_search_worker()

    assert ids("cerere") == {"2"}
    assert ids("rollback") == set()
    assert list(IndexedDocument.objects.values_list("key", flat=True)) == ["registry_entry:2"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_worker_of_another_queue_does_not_touch_the_index() -> None:
    search_index_document(kind="registry_entry", object_id=1, title="Cerere", text="")
    call_command("db_worker", batch=True, queue_name="default", startup_delay=False, reload=False, verbosity=0)
    assert DBTaskResult.objects.get().status == "READY"
    assert not engine.index_dir().exists() or index_size() == 0


@pytest.mark.django_db(transaction=True)
def test_updates_are_applied_in_order_and_idempotently() -> None:
    search_index_document(kind="petition", object_id=5, title="Petiție despre iluminat", text="prima versiune")
    search_index_document(kind="petition", object_id=5, title="Petiție despre iluminat", text="a doua versiune")
    search_index_document(kind="petition", object_id=6, title="Petiție despre gunoi", text="de șters")
    search_remove_document(kind="petition", object_id=6)
    run_search_worker()

    assert index_size() == 1
    assert ids("versiune") == {"5"}
    assert ids("prima") == set() and ids("doua") == {"5"}
    assert ids("gunoi") == set()
    assert IndexedDocument.objects.count() == 1

    # the same key again (a retried task, a second save): still one document
    search_index_document(kind="petition", object_id=5, title="Petiție despre iluminat", text="a doua versiune")
    run_search_worker()
    assert index_size() == 1
    assert IndexedDocument.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_pages_are_separate_documents_removed_together() -> None:
    search_index_documents(
        documents=[
            doc(kind="archive_document", object_id=40, page=p, title="Dosar 40", text=f"pagina {p} text{p}")
            for p in (1, 2, 3)
        ]
    )
    search_index_document(kind="archive_document", object_id=41, page=1, title="Dosar 41", text="alt dosar")
    assert DBTaskResult.objects.count() == 2  # one task for the three pages
    run_search_worker()
    assert index_size() == 4
    assert ids("text2") == {"40"}

    search_remove_document(kind="archive_document", object_id=40)
    run_search_worker()
    assert ids("dosar") == {"41"}
    assert set(IndexedDocument.objects.values_list("key", flat=True)) == {"archive_document:41:1"}


@pytest.mark.django_db
def test_bad_input_is_refused_before_anything_is_queued() -> None:
    bad: list[dict[str, Any]] = [
        {"kind": "Registry Entry"},
        {"kind": "a:b"},
        {"object_id": "1:2"},
        {"object_id": ""},
        {"access": "secret"},
        {"page": -1},
        {"year": 99},
        {"department": "X" * 61},
        {"file_code": 12},
        {"departments": ["Y" * 61]},
    ]
    for override in bad:
        fields: dict[str, Any] = {"kind": "registry_entry", "object_id": 1, "title": "t", "text": "x"} | override
        with pytest.raises(ValueError):
            search_index_document(**fields)
    assert DBTaskResult.objects.count() == 0


@pytest.mark.django_db
def test_operations_survive_the_json_round_trip() -> None:
    ops: list[Operation] = [
        IndexOp(make_document(**doc(object_id=3, page=2, title="Ţară", text="nr. 12/2026", departments=["A", "B"]))),
        RemoveOp(kind="archive_page", object_id="9"),
    ]
    decoded = [decode_operation(encode_operation(op)) for op in ops]
    assert decoded == ops
    first = decoded[0]
    assert isinstance(first, IndexOp)
    same_in_other_order = make_document(**doc(object_id=3, page=2, title="Ţară", text="nr. 12/2026", departments="B"))
    assert first.document.content_hash != same_in_other_order.content_hash  # departments count
    reordered = make_document(**doc(object_id=3, page=2, title="Ţară", text="nr. 12/2026", departments=["B", "A"]))
    assert first.document.content_hash == reordered.content_hash
    assert first.document.title == "Țară"


@pytest.mark.django_db(transaction=True)
def test_one_writer_at_a_time() -> None:
    search_index = engine.get_index()
    with (
        search_index.open_writer(),
        pytest.raises(engine.SearchIndexError, match="locked by another writer"),
        search_index.open_writer(timeout=0.3),
    ):
        pass

    # a waiting writer proceeds as soon as the lock is released
    holding = threading.Event()

    def hold_lock() -> None:
        with search_index.open_writer():
            holding.set()
            time.sleep(0.5)

    thread = threading.Thread(target=hold_lock)
    thread.start()
    holding.wait(5)
    started = time.monotonic()
    apply_operations([IndexOp(make_document(**doc()))])
    thread.join()
    assert time.monotonic() - started >= 0.3
    assert index_size() == 1


@pytest.mark.django_db
def test_a_reader_elsewhere_sees_each_commit(search_index_dir: Any) -> None:
    reader = engine.SearchIndex(search_index_dir)  # its own Index object, as in a web process
    assert reader.searcher().num_docs == 0
    apply_operations([IndexOp(make_document(**doc(object_id=1)))])
    assert reader.searcher().num_docs == 1
    apply_operations([RemoveOp(kind="archive_page", object_id="1")])
    assert reader.searcher().num_docs == 0


@pytest.mark.django_db(transaction=True)
def test_the_hand_built_refresh_row_is_the_row_enqueue_writes_and_the_worker_runs_it() -> None:
    from django.db import connection

    from ghiseu.core.sql import SqlValue
    from ghiseu.search.registry import register_provider
    from ghiseu.search.services import search_refresh, search_refresh_insert

    register_provider(
        "petition",
        lambda: iter(()),
        load=lambda object_ids: iter(
            [doc("petition", object_id=i, title="Petiție reîmprospătată") for i in object_ids]
        ),
    )
    inserts = [search_refresh_insert(kind="petition", object_id=7)]
    if connection.vendor == "postgresql":  # the id computed by the caller's statement (a new row's)
        inserts.append(search_refresh_insert(kind="petition", object_id=SqlValue("(SELECT 3 + 4)")))
    with transaction.atomic():
        search_refresh(kind="petition", object_id=7)
        with connection.cursor() as cursor:
            for insert in inserts:
                assert insert is not None
                cursor.execute(*insert)
    columns = [f.attname for f in DBTaskResult._meta.concrete_fields if f.attname not in {"id", "enqueued_at"}]
    by_enqueue, *by_hand = DBTaskResult.objects.order_by("enqueued_at").values(*columns, "enqueued_at")
    assert len(by_hand) == len(inserts)
    for row in by_hand:
        assert by_enqueue["enqueued_at"] <= row.pop("enqueued_at")
        assert {**by_enqueue, "enqueued_at": None} == {**row, "enqueued_at": None}
    with pytest.raises(ValueError):
        search_refresh_insert(kind="no such kind", object_id=7)

    run_search_worker()
    assert ids("reîmprospătată") == {"7"}
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
