"""Writes of the eservices app: drafts, attachments, submitting, issuing.

Every function is keyword-only, validates before writing and runs in one transaction with its audit
event. A citizen only ever reaches their own requests: another's is "not found".
"""

from __future__ import annotations

import contextlib
import io
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ghiseu.accounts.models import Role, User
from ghiseu.audit.services import audit_record
from ghiseu.core.calendar import WorkingCalendar
from ghiseu.core.errors import DomainError, NotFound, PermissionDenied
from ghiseu.core.files import check_upload, open_stored, store_file
from ghiseu.core.pdf import render_pdf
from ghiseu.core.site import site_url as configured_site_url
from ghiseu.core.text import clean_text
from ghiseu.eservices.fields import ServiceValuesForm, form_data
from ghiseu.eservices.indexing import request_search_update
from ghiseu.eservices.locks import lock_request
from ghiseu.eservices.models import (
    ApplicantKind,
    FieldKind,
    RequestAttachment,
    RequestState,
    Service,
    ServiceRequest,
)
from ghiseu.notifications.services import notification_send
from ghiseu.procedures import permissions as procedure_permissions
from ghiseu.procedures.models import CaseStatus
from ghiseu.procedures.selectors import procedure_current_version
from ghiseu.procedures.services import case_can_issue, case_completion_answered, case_mark_issued, case_start
from ghiseu.registry.models import Channel, Direction, DocumentType
from ghiseu.registry.services import Upload, entry_register, entry_reply

PORTAL_USERNAME = "portal"
GENERIC_DOCUMENT_TYPE = "service-request"


