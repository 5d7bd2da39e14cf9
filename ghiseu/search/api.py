"""`GET /api/v1/search?q=...`: one search over everything the token's user may read.

The access rule is part of the index query (`selectors.access_for_user`), so counts and pages
never include what the user may not see. Whatever `q` holds (quotes, operators, brackets,
10,000 characters) it never errors: the text is parsed by hand, never by Tantivy's parser.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from ghiseu.search import selectors
from ghiseu.search.documents import ACCESS_CLASSES
from ghiseu.search.engine import SearchIndexError

router = Router(tags=["search"])

DEFAULT_LIMIT = 20


class SearchFilterIn(Schema):
    q: str = Field("", description="Cuvinte (cu sau fără diacritice), „expresii între ghilimele”, 1234/2026, -exclus.")
    kind: list[str] = Field(
        default_factory=list,
        description="registry_entry, service_request, petition, archive_page (se poate repeta).",
    )
    year: int | None = Field(None, ge=1, le=9999)
    department: str | None = Field(None, max_length=60, description="Codul compartimentului.")
    file_code: str | None = Field(None, max_length=60, description="Indicativul din nomenclator.")
    access: str | None = Field(None, description=f"Clasa de acces: {', '.join(ACCESS_CLASSES)}.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=selectors.MAX_LIMIT)
    offset: int = Field(0, ge=0, le=selectors.MAX_OFFSET)


class SearchResultOut(Schema):
    kind: str
    id: str
    title: str
    snippet: str = Field(description="Un pasaj din text, HTML escapat, cuvintele găsite în <mark>.")
    url: str
    page: int | None


class SearchOut(Schema):
    count: int
    results: list[SearchResultOut]


def result_rows(found: selectors.SearchResults) -> list[dict[str, Any]]:
    return [
        {
            "kind": hit.kind,
            "id": hit.object_id,
            "title": hit.title,
            "snippet": str(hit.snippet),
            "url": selectors.hit_url(hit),
            "page": hit.page,
        }
        for hit in found.hits
    ]


@router.get("", response=SearchOut, summary="Caută în tot ce deține primăria")
def search(request: HttpRequest, filters: Query[SearchFilterIn]) -> dict[str, Any]:
    """Ranked results with highlighted snippets; only what the token's user may read."""
    user = request.auth  # type: ignore[attr-defined]
    try:
        found = selectors.search_query(
            user_access=selectors.access_for_user(user),
            q=filters.q,
            kinds=[k for k in filters.kind if k] or None,
            year=filters.year,
            department=(filters.department or "").strip() or None,
            file_code=(filters.file_code or "").strip() or None,
            access=(filters.access or "").strip() or None,
            limit=filters.limit,
            offset=filters.offset,
        )
    except SearchIndexError:
        found = selectors.SearchResults(count=0)
    return {"count": found.count, "results": result_rows(found)}
