"""The staff search page and the clerk's box on every staff page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ghiseu.search.tests.helpers import doc, index_docs

pytestmark = pytest.mark.django_db


def client_for(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def corpus() -> None:
    index_docs(
        doc(
            "archive_page",
            5,
            page=3,
            title="Hotărârea nr. 45/2019 a consiliului local",
            text="Se aprobă bugetul local al municipiului Lupeni pentru anul 2019 <b>",
            year=2019,
            department="URB",
            file_code="I/A/1",
            access="internal",
        ),
        *[
            doc(
                "registry_entry",
                n,
                title=f"{n}/2026 Cerere buget",
                text="bugetul asociației de proprietari",
                year=2026,
                department="TAX",
                access="internal",
                departments=("TAX", "role:clerk"),
                url=f"/registratura/{n}/",
            )
            for n in range(1, 26)
        ],
    )


def test_only_staff_search(corpus: None, citizen: Any) -> None:
    assert client_for(None).get("/cautare/", {"q": "buget"}).status_code == 302
    assert client_for(citizen).get("/cautare/", {"q": "buget"}).status_code == 403


def test_results_are_ranked_highlighted_with_the_page_and_open_the_viewer_there(corpus: None, officer: Any) -> None:
    response = client_for(officer).get("/cautare/", {"q": "bugetul local"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "(1)" in html  # the URB officer does not see the TAX entries
    assert 'href="/arhiva/documente/5/?pagina=3"' in html
    assert "pagina 3" in html
    assert "<mark>bugetul</mark> <mark>local</mark>" in html
    assert "2019 &lt;b" in html and "2019 <b" not in html  # the text is escaped, only <mark> is markup


def test_filters_and_pages_work_with_plain_links(corpus: None, clerk: Any) -> None:
    client = client_for(clerk)
    first = client.get("/cautare/", {"q": "buget", "kind": "registry_entry"}).content.decode()
    assert "(25)" in first and "Pagina 1 din 2" in first
    assert 'href="?q=buget&amp;kind=registry_entry&amp;page=2"' in first
    second = client.get("/cautare/", {"q": "buget", "kind": "registry_entry", "page": "2"}).content.decode()
    assert "Pagina 2 din 2" in second and second.count('class="search-hit"') == 5
    assert 'start="21"' in second
    only_2019 = client.get("/cautare/", {"q": "buget", "year": "2019"}).content.decode()
    assert "(1)" in only_2019 and "/arhiva/documente/5/" in only_2019


@pytest.mark.parametrize(
    "params",
    [
        {"q": '"bugetul'},
        {"q": "AND OR ( [ ^ ~ *"},
        {"q": "buget " * 2_000},
        {"q": "buget", "year": "nu-i an", "page": "ultima"},
        {"q": "buget", "kind": "necunoscut", "access": "secret"},
    ],
)
def test_odd_input_never_errors(corpus: None, clerk: Any, params: dict[str, str]) -> None:
    assert client_for(clerk).get("/cautare/", params).status_code == 200


def test_the_clerks_box_is_on_staff_pages_only(corpus: None, clerk: Any, citizen: Any) -> None:
    staff_page = client_for(clerk).get("/registratura/").content.decode()
    assert 'id="clerk-q"' in staff_page and 'action="/cautare/"' in staff_page
    assert 'id="clerk-q"' not in client_for(citizen).get("/servicii/").content.decode()
    assert 'id="clerk-q"' not in client_for(None).get("/servicii/").content.decode()
