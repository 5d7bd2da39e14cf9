"""Petitions in the one search index (ghiseu.search).

The services call `petition_search_update(petition)` inside their transaction; only
`("petition", id)` is queued and the worker of queue "search" builds the document from the
database when it applies it (`load_petition_documents`).

Who finds a petition: as for its registry entry, the registry-wide roles and the department
that holds it (or solved it). A petition is never a public document: the petitioner's name and
address are personal data, and a petition from an identified person is classed "personal".
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation

from ghiseu.petitions.models import Petition, PetitionerType
from ghiseu.registry.permissions import READ_ALL

SEARCH_KIND = "petition"
SEARCH_APP = "ghiseu.search"
WIDE_READERS = tuple(sorted(f"role:{role}" for role in READ_ALL))
CHUNK = 500


def search_available() -> bool:
    return apps.is_installed(SEARCH_APP)


def petition_search_update(petition: Petition | int) -> None:
    """Queue the petition's (re)indexing; call inside the transaction that changes it."""
    if not search_available():
        return
    from ghiseu.search.services import search_refresh

    search_refresh(kind=SEARCH_KIND, object_id=petition if isinstance(petition, int) else petition.pk)


def _petitions() -> QuerySet[Petition]:
    return Petition.objects.select_related(
        "entry__answers", "entry__department", "entry__file_code", "category", "solving_department"
    ).order_by("pk")


def _code(department: Any) -> str:
    return str(department.code).replace(" ", "") if department is not None else ""


def petition_search_fields(petition: Petition) -> dict[str, Any]:
    entry = petition.entry
    department = _code(petition.solving_department) or _code(entry.department)
    with translation.override("ro"):
        kind = str(petition.get_kind_display())
        status = str(petition.get_status_display())
    identified = not petition.anonymous and bool(petition.petitioner_name.strip())
    personal = identified and petition.petitioner_type == PetitionerType.PERSON
    petitioner = (petition.petitioner_name, petition.petitioner_address) if identified else ()
    category = petition.category.name if petition.category_id and petition.category else ""
    text = "\n".join(
        p
        for p in (
            f"{entry.number}/{entry.year}",
            kind,
            status,
            category,
            *petitioner,
            petition.description,
            petition.location_address,
            petition.forwarded_to,
            petition.answer_text,
        )
        if p
    )
    readers = {*WIDE_READERS, *(d for d in (department, _code(entry.department)) if d)}
    return {
        "kind": SEARCH_KIND,
        "object_id": petition.pk,
        "title": f"{entry.display_number} — {kind}" + (f": {category}" if category else ""),
        "text": text,
        "year": entry.year,
        "department": department,
        "file_code": entry.file_code.code.replace(" ", "") if entry.file_code_id and entry.file_code else "",
        "access": "personal" if personal else "internal",
        "departments": tuple(sorted(readers)),
        "url": reverse("petitions:detail", args=[petition.pk]),
    }


def iter_petition_documents() -> Iterator[dict[str, Any]]:
    for petition in _petitions().iterator(chunk_size=CHUNK):
        yield petition_search_fields(petition)


def load_petition_documents(object_ids: Sequence[str]) -> Iterator[dict[str, Any]]:
    ids = [int(i) for i in object_ids if str(i).isdigit()]
    for start in range(0, len(ids), CHUNK):
        for petition in _petitions().filter(pk__in=ids[start : start + CHUNK]):
            yield petition_search_fields(petition)


def _entry_changed(entry_id: int) -> None:
    for petition_id in Petition.objects.filter(entry_id=entry_id).values_list("pk", flat=True):
        petition_search_update(petition_id)


def register_search_provider() -> None:
    if not search_available():
        return
    from ghiseu.registry.indexing import on_entry_search_update
    from ghiseu.search.registry import register_provider

    on_entry_search_update(_entry_changed)
    register_provider(SEARCH_KIND, iter_petition_documents, count=Petition.objects.count, load=load_petition_documents)
