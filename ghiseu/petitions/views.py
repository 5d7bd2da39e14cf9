"""Screens of petitions: the citizen's filing form and the public list of reported problems (no
JavaScript needed), and the staff's list, registration, one petition with its legal actions, and
the reports.

Thin views: a form parses, a service writes, a selector reads, a template renders. A DomainError is
shown on its field (or above the form) with its 4xx status.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ghiseu.accounts.models import Role
from ghiseu.core.errors import DomainError
from ghiseu.core.files import open_stored
from ghiseu.petitions import delivery, geo, permissions, reports, rules, selectors, services
from ghiseu.petitions.forms import (
    AnswerForm,
    CitizenPetitionForm,
    ExtendForm,
    ForwardForm,
    PickPetitionForm,
    ReasonForm,
    ReportForm,
    StaffPetitionForm,
)
from ghiseu.petitions.models import OPEN_STATUSES, PETITION_KINDS, Kind, Petition, PetitionCategory, PetitionPhoto
from ghiseu.registry import selectors as registry_selectors
from ghiseu.registry.forms import PublicStatusForm, resolve_number
from ghiseu.registry.models import Attachment, Channel
from ghiseu.registry.services import Upload
from ghiseu.registry.views import registry_staff

PORTAL_USERNAME = "portal"
SESSION_FILED = "petitions_filed"


def _uploads(files: list[Any]) -> list[Upload]:
    return [Upload(file=f, name=f.name, size=f.size) for f in files]


# --- Citizens ---------------------------------------------------------------------------------------


def _citizen_initial(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"petitioner_name": user.get_full_name(), "petitioner_email": user.email}


def map_settings() -> dict[str, str] | None:
    """The map's settings for the templates; None (no map, the typed fields only) without a tiles URL."""
    tiles = str(getattr(settings, "GHISEU_MAP_TILES_URL", "") or "")
    if not tiles:
        return None
    bbox = rules.city_bbox()
    return {
        "tiles": tiles,
        "attribution": str(getattr(settings, "GHISEU_MAP_ATTRIBUTION", "")),
        "center": str(getattr(settings, "GHISEU_MAP_CENTER", "45.3600,23.2300")),
        "zoom": str(getattr(settings, "GHISEU_MAP_ZOOM", 14)),
        "bbox": f"{bbox.min_lat},{bbox.min_long},{bbox.max_lat},{bbox.max_long}" if bbox else "",
    }


