"""The archivist's staff pages: batch import with live progress, handover, selection and
disposal, BagIt export. Archivist and administrator only (others get a 403).

Thin views: a form parses, a service writes (a DomainError is shown on the form with its
status), a selector reads. Progress is polled with htmx; without JavaScript the page has a
refresh link.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ghiseu.accounts.models import Department
from ghiseu.archive import permissions
from ghiseu.archive.forms import ConfirmDisposalForm, DossierFilterForm, HandoverForm, ProposalForm, UploadForm
from ghiseu.archive.models import DisposalProposal, Dossier, ImportBatch
from ghiseu.archive.selectors import failed_items
from ghiseu.archive.services import disposal, export, handover, uploads
from ghiseu.archive.services.import_report import import_report_csv
from ghiseu.core.errors import DomainError
from ghiseu.core.files import open_stored

View = Callable[..., HttpResponseBase]


def archive_manager(view: View) -> View:
    """Anonymous users go to the login page; anyone but the archivist and the administrator: 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not permissions.can_import(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
@archive_manager
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "archive/home.html",
        {
            "batches": ImportBatch.objects.select_related("created_by")[:5],
            "due_count": disposal.dossiers_due_for_selection().count(),
            "proposals": DisposalProposal.objects.filter(status="proposed")[:10],
        },
    )


# --- Import ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@archive_manager
def import_upload(request: HttpRequest) -> HttpResponse:
    batches = Paginator(ImportBatch.objects.select_related("created_by"), 20).get_page(request.GET.get("page"))
    context: dict[str, Any] = {"batches": batches, "limit_mb": uploads.max_upload_bytes() // (1024 * 1024)}
    if request.method != "POST":
        return render(request, "archive/import.html", {**context, "form": UploadForm()})
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "archive/import.html", {**context, "form": form}, status=400)
    upload = form.cleaned_data["batch"]
    try:
        batch = uploads.import_upload(user=request.user, upload=upload, name=upload.name, size=upload.size)
    except DomainError as exc:
        form.apply_domain_error_or_top(exc)
        return render(request, "archive/import.html", {**context, "form": form}, status=exc.status)
    messages.success(request, _("Lotul a fost primit; importul rulează în fundal."))
    return redirect("archive:import-progress", pk=batch.pk)


def _progress_context(batch: ImportBatch) -> dict[str, Any]:
    progress = uploads.batch_live_progress(batch)
    return {
        "batch": batch,
        "progress": progress,
        "failures": list(failed_items(batch)[:200]) if progress.failed else [],
    }


@require_GET
@archive_manager
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch.objects.select_related("created_by"), pk=pk)
    context = _progress_context(batch)
    if request.headers.get("HX-Request") == "true":
        return render(request, "archive/_progress.html", context)
    return render(request, "archive/import_progress.html", context)


