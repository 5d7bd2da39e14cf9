"""Reads of the eservices app: the public catalogue, a citizen's requests ("my file")."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ghiseu.core.errors import NotFound
from ghiseu.core.text import fold
from ghiseu.eservices.models import LifeEvent, RequestAttachment, RequestState, Service, ServiceRequest
from ghiseu.procedures.models import CaseStatus, TaskKind, TaskStatus


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
        .select_related("service", "entry", "case")
        .order_by("-created_at", "-pk")
    )


def request_for_applicant(user: Any, request_id: int) -> ServiceRequest:
    """One of the user's own requests; anyone else's is "not found" (its existence is not revealed)."""
    found = requests_for_applicant(user).filter(pk=request_id).first()
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
        task = case.tasks.filter(kind=TaskKind.COMPLETION, status=TaskStatus.OPEN).first()
        what = task.instructions if task is not None else ""
        return (
            _("Trimiteți completările cerute: %(what)s") % {"what": what}
            if what
            else _("Trimiteți completările cerute.")
        )
    if request.state == RequestState.ISSUED:
        return _("Documentul este gata: îl puteți descărca.")
    return ""


def timeline(request: ServiceRequest) -> list[dict[str, Any]]:
    """The steps of the request, for the citizen: done, current or to come (no staff names)."""
    steps: list[dict[str, Any]] = [
        {"name": _("Cerere depusă"), "status": "done" if request.submitted_at else "open", "at": request.submitted_at}
    ]
    case = request.case
    if case is not None:
        names = dict(case.version.stages.values_list("order", "name"))
        for order in sorted(names):
            tasks = list(case.tasks.filter(stage_order=order))
            statuses = {t.status for t in tasks}
            if TaskStatus.OPEN in statuses:
                status = "open"
            elif tasks and statuses <= {TaskStatus.DONE, TaskStatus.REJECTED, TaskStatus.CANCELLED}:
                status = "done"
            else:
                status = "pending"
            finished = [t.completed_at for t in tasks if t.completed_at]
            steps.append({"name": names[order], "status": status, "at": max(finished) if status == "done" else None})
    steps.append(
        {
            "name": _("Document emis"),
            "status": "done" if request.state == RequestState.ISSUED else "pending",
            "at": request.issued_at,
        }
    )
    return steps
