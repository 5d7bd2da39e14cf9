"""The registry API (/api/v1/registry/): register, find, route, close, attach.

Handlers stay thin: they turn codes and numbers into objects (a clear 400 naming the field when
one does not exist), then call the services, which check permissions and rules before writing.
Reading respects permissions.visible_entries: an entry the token's user may not see is a 404,
as if it did not exist. Actions on an entry the user may not act on are a 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status, UploadedFile

from ghiseu.accounts.models import STAFF_ROLES, Department, NomenclatorEntry, User
from ghiseu.core.errors import DomainError, NotFound, PermissionDenied
from ghiseu.registry import permissions, selectors, services
from ghiseu.registry.models import Attachment, DocumentType, Entry
from ghiseu.registry.models import Status as EntryStatus
from ghiseu.registry.schemas import (
    MAX_LIMIT,
    AssignIn,
    AttachmentOut,
    CloseIn,
    EntryCreateIn,
    EntryFilterIn,
    EntryListOut,
    EntryOut,
    ErrorOut,
    ValidationErrorOut,
)

router = Router(tags=["registry"])

MAX_ID = 2**63 - 1
EMAIL_MAX_LENGTH = 254
ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ValidationErrorOut,
}


# --- Turning what the caller sent into objects ---------------------------------------------


def _output(entry_id: int) -> Entry:
    return (
        Entry.objects.select_related(
            "department", "document_type", "assignee", "file_code", "answers", "linked_to", "register"
        )
        .prefetch_related("attachments__file")
        .get(pk=entry_id)
    )


def _not_found() -> NotFound:
    return NotFound(_("Înregistrarea nu există sau nu aveți acces la ea."), code="not_found")


def _visible_entry(user: User, entry_id: int) -> Entry:
    """The entry if the user may see it; otherwise 404, the same answer as for an id never given."""
    if not 1 <= entry_id <= MAX_ID:
        raise _not_found()
    entry = selectors.entry_search(user=user, filters=selectors.EntryFilters()).filter(pk=entry_id).first()
    if entry is None:
        raise _not_found()
    return entry


def _entry_to_act_on(entry_id: int) -> Entry:
    """The entry an action names; whether the user may act on it is the service's check (403)."""
    if not 1 <= entry_id <= MAX_ID:
        raise _not_found()
    entry = Entry.objects.select_related("department").filter(pk=entry_id).first()
    if entry is None:
        raise _not_found()
    return entry


def _document_type(code: str) -> DocumentType:
    found = DocumentType.objects.filter(code=code.strip()).first()
    if found is None:
        raise DomainError(
            _("Tipul de document „%(code)s” nu există.") % {"code": code[:40]}, field="document_type", code="unknown"
        )
    return found


def _department(code: str, *, field: str = "department") -> Department:
    found = Department.objects.filter(code=code.strip()).first()
    if found is None:
        raise DomainError(
            _("Compartimentul cu codul „%(code)s” nu există.") % {"code": code[:40]}, field=field, code="unknown"
        )
    return found


def _assignee(username: str) -> User:
    found = User.objects.filter(username=username.strip(), is_active=True, role__in=STAFF_ROLES).first()
    if found is None:
        raise DomainError(
            _("Nu există un membru al personalului cu numele de utilizator „%(name)s”.") % {"name": username[:60]},
            field="assignee",
            code="unknown",
        )
    return found


def _file_code(code: str) -> NomenclatorEntry:
    found = NomenclatorEntry.objects.filter(code=code.strip()).first()
    if found is None:
        raise DomainError(
            _("Indicativul de dosar „%(code)s” nu există în nomenclator.") % {"code": code[:40]},
            field="file_code",
            code="unknown",
        )
    return found


def _entry_by_number(user: User, text: str, *, field: str) -> Entry:
    """The original (not a reply) of the general register with that number, among those the user sees."""
    try:
        query = selectors.parse_number(text)
    except DomainError as exc:
        raise DomainError(exc.message, field=field, code=exc.code) from None
    if query.year is None:
        raise DomainError(
            _("Indicați și anul numărului: %(number)s/%(year)d.")
            % {"number": query.number, "year": timezone.localdate().year},
            field=field,
        )
    found = (
        selectors.entry_search(user=user, filters=selectors.EntryFilters(number=text))
        .filter(answers__isnull=True, register__is_general=True)
        .first()
    )
    if found is None:
        raise DomainError(
            _("Nu există înregistrarea cu numărul %(number)s.") % {"number": text.strip()[:40]},
            field=field,
            code="unknown",
        )
    return found


