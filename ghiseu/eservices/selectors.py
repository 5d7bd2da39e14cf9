"""Reads of the eservices app: the public catalogue, a citizen's requests ("my file")."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ghiseu.core.errors import NotFound
from ghiseu.core.text import fold
from ghiseu.eservices.models import FieldKind, LifeEvent, RequestAttachment, RequestState, Service, ServiceRequest
from ghiseu.procedures.models import CaseStatus, CaseTask, TaskKind, TaskStatus


@dataclass
class CatalogueGroup:
    key: str
    title: str
    services: list[Service] = field(default_factory=list)


def catalogue(*, query: str = "", group_by: str = "life_event") -> list[CatalogueGroup]:
    """The published services matching every word of `query` (diacritics and case ignored), in
    groups by life event (or by department), in the order of the life events."""
    qs = Service.objects.filter(is_published=True).select_related("department")
    for word in fold(query).split()[:10]:
        qs = qs.filter(search_text__contains=word)
    groups: dict[str, CatalogueGroup] = {}
    if group_by == "department":
        for service in qs.order_by("department__name", "order", "name"):
            key = service.department.code
            groups.setdefault(key, CatalogueGroup(key, service.department.name)).services.append(service)
        return list(groups.values())
    labels = dict(LifeEvent.choices)
    for service in qs:
        groups.setdefault(
            service.life_event, CatalogueGroup(service.life_event, str(labels.get(service.life_event, "")))
        ).services.append(service)
    order = list(LifeEvent.values)
    return sorted(groups.values(), key=lambda g: order.index(g.key) if g.key in order else len(order))


CATALOGUE_VERSION_KEY = "eservices:catalogue:version"


def catalogue_changed() -> None:
    """Forget the rendered catalogue (a service, document or department changed)."""
    try:
        cache.incr(CATALOGUE_VERSION_KEY)
    except ValueError:
        cache.set(CATALOGUE_VERSION_KEY, 1, None)


def catalogue_listing(*, query: str, group_by: str, language: str) -> str:
    """The catalogue's list of services as HTML, rendered once and kept in the cache for
    GHISEU_CATALOGUE_CACHE_SECONDS (0: rendered every time); a change of a service forgets it
    (at once in this process and in a shared cache; within the timeout in other processes)."""

    def render() -> str:
        groups = catalogue(query=query, group_by=group_by)
        count = sum(len(g.services) for g in groups)
        return render_to_string("eservices/_catalogue_list.html", {"groups": groups, "count": count})

    return mark_safe(_cached(f"catalogue|{language}|{group_by}|{query}", render))  # noqa: S308 (our template)


def _cached(key: str, render: Callable[[], Any]) -> Any:
    """`render()` kept under `key` (with the catalogue's version) for GHISEU_CATALOGUE_CACHE_SECONDS."""
    timeout = settings.GHISEU_CATALOGUE_CACHE_SECONDS
    if timeout <= 0:
        return render()
    version = cache.get_or_set(CATALOGUE_VERSION_KEY, 1, None)
    full_key = f"eservices:{version}:{hashlib.sha256(key.encode()).hexdigest()[:32]}"
    value = cache.get(full_key)
    if value is None:
        value = render()
        cache.set(full_key, value, timeout)
    return value


def service_page(*, code: str, language: str, signed_in: bool) -> tuple[str, str]:
    """A published service's page body as HTML, and its name; cached like the catalogue.

    Raises NotFound for a service that does not exist or is not published (not cached).
    """

    def render() -> tuple[str, str]:
        service = service_by_code(code)
        fields = list(service.fields.all())
        body = render_to_string(
            "eservices/_service_detail_body.html",
            {
                "service": service,
                "fields": fields,
                "documents": list(service.documents.all()),
                "file_fields": [f for f in fields if f.kind == FieldKind.FILE],
                "user": {"is_authenticated": signed_in},
            },
        )
        return body, service.name

    body, name = _cached(f"service|{language}|{code}|{signed_in}", render)
    return mark_safe(body), name  # noqa: S308 (our own template's output)


def service_by_code(code: str) -> Service:
    service = (
        Service.objects.filter(code=code, is_published=True)
        .select_related("department", "procedure")
        .prefetch_related("documents", "fields")
        .first()
    )
    if service is None:
        raise NotFound(_("Serviciul nu există."))
    return service


def requests_for_applicant(user: Any) -> QuerySet[ServiceRequest]:
    if user is None or not getattr(user, "is_authenticated", False):
        return ServiceRequest.objects.none()
    return (
        ServiceRequest.objects.filter(applicant_id=user.pk)
        .exclude(state=RequestState.CANCELLED)
        .select_related("service", "entry", "case", "case__version")
        .order_by("-created_at", "-pk")
    )


def request_for_applicant(user: Any, request_id: int) -> ServiceRequest:
    """One of the user's own requests; anyone else's is "not found" (its existence is not revealed)."""
    # One row by its key: no ordering to compile (with four joined tables it costs more than the query).
    found = next(iter(requests_for_applicant(user).order_by().filter(pk=request_id)[:1]), None)
    if found is None:
        raise NotFound(_("Cererea nu există."))
    return found


def reusable_attachments(user: Any, *, exclude_request: ServiceRequest | None = None) -> list[RequestAttachment]:
    """Files the citizen gave in earlier requests ("once only"), one per content, newest first."""
    qs = RequestAttachment.objects.filter(request__applicant_id=getattr(user, "pk", None)).select_related("file")
    if exclude_request is not None:
        qs = qs.exclude(request_id=exclude_request.pk)
    seen: set[str] = set()
    result = []
    for attachment in qs.order_by("-uploaded_at", "-pk")[:200]:
        if attachment.file.sha256 not in seen:
            seen.add(attachment.file.sha256)
            result.append(attachment)
    return result


def completion_asked(request: ServiceRequest) -> CaseTask | None:
    """The completion the request's case waits for from the citizen (None when it waits for nothing)."""
    case = request.case
    if case is None or case.status != CaseStatus.WAITING_CITIZEN:
        return None
    cached = getattr(request, "_completion_asked", None)  # asked twice per page: one query
    if cached is None or cached.case_id != case.pk:
        cached = case.tasks.filter(kind=TaskKind.COMPLETION, status=TaskStatus.OPEN).order_by("-pk").first()
        request._completion_asked = cached  # type: ignore[attr-defined]
    return cached


def expected_from_citizen(request: ServiceRequest) -> str:
    """What the citizen has to do now, in one sentence ("" when nothing)."""
    if request.state == RequestState.DRAFT:
        return _("Completați cererea și trimiteți-o: este încă o ciornă.")
    if request.state == RequestState.PAYMENT_DUE:
        return _(
            "Plătiți taxa de %(fee)s lei la casieria primăriei sau online, când plata online va fi disponibilă."
        ) % {"fee": number_format(request.service.fee, 2)}
    case = request.case
    if case is not None and case.status == CaseStatus.WAITING_CITIZEN:
        task = completion_asked(request)
        what = task.instructions if task is not None else ""
        return (
            _("Trimiteți completările cerute: %(what)s") % {"what": what}
            if what
            else _("Trimiteți completările cerute.")
        )
    if request.state == RequestState.ISSUED:
        return _("Documentul este gata: îl puteți descărca.")
    return ""


def _stage_names(version: Any) -> dict[int, str]:
    """The stage names of a procedure version; a published version never changes: kept in the cache."""
    if not version.is_published:
        return dict(version.stages.values_list("order", "name"))
    published = version.published_at.isoformat() if version.published_at else ""
    key = f"procedures:version-stages:{version.pk}:{published}"
    names = cache.get(key)
    if names is None:
        names = dict(version.stages.values_list("order", "name"))
        cache.set(key, names, None)
    return dict(names)


def timeline(request: ServiceRequest) -> list[dict[str, Any]]:
    """The steps of the request, for the citizen: done, current or to come (no staff names).

    Two queries whatever the number of stages: the stage names, then every task of the case.
    """
    steps: list[dict[str, Any]] = [
        {"name": _("Cerere depusă"), "status": "done" if request.submitted_at else "open", "at": request.submitted_at}
    ]
    case = request.case
    if case is not None:
        names = _stage_names(case.version)
        by_stage: dict[int, list[tuple[str, Any]]] = {}
        for order, task_status, completed_at in case.tasks.values_list("stage_order", "status", "completed_at"):
            by_stage.setdefault(order, []).append((task_status, completed_at))
        for order in sorted(names):
            tasks = by_stage.get(order, [])
            statuses = {task_status for task_status, _at in tasks}
            if TaskStatus.OPEN in statuses:
                status = "open"
            elif tasks and statuses <= {TaskStatus.DONE, TaskStatus.REJECTED, TaskStatus.CANCELLED}:
                status = "done"
            else:
                status = "pending"
            finished = [at for _status, at in tasks if at]
            steps.append({"name": names[order], "status": status, "at": max(finished) if status == "done" else None})
    steps.append(
        {
            "name": _("Document emis"),
            "status": "done" if request.state == RequestState.ISSUED else "pending",
            "at": request.issued_at,
        }
    )
    return steps
