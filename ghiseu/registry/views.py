"""The registry's staff screens and the public status page.

Thin views: a form parses the request, a service writes or a selector reads, a template
renders. A DomainError from a service is shown on the form with its status (400 for bad
input, 403 for a permission); an entry the user may not see is a 404; anonymous users are
sent to the login page.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ghiseu.accounts.models import Department
from ghiseu.core.errors import DomainError
from ghiseu.core.files import open_stored
from ghiseu.registry import pdf, permissions, selectors, services
from ghiseu.registry.forms import (
    AssignForm,
    AttachForm,
    BookForm,
    CloseForm,
    EntryCreateForm,
    EntryFilterForm,
    LinkForm,
    PublicStatusForm,
    ReplyForm,
)
from ghiseu.registry.models import Attachment, Entry, Status

PAGE_SIZE = 25

View = Callable[..., HttpResponseBase]


def registry_staff(view: View) -> View:
    """Anonymous users go to the login page; users who are not registry staff get a 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not permissions.is_registry_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _visible_entry(request: HttpRequest, pk: int) -> Entry:
    """The entry, if the user may see it; a 404 otherwise (its existence is not revealed)."""
    qs = permissions.visible_entries(request.user).select_related(
        "register", "document_type", "department", "assignee", "file_code", "answers", "linked_to", "created_by"
    )
    return get_object_or_404(qs, pk=pk)


def _uploads(files: Iterable[Any]) -> list[services.Upload]:
    return [services.Upload(file=f, name=f.name, size=f.size) for f in files]


def due_state(entry: Entry, today: dt.date | None = None) -> str:
    """`closed`, `overdue`, `soon` (within GHISEU_DUE_SOON_DAYS) or `` for an entry's due-date badge."""
    today = today or timezone.localdate()
    if entry.status == Status.CLOSED:
        return "closed"
    if entry.due_date is None:
        return ""
    if entry.due_date < today:
        return "overdue"
    if entry.due_date <= today + dt.timedelta(days=settings.GHISEU_DUE_SOON_DAYS):
        return "soon"
    return ""


def _rows(entries: Iterable[Entry]) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [{"entry": e, "due": due_state(e, today)} for e in entries]


# --- 1. Finding entries ------------------------------------------------------------------


@require_GET
@registry_staff
def entry_list(request: HttpRequest) -> HttpResponse:
    form = EntryFilterForm(request.GET)
    page = None
    status = 200
    if form.is_valid():
        try:
            qs = selectors.entry_search(user=request.user, filters=form.filters())
            page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        except DomainError as exc:
            form.apply_domain_error_or_top(exc)
            status = exc.status
    else:
        status = 400
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/list.html",
        {
            "form": form,
            "page": page,
            "rows": _rows(page.object_list) if page else [],
            "query": query.urlencode(),
            "filtered": any(v for k, v in request.GET.items() if k != "page"),
            "can_register": permissions.can_register(request.user),
        },
        status=status,
    )


# --- 2. Registering ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@registry_staff
def entry_create(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "registry/create.html", {"form": EntryCreateForm(user=request.user)})
    form = EntryCreateForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return render(request, "registry/create.html", {"form": form}, status=400)
    data = form.cleaned_data
    try:
        entry = services.entry_register(
            actor=request.user,  # type: ignore[arg-type]
            direction=data["direction"],
            channel=data["channel"],
            document_type=data["document_type"],
            sender=data["sender"],
            sender_address=data["sender_address"],
            sender_email=data["sender_email"],
            sender_reference=data["sender_reference"],
            sender_date=data["sender_date"],
            subject=data["subject"],
            pages=data["pages"],
            annexes=data["annexes"],
            file_code=data["file_code"],
            department=data["department"],
            assignee=data["assignee"],
            resolution=data["resolution"],
            linked_to=data["linked_number"],
            files=_uploads(data["attachments"]),
        )
    except DomainError as exc:
        form.apply_domain_error_or_top(exc, aliases={"linked_to": "linked_number"})
        return render(request, "registry/create.html", {"form": form}, status=exc.status)
    messages.success(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            _("Documentul a fost înregistrat cu numărul %(number)s.") % {"number": entry.display_number},
            reverse("registry:slip", args=[entry.pk]),
            _("Tipăriți fișa de înregistrare"),
        ),
    )
    return redirect("registry:detail", pk=entry.pk)


# --- 3. One entry and the actions on it --------------------------------------------------


def _history_label(action: str) -> str:
    labels = {
        "registry.entry.registered": _("înregistrat"),
        "registry.entry.assigned": _("repartizat"),
        "registry.entry.started": _("preluat în lucru"),
        "registry.entry.closed": _("soluționat"),
        "registry.entry.linked": _("conexat"),
        "registry.entry.attached": _("atașamente adăugate"),
    }
    return labels.get(action, action)


