"""The staff search page (/cautare/): everything the city hall holds that the person may read,
ranked, with highlighted snippets, filters, the page a hit is on, and pages of results.
Plain GET form and links: it works without JavaScript."""

from __future__ import annotations

import math
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ghiseu.search import selectors
from ghiseu.search.engine import SearchIndexError
from ghiseu.search.forms import ACCESS_LABELS, KIND_LABELS, SearchForm

PAGE_SIZE = 20


def _page_number(value: str | None) -> int:
    try:
        number = int(value or 1)
    except ValueError:
        return 1
    return max(1, min(number, selectors.MAX_OFFSET // PAGE_SIZE + 1))


@require_GET
def search_results(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not getattr(user, "is_staff_member", False):
        raise PermissionDenied
    form = SearchForm(request.GET)
    form.is_valid()  # invalid filters are dropped by criteria(); the words never fail
    criteria = form.criteria()
    page_number = _page_number(request.GET.get("page"))
    asked = bool(criteria["q"].strip()) or any(v for k, v in criteria.items() if k != "q")
    found = selectors.SearchResults(count=0)
    if asked:
        try:
            found = selectors.search_query(
                user_access=selectors.access_for_user(user),
                limit=PAGE_SIZE,
                offset=(page_number - 1) * PAGE_SIZE,
                **criteria,
            )
        except SearchIndexError:
            found = selectors.SearchResults(count=0)
    pages = max(1, math.ceil(min(found.count, selectors.MAX_OFFSET + PAGE_SIZE) / PAGE_SIZE))
    query = request.GET.copy()
    query.pop("page", None)
    rows: list[dict[str, Any]] = [
        {
            "hit": hit,
            "url": selectors.hit_url(hit),
            "kind_label": KIND_LABELS.get(hit.kind, hit.kind),
            "access_label": ACCESS_LABELS.get(hit.access, hit.access),
        }
        for hit in found.hits
    ]
    return render(
        request,
        "search/results.html",
        {
            "form": form,
            "asked": asked,
            "count": found.count,
            "rows": rows,
            "page_number": page_number,
            "pages": pages,
            "first_rank": (page_number - 1) * PAGE_SIZE + 1,
            "has_previous": page_number > 1,
            "has_next": page_number < pages,
            "query": query.urlencode(),
        },
    )
