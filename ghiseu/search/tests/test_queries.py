"""Whatever a person types, searching answers; filters and pages."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ghiseu.search.query import parse_query
from ghiseu.search.selectors import SearchAccess
from ghiseu.search.tests.helpers import doc, find, ids, index_docs

pytestmark = pytest.mark.django_db

ODD_QUERIES = [
    '"',
    '"""',
    '"dosar',
    'dosar"',
    "(((dosar",
    "dosar)))",
    "dosar AND OR NOT",
    "AND",
    "NOT dosar",
    "*",
    "dos*",
    "?",
    "~2",
    "dosar~",
    "title:dosar",
    "body:",
    "year:[2020 TO 2026]",
    "[",
    "{}",
    "\\",
    '\\"',
    "+",
    "-",
    "--",
    '-""',
    '-"dosar"',
    "^",
    "dosar^5",
    "/regex/",
    "&&||!",
    "\x00\x01\x1f",
    "\u200b\u200e",
    "🙂",
    "🙂 dosar 🙂",
    "🙂" * 5_000,
    "a" * 10_000,
    "dosar " * 2_000,
    "ș" * 10_000,
    "1" * 10_000,
    "1234/" * 2_000,
    "'; DROP TABLE search_indexeddocument; --",
    "<script>alert(1)</script>",
    "%s %d {0}",
    "١٢٣٤",
    "Ωμέγα 漢字 ﷽",
    "   ",
    "",
]


@pytest.fixture
def corpus() -> None:
    index_docs(
        doc(object_id=1, title="Dosar de urbanism", text="Dosarul nr. 1234/2026 privind construcția", year=2026),
        doc(object_id=2, title="Registru", text="Alt document", year=2025),
    )


@pytest.mark.parametrize("text", ODD_QUERIES, ids=range(len(ODD_QUERIES)))
def test_odd_queries_never_error(corpus: None, text: str) -> None:
    result = find(text)
    assert result.count >= 0
    assert len(result.hits) <= 20


@pytest.mark.parametrize(
    "text",
    [
        "(((dosar",
        "dosar)))",
        '"dosar',
        'dosar"',
        '"dosar"',
        "«dosar»",
        "+dosar!!!",
        "dosar~",
        "dosar AND OR NOT",
        "🙂 dosar 🙂",
        "dosar " * 2_000,
        "[dosar] {urbanism}",
    ],
)
def test_words_in_noise_still_count(corpus: None, text: str) -> None:
    assert ids(text) == {"1"}


@given(text=st.text(max_size=300))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_text_never_errors(corpus: None, text: str) -> None:
    result = find(text, SearchAccess.staff("URB"), year=2026, limit=5)
    assert 0 <= result.count <= 1


def test_query_is_cut_to_a_sane_size() -> None:
    parsed = parse_query("cuvânt" + " altul" * 5_000)
    assert parsed.clause_count() <= 24


def test_nothing_asked_returns_nothing(corpus: None) -> None:
    assert find("").count == 0
    assert find("  ()  ").count == 0


def test_filters(corpus: None) -> None:
    index_docs(
        doc(kind="registry_entry", object_id=9, title="Dosar fiscal", department="TAX", file_code="III/B/4", year=2026),
    )
    assert ids("dosar") == {"1", "9"}
    assert ids("dosar", kinds=["registry_entry"]) == {"9"}
    assert ids("dosar", kinds=["registry_entry", "archive_page"]) == {"1", "9"}
    assert ids("dosar", year=2026) == {"1", "9"}
    assert ids("dosar", year=2025) == set()
    assert ids("", year=2025) == {"2"}
    assert ids("dosar", department="TAX") == {"9"}
    assert ids("dosar", file_code="III/B/4") == {"9"}
    assert ids("dosar", kinds=["nothing"]) == set()
    # odd filter values never error either
    assert find("dosar", year="anul").count == 0
    assert find("dosar", year=10**30).count == 0


def test_pages_of_results(corpus: None) -> None:
    index_docs(*[doc(object_id=f"p{i}", title=f"Cerere {i}", text="cerere de informații") for i in range(30)])
    first = find("cerere", limit=20)
    second = find("cerere", limit=20, offset=20)
    assert first.count == second.count == 30
    assert len(first.hits) == 20 and len(second.hits) == 10
    assert not {h.object_id for h in first.hits} & {h.object_id for h in second.hits}
    assert len(find("cerere", limit=0).hits) == 1  # clamped, never a Tantivy panic
    assert len(find("cerere", limit=10_000).hits) == 30
    assert find("cerere", offset=10**9).hits == []


def test_hit_carries_what_a_result_list_needs(corpus: None) -> None:
    index_docs(
        doc(
            kind="archive_page",
            object_id=77,
            page=3,
            title="Autorizație de construire",
            text="Pagina a treia: autorizația emisă",
            url="/arhiva/documente/77/#pagina-3",
            year=2019,
            department="URB",
        )
    )
    hit: Any = find("autorizatie").hits[0]
    assert (hit.kind, hit.id, hit.page, hit.url, hit.year, hit.department) == (
        "archive_page",
        "77",
        3,
        "/arhiva/documente/77/#pagina-3",
        2019,
        "URB",
    )
    assert hit.snippet == "Pagina a treia: <mark>autorizația</mark> emisă"
    plain = find("autorizatie", snippets=False).hits[0]
    assert plain.snippet == "Pagina a treia: autorizația emisă"  # the start of the text, unmarked