def _file_page(request: HttpRequest, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    return render(request, "petitions/file.html", {**context, "map": map_settings()}, status=status)


def _filing_key(request: HttpRequest) -> str:
    return f"petitions-filings:{request.META.get('REMOTE_ADDR', '')}"


def _filing_rate_limited(request: HttpRequest) -> HttpResponse | None:
    """Count this submission against the address's hourly budget (GHISEU_PETITION_FILINGS_PER_HOUR,
    0: no limit); over it, the translated 429 page. Every submission counts, valid or not."""
    limit = int(getattr(settings, "GHISEU_PETITION_FILINGS_PER_HOUR", 10))
    if limit <= 0:
        return None
    key = _filing_key(request)
    window = 3600
    if cache.add(key, 1, timeout=window):
        return None
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=window)
        return None
    if count <= limit:
        return None
    response = render(request, "petitions/too_many.html", {"limit": limit, "minutes": window // 60}, status=429)
    response["Retry-After"] = str(window)
    return response


@require_http_methods(["GET", "POST"])
def petition_file(request: HttpRequest) -> HttpResponse:
    """File a petition, complaint, report, proposal or public-information request from the portal."""
    if request.method != "POST":
        form = CitizenPetitionForm(initial=_citizen_initial(request))
        return _file_page(request, {"form": form})
    limited = _filing_rate_limited(request)
    if limited is not None:
        return limited
    form = CitizenPetitionForm(request.POST, request.FILES)
    if not form.is_valid():
        return _file_page(request, {"form": form}, status=400)
    data = form.cleaned_data
    category: PetitionCategory | None = data["category"]
    similar: list[selectors.PublicReport] = []
    if category is not None and data["latitude"] and data["longitude"] and not data["confirm_similar"]:
        try:
            location = geo.parse_location(data["latitude"], data["longitude"])
        except DomainError as exc:
            form.apply_domain_error_or_top(exc)
            return _file_page(request, {"form": form}, status=exc.status)
        if location is not None:
            similar = selectors.similar_reports(category=category, latitude=location[0], longitude=location[1])
        if similar:
            return _file_page(request, {"form": form, "similar": similar})
    user = request.user if request.user.is_authenticated else None
    try:
        original = _contested_request(data) if data["kind"] == Kind.ADMINISTRATIVE_COMPLAINT else None
        petition = services.petition_register(
            actor=services.system_actor(PORTAL_USERNAME, label="Portal"),
            kind=data["kind"],
            channel=Channel.PORTAL,
            description=data["description"],
            petitioner_type=data["petitioner_type"],
            petitioner_name=data["petitioner_name"],
            petitioner_address=data["petitioner_address"],
            petitioner_email=data["petitioner_email"],
            petitioner_phone=data["petitioner_phone"],
            petitioner_user=user if user is not None and user.role == Role.CITIZEN else None,
            category=category,
            latitude=data["latitude"] or None,
            longitude=data["longitude"] or None,
            location_address=data["location_address"],
            photos=_uploads(data["photos"]),
            original_request=original,
        )
    except DomainError as exc:
        form.apply_domain_error_or_top(exc, aliases={"original_request": "original_number"})
        return _file_page(request, {"form": form}, status=exc.status)
    request.session[SESSION_FILED] = {
        "number": petition.number,
        "tracking_code": petition.entry.tracking_code,
        "due_date": petition.due_date.isoformat(),
        "kind": str(petition.get_kind_display()),
    }
    return redirect("petitions-public:filed")


def _contested_request(data: dict[str, Any]) -> Petition:
    """The public-information request a citizen contests, named by its number and tracking code
    (as on its slip): a citizen never reaches a request by its number alone."""
    entry = registry_selectors.public_status(
        number=data["original_number"], tracking_code=data["original_tracking_code"]
    )
    original = Petition.objects.filter(entry=entry).first() if entry is not None else None
    if original is None:
        raise DomainError(
            _("Nu am găsit nicio solicitare cu acest număr și acest cod de urmărire. Verificați datele de pe fișă."),
            field="original_request",
        )
    return original


@require_GET
def petition_filed(request: HttpRequest) -> HttpResponse:
    filed = request.session.get(SESSION_FILED)
    if not filed:
        return redirect("petitions-public:file")
    return render(request, "petitions/filed.html", {"filed": filed})


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    """Reported problems in the city, without any personal data."""
    categories = PetitionCategory.objects.filter(is_active=True)
    category = categories.filter(code=request.GET.get("categorie", "")).first()
    status = request.GET.get("stare", "")
    rows = selectors.public_reports(category=category, status=status if status in ("open", "closed") else "")
    points = [
        {
            "lat": str(r.latitude),
            "long": str(r.longitude),
            "label": f"{r.number} · {r.category} · {r.status_label}",
            "closed": r.status == "closed",
        }
        for r in rows
        if r.latitude is not None and r.longitude is not None
    ]
    return render(
        request,
        "petitions/public_list.html",
        {
            "rows": rows,
            "categories": categories,
            "category": category,
            "status": status,
            "points": points,
            "map": map_settings() if points else None,
        },
    )


SESSION_SEEN = "petitions_seen"


def _misses_key(request: HttpRequest) -> str:
    # the same counter as the registry's status page: one budget of wrong guesses per address
    return f"registry-status-misses:{request.META.get('REMOTE_ADDR', '')}"


def _answer_context(petition: Petition) -> dict[str, Any]:
    return {
        "number": petition.number,
        "kind": petition.get_kind_display(),
        "status": petition.get_status_display(),
        "registered_on": petition.entry.registered_on,
        "due_date": petition.due_date,
        "answered": petition.answer_entry_id is not None,
        "has_letter": petition.answer_entry_id is not None
        and Attachment.objects.filter(entry_id=petition.answer_entry_id).exists(),
        "answered_at": petition.answered_at,
        "answer_text": petition.answer_text,
        "legal_basis": petition.legal_basis,
        "note": petition.filed_away_note
        or (_("Redirecționată către %(a)s.") % {"a": petition.forwarded_to} if petition.forwarded_to else ""),
    }


@require_http_methods(["GET", "POST"])
def petition_answer_lookup(request: HttpRequest) -> HttpResponse:
    """The petitioner reads the answer with the number and tracking code (nothing in the URL)."""
    if request.method != "POST":
        return render(request, "petitions/answer_lookup.html", {"form": PublicStatusForm()})
    form = PublicStatusForm(request.POST)
    if not form.is_valid():
        return render(request, "petitions/answer_lookup.html", {"form": form}, status=400)
    limit = int(getattr(settings, "GHISEU_STATUS_MAX_MISSES_PER_HOUR", 30))
    key = _misses_key(request)
    if int(cache.get(key, 0)) >= limit:
        form.add_error(None, _("Prea multe încercări nereușite. Încercați din nou peste o oră."))
        return render(request, "petitions/answer_lookup.html", {"form": form}, status=429)
    entry = registry_selectors.public_status(
        number=form.cleaned_data["number"], tracking_code=form.cleaned_data["tracking_code"]
    )
    petition = Petition.objects.select_related("entry").filter(entry=entry).first() if entry else None
    if petition is None:
        if not cache.add(key, 1, timeout=3600):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, timeout=3600)
        form.add_error(None, _("Nu am găsit nicio petiție cu acest număr și acest cod de urmărire."))
        return render(request, "petitions/answer_lookup.html", {"form": form}, status=404)
    seen = [pk for pk in request.session.get(SESSION_SEEN, []) if pk != petition.pk][-9:]
    request.session[SESSION_SEEN] = [*seen, petition.pk]
    return render(
        request,
        "petitions/answer_lookup.html",
        {"form": PublicStatusForm(), "result": _answer_context(petition), "petition_id": petition.pk},
    )


@require_GET
def petition_answer_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The answer letter, for whoever showed the number and tracking code in this session."""
    if pk not in request.session.get(SESSION_SEEN, []):
        raise Http404
    petition = get_object_or_404(Petition.objects.select_related("entry"), pk=pk, answer_entry__isnull=False)
    return _answer_file(petition)


@require_GET
def petition_answer_document(request: HttpRequest, token: str) -> HttpResponseBase:
    """The answer letter from the signed link of the e-mail or the inbox message (no login)."""
    petition = delivery.petition_for_answer_token(token)
    if petition is None:
        raise Http404
    return _answer_file(petition)


def _answer_file(petition: Petition) -> HttpResponseBase:
    attachment = Attachment.objects.filter(entry=petition.answer_entry).select_related("file").first()
    if attachment is None:
        raise Http404
    response = FileResponse(
        open_stored(attachment.file),
        content_type=attachment.file.content_type,
        as_attachment=True,
        filename=f"raspuns-{petition.entry.number}-{petition.entry.year}.pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"  # the link is the key: never leak it onwards
    return response


# --- Staff ------------------------------------------------------------------------------------------


@require_GET
@registry_staff
def staff_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.visible_petitions(request.user)
    status = request.GET.get("stare", "open")
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status == "overdue":
        qs = qs.filter(status__in=OPEN_STATUSES, due_date__lt=timezone.localdate())
    elif status == "post":  # answers to print and post
        qs = qs.filter(answer_by_post=True, answer_posted_at__isnull=True)
    kind = request.GET.get("tip", "")
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    today = timezone.localdate()
    rows = [
        {"petition": p, "due": selectors.due_state(p, today), "forward": selectors.forward_state(p, today)}
        for p in qs.order_by("due_date", "pk")[:300]
    ]
    return render(
        request,
        "petitions/staff_list.html",
        {
            "rows": rows,
            "status": status,
            "kind": kind,
            "kinds": Kind.choices,
            "to_forward": selectors.petitions_to_forward_soon(request.user, today),
            "can_register": permissions.can_register(request.user),
            "can_report": permissions.can_view_reports(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@registry_staff
def staff_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_register(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return render(request, "petitions/staff_create.html", {"form": StaffPetitionForm()})
    form = StaffPetitionForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "petitions/staff_create.html", {"form": form}, status=400)
    data = form.cleaned_data
    try:
        original = None
        if data["original_number"]:
            entry = resolve_number(request.user, data["original_number"])
            original = Petition.objects.filter(entry=entry).first()
            if original is None:
                raise DomainError(_("Numărul nu este al unei petiții."), field="original_request")
        petition = services.petition_register(
            actor=request.user,  # type: ignore[arg-type]
            kind=data["kind"],
            channel=data["channel"],
            description=data["description"],
            subject=data["subject"],
            anonymous=data["anonymous"],
            petitioner_type=data["petitioner_type"],
            petitioner_name=data["petitioner_name"],
            petitioner_address=data["petitioner_address"],
            petitioner_email=data["petitioner_email"],
            petitioner_phone=data["petitioner_phone"],
            category=data["category"],
            department=data["department"],
            latitude=data["latitude"] or None,
            longitude=data["longitude"] or None,
            location_address=data["location_address"],
            photos=_uploads(data["photos"]),
            attachments=_uploads(data["attachments"]),
            received_by_forwarding=data["received_by_forwarding"],
            forwarded_from=data["forwarded_from"],
            sender_reference=data["sender_reference"],
            sender_date=data["sender_date"],
            original_request=original,
        )
    except DomainError as exc:
        form.apply_domain_error_or_top(
            exc, aliases={"original_request": "original_number", "number": "original_number"}
        )
        return render(request, "petitions/staff_create.html", {"form": form}, status=exc.status)
    messages.success(request, _("Petiția a fost înregistrată cu numărul %(number)s.") % {"number": petition.number})
    return redirect("petitions:detail", pk=petition.pk)


def _visible(request: HttpRequest, pk: int) -> Petition:
    qs = selectors.visible_petitions(request.user).select_related(
        "joined_to__entry", "repeated_of__entry", "original_request__entry", "answer_entry", "forward_entry"
    )
    return get_object_or_404(qs, pk=pk)


def _detail(
    request: HttpRequest, petition: Petition, *, status: int = 200, error: str = "", **bound: Any
) -> HttpResponse:
    user = request.user
    handle = permissions.can_handle(user, petition)
    is_open = petition.is_open
    joinable = list(selectors.join_candidates(petition)) if handle and is_open else []
    repeats = list(selectors.repeat_candidates(petition)) if handle and is_open else []
    context = {
        "petition": petition,
        "entry": petition.entry,
        "due": selectors.due_state(petition),
        "forward": selectors.forward_state(petition),
        "photos": petition.photos.select_related("public"),
        "joined": petition.joined.select_related("entry"),
        "can_handle": handle and is_open and not petition.anonymous,
        "can_post": handle and petition.answer_by_post and petition.answer_posted_at is None,
        "can_start": handle and petition.status == "registered",
        "can_extend": permissions.can_extend(user, petition)
        and is_open
        and petition.kind in PETITION_KINDS
        and petition.extended_at is None,
        "can_notice": handle and is_open and petition.kind == Kind.PUBLIC_INFORMATION and petition.extended_at is None,
        "can_photos": handle,
        "joinable": joinable,
        "repeats": repeats,
        "extend_form": bound.get("extend_form") or ExtendForm(initial={"days": 15}),
        "notice_form": bound.get("notice_form") or ReasonForm(),
        "forward_form": bound.get("forward_form") or ForwardForm(),
        "join_form": bound.get("join_form")
        or PickPetitionForm(choices=[(p.pk, p.number) for p in joinable], prefix="join"),
        "repeat_form": bound.get("repeat_form")
        or PickPetitionForm(choices=[(p.pk, p.number) for p in repeats], prefix="repeat"),
        "answer_form": bound.get("answer_form") or AnswerForm(),
        "action_error": error,
    }
    return render(request, "petitions/staff_detail.html", context, status=status)


@require_GET
@registry_staff
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _visible(request, pk))


def _failed(request: HttpRequest, petition: Petition, name: str, form: Any, exc: DomainError) -> HttpResponse:
    on_field = form.apply_domain_error(exc) if form is not None else False
    petition.refresh_from_db()
    return _detail(request, petition, status=exc.status, error="" if on_field else str(exc.message), **{name: form})


@require_POST
@registry_staff
def staff_action(request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
    """The legal actions on one petition; each maps to one service."""
    petition = _visible(request, pk)
    actor: Any = request.user
    form: Any = None
    name = f"{action}_form"
    try:
        if action == "start":
            services.petition_start(actor=actor, petition=petition)
            done = _("Petiția a fost preluată în lucru.")
        elif action == "extend":
            form = ExtendForm(request.POST)
            if not form.is_valid():
                return _detail(request, petition, status=400, extend_form=form)
            services.petition_extend(actor=actor, petition=petition, **form.cleaned_data)
            done = _("Termenul a fost prelungit; petiționarul este înștiințat.")
        elif action == "notice":
            form = ReasonForm(request.POST)
            if not form.is_valid():
                return _detail(request, petition, status=400, notice_form=form)
            services.petition_information_extend(actor=actor, petition=petition, reason=form.cleaned_data["reason"])
            done = _("Înștiințarea a fost transmisă; răspunsul este datorat în 30 de zile.")
        elif action == "forward":
            form = ForwardForm(request.POST)
            if not form.is_valid():
                return _detail(request, petition, status=400, forward_form=form)
            services.petition_forward(actor=actor, petition=petition, **form.cleaned_data)
            done = _("Petiția a fost redirecționată; petiționarul este înștiințat.")
        elif action in ("join", "repeat"):
            candidates = (
                selectors.join_candidates(petition) if action == "join" else selectors.repeat_candidates(petition)
            )
            choices = [(p.pk, p.number) for p in candidates]
            form = PickPetitionForm(request.POST, choices=choices, prefix=action)
            if not form.is_valid():
                return _detail(request, petition, status=400, **{name: form})
            other = candidates.get(pk=form.cleaned_data["other"])
            if action == "join":
                services.petition_join(actor=actor, petition=petition, to=other)
                done = _("Petiția a fost conexată la nr. %(number)s.") % {"number": other.number}
            else:
                services.petition_file_away_repeated(
                    actor=actor, petition=petition, earlier=other, note=form.cleaned_data["note"]
                )
                done = _("Petiția a fost clasată ca repetată.")
        elif action == "answer":
            form = AnswerForm(request.POST)
            if not form.is_valid():
                return _detail(request, petition, status=400, answer_form=form)
            reply = services.petition_answer(actor=actor, petition=petition, **form.cleaned_data)
            done = _("Răspunsul a fost înregistrat cu nr. %(number)s.") % {"number": reply.display_number}
        elif action == "posted":
            services.petition_answer_mark_posted(actor=actor, petition=petition)
            done = _("Răspunsul a fost marcat ca expediat prin poștă.")
        else:
            return _detail(request, petition, status=404, error=_("Acțiune necunoscută."))
    except DomainError as exc:
        return _failed(request, petition, name, form, exc)
    messages.success(request, done)
    return redirect("petitions:detail", pk=petition.pk)


@require_POST
@registry_staff
def staff_photo(request: HttpRequest, pk: int, photo_id: int) -> HttpResponseBase:
    petition = _visible(request, pk)
    photo = get_object_or_404(PetitionPhoto, pk=photo_id, petition=petition)
    try:
        services.petition_photo_set_public(
            actor=request.user,  # type: ignore[arg-type]
            photo=photo,
            is_public=request.POST.get("public") == "1",
        )
    except DomainError as exc:
        return _failed(request, petition, "photo_form", None, exc)
    return redirect("petitions:detail", pk=petition.pk)


@require_GET
@registry_staff
def staff_reports(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_reports(request.user):
        raise PermissionDenied
    if "report" not in request.GET:
        today = timezone.localdate()
        half = reports.Period.semester(today.year, 1 if today.month <= 6 else 2)
        form = ReportForm(initial={"date_from": half.date_from, "date_to": half.date_to, "format": "pdf"})
        return render(request, "petitions/reports.html", {"form": form})
    form = ReportForm(request.GET)
    if not form.is_valid():
        return render(request, "petitions/reports.html", {"form": form}, status=400)
    data = form.cleaned_data
    try:
        period = reports.Period(data["date_from"], data["date_to"])
    except DomainError as exc:
        form.apply_domain_error_or_top(exc)
        return render(request, "petitions/reports.html", {"form": form}, status=exc.status)
    name = f"raport-{data['report']}-{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}.{data['format']}"
    if data["report"] == "petitions":
        report: Any = reports.petitions_report(period)
        body = reports.petitions_report_csv(report) if data["format"] == "csv" else reports.petitions_report_pdf(report)
    else:
        report = reports.information_report(period)
        body = (
            reports.information_report_csv(report)
            if data["format"] == "csv"
            else reports.information_report_pdf(report)
        )
    content_type = "text/csv; charset=utf-8" if data["format"] == "csv" else "application/pdf"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
