"""The archive's pages in the one search index (ghiseu.search), one index document per page.

`search` is called, it does not call back (DESIGN.md): the archive hands it each page's text
with the access fields. The call goes through `_search_call` only, which imports the search
app lazily and does nothing when it is not installed, so the archive works without it.
Called inside the transaction that writes the pages: the index update rides the task queue
(outbox), so a rolled-back import never reaches the index.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps

from ghiseu.accounts.models import Role
from ghiseu.archive.models import AccessClass, Document, Page, stricter_access
from ghiseu.archive.permissions import LEADERSHIP

SEARCH_KIND = "archive_page"
SEARCH_APP = "ghiseu.search"

# The archive's access classes as the search index names them.
SEARCH_ACCESS = {
    AccessClass.PUBLIC: "public",
    AccessClass.INTERNAL: "internal",
    AccessClass.CONFIDENTIAL: "confidential",
    AccessClass.PERSONAL_DATA: "personal",
}


def search_available() -> bool:
    return apps.is_installed(SEARCH_APP)


def _search_call(name: str, **kwargs: Any) -> None:
    """Call `ghiseu.search.services.<name>(**kwargs)` when the search app is installed."""
    if not search_available():
        return
    from ghiseu.search import services as search_services

    getattr(search_services, name)(**kwargs)


def page_search_fields(document: Document, page: Page) -> dict[str, Any]:
    """What the index holds for one page: keyword arguments of `search_index_document`.

    Who reads it, as `ghiseu/archive/permissions.py` says, in the search app's terms ("*" every
    staff member, a department code, "role:<role>" everyone with that role, "<dept>:<role>" that
    role within that department): public and internal pages every staff member; confidential
    pages the owning department, the archivist and the leadership; personal-data pages the
    archivist and the head of the owning department.
    """
    dossier = document.dossier
    access = AccessClass(stricter_access(document.access, dossier.access))
    department = dossier.department.code
    readers: tuple[str, ...]
    if access in (AccessClass.PUBLIC, AccessClass.INTERNAL):
        readers = ("*",)
    elif access == AccessClass.CONFIDENTIAL:
        readers = (department, f"role:{Role.ARCHIVIST}", *(f"role:{role}" for role in sorted(LEADERSHIP)))
    else:
        readers = (f"role:{Role.ARCHIVIST}", f"{department}:{Role.HEAD}")
    return {
        "kind": SEARCH_KIND,
        "object_id": str(document.pk),
        "page": page.number,
        "title": f"{document.title} ({dossier.file_code.code}/{dossier.year})",
        "text": page.text,
        "year": document.document_date.year if document.document_date else dossier.year,
        "department": department.replace(" ", ""),
        "file_code": dossier.file_code.code.replace(" ", ""),
        "access": SEARCH_ACCESS[access],
        "departments": readers,
        "url": "",
    }


def archive_index_document(document: Document) -> None:
    """Queue (re)indexing of every page of `document`, one index document per page.

    The pages go in one call (`search_index_documents`): one outbox task per document (up to
    200 pages), not one per page.
    """
    pages = [page_search_fields(document, page) for page in document.pages.order_by("number")]
    if pages:
        _search_call("search_index_documents", documents=pages)


def archive_unindex_document(document: Document) -> None:
    _search_call("search_remove_document", kind=SEARCH_KIND, object_id=str(document.pk))


def iter_page_documents() -> Iterator[dict[str, Any]]:
    """Every page that should be in the index (for `search_rebuild` and `search_check`)."""
    documents = Document.objects.select_related("dossier__department", "dossier__file_code")
    for document in documents.iterator(chunk_size=200):
        for page in document.pages.order_by("number"):
            yield page_search_fields(document, page)


def register_search_provider() -> None:
    if not search_available():
        return
    from ghiseu.search.registry import register_provider

    register_provider(SEARCH_KIND, iter_page_documents, count=lambda: Page.objects.count())
