"""The public catalogue, the step-by-step request (no JavaScript needed) and "my file".

Thin views: a form parses, a service writes or a selector reads, a template renders. A request,
file or message of someone else is a 404, like one that does not exist.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ghiseu.core.errors import DomainError, NotFound
from ghiseu.core.errors import PermissionDenied as DomainPermissionDenied
from ghiseu.core.files import open_stored
from ghiseu.eservices import selectors, services
from ghiseu.eservices.fields import form_data
from ghiseu.eservices.forms import (
    AttachmentForm,
    CatalogueSearchForm,
    CompletionAnswerForm,
    ServiceValuesForm,
    SubmitForm,
)
from ghiseu.eservices.models import FieldKind, RequestState, ServiceRequest
from ghiseu.notifications.selectors import inbox_for_user
from ghiseu.notifications.services import notification_mark_read
from ghiseu.procedures import permissions as procedure_permissions
from ghiseu.registry.services import Upload


def _raise_http(exc: DomainError) -> None:
    """A missing (or someone else's) object is a 404, a refused right a 403; other errors go on the form."""
    if isinstance(exc, NotFound):
        raise Http404(str(exc.message)) from exc
    if isinstance(exc, DomainPermissionDenied):
        raise PermissionDenied(str(exc.message)) from exc


def _own(request: HttpRequest, pk: int) -> ServiceRequest:
    try:
        return selectors.request_for_applicant(request.user, pk)
    except NotFound as exc:
        raise Http404 from exc


def _site(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


# --- The catalogue --------------------------------------------------------------------------


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueSearchForm(request.GET)
    query, group_by = "", "life_event"
    if form.is_valid():
        query = form.cleaned_data["q"]
        group_by = form.cleaned_data["group"] or "life_event"
    listing = selectors.catalogue_listing(query=query, group_by=group_by, language=get_language() or "ro")
    return render(
        request,
        "eservices/catalogue.html",
        # plain: no query string, so the search form is the same for everyone (rendered once)
        {"form": form, "query": query, "listing": listing, "plain": not request.GET},
    )


@require_GET
def service_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        body, title = selectors.service_page(
            code=code, language=get_language() or "ro", signed_in=request.user.is_authenticated
        )
    except NotFound as exc:
        raise Http404 from exc
    return render(request, "eservices/service_detail.html", {"body": body, "title": title})


# --- Submitting, step by step ----------------------------------------------------------------

STEPS = [("values", _("Date")), ("documents", _("Documente")), ("review", _("Verificare și trimitere"))]


def _steps(current: str) -> list[dict[str, Any]]:
    keys = [k for k, _label in STEPS]
    return [
        {
            "key": k,
            "label": label,
            "number": i + 1,
            "current": k == current,
            "done": keys.index(k) < keys.index(current),
        }
        for i, (k, label) in enumerate(STEPS)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def request_start(request: HttpRequest, code: str) -> HttpResponse:
    try:
        service = selectors.service_by_code(code)
    except NotFound as exc:
        raise Http404 from exc
    status = 200
    if request.method == "POST":
        form = ServiceValuesForm(request.POST, service=service)
        key = request.POST.get("key", "")
        if form.is_valid():
            try:
                draft = services.request_save_draft(
                    service=service, applicant=request.user, key=key, values=form.stored_values()
                )
            except DomainError as exc:
                _raise_http(exc)
                form.add_error(None, str(exc.message))
                status = exc.status
            else:
                if draft.state != RequestState.DRAFT:
                    return redirect("eservices:done", pk=draft.pk)
                return redirect("eservices:documents", pk=draft.pk)
        else:
            status = 400
    else:
        form = ServiceValuesForm(service=service)
        key = str(uuid.uuid4())
    return render(
        request,
        "eservices/step_values.html",
        {"service": service, "form": form, "key": key, "steps": _steps("values"), "draft": None},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_values(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _own(request, pk)
    if draft.state != RequestState.DRAFT:
        return redirect("myfile:request", pk=draft.pk)
    status = 200
    if request.method == "POST":
        form = ServiceValuesForm(request.POST, service=draft.service)
        if form.is_valid():
            try:
                services.request_update_values(request_id=draft.pk, applicant=request.user, values=form.stored_values())
            except DomainError as exc:
                _raise_http(exc)
                form.add_error(None, str(exc.message))
                status = exc.status
            else:
                return redirect("eservices:documents", pk=draft.pk)
        else:
            status = 400
    else:
        form = ServiceValuesForm(initial=form_data(draft.values), service=draft.service)
    return render(
        request,
        "eservices/step_values.html",
        {"service": draft.service, "form": form, "key": "", "steps": _steps("values"), "draft": draft},
        status=status,
    )


def _slots(draft: ServiceRequest) -> list[dict[str, Any]]:
    attachments = list(draft.attachments.all())
    slots = [
        {
            "slot": f"doc-{d.pk}",
            "name": d.name,
            "description": d.description,
            "required": d.required,
            "attachment": next((a for a in attachments if a.document_id == d.pk), None),
        }
        for d in draft.service.documents.all()
    ]
    slots += [
        {
            "slot": f"field-{f.pk}",
            "name": f.label,
            "description": f.help_text,
            "required": f.required,
            "attachment": next((a for a in attachments if a.field_id == f.pk), None),
        }
        for f in draft.service.fields.filter(kind=FieldKind.FILE)
    ]
    return slots


@login_required
@require_http_methods(["GET", "POST"])
def request_documents(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _own(request, pk)
    if draft.state != RequestState.DRAFT:
        return redirect("myfile:request", pk=draft.pk)
    reusable = selectors.reusable_attachments(request.user, exclude_request=draft)
    status = 200
    error_slot, error_text = "", ""
    if request.method == "POST":
        try:
            if "remove" in request.POST:
                raw = request.POST.get("remove", "")
                if not raw.isdigit():
                    raise NotFound(_("Fișierul nu există."))
                services.request_remove_attachment(request_id=draft.pk, applicant=request.user, attachment_id=int(raw))
                return redirect("eservices:documents", pk=draft.pk)
            form = AttachmentForm(request.POST, request.FILES, reusable=reusable)
            if form.is_valid():
                slot = form.cleaned_data["slot"]
                upload = form.cleaned_data.get("file")
                if upload:
                    services.request_attach(
                        request_id=draft.pk,
                        applicant=request.user,
                        slot=slot,
                        upload=Upload(file=upload, name=upload.name or "fisier", size=upload.size),
                    )
                else:
                    services.request_reuse(
                        request_id=draft.pk, applicant=request.user, slot=slot, attachment_id=form.cleaned_data["reuse"]
                    )
                return redirect("eservices:documents", pk=draft.pk)
            error_slot = request.POST.get("slot", "")
            error_text = " ".join(str(e) for errors in form.errors.values() for e in errors)
            status = 400
        except DomainError as exc:
            _raise_http(exc)
            error_slot, error_text, status = request.POST.get("slot", ""), str(exc.message), exc.status
    slots = _slots(draft)
    for slot in slots:
        slot["form"] = AttachmentForm(initial={"slot": slot["slot"]}, reusable=reusable, prefix=slot["slot"])
        slot["error"] = error_text if slot["slot"] == error_slot else ""
    return render(
        request,
        "eservices/step_documents.html",
        {
            "draft": draft,
            "service": draft.service,
            "slots": slots,
            "reusable": reusable,
            "steps": _steps("documents"),
            "error": error_text if error_slot not in {s["slot"] for s in slots} else "",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_review(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _own(request, pk)
    if draft.state != RequestState.DRAFT:
        return redirect("eservices:done", pk=draft.pk)
    status = 200
    if request.method == "POST":
        form = SubmitForm(request.POST)
        if form.is_valid():
            if form.cleaned_data["key"] != draft.idempotency_key:
                form.add_error(None, _("Formularul a expirat. Reîncărcați pagina."))
                status = 400
            else:
                try:
                    submitted = services.request_submit(
                        request_id=draft.pk, applicant=request.user, site_url=_site(request)
                    )
                except DomainError as exc:
                    _raise_http(exc)
                    form.add_error(None, str(exc.message))
                    status = exc.status
                else:
                    return redirect("eservices:done", pk=submitted.pk)
        else:
            status = 400
    else:
        form = SubmitForm(initial={"key": draft.idempotency_key})
    specs = {f.name: f.label for f in draft.service.fields.all()}
    return render(
        request,
        "eservices/step_review.html",
        {
            "draft": draft,
            "service": draft.service,
            "form": form,
            "values": [(specs.get(k, k), v) for k, v in draft.values.items()],
            "attachments": list(draft.attachments.all()),
            "missing": services.missing_documents(draft),
            "steps": _steps("review"),
        },
        status=status,
    )


@login_required
@require_GET
def request_done(request: HttpRequest, pk: int) -> HttpResponse:
    submitted = _own(request, pk)
    if submitted.state == RequestState.DRAFT:
        return redirect("eservices:review", pk=submitted.pk)
    return render(request, "eservices/done.html", {"req": submitted})


# --- Issuing (staff) ---------------------------------------------------------------------------


@login_required
@require_POST
def request_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff issue the act of a request whose case is approved and signed (a button on the case page).

    Anyone who may not see the case gets a 404, like for a request that does not exist.
    """
    req = ServiceRequest.objects.select_related("case", "entry").filter(pk=pk).first()
    if (
        req is None
        or req.case is None
        or not procedure_permissions.is_staff(request.user)
        or not procedure_permissions.can_view_case(request.user, req.case)
    ):
        raise Http404
    try:
        services.request_issue(request=req, actor=request.user, site_url=_site(request))
    except DomainError as exc:
        _raise_http(exc)
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, _("Actul a fost emis și transmis solicitantului: %(number)s.") % {"number": req.number}
        )
    return redirect("procedures:case", pk=req.case.pk)


@login_required
@require_GET
def staff_attachment(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    """A document of a request, for the staff who may see its case (anyone else: 404)."""
    req = ServiceRequest.objects.select_related("case").filter(pk=pk).first()
    if (
        req is None
        or req.case is None
        or not procedure_permissions.is_staff(request.user)
        or not procedure_permissions.can_view_case(request.user, req.case)
    ):
        raise Http404
    attachment = req.attachments.select_related("file").filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    try:
        return _file_response(attachment.file, attachment.original_name)
    except OSError:  # the bytes are missing from the storage: the fixity check reports it
        raise Http404 from None


# --- My file ------------------------------------------------------------------------------------


@login_required
@require_GET
def myfile_home(request: HttpRequest) -> HttpResponse:
    requests = list(selectors.requests_for_applicant(request.user)[:100])
    rows = [{"req": r, "expected": selectors.expected_from_citizen(r)} for r in requests]
    return render(
        request,
        "eservices/myfile.html",
        {"rows": rows, "messages_list": list(inbox_for_user(user=request.user)[:50])},
    )


def _render_myfile_request(
    request: HttpRequest, req: ServiceRequest, *, form: CompletionAnswerForm | None = None, status: int = 200
) -> HttpResponse:
    asked = selectors.completion_asked(req)
    return render(
        request,
        "eservices/myfile_request.html",
        {
            "req": req,
            "expected": selectors.expected_from_citizen(req),
            "timeline": selectors.timeline(req),
            "attachments": list(req.attachments.all()),
            "asked": asked,
            "answer_form": (form or CompletionAnswerForm()) if asked is not None else None,
        },
        status=status,
    )


@login_required
@require_GET
def myfile_request(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_myfile_request(request, _own(request, pk))


@login_required
@require_POST
def myfile_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The citizen's answer to a completion request: documents and/or a text; the case resumes."""
    req = _own(request, pk)
    form = CompletionAnswerForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_myfile_request(request, req, form=form, status=400)
    uploads = [Upload(file=f, name=f.name or "fisier", size=f.size) for f in form.cleaned_data["documents"]]
    try:
        services.request_answer_completion(
            request_id=req.pk,
            applicant=request.user,
            text=form.cleaned_data.get("text", ""),
            uploads=uploads,
            site_url=_site(request),
        )
    except DomainError as exc:
        _raise_http(exc)
        req = _own(request, pk)
        if selectors.completion_asked(req) is None:  # no form on the page any more: say it on top
            messages.error(request, str(exc.message))
        else:
            form.add_error(None, str(exc.message))
        return _render_myfile_request(request, req, form=form, status=exc.status)
    messages.success(request, _("Completarea a fost trimisă. Lucrul la cererea dumneavoastră continuă."))
    return redirect("myfile:request", pk=req.pk)


def _file_response(stored: Any, filename: str) -> FileResponse:
    response = FileResponse(
        open_stored(stored), content_type=stored.content_type, as_attachment=True, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def myfile_document(request: HttpRequest, pk: int) -> FileResponse:
    req = _own(request, pk)
    if req.state != RequestState.ISSUED or req.issued_file is None or req.entry is None:
        raise Http404
    return _file_response(req.issued_file, f"{req.service.code}-{req.entry.number}-{req.entry.year}.pdf")


@login_required
@require_GET
def myfile_attachment(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    req = _own(request, pk)
    attachment = req.attachments.select_related("file").filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return _file_response(attachment.file, attachment.original_name)


@login_required
@require_GET
def myfile_message(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        message = notification_mark_read(user=request.user, notification_id=pk)
    except NotFound as exc:
        raise Http404 from exc
    return render(request, "eservices/myfile_message.html", {"message": message})