def portal_user() -> User:
    """The system account that registers the requests filed on the portal (the clerk-less channel).

    A registry clerk by role (registering incoming documents is the registry's right) with no
    usable password: nobody signs in as it; the audit log names it as the one who registered.
    """
    user, created = User.objects.get_or_create(
        username=PORTAL_USERNAME,
        defaults={"role": Role.CLERK, "first_name": "Portal", "last_name": "Ghișeu", "is_active": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _site_url(site_url: str) -> str:
    return site_url.rstrip("/") if site_url else configured_site_url()


def _check_applicant(service: Service, applicant: Any) -> None:
    if not service.is_published:
        raise NotFound(_("Serviciul nu există."))
    if applicant is None or not getattr(applicant, "is_authenticated", False) or not applicant.is_active:
        raise PermissionDenied(_("Autentificați-vă pentru a depune o cerere."))
    if applicant.role != Role.CITIZEN:
        raise PermissionDenied(_("Cererile online se depun din contul unui cetățean."))


def _validate_values(service: Service, values: Mapping[str, Any]) -> dict[str, str]:
    form = ServiceValuesForm(data=form_data(dict(values)), service=service)
    if not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        label = form.fields[name].label if name in form.fields else ""
        raise DomainError(f"{label}: {errors[0]}" if label else str(errors[0]), field=name)
    return form.stored_values()


# --- Drafts -----------------------------------------------------------------------------------


def request_save_draft(
    *, service: Service, applicant: Any, key: uuid.UUID | str, values: Mapping[str, Any]
) -> ServiceRequest:
    """Create the draft the form's key names, or update it: the same key twice is one request.

    A key that already names a submitted request changes nothing and returns it.
    """
    _check_applicant(service, applicant)
    try:
        key = uuid.UUID(str(key))
    except ValueError:
        raise DomainError(_("Formularul a expirat. Reîncărcați pagina."), code="bad_key") from None
    clean = _validate_values(service, values)
    with transaction.atomic():
        existing = (
            ServiceRequest.objects.select_for_update().filter(applicant_id=applicant.pk, idempotency_key=key).first()
        )
        if existing is not None:
            if existing.service_id != service.pk:
                raise DomainError(_("Formularul a expirat. Reîncărcați pagina."), code="bad_key")
            if existing.state == RequestState.DRAFT:
                existing.values = clean
                existing.save(update_fields=["values", "updated_at"])
            return existing
        try:
            with transaction.atomic():
                draft = ServiceRequest.objects.create(
                    service=service, applicant=applicant, idempotency_key=key, values=clean
                )
        except IntegrityError:  # the same key, created at the same moment by a second click
            return ServiceRequest.objects.get(applicant_id=applicant.pk, idempotency_key=key)
        audit_record(actor=applicant, action="eservices.request.drafted", obj=draft, summary={"service": service.code})
    return draft


def request_update_values(*, request_id: int, applicant: Any, values: Mapping[str, Any]) -> ServiceRequest:
    with transaction.atomic():
        request = lock_request(request_id, applicant=applicant)
        if request.state != RequestState.DRAFT:
            raise DomainError(_("Cererea a fost deja depusă și nu se mai modifică."), code="submitted")
        request.values = _validate_values(request.service, values)
        request.save(update_fields=["values", "updated_at"])
    return request


def _slot(request: ServiceRequest, slot: str) -> tuple[str, dict[str, Any]]:
    """`doc-<id>` or `field-<id>` of the request's service: its label and the attachment's keys."""
    kind, _sep, raw = slot.partition("-")
    if raw.isdigit():
        if kind == "doc":
            document = request.service.documents.filter(pk=int(raw)).first()
            if document is not None:
                return document.name, {"document": document}
        if kind == "field":
            field = request.service.fields.filter(pk=int(raw), kind=FieldKind.FILE).first()
            if field is not None:
                return field.label, {"field": field}
    raise NotFound(_("Documentul nu face parte din acest serviciu."))


def request_attach(*, request_id: int, applicant: Any, slot: str, upload: Upload) -> RequestAttachment:
    """Attach a file for one document of the service (replacing the one given before for it)."""
    content_type = check_upload(upload.file, name=upload.name, size=upload.size)
    with transaction.atomic():
        request = lock_request(request_id, applicant=applicant)
        if request.state != RequestState.DRAFT:
            raise DomainError(_("Cererea a fost deja depusă și nu se mai modifică."), code="submitted")
        label, keys = _slot(request, slot)
        stored = store_file(upload.file, content_type=content_type)
        request.attachments.filter(**keys).delete()
        attachment = RequestAttachment.objects.create(
            request=request, label=label, file=stored, original_name=upload.name[:255], **keys
        )
        audit_record(
            actor=applicant,
            action="eservices.request.attached",
            obj=request,
            summary={"slot": slot, "sha256": stored.sha256},
        )
    return attachment


def request_reuse(*, request_id: int, applicant: Any, slot: str, attachment_id: int) -> RequestAttachment:
    """ "Once only": give again a file the citizen attached to an earlier request of theirs."""
    with transaction.atomic():
        request = lock_request(request_id, applicant=applicant)
        if request.state != RequestState.DRAFT:
            raise DomainError(_("Cererea a fost deja depusă și nu se mai modifică."), code="submitted")
        label, keys = _slot(request, slot)
        earlier = (
            RequestAttachment.objects.filter(pk=attachment_id, request__applicant_id=applicant.pk)
            .exclude(request_id=request.pk)
            .select_related("file")
            .first()
        )
        if earlier is None:
            raise NotFound(_("Fișierul nu există."))
        request.attachments.filter(**keys).delete()
        attachment = RequestAttachment.objects.create(
            request=request, label=label, file=earlier.file, original_name=earlier.original_name, reused=True, **keys
        )
        audit_record(
            actor=applicant,
            action="eservices.request.reused",
            obj=request,
            summary={"slot": slot, "sha256": earlier.file.sha256},
        )
    return attachment


def request_remove_attachment(*, request_id: int, applicant: Any, attachment_id: int) -> None:
    with transaction.atomic():
        request = lock_request(request_id, applicant=applicant)
        if request.state != RequestState.DRAFT:
            raise DomainError(_("Cererea a fost deja depusă și nu se mai modifică."), code="submitted")
        deleted, _rows = request.attachments.filter(pk=attachment_id).delete()
        if not deleted:
            raise NotFound(_("Fișierul nu există."))


def missing_documents(request: ServiceRequest) -> list[str]:
    """The names of the required documents (and file fields) not attached yet."""
    given_docs = set(request.attachments.values_list("document_id", flat=True))
    given_fields = set(request.attachments.values_list("field_id", flat=True))
    missing = [d.name for d in request.service.documents.filter(required=True) if d.pk not in given_docs]
    missing += [
        f.label for f in request.service.fields.filter(kind=FieldKind.FILE, required=True) if f.pk not in given_fields
    ]
    return missing


# --- Submitting -------------------------------------------------------------------------------


def _document_type(service: Service) -> DocumentType:
    if service.document_type_id is not None and service.document_type is not None:
        return service.document_type
    found = DocumentType.objects.filter(code=GENERIC_DOCUMENT_TYPE).first()
    if found is None:
        raise DomainError(_("Tipul de document „Cerere de serviciu public” nu este configurat."), code="config")
    return found


def request_submit(*, request_id: int, applicant: Any, site_url: str = "") -> ServiceRequest:
    """Register the draft in the registry, open its case and tell the citizen its number.

    Idempotent: a request already submitted is returned as it is (a double click, a retry or the
    back button never make a second registry entry): the row is locked, its state decides.
    """
    with transaction.atomic():
        request = lock_request(request_id, applicant=applicant)
        if request.state != RequestState.DRAFT:
            return request
        service = request.service
        _check_applicant(service, applicant)
        if service.applicant_kind == ApplicantKind.COMPANY and not request.values.get("cui"):
            raise DomainError(_("Acest serviciu se solicită în numele unei firme (completați CUI-ul)."), field="cui")
        _validate_values(service, request.values)
        missing = missing_documents(request)
        if missing:
            raise DomainError(
                _("Atașați documentele obligatorii: %(names)s.") % {"names": ", ".join(missing)}, field="attachments"
            )
        version = procedure_current_version(code=service.procedure.code)
        document_type = _document_type(service)
        attachments = list(request.attachments.select_related("file"))
        with contextlib.ExitStack() as stack:
            files = [
                Upload(file=stack.enter_context(open_stored(a.file)), name=a.original_name, size=a.file.size)
                for a in attachments
            ]
            entry = entry_register(
                actor=portal_user(),
                direction=Direction.INCOMING,
                channel=Channel.PORTAL,
                document_type=document_type,
                sender=applicant.get_full_name() or applicant.get_username(),
                sender_email=applicant.email or "",
                subject=_("Cerere online: %(service)s") % {"service": service.name},
                annexes=len(files),
                department=service.department,
                file_code=service.file_code if service.file_code and service.file_code.is_active else None,
                files=files,
            )
        due = entry.due_date
        if service.deadline_days is not None:
            due = WorkingCalendar().due_date(entry.registered_on, service.deadline_days, service.deadline_kind)
        case = case_start(
            version=version,
            entry=entry,
            department=service.department,
            actor=applicant,
            applicant=applicant,
            due_date=due,
            completion_stops_clock=service.completion_stops_clock,
            subject=service.name,
        )
        request.entry = entry
        request.case = case
        request.due_date = due
        request.state = RequestState.SUBMITTED if service.is_free else RequestState.PAYMENT_DUE
        request.submitted_at = timezone.now()
        request.save(update_fields=["entry", "case", "due_date", "state", "submitted_at", "updated_at"])
        request_search_update(request)
        audit_record(
            actor=applicant,
            action="eservices.request.submitted",
            obj=request,
            summary={"service": service.code, "number": entry.display_number, "state": request.state},
        )
        site = _site_url(site_url)
        notification_send(
            key="request.submitted",
            to_user=applicant,
            context={
                "service_name": service.name,
                "number": entry.display_number,
                "due_date": due,
                "tracking_code": entry.tracking_code,
                "tracking_url": f"{site}{reverse('registry-public:status')}",
            },
            related=request,
        )
    return request


def request_mark_paid(*, request_id: int, actor: Any) -> ServiceRequest:
    """Record that the fee was paid (at the counter) until the payments part records it itself."""
    with transaction.atomic():
        request = lock_request(request_id)
        if request.state != RequestState.PAYMENT_DUE:
            raise DomainError(_("Cererea nu are o taxă de plătit."), code="not_due")
        if getattr(actor, "role", None) not in {Role.CLERK, Role.HEAD, Role.SECRETARY, Role.MAYOR, Role.ADMIN}:
            raise PermissionDenied(_("Nu aveți dreptul să înregistrați plata."))
        request.state = RequestState.SUBMITTED
        request.save(update_fields=["state", "updated_at"])
        audit_record(
            actor=actor, action="eservices.request.paid", obj=request, summary={"fee": str(request.service.fee)}
        )
    return request


# --- Answering a completion request --------------------------------------------------------------

MAX_COMPLETION_FILES = 10


def request_answer_completion(
    *, request_id: int, applicant: Any, text: str = "", uploads: Sequence[Upload] = (), site_url: str = ""
) -> ServiceRequest:
    """The citizen answers what the officer asked: documents and/or a text, then the case resumes.

    Every file is checked (type by content, size) before anything is written; the files join the
    request's documents (the officer opens them from the case page); the engine resumes the case
    (its legal clock as the service says) and notifies the officer who asked.
    """
    text = clean_text(text, field="text", label=_("Răspuns"), required=False, max_length=3000)
    uploads = list(uploads)
    if not text and not uploads:
        raise DomainError(_("Atașați documentele cerute sau scrieți un răspuns."), field="text", code="required")
    if len(uploads) > MAX_COMPLETION_FILES:
        raise DomainError(
            _("Cel mult %(n)d fișiere într-un răspuns.") % {"n": MAX_COMPLETION_FILES}, field="files", code="too_many"
        )
    types = [check_upload(u.file, name=u.name, size=u.size) for u in uploads]
    with transaction.atomic():
        request = lock_request(request_id, applicant=applicant)
        case = request.case
        if case is None or case.status != CaseStatus.WAITING_CITIZEN:
            raise DomainError(_("Cererea nu așteaptă completări de la dumneavoastră."), code="bad_state")
        label = _("Completare")
        stored = []
        for upload, content_type in zip(uploads, types, strict=True):
            file = store_file(upload.file, content_type=content_type)
            RequestAttachment.objects.create(request=request, label=label, file=file, original_name=upload.name[:255])
            stored.append(file.sha256)
        names = ", ".join(u.name for u in uploads)
        message = text
        if names:
            message = f"{text}\n{_('Documente atașate')}: {names}" if text else f"{_('Documente atașate')}: {names}"
        case_completion_answered(
            case=case,
            actor=applicant,
            message=message,
            case_url=f"{_site_url(site_url)}{reverse('procedures:case', args=[case.pk])}",
        )
        audit_record(
            actor=applicant,
            action="eservices.request.completed",
            obj=request,
            summary={"files": stored, "text": bool(text)},
        )
        request.save(update_fields=["updated_at"])
    return request


# --- Issuing ----------------------------------------------------------------------------------


def seal_pdf(pdf_bytes: bytes) -> bytes:
    """THE seam of the e-seal: every PDF the city hall issues passes here before it is registered.

    For now it returns the bytes unchanged. The e-seal issue replaces the body with a PAdES
    signature by the institution's qualified seal (pyHanko), keeping this signature: bytes in,
    sealed bytes out, raising a DomainError when the seal cannot be applied (nothing is issued then).
    """
    return pdf_bytes


def render_output_pdf(request: ServiceRequest, *, number: str, date: Any) -> bytes:
    """The issued document: the service's HTML body inside the official frame (header, number, signatures)."""
    service = request.service
    context = {
        "number": number,
        "date": date,
        "applicant": request.applicant,
        "values": request.values,
        "service": service,
        "institution": settings.GHISEU_INSTITUTION,
        "due_date": request.due_date,
    }
    try:
        body = Template(service.output_template or "").render(Context(context))
    except TemplateSyntaxError as exc:
        raise DomainError(
            _("Șablonul actului are o eroare: %(error)s") % {"error": exc}, field="output_template"
        ) from exc
    signers = []
    if request.case is not None:
        signers = [
            t
            for t in request.case.tasks.select_related("completed_by").order_by("stage_order", "pk")
            if t.kind in {"approve", "sign"} and t.completed_by is not None
        ]
    return render_pdf(
        "eservices/pdf/issued.html",
        {**context, "body": mark_safe(body), "title": service.output_title or service.name, "signers": signers},  # noqa: S308
    )


def request_issue(*, request: ServiceRequest, actor: Any, site_url: str = "") -> ServiceRequest:
    """Issue the act: render the PDF, seal it, register it as outgoing under the request's number
    (closing the entry), mark the case issued and deliver it to the citizen's inbox and e-mail."""
    with transaction.atomic():
        request = lock_request(request.pk)
        if request.state == RequestState.ISSUED:
            raise DomainError(_("Actul a fost deja emis."), code="issued")
        if request.state == RequestState.PAYMENT_DUE:
            raise DomainError(_("Taxa serviciului nu a fost plătită."), code="payment_due")
        if request.state != RequestState.SUBMITTED or request.case is None or request.entry is None:
            raise DomainError(_("Cererea nu este în lucru."), code="bad_state")
        case = request.case
        if not (
            procedure_permissions.can_manage_case(actor, case)
            or (procedure_permissions.is_staff(actor) and procedure_permissions.works_on_case(actor, case))
        ):
            raise PermissionDenied(_("Nu aveți dreptul să emiteți actul acestui dosar."))
        if not case_can_issue(case):
            raise DomainError(_("Actul se emite doar după ce dosarul a fost aprobat și semnat."), code="not_ready")
        entry = request.entry
        number = entry.display_number
        today = timezone.localdate()
        pdf = seal_pdf(render_output_pdf(request, number=number, date=today))
        title = request.service.output_title or request.service.name
        reply = entry_reply(
            actor=actor,
            entry=entry,
            recipient=request.applicant.get_full_name() or request.applicant.get_username(),
            subject=title,
            channel=Channel.PORTAL,
            files=[Upload(file=io.BytesIO(pdf), name=f"{request.service.code}-{entry.number}-{entry.year}.pdf")],
            close=True,
        )
        case_mark_issued(case=case, actor=actor)
        stored = reply.attachments.select_related("file").get().file
        request.state = RequestState.ISSUED
        request.issued_at = timezone.now()
        request.issued_entry = reply
        request.issued_file = stored
        request.save(update_fields=["state", "issued_at", "issued_entry", "issued_file", "updated_at"])
        request_search_update(request)
        audit_record(
            actor=actor,
            action="eservices.request.issued",
            obj=request,
            summary={"number": number, "sha256": stored.sha256},
        )
        site = _site_url(site_url)
        notification_send(
            key="request.issued",
            to_user=request.applicant,
            context={
                "service_name": request.service.name,
                "number": number,
                "document_title": title,
                "document_number": reply.display_number,
                "download_url": f"{site}{reverse('myfile:document', args=[request.pk])}",
                "verify_url": "",
            },
            related=request,
        )
    return request