def _render_detail(
    request: HttpRequest,
    entry: Entry,
    *,
    status: int = 200,
    error: str = "",
    open_action: str = "",
    **bound: Any,
) -> HttpResponse:
    user = request.user
    can_route = permissions.can_route(user, entry)
    can_work = permissions.can_work(user, entry)
    is_open = entry.status != Status.CLOSED
    visible = permissions.visible_entries(user)
    assign_initial = {"department": entry.department_id, "assignee": entry.assignee_id}
    close_initial = {"recipient": entry.recipient or entry.sender, "sent_at": timezone.localdate()}
    reply_initial = {
        "recipient": entry.sender,
        "subject": _("Răspuns la %(number)s") % {"number": entry.display_number},
    }
    history = [{"event": event, "label": _history_label(event.action)} for event in selectors.entry_history(entry)]
    context = {
        "entry": entry,
        "due": due_state(entry),
        "attachments": entry.attachments.select_related("file"),
        "assignments": entry.assignments.select_related("department", "assignee", "assigned_by"),
        "replies": visible.filter(answers=entry).order_by("registered_at", "pk"),
        "linked": visible.filter(linked_to=entry).exclude(pk=entry.pk).order_by("registered_at", "pk"),
        "history": history,
        "can_route": can_route and is_open and not entry.is_reply,
        "can_start": can_work and entry.status == Status.ASSIGNED and not entry.is_reply,
        "can_work": can_work and not entry.is_reply,
        "can_close": can_work and is_open and not entry.is_reply,
        "assign_form": bound.get("assign_form") or AssignForm(initial=assign_initial),
        "reply_form": bound.get("reply_form") or ReplyForm(initial=reply_initial),
        "close_form": bound.get("close_form") or CloseForm(initial=close_initial),
        "link_form": bound.get("link_form") or LinkForm(user=user),
        "attach_form": bound.get("attach_form") or AttachForm(),
        "action_error": error,
        "open_action": open_action,
    }
    return render(request, "registry/detail.html", context, status=status)


@require_GET
@registry_staff
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _visible_entry(request, pk))


def _action_failed(
    request: HttpRequest,
    entry: Entry,
    form: Any,
    exc: DomainError,
    action: str,
    *,
    aliases: dict[str, str] | None = None,
) -> HttpResponse:
    """Show a service's refusal: on the field it names, else above the actions (the form may be hidden by then)."""
    on_field = form.apply_domain_error(exc, aliases=aliases)
    entry.refresh_from_db()
    return _render_detail(
        request,
        entry,
        status=exc.status,
        error="" if on_field else str(exc.message),
        open_action=action,
        **{f"{action}_form": form},
    )


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@require_POST
@registry_staff
def entry_assign(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _visible_entry(request, pk)
    _require(permissions.can_route(request.user, entry))
    form = AssignForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, entry, status=400, assign_form=form, open_action="assign")
    try:
        entry = services.entry_assign(
            actor=request.user,  # type: ignore[arg-type]
            entry=entry,
            department=form.cleaned_data["department"],
            assignee=form.cleaned_data["assignee"],
            resolution=form.cleaned_data["resolution"],
        )
    except DomainError as exc:
        return _action_failed(request, entry, form, exc, "assign")
    messages.success(
        request, _("Înregistrarea a fost repartizată la %(department)s.") % {"department": entry.department}
    )
    return redirect("registry:detail", pk=entry.pk)