def _email(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    try:
        if len(value) > EMAIL_MAX_LENGTH:
            raise DjangoValidationError("too long")
        validate_email(value)
    except DjangoValidationError:
        raise DomainError(
            _("Adresa de e-mail „%(email)s” nu este validă.") % {"email": value[:60]}, field="sender_email"
        ) from None
    return value


def _filters(user: User, params: EntryFilterIn) -> selectors.EntryFilters:
    status = (params.status or "").strip()
    allowed = [*EntryStatus.values, "overdue"]
    if status and status not in allowed:
        raise DomainError(
            _("Starea „%(status)s” nu există; valori posibile: %(values)s.")
            % {"status": status[:40], "values": ", ".join(allowed)},
            field="status",
        )
    department = _department(params.department) if params.department else None
    return selectors.EntryFilters(
        number=params.number or "",
        date_from=params.date_from,
        date_to=params.date_to,
        sender=params.sender or "",
        words=params.q or "",
        department_id=department.pk if department else None,
        status=status,
        direction=str(params.direction.value) if params.direction else "",
        year=params.year,
    )


# --- Endpoints -----------------------------------------------------------------------------


@router.post("/entries", response={201: EntryOut, **ERRORS}, summary="Înregistrează un document")
def create_entry(request: HttpRequest, payload: EntryCreateIn) -> Status[Entry]:
    """Register a document in the general register; a reply (`answers_number`) takes the number it answers."""
    user: User = request.auth  # type: ignore[attr-defined]
    document_type = _document_type(payload.document_type)
    department = _department(payload.department) if payload.department else None
    assignee = _assignee(payload.assignee) if payload.assignee else None
    file_code = _file_code(payload.file_code) if payload.file_code else None
    linked_to = _entry_by_number(user, payload.linked_number, field="linked_number") if payload.linked_number else None
    answers = None
    if payload.answers_number:
        answers = _entry_by_number(user, payload.answers_number, field="answers_number")
        if not permissions.can_work(user, answers):
            raise PermissionDenied(_("Nu aveți dreptul să răspundeți la această înregistrare."))
    entry = services.entry_register(
        actor=user,
        direction=str(payload.direction.value),
        channel=str(payload.channel.value),
        document_type=document_type,
        sender=payload.sender,
        subject=payload.subject,
        sender_address=payload.sender_address,
        sender_email=_email(payload.sender_email),
        sender_reference=payload.sender_reference,
        sender_date=payload.sender_date,
        pages=payload.pages,
        annexes=payload.annexes,
        file_code=file_code,
        department=department,
        assignee=assignee,
        resolution=payload.resolution,
        recipient=payload.recipient,
        linked_to=linked_to,
        answers=answers,
    )
    return Status(201, _output(entry.pk))


@router.get("/entries", response={200: EntryListOut, **ERRORS}, summary="Caută înregistrări")
def list_entries(request: HttpRequest, filters: Query[EntryFilterIn]) -> dict[str, Any]:
    """Entries the token's user may see, newest first; `limit` is capped at 200."""
    user: User = request.auth  # type: ignore[attr-defined]
    qs: QuerySet[Entry] = selectors.entry_search(user=user, filters=_filters(user, filters))
    limit = min(filters.limit, MAX_LIMIT)
    page = qs.select_related("assignee", "file_code", "linked_to").prefetch_related("attachments__file")
    return {
        "count": qs.count(),
        "limit": limit,
        "offset": filters.offset,
        "items": list(page[filters.offset : filters.offset + limit]),
    }


@router.get("/entries/{entry_id}", response={200: EntryOut, **ERRORS}, summary="O înregistrare")
def get_entry(request: HttpRequest, entry_id: int) -> Entry:
    user: User = request.auth  # type: ignore[attr-defined]
    return _output(_visible_entry(user, entry_id).pk)


@router.post("/entries/{entry_id}/assign", response={200: EntryOut, **ERRORS}, summary="Repartizează")
def assign_entry(request: HttpRequest, entry_id: int, payload: AssignIn) -> Entry:
    """Route the entry to a department (and optionally a person) with a resolution."""
    user: User = request.auth  # type: ignore[attr-defined]
    entry = _entry_to_act_on(entry_id)
    department = _department(payload.department)
    assignee = _assignee(payload.assignee) if payload.assignee else None
    services.entry_assign(
        actor=user, entry=entry, department=department, assignee=assignee, resolution=payload.resolution
    )
    return _output(entry.pk)


@router.post("/entries/{entry_id}/close", response={200: EntryOut, **ERRORS}, summary="Soluționează")
def close_entry(request: HttpRequest, entry_id: int, payload: CloseIn) -> Entry:
    """Record how the entry was resolved and close it."""
    user: User = request.auth  # type: ignore[attr-defined]
    entry = _entry_to_act_on(entry_id)
    services.entry_close(
        actor=user, entry=entry, outcome=payload.outcome, recipient=payload.recipient, sent_at=payload.sent_at
    )
    return _output(entry.pk)


def _clean_name(name: str | None) -> str:
    cleaned = "".join(ch for ch in (name or "") if ch.isprintable()).strip()
    return cleaned or "fisier"


@router.post(
    "/entries/{entry_id}/attachments",
    response={201: list[AttachmentOut], **ERRORS},
    summary="Adaugă atașamente",
)
def add_attachments(request: HttpRequest, entry_id: int, files: File[list[UploadedFile]]) -> Status[Any]:
    """Attach files (multipart, field `files`, one or more); the type is read from the content."""
    user: User = request.auth  # type: ignore[attr-defined]
    entry = _entry_to_act_on(entry_id)
    uploads = [services.Upload(file=f, name=_clean_name(f.name), size=f.size) for f in files]
    attachments = services.entry_add_attachments(actor=user, entry=entry, files=uploads)
    stored = Attachment.objects.select_related("file").filter(pk__in=[a.pk for a in attachments])
    return Status(201, list(stored.order_by("pk")))
