"""The archive document viewer (/arhiva/documente/<id>/?pagina=N): the archival PDF/A copy
opened at the page, and that page's OCR text as accessible text beside it; the search opens a
hit here. Every view and download goes through the archive's access-log service
(`archive_log_access`, `archive_download`): nobody reads without a log line, and whoever may
not read the document gets a 404, as if it did not exist."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from ghiseu.archive.models import AccessAction, Document, DocumentVersion, VersionKind
from ghiseu.archive.services.access import archive_download, archive_log_access
from ghiseu.core.errors import DomainError
from ghiseu.core.files import open_stored

PAGE_PARAM = "pagina"
MAX_PAGE_LINKS = 60


def _document(pk: int) -> Document:
    return get_object_or_404(Document.objects.select_related("dossier__department", "dossier__file_code"), pk=pk)


def _page_number(request: HttpRequest, document: Document, last: int) -> int:
    try:
        number = int(request.GET.get(PAGE_PARAM) or 1)
    except ValueError:
        number = 1
    return max(1, min(number, max(last, 1)))


@require_GET
def document_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    document = _document(pk)
    pages = list(document.pages.order_by("number").values_list("number", flat=True))
    last = pages[-1] if pages else document.page_count
    number = _page_number(request, document, last)
    try:
        archive_log_access(user=request.user, action=AccessAction.VIEW, document=document, page=number)
    except DomainError:
        raise Http404 from None
    page = document.pages.filter(number=number).first()
    kinds = set(DocumentVersion.objects.filter(document=document).values_list("kind", flat=True))
    return render(
        request,
        "archive/viewer.html",
        {
            "document": document,
            "dossier": document.dossier,
            "page": page,
            "number": number,
            "pages": pages if len(pages) <= MAX_PAGE_LINKS else [],
            "page_count": len(pages) or document.page_count,
            "previous": number - 1 if number > 1 else None,
            "next": number + 1 if number < last else None,
            "has_archival": VersionKind.ARCHIVAL in kinds,
            "has_original": VersionKind.ORIGINAL in kinds,
        },
    )


@require_GET
@xframe_options_sameorigin  # shown inside the viewer page (the site otherwise denies framing)
def document_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The archival PDF/A copy, inline, for the viewer; logged as a view."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    document = _document(pk)
    version = (
        DocumentVersion.objects.select_related("file").filter(document=document, kind=VersionKind.ARCHIVAL).first()
    )
    if version is None:
        raise Http404
    try:
        archive_log_access(user=request.user, action=AccessAction.VIEW, document=document, detail="pdf")
    except DomainError:
        raise Http404 from None
    response = FileResponse(open_stored(version.file), content_type="application/pdf", as_attachment=False)
    response["Content-Disposition"] = f'inline; filename="{document.uid}.pdf"'
    return response


@require_GET
def document_download(request: HttpRequest, pk: int, kind: str) -> HttpResponseBase:
    """The original file or the PDF/A copy as a download; logged as a download."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if kind not in VersionKind.values:
        raise Http404
    document = _document(pk)
    try:
        opened = archive_download(user=request.user, document=document, kind=kind)
    except DomainError:
        raise Http404 from None
    return FileResponse(opened.file, as_attachment=True, filename=opened.name, content_type=opened.content_type)