@require_GET
@archive_manager
def import_report(request: HttpRequest, pk: int) -> HttpResponseBase:
    batch = get_object_or_404(ImportBatch, pk=pk)
    filename = f"raport-import-{batch.pk}.csv"
    if batch.report is not None:
        return FileResponse(
            open_stored(batch.report), as_attachment=True, filename=filename, content_type="text/csv; charset=utf-8"
        )
    response = HttpResponse(import_report_csv(batch), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Handover -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@archive_manager
def handover_page(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else (request.GET if "department" in request.GET else None)
    form = HandoverForm(data)
    dossiers = None
    status = 200
    if data is not None:
        if form.is_valid():
            department: Department = form.cleaned_data["department"]
            year: int = form.cleaned_data["year"]
            if request.method == "POST":
                try:
                    count = handover.handover_record(actor=request.user, department=department, year=year)
                except DomainError as exc:
                    form.apply_domain_error_or_top(exc)
                    status = exc.status
                else:
                    messages.success(
                        request,
                        _("%(count)d dosare au fost predate la arhivă.") % {"count": count},
                    )
                    return redirect(f"{request.path}?department={department.pk}&year={year}")
            dossiers = list(handover.handover_dossiers(department=department, year=year))
        else:
            status = 400
    return render(
        request,
        "archive/handover.html",
        {"form": form, "dossiers": dossiers, "query": _handover_query(form) if dossiers is not None else ""},
        status=status,
    )


def _handover_query(form: HandoverForm) -> str:
    return urlencode({"department": form.cleaned_data["department"].pk, "year": form.cleaned_data["year"]})


def _handover_pdf(request: HttpRequest, make: Callable[..., bytes], name: str) -> HttpResponse:
    """A handover PDF of the department and year the query names, as `{name}-{code}-{year}.pdf`."""
    form = HandoverForm(request.GET)
    if not form.is_valid():
        return HttpResponse(_("Alegeți compartimentul și anul."), status=400, content_type="text/plain; charset=utf-8")
    department, year = form.cleaned_data["department"], form.cleaned_data["year"]
    return _pdf(make(user=request.user, department=department, year=year), f"{name}-{department.code}-{year}.pdf")


@require_GET
@archive_manager
def handover_inventory(request: HttpRequest) -> HttpResponse:
    return _handover_pdf(request, handover.handover_inventory_pdf, "inventar")


@require_GET
@archive_manager
def handover_report(request: HttpRequest) -> HttpResponse:
    return _handover_pdf(request, handover.handover_report_pdf, "proces-verbal-predare")


@require_GET
@archive_manager
def archive_register(request: HttpRequest) -> HttpResponse:
    return _pdf(handover.archive_register_pdf(user=request.user), "registru-arhiva.pdf")


# --- Selection and disposal -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@archive_manager
def selection(request: HttpRequest) -> HttpResponse:
    due = disposal.dossiers_due_for_selection()
    form = ProposalForm(request.POST or None, queryset=due)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                proposal = disposal.disposal_propose(actor=request.user, dossiers=list(form.cleaned_data["dossiers"]))
            except DomainError as exc:
                form.apply_domain_error_or_top(exc)
                status = exc.status
            else:
                messages.success(request, _("Propunerea de eliminare a fost întocmită."))
                return redirect("archive:proposal", pk=proposal.pk)
        else:
            status = 400
    selected = set(request.POST.getlist("dossiers"))
    return render(request, "archive/selection.html", {"form": form, "due": due, "selected": selected}, status=status)


def _proposal_context(proposal: DisposalProposal, form: ConfirmDisposalForm) -> dict[str, Any]:
    return {
        "proposal": proposal,
        "dossiers": list(disposal.proposal_dossiers(proposal)),
        "records": list(proposal.records.all()),
        "form": form,
    }


@require_http_methods(["GET", "POST"])
@archive_manager
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(DisposalProposal, pk=pk)
    form = ConfirmDisposalForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                disposal.disposal_confirm(
                    actor=request.user,
                    proposal=proposal,
                    decision_number=form.cleaned_data["decision_number"],
                    decision_date=form.cleaned_data["decision_date"],
                )
            except DomainError as exc:
                form.apply_domain_error_or_top(exc)
                status = exc.status
            else:
                messages.success(request, _("Eliminarea a fost confirmată; fișierele dosarelor au fost șterse."))
                return redirect("archive:proposal", pk=proposal.pk)
        else:
            status = 400
    return render(request, "archive/proposal.html", _proposal_context(proposal, form), status=status)


@require_GET
@archive_manager
def proposal_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(DisposalProposal, pk=pk)
    return _pdf(disposal.disposal_proposal_pdf(user=request.user, proposal=proposal), f"propunere-eliminare-{pk}.pdf")


# --- Dossiers and export ---------------------------------------------------------------------


@require_GET
@archive_manager
def dossier_list(request: HttpRequest) -> HttpResponse:
    form = DossierFilterForm(request.GET or None)
    qs = handover.with_pages(Dossier.objects.select_related("file_code", "department"))
    if form.is_bound and form.is_valid():
        if form.cleaned_data["department"]:
            qs = qs.filter(department=form.cleaned_data["department"])
        if form.cleaned_data["year"]:
            qs = qs.filter(year=form.cleaned_data["year"])
    page = Paginator(qs.order_by("-year", "file_code__code", "volume"), 50).get_page(request.GET.get("page"))
    return render(request, "archive/dossiers.html", {"form": form, "page": page})


@require_POST
@archive_manager
def dossier_export(request: HttpRequest) -> HttpResponseBase:
    ids = [int(v) for v in request.POST.getlist("dossier") if v.isdigit()]
    dossiers = list(Dossier.objects.filter(pk__in=ids).select_related("file_code", "department").order_by("pk"))
    if not dossiers:
        messages.error(request, _("Alegeți cel puțin un dosar."))
        return redirect("archive:dossiers")
    try:
        path = export.dossiers_export_zip(actor=request.user, dossiers=dossiers)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("archive:dossiers")
    handle = path.open("rb")
    os.unlink(path)  # the open handle keeps the bytes until the response is sent
    return FileResponse(handle, as_attachment=True, filename="export-bagit.zip", content_type="application/zip")
