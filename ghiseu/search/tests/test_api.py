"""GET /api/v1/search: staff token, only what the token's user may read, filters, odd queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ghiseu.accounts.services import api_token_get_or_create
from ghiseu.search.tests.helpers import doc, index_docs

pytestmark = pytest.mark.django_db

URL = "/api/v1/search"


def api(user: Any | None) -> Client:
    if user is None:
        return Client()
    token, _ = api_token_get_or_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token.key}")


@pytest.fixture
def corpus() -> None:
    index_docs(
        doc(
            "registry_entry",
            1,
            title="12/29.11.2026 Cerere privind iluminatul public",
            text="Ion Ionescu cere repararea iluminatului pe strada Ștefan cel Mare",
            year=2026,
            department="URB",
            file_code="II/A/3",
            access="internal",
            departments=("role:clerk", "URB"),
            url="/registratura/1/",
        ),
        doc(
            "archive_page",
            5,
            page=2,
            title="Autorizație de construire (II/A/3/2019)",
            text="Se autorizează executarea lucrărilor de iluminat public în cartierul Braia",
            year=2019,
            department="URB",
            file_code="II/A/3",
            access="public",
        ),
        doc(
            "petition",
            7,
            title="7/29.11.2026 — reclamație",
            text="Iluminatul stradal nu funcționează; Maria Popescu",
            year=2026,
            department="TAX",
            access="personal",
            departments=("role:clerk", "TAX"),
            url="/petitii/7/",
        ),
    )


def test_a_token_is_required(corpus: None, citizen: Any) -> None:
    assert api(None).get(URL, {"q": "iluminat"}).status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer nu-exista").get(URL, {"q": "iluminat"}).status_code == 401


def test_answers_count_and_results_with_snippets_urls_and_pages(corpus: None, clerk: Any) -> None:
    response = api(clerk).get(URL, {"q": "iluminat"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "results"}
    assert body["count"] == 3
    by_kind = {r["kind"]: r for r in body["results"]}
    assert set(by_kind) == {"registry_entry", "archive_page", "petition"}
    for row in body["results"]:
        assert set(row) == {"kind", "id", "title", "snippet", "url", "page"}
        assert "<mark>" in row["snippet"]
    assert by_kind["registry_entry"]["url"] == "/registratura/1/"
    assert by_kind["registry_entry"]["page"] is None
    # An archive page opens the document viewer at the page the words are on.
    assert by_kind["archive_page"]["url"] == "/arhiva/documente/5/?pagina=2"
    assert by_kind["archive_page"]["page"] == 2


def test_only_what_the_users_may_read_is_counted_and_shown(
    corpus: None, clerk: Any, officer: Any, other_officer: Any
) -> None:
    def kinds(user: Any) -> tuple[int, set[str]]:
        body = api(user).get(URL, {"q": "iluminatul"}).json()
        return body["count"], {r["kind"] for r in body["results"]}

    assert kinds(clerk) == (3, {"registry_entry", "archive_page", "petition"})
    assert kinds(officer) == (2, {"registry_entry", "archive_page"})  # URB: not the TAX petition
    assert kinds(other_officer) == (2, {"archive_page", "petition"})  # TAX: not the URB entry


def test_filters(corpus: None, clerk: Any) -> None:
    client = api(clerk)

    def found(**params: Any) -> set[str]:
        body = client.get(URL, {"q": "iluminat", **params}).json()
        return {f"{r['kind']}:{r['id']}" for r in body["results"]}

    assert found(kind="petition") == {"petition:7"}
    assert found(kind=["petition", "archive_page"]) == {"petition:7", "archive_page:5"}
    assert found(year=2019) == {"archive_page:5"}
    assert found(department="TAX") == {"petition:7"}
    assert found(file_code="II/A/3") == {"registry_entry:1", "archive_page:5"}
    assert found(access="public") == {"archive_page:5"}
    assert found(access="personal", year=2026) == {"petition:7"}
    assert client.get(URL, {"q": "", "department": "URB"}).json()["count"] == 2  # filters alone list
    assert client.get(URL, {"q": "iluminat", "limit": "1", "offset": "1"}).json()["count"] == 3
    assert len(client.get(URL, {"q": "iluminat", "limit": "1", "offset": "1"}).json()["results"]) == 1
    assert client.get(URL, {"q": "iluminat", "limit": "1000"}).status_code == 422
    assert client.get(URL, {"q": "iluminat", "year": "anul trecut"}).status_code == 422


@pytest.mark.parametrize(
    "q",
    [
        '"bugetul local',
        '"""',
        "iluminat AND OR NOT (",
        "title:iluminat body:*",
        "ilum* ~2 ^3 +-",
        "{[(<script>alert(1)</script>)]}",
        "\x00\x01 iluminat \u200b",
        "ş ţ Ş Ţ",
        "-",
        "1234/2026/",
        "iluminat " * 1_250,  # 10,000 characters
        "x" * 10_000,
    ],
)
def test_odd_queries_never_error(corpus: None, clerk: Any, q: str) -> None:
    response = api(clerk).get(URL, {"q": q})
    assert response.status_code == 200, response.content[:300]
    assert isinstance(response.json()["count"], int)