@require_POST
@registry_staff
def entry_start_work(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _visible_entry(request, pk)
    _require(permissions.can_work(request.user, entry))
    try:
        services.entry_start_work(actor=request.user, entry=entry)  # type: ignore[arg-type]
    except DomainError as exc:
        return _render_detail(request, entry, status=exc.status, error=str(exc.message))
    messages.success(request, _("Înregistrarea a fost preluată în lucru."))
    return redirect("registry:detail", pk=entry.pk)


@require_POST
@registry_staff
def entry_reply(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _visible_entry(request, pk)
    _require(permissions.can_work(request.user, entry))
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_detail(request, entry, status=400, reply_form=form, open_action="reply")
    data = form.cleaned_data
    try:
        reply = services.entry_reply(
            actor=request.user,  # type: ignore[arg-type]
            entry=entry,
            recipient=data["recipient"],
            subject=data["subject"],
            channel=data["channel"],
            pages=data["pages"],
            files=_uploads(data["attachments"]),
            close=data["close"],
        )
    except DomainError as exc:
        return _action_failed(request, entry, form, exc, "reply")
    messages.success(
        request, _("Răspunsul a fost înregistrat la ieșire cu numărul %(number)s.") % {"number": reply.display_number}
    )
    return redirect("registry:detail", pk=entry.pk)


@require_POST
@registry_staff
def entry_close(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _visible_entry(request, pk)
    _require(permissions.can_work(request.user, entry))
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, entry, status=400, close_form=form, open_action="close")
    try:
        services.entry_close(
            actor=request.user,  # type: ignore[arg-type]
            entry=entry,
            outcome=form.cleaned_data["outcome"],
            recipient=form.cleaned_data["recipient"],
            sent_at=form.cleaned_data["sent_at"],
        )
    except DomainError as exc:
        return _action_failed(request, entry, form, exc, "close")
    messages.success(request, _("Înregistrarea a fost soluționată."))
    return redirect("registry:detail", pk=entry.pk)


@require_POST
@registry_staff
def entry_link(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _visible_entry(request, pk)
    _require(permissions.can_work(request.user, entry))
    form = LinkForm(request.POST, user=request.user)
    if not form.is_valid():
        return _render_detail(request, entry, status=400, link_form=form, open_action="link")
    try:
        entry = services.entry_link(actor=request.user, entry=entry, to=form.cleaned_data["number"])  # type: ignore[arg-type]
    except DomainError as exc:
        return _action_failed(request, entry, form, exc, "link", aliases={"linked_to": "number"})
    messages.success(request, _("Înregistrarea a fost conexată la %(number)s.") % {"number": entry.linked_to})
    return redirect("registry:detail", pk=entry.pk)


@require_POST
@registry_staff
def entry_attach(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _visible_entry(request, pk)
    _require(permissions.can_work(request.user, entry))
    form = AttachForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_detail(request, entry, status=400, attach_form=form, open_action="attach")
    try:
        added = services.entry_add_attachments(
            actor=request.user,  # type: ignore[arg-type]
            entry=entry,
            files=_uploads(form.cleaned_data["attachments"]),
        )
    except DomainError as exc:
        return _action_failed(request, entry, form, exc, "attach")
    messages.success(request, _("Au fost adăugate %(count)d fișiere.") % {"count": len(added)})
    return redirect("registry:detail", pk=entry.pk)


@require_GET
@registry_staff
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    entry = _visible_entry(request, pk)
    attachment = get_object_or_404(Attachment.objects.select_related("file"), pk=attachment_id, entry=entry)
    try:
        content = open_stored(attachment.file)
    except OSError:  # the bytes are missing from the storage: `fixity` checks report it
        raise Http404 from None
    return FileResponse(
        content,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.file.content_type,
    )


# --- 4. The registration slip ------------------------------------------------------------


@require_GET
@registry_staff
def entry_slip(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _visible_entry(request, pk)
    status_url = request.build_absolute_uri(reverse("registry-public:status"))
    content = pdf.slip_pdf(entry, status_url=status_url)
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"fisa-{entry.number}-{entry.year}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# --- 5. The department queue -------------------------------------------------------------


@require_GET
@registry_staff
def department_queue(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    may_pick = str(user.role) in permissions.READ_ALL
    counts = selectors.queue_counts(user=user)
    department: Department | None = None
    if may_pick:
        wanted = request.GET.get("department", "")
        if wanted.isdigit():
            department = Department.objects.filter(pk=int(wanted)).first()
        if department is None and user.department_id and any(c["department_id"] == user.department_id for c in counts):
            department = user.department
        if department is None and counts:
            department = Department.objects.filter(pk=counts[0]["department_id"]).first()
    else:
        department = user.department
    queue = selectors.department_queue(user=user, department_id=department.pk) if department else None
    sections = []
    if queue is not None:
        sections = [
            {"key": "overdue", "title": _("Termen depășit"), "rows": _rows(queue.overdue)},
            {"key": "soon", "title": _("Termen apropiat"), "rows": _rows(queue.due_soon)},
            {"key": "new", "title": _("Noi (repartizate)"), "rows": _rows(queue.new)},
            {"key": "progress", "title": _("În lucru"), "rows": _rows(queue.in_progress)},
        ]
    return render(
        request,
        "registry/queue.html",
        {
            "department": department,
            "may_pick": may_pick,
            "departments": Department.objects.filter(is_active=True),
            "counts": counts,
            "sections": sections,
        },
    )


# --- 6. The registry book ----------------------------------------------------------------


def _book_columns() -> list[str]:
    return [
        _("Nr. înregistrare"),
        _("Data înregistrării"),
        _("Sens"),
        _("Emitent"),
        _("Nr. și data documentului emitentului"),
        _("Nr. file"),
        _("Anexe"),
        _("Conținut pe scurt"),
        _("Compartiment"),
        _("Data expedierii"),
        _("Destinatar"),
        _("Mod de soluționare"),
        _("Nr. conexat"),
        _("Indicativ dosar"),
    ]


def _sender_reference(entry: Entry) -> str:
    parts = [entry.sender_reference, f"{entry.sender_date:%d.%m.%Y}" if entry.sender_date else ""]
    return " / ".join(p for p in parts if p)


def _book_row(entry: Entry) -> list[str]:
    return [
        str(entry.number),
        f"{timezone.localtime(entry.registered_at):%d.%m.%Y %H:%M}",
        str(entry.get_direction_display()),
        entry.sender,
        _sender_reference(entry),
        str(entry.pages),
        str(entry.annexes),
        entry.subject,
        str(entry.department or ""),
        f"{entry.sent_at:%d.%m.%Y}" if entry.sent_at else "",
        entry.recipient,
        entry.outcome,
        entry.linked_to.display_number if entry.linked_to else "",
        entry.file_code.code if entry.file_code else "",
    ]


def _book_entries(user: Any, form: BookForm) -> QuerySet[Entry]:
    data = form.cleaned_data
    start = timezone.make_aware(dt.datetime.combine(data["date_from"], dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(data["date_to"] + dt.timedelta(days=1), dt.time.min))
    return (
        permissions.visible_entries(user)
        .filter(register=data["register"], registered_at__gte=start, registered_at__lt=end)
        .select_related("department", "file_code", "answers", "linked_to", "linked_to__answers")
        .order_by("year", "number", "registered_at", "pk")
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(entries: QuerySet[Entry]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"  # the BOM tells Excel the file is UTF-8
    yield writer.writerow(_book_columns())
    for entry in entries.iterator(chunk_size=1000):
        yield writer.writerow(_book_row(entry))


@require_GET
@registry_staff
def registry_book(request: HttpRequest) -> HttpResponseBase:
    if "date_from" not in request.GET and "date_to" not in request.GET:
        today = timezone.localdate()
        form = BookForm(initial={"date_from": today.replace(day=1), "date_to": today, "format": "pdf"})
        return render(request, "registry/book.html", {"form": form})
    form = BookForm(request.GET)
    if not form.is_valid():
        return render(request, "registry/book.html", {"form": form}, status=400)
    data = form.cleaned_data
    entries = _book_entries(request.user, form)
    name = f"registru-{data['register'].code}-{data['date_from']:%Y%m%d}-{data['date_to']:%Y%m%d}"
    if data["format"] == "csv":
        response: HttpResponseBase = StreamingHttpResponse(_csv_lines(entries), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    limit = int(getattr(settings, "GHISEU_BOOK_PDF_MAX_ROWS", 5000))
    rows = list(entries[: limit + 1])
    if len(rows) > limit:
        form.add_error(
            None,
            _(
                "Perioada aleasă are peste %(limit)d înregistrări: alegeți o perioadă mai scurtă "
                "sau exportați în format CSV."
            )
            % {"limit": limit},
        )
        return render(request, "registry/book.html", {"form": form}, status=400)
    content = pdf.book_pdf(
        [_book_row(e) for e in rows],
        columns=_book_columns(),
        register=data["register"],
        date_from=data["date_from"],
        date_to=data["date_to"],
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


# --- 7. The public status page -----------------------------------------------------------


def _client_key(request: HttpRequest) -> str:
    return f"registry-status-misses:{request.META.get('REMOTE_ADDR', '')}"


@require_http_methods(["GET", "POST"])
def public_status(request: HttpRequest) -> HttpResponse:
    """A citizen follows a document with its number and tracking code; only its progress is shown."""
    if request.method != "POST":
        return render(request, "registry/public_status.html", {"form": PublicStatusForm()})
    form = PublicStatusForm(request.POST)
    if not form.is_valid():
        return render(request, "registry/public_status.html", {"form": form}, status=400)
    limit = int(getattr(settings, "GHISEU_STATUS_MAX_MISSES_PER_HOUR", 30))
    key = _client_key(request)
    if int(cache.get(key, 0)) >= limit:
        form.add_error(None, _("Prea multe încercări nereușite. Încercați din nou peste o oră."))
        return render(request, "registry/public_status.html", {"form": form}, status=429)
    result = selectors.public_status_summary(
        number=form.cleaned_data["number"], tracking_code=form.cleaned_data["tracking_code"]
    )
    if result is None:
        if not cache.add(key, 1, timeout=3600):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, timeout=3600)
        form.add_error(
            None,
            _("Nu am găsit niciun document cu acest număr și acest cod de urmărire. Verificați datele de pe fișă."),
        )
        return render(request, "registry/public_status.html", {"form": form}, status=404)
    return render(request, "registry/public_status.html", {"form": PublicStatusForm(), "result": result})
