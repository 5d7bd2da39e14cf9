"""Citizens' e-service requests in the one search index (ghiseu.search).

The services call `request_search_update(request)` inside their transaction; only
`("service_request", id)` is queued and the worker of queue "search" builds the document from
the database when it applies it (`load_request_documents`). Drafts are the citizen's own and are
not searchable; a submitted request is, by the staff of the department that handles its
service. Its form data is personal data: the document's access class is "personal".
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.urls import reverse

from ghiseu.eservices.models import RequestState, ServiceRequest

SEARCH_KIND = "service_request"
SEARCH_APP = "ghiseu.search"
SEARCHABLE_STATES = (RequestState.PAYMENT_DUE, RequestState.SUBMITTED, RequestState.ISSUED)
CHUNK = 500


def search_available() -> bool:
    return apps.is_installed(SEARCH_APP)


def request_search_update(request: ServiceRequest | int) -> None:
    """Queue the request's (re)indexing (or removal); call inside the transaction that changes it."""
    if not search_available():
        return
    from ghiseu.search.services import search_refresh

    search_refresh(kind=SEARCH_KIND, object_id=request if isinstance(request, int) else request.pk)


def _requests() -> QuerySet[ServiceRequest]:
    return (
        ServiceRequest.objects.filter(state__in=SEARCHABLE_STATES, entry__isnull=False)
        .select_related("service__department", "entry__answers", "entry__file_code", "applicant")
        .order_by("pk")
    )


def _values_text(values: Any) -> str:
    if not isinstance(values, dict):
        return ""
    return "\n".join(str(v) for v in values.values() if v not in (None, "") and not isinstance(v, (dict, list)))


def request_search_fields(request: ServiceRequest) -> dict[str, Any]:
    entry = request.entry
    assert entry is not None
    service = request.service
    department = service.department.code.replace(" ", "") if service.department_id else ""
    applicant = request.applicant.get_full_name() or request.applicant.get_username()
    origin = entry.answers if entry.answers_id else entry
    assert origin is not None
    return {
        "kind": SEARCH_KIND,
        "object_id": request.pk,
        "title": f"{service.name} — {entry.display_number}",
        "text": "\n".join(p for p in (f"{origin.number}/{origin.year}", applicant, _values_text(request.values)) if p),
        "year": entry.year,
        "department": department,
        "file_code": entry.file_code.code.replace(" ", "") if entry.file_code_id and entry.file_code else "",
        "access": "personal",
        "departments": (department,) if department else (),
        "url": reverse("procedures:case", args=[request.case_id])
        if request.case_id
        else reverse("registry:detail", args=[entry.pk]),
    }


def iter_request_documents() -> Iterator[dict[str, Any]]:
    for request in _requests().iterator(chunk_size=CHUNK):
        yield request_search_fields(request)


def load_request_documents(object_ids: Sequence[str]) -> Iterator[dict[str, Any]]:
    ids = [int(i) for i in object_ids if str(i).isdigit()]
    for start in range(0, len(ids), CHUNK):
        for request in _requests().filter(pk__in=ids[start : start + CHUNK]):
            yield request_search_fields(request)


def register_search_provider() -> None:
    if not search_available():
        return
    from ghiseu.search.registry import register_provider

    register_provider(
        SEARCH_KIND, iter_request_documents, count=lambda: _requests().count(), load=load_request_documents
    )
