"""search_check proves the index matches the source; search_rebuild restores it from providers."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ghiseu.search import engine
from ghiseu.search.models import IndexedDocument
from ghiseu.search.registry import get_providers, register_provider
from ghiseu.search.services import search_index_document, search_remove_document
from ghiseu.search.tests.helpers import doc, ids, index_docs, index_size, run_search_worker

pytestmark = pytest.mark.django_db(transaction=True)

# The "source of truth" of a pretend app: what its provider yields.
SOURCE: dict[int, dict[str, Any]] = {}


def iter_petitions() -> Iterator[dict[str, Any]]:
    for pk, fields in sorted(SOURCE.items()):
        yield doc(kind="petition", object_id=pk, **fields)


@pytest.fixture
def petitions() -> Iterator[dict[int, dict[str, Any]]]:
    SOURCE.clear()
    SOURCE.update(
        {
            1: {"title": "Petiție iluminat", "text": "strada Minerilor"},
            2: {"title": "Petiție salubrizare", "text": "gunoi nepreluat"},
            3: {"title": "Petiție drum", "text": "gropi în asfalt", "access": "personal", "departments": ["URB"]},
        }
    )
    register_provider("petition", iter_petitions, count=lambda: len(SOURCE))
    for pk, fields in SOURCE.items():
        search_index_document(**doc(kind="petition", object_id=pk, **fields))
    run_search_worker()
    yield SOURCE
    SOURCE.clear()


def check(*args: str) -> str:
    out = StringIO()
    call_command("search_check", *args, stdout=out)
    return out.getvalue()


def test_check_passes_on_a_consistent_index(petitions: Any) -> None:
    output = check("--full")
    assert "consistent" in output
    assert "petition" in output and "3" in output


def test_check_catches_a_document_never_indexed(petitions: Any) -> None:
    SOURCE[4] = {"title": "Petiție nouă", "text": "uitată de aplicație"}  # saved without search_index_document
    with pytest.raises(CommandError, match=r"petition:4: not indexed"):
        check()


def test_check_catches_a_stale_document(petitions: Any) -> None:
    SOURCE[2]["text"] = "gunoi preluat cu întârziere"  # changed without re-indexing
    with pytest.raises(CommandError, match=r"petition:2: stale"):
        check()
    SOURCE[2]["text"] = "gunoi nepreluat"
    SOURCE[3]["access"] = "public"  # a change of access makes it stale too
    with pytest.raises(CommandError, match=r"petition:3: stale"):
        check()


def test_check_catches_a_document_gone_from_the_source(petitions: Any) -> None:
    del SOURCE[1]
    with pytest.raises(CommandError, match=r"petition:1: indexed but gone from the source"):
        check()
    search_remove_document(kind="petition", object_id=1)
    run_search_worker()
    assert "consistent" in check()


def test_check_catches_an_index_that_lost_or_changed_a_document(petitions: Any) -> None:
    with engine.get_index().open_writer() as writer:  # behind the ledger's back
        writer.delete_key("petition:1")
        writer.commit()
    with pytest.raises(CommandError) as err:
        check("--full")
    assert "petition: the index holds 2 documents, the ledger 3" in str(err.value)
    assert "petition:1: missing from the index" in str(err.value)

    IndexedDocument.objects.filter(key="petition:2").update(sha256="0" * 64)
    with pytest.raises(CommandError, match=r"petition:2: (stale|different in the index)"):
        check("--full")


def test_check_catches_a_duplicate(petitions: Any) -> None:
    from ghiseu.search.documents import make_document

    with engine.get_index().open_writer() as writer:
        writer.add(make_document(**doc(kind="petition", object_id=1, **SOURCE[1])), replace=False)
        writer.commit()
    with pytest.raises(CommandError, match=r"petition:1: in the index twice"):
        check("--full")


def test_rebuild_restores_the_source_and_check_then_passes(petitions: Any) -> None:
    SOURCE[2]["text"] = "gunoi preluat"
    SOURCE[4] = {"title": "Petiție nouă", "text": "copaci tăiați"}
    del SOURCE[1]
    index_docs(doc(kind="orphan", object_id=1, title="fără furnizor", text="x"))
    with pytest.raises(CommandError):
        check()

    out = StringIO()
    call_command("search_rebuild", stdout=out)
    assert "No provider for orphan" in out.getvalue()
    assert "rebuilt: 3 documents" in out.getvalue()
    assert "Dropped 2" in out.getvalue()  # petition:1 and the orphan kind no provider yields
    assert "consistent" in check("--full")
    assert ids("copaci") == {"4"} and ids("nepreluat") == set() and ids("iluminat") == set()
    assert index_size() == 3


def test_rebuild_of_one_kind_keeps_the_others(petitions: Any) -> None:
    index_docs(doc(kind="registry_entry", object_id=8, title="Intrare", text="registru"))
    SOURCE[2]["title"] = "Petiție salubrizare (completată)"
    call_command("search_rebuild", "--kind", "petition", stdout=StringIO())
    assert ids("registru") == {"8"}
    assert ids("completata") == {"2"}
    assert index_size() == 4


def test_rebuild_recreate_and_errors(petitions: Any) -> None:
    call_command("search_rebuild", "--recreate", stdout=StringIO())
    assert index_size() == 3
    with pytest.raises(CommandError, match="No provider for: nothing"):
        call_command("search_rebuild", "--kind", "nothing", stdout=StringIO())
    assert set(get_providers()) == {"petition"}


def test_check_reports_a_provider_yielding_bad_documents(petitions: Any) -> None:
    SOURCE[5] = {"title": "x", "text": "y", "access": "secret"}
    with pytest.raises(CommandError, match="'petition' provider yielded a bad document"):
        check()


def test_provider_registration_rules() -> None:
    register_provider("petition", iter_petitions)
    register_provider("petition", iter_petitions)  # the same provider again (ready() twice) is fine
    with pytest.raises(ValueError, match="already registered"):
        register_provider("petition", lambda: [])
    with pytest.raises(ValueError):
        register_provider("Bad Kind", iter_petitions)
