"""Helpers for the search tests: index directly, or run the worker of queue "search"."""

from __future__ import annotations

import signal
from typing import Any

from django.core.management import call_command

from ghiseu.search import engine
from ghiseu.search.documents import make_document
from ghiseu.search.indexing import IndexOp, apply_operations
from ghiseu.search.selectors import SearchAccess, SearchResults, search_query

EVERYONE = SearchAccess.everything()


def doc(kind: str = "archive_page", object_id: Any = 1, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"kind": kind, "object_id": object_id, "title": "", "text": "", "access": "public"}
    base.update(fields)
    return base


def index_docs(*docs: dict[str, Any]) -> None:
    """Index at once through the path the outbox task takes (without the queue)."""
    apply_operations([IndexOp(make_document(**d)) for d in docs])


def run_search_worker() -> None:
    """The worker of queue "search", run until the queue is empty (signal handlers restored)."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", batch=True, queue_name="search", startup_delay=False, reload=False, verbosity=0)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def find(q: str, who: SearchAccess = EVERYONE, **filters: Any) -> SearchResults:
    return search_query(user_access=who, q=q, **filters)


def ids(q: str, who: SearchAccess = EVERYONE, **filters: Any) -> set[str]:
    return {h.object_id for h in find(q, who, **filters).hits}


def index_size() -> int:
    return engine.get_index().searcher().num_docs
