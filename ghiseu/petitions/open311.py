"""Open311 GeoReport v2 at /open311/v2/ (https://wiki.open311.org/GeoReport_v2/).

GET services.{fmt}, GET services/{code}.{fmt}, POST requests.{fmt} (form-encoded, api_key),
GET requests.{fmt}, GET requests/{id}.{fmt}, GET tokens/{token}.{fmt}; fmt is `xml` or `json`.
XML is schemaless, without namespace, UTF-8 with its declaration; JSON is the Spark-convention
mapping of it (arrays at the top, objects for a service definition). Times are ISO 8601 with their
offset. Errors are `<errors><error><code/><description/></error></errors>` or
`[{"code", "description"}]` with 400, 403 (api_key) or 404 (what does not exist).

What a request shows publicly carries no personal data: no name, e-mail, phone or free text of
the reporter (`description` is left empty), the street without house number, and the position
rounded (about 100 m). A request id is the registration number and year: `1234-2026`.
An extension: a multipart POST may carry photos as `media` files (JPEG/PNG; EXIF stripped).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.db.models import Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from ghiseu.core.errors import DomainError
from ghiseu.core.files import open_stored
from ghiseu.petitions import geo, rules
from ghiseu.petitions.models import (
    FilingReason,
    Petition,
    PetitionCategory,
    PetitionPhoto,
    PetitionStatus,
)
from ghiseu.petitions.selectors import PUBLIC_STATUS
from ghiseu.petitions.services import Open311Submission, open311_client_for_key, open311_request_create
from ghiseu.petitions.services.open311 import (
    category_for_service_code,
    open311_petitions,
    petition_for_request_id,
    request_id,
)
from ghiseu.petitions.services.register import anonymous_note
from ghiseu.registry.services import Upload

CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
MAX_SPAN = dt.timedelta(days=90)
MAX_RESULTS = 1000
ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]{1,60})\](\[\])?$")
# In XML, the elements of a list are named by the singular of the list's name.
SINGULAR = {"attributes": "attribute", "values": "value"}


# --- Rendering ---------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ET.Element, data: dict[str, Any]) -> None:
    for key, value in data.items():
        child = ET.SubElement(element, key)
        if isinstance(value, dict):
            _fill(child, value)
        elif isinstance(value, list):
            for item in value:
                _fill(ET.SubElement(child, SINGULAR.get(key, "item")), item)
        else:
            child.text = _text(value)


def _xml(root: str, item: str | None, data: Any) -> bytes:
    element = ET.Element(root)
    if item is None:
        _fill(element, data)
    else:
        for entry in data:
            _fill(ET.SubElement(element, item), entry)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8", xml_declaration=False)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(type(value))


def render(fmt: str, root: str, item: str | None, data: Any, *, status: int = 200) -> HttpResponse:
    """A list (`item` names its XML elements) or, with `item` None, one object."""
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False, default=_json_default).encode()
    else:
        body = _xml(root, item, data)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def errors(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    items = [{"code": status, "description": d} for d in descriptions]
    return render(fmt, "errors", "error", items, status=status)


def domain_error(fmt: str, exc: DomainError) -> HttpResponse:
    status = exc.status if exc.status in (400, 403, 404) else 400
    return errors(fmt, status, str(exc.message))


View = Callable[..., HttpResponseBase]


def open311_view(*methods: str) -> Callable[[View], View]:
    """Only these methods (else 405 with an Open311 error body); a DomainError is its 400/403/404."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponseBase:
            if request.method not in methods:
                response = errors(fmt, 405, _("Metoda %(method)s nu este permisă aici.") % {"method": request.method})
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, *args, fmt=fmt, **kwargs)
            except DomainError as exc:
                return domain_error(fmt, exc)

        return wrapper

    return decorate


# --- Services ---------------------------------------------------------------------------------


def _service(category: PetitionCategory) -> dict[str, Any]:
    return {
        "service_code": category.service_code,
        "service_name": category.name,
        "description": category.description,
        "metadata": any(a.variable for a in category.attributes.all()),
        "type": category.open311_type,
        "keywords": category.keywords,
        "group": category.group,
    }


@open311_view("GET", "HEAD")
def services(request: HttpRequest, *, fmt: str) -> HttpResponse:
    categories = PetitionCategory.objects.filter(is_active=True).prefetch_related("attributes")
    return render(fmt, "services", "service", [_service(c) for c in categories])


@open311_view("GET", "HEAD")
def service_definition(request: HttpRequest, service_code: str, *, fmt: str) -> HttpResponse:
    category = category_for_service_code(service_code)
    attributes = [
        {
            "variable": a.variable,
            "code": a.code,
            "datatype": a.datatype,
            "required": a.required,
            "datatype_description": a.datatype_description or None,
            "order": a.order,
            "description": a.description,
            "values": [
                {"key": str(v.get("key")), "name": str(v.get("name", v.get("key")))}
                for v in a.values or []
                if isinstance(v, dict)
            ],
        }
        for a in category.attributes.order_by("order", "pk")
    ]
    return render(fmt, "service_definition", None, {"service_code": category.service_code, "attributes": attributes})


# --- Requests ---------------------------------------------------------------------------------


def w3(moment: dt.datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _end_of_day(day: dt.date) -> str:
    return w3(timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59))))


def status_notes(petition: Petition) -> str:
    if petition.status == PetitionStatus.FILED_AWAY:
        if petition.filed_away_reason == FilingReason.ANONYMOUS:
            return anonymous_note(petition)
        earlier = petition.repeated_of
        return _("Clasată: repetă sesizarea nr. %(number)s, la care s-a răspuns.") % {
            "number": earlier.number if earlier else "—"
        }
    if petition.status == PetitionStatus.JOINED and petition.joined_to is not None:
        return _("Conexată la sesizarea nr. %(number)s.") % {"number": petition.joined_to.number}
    if petition.status == PetitionStatus.FORWARDED:
        return _("Redirecționată către %(authority)s, autoritatea competentă.") % {"authority": petition.forwarded_to}
    if petition.status == PetitionStatus.ANSWERED:
        return _("Răspuns transmis petiționarului.")
    return str(petition.get_status_display())


def _media_url(request: HttpRequest, petition: Petition) -> str | None:
    if petition.anonymous:
        return None
    for photo in petition.photos.all():
        if photo.is_public:
            ext = "png" if photo.public.content_type == "image/png" else "jpg"
            return request.build_absolute_uri(reverse("open311:media", kwargs={"pk": photo.pk, "ext": ext}))
    return petition.media_url or None


def request_row(request: HttpRequest, petition: Petition) -> dict[str, Any]:
    category = petition.category
    assert category is not None
    department = petition.entry.department
    return {
        "service_request_id": request_id(petition),
        "status": PUBLIC_STATUS[PetitionStatus(petition.status)],
        "status_notes": status_notes(petition),
        "service_name": category.name,
        "service_code": category.service_code,
        "description": None,
        "agency_responsible": department.name if department else None,
        "service_notice": None,
        "requested_datetime": w3(petition.entry.registered_at),
        "updated_datetime": w3(petition.updated_at),
        "expected_datetime": _end_of_day(petition.due_date),
        "address": geo.public_street(petition.location_address) or None,
        "address_id": None,
        "zipcode": None,
        "lat": geo.public_coordinate(petition.latitude),
        "long": geo.public_coordinate(petition.longitude),
        "media_url": _media_url(request, petition),
    }


def _with_relations(qs: QuerySet[Petition]) -> QuerySet[Petition]:
    return qs.select_related(
        "entry", "entry__department", "category", "joined_to__entry", "repeated_of__entry"
    ).prefetch_related("photos__public")


def _parse_moment(value: str, name: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise DomainError(
            _("%(name)s trebuie să fie o dată ISO 8601, de exemplu 2026-01-01T00:00:00Z.") % {"name": name}, field=name
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _csv(value: str) -> list[str]:
    return [part.strip() for part in (value or "").replace("\x00", "").split(",") if part.strip()]


def requests_query(params: Any) -> QuerySet[Petition]:
    """GET requests: service_request_id (overrides the rest), service_code, start_date, end_date, status."""
    ids = _csv(params.get("service_request_id", ""))
    if ids:
        if len(ids) > MAX_RESULTS:
            raise DomainError(_("Cel mult %(max)d identificatori.") % {"max": MAX_RESULTS}, field="service_request_id")
        wanted = Q(pk__in=[])
        for value in ids:
            match = re.fullmatch(r"(\d{1,9})-(\d{4})", value)
            if not match:
                raise DomainError(
                    _("service_request_id „%(id)s” nu este valid.") % {"id": value[:40]}, field="service_request_id"
                )
            wanted |= Q(entry__number=int(match.group(1)), entry__year=int(match.group(2)))
        return open311_petitions().filter(wanted).order_by("-entry__registered_at", "-pk")
    qs = open311_petitions()
    codes = _csv(params.get("service_code", ""))
    if codes:
        qs = qs.filter(category__service_code__in=codes)
    statuses = _csv(params.get("status", ""))
    if statuses:
        unknown = [s for s in statuses if s not in ("open", "closed")]
        if unknown:
            raise DomainError(_("status este open sau closed, nu „%(s)s”.") % {"s": unknown[0][:20]}, field="status")
        wanted_status = [s for s, public in PUBLIC_STATUS.items() if public in statuses]
        qs = qs.filter(status__in=wanted_status)
    start_text, end_text = params.get("start_date", "").strip(), params.get("end_date", "").strip()
    start = _parse_moment(start_text, "start_date") if start_text else None
    end = _parse_moment(end_text, "end_date") if end_text else None
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        assert end is not None
        start = end - MAX_SPAN
    if end is None:
        end = start + MAX_SPAN
    if end < start:
        raise DomainError(_("end_date este înaintea lui start_date."), field="end_date")
    if end - start > MAX_SPAN:
        raise DomainError(_("Intervalul dintre start_date și end_date este de cel mult 90 de zile."), field="end_date")
    return qs.filter(entry__registered_at__gte=start, entry__registered_at__lte=end).order_by(
        "-entry__registered_at", "-pk"
    )


def _submission(request: HttpRequest) -> Open311Submission:
    data = request.POST
    attributes: dict[str, list[str]] = {}
    for key in data:
        match = ATTRIBUTE.match(key)
        if match:
            attributes.setdefault(match.group(1), []).extend(data.getlist(key))
    return Open311Submission(
        service_code=data.get("service_code", ""),
        lat=data.get("lat", ""),
        long=data.get("long", ""),
        address_string=data.get("address_string", ""),
        address_id=data.get("address_id", ""),
        attributes=attributes,
        first_name=data.get("first_name", "")[:100],
        last_name=data.get("last_name", "")[:100],
        email=data.get("email", "")[:254],
        phone=data.get("phone", "")[:40],
        description=data.get("description", ""),
        media_url=data.get("media_url", ""),
        device_id=data.get("device_id", "")[:100],
        account_id=data.get("account_id", "")[:60],
    )


def _service_notice(petition: Petition) -> str:
    if petition.status == PetitionStatus.FILED_AWAY:
        return _("Înregistrată cu nr. %(number)s. %(note)s") % {
            "number": petition.number,
            "note": petition.filed_away_note,
        }
    return _("Înregistrată cu nr. %(number)s; termenul legal de răspuns este %(due)s (%(basis)s).") % {
        "number": petition.number,
        "due": f"{petition.due_date:%d.%m.%Y}",
        "basis": rules.BASIS["petition_answer"],
    }


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    content_type = (request.content_type or "").lower()
    if content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return errors(fmt, 400, _("Trimiteți cererea ca application/x-www-form-urlencoded."))
    try:
        key = request.POST.get("api_key", "")
        files = [Upload(f, f.name or "media", f.size) for f in request.FILES.getlist("media")]
    except (RequestDataTooBig, TooManyFieldsSent):
        return errors(fmt, 400, _("Cererea este prea mare."))
    except SuspiciousOperation:
        return errors(fmt, 400, _("Cererea nu poate fi citită."))
    if not key:
        return errors(fmt, 403, _("Lipsește api_key."))
    client = open311_client_for_key(key)
    if client is None:
        return errors(fmt, 403, _("api_key nu este valid."))
    submission = _submission(request)
    petition = open311_request_create(client=client, submission=submission, photos=files)
    item: dict[str, Any] = {}
    if petition.category is not None and petition.category.open311_type == "batch":
        item["token"] = petition.open311_token
    else:
        item["service_request_id"] = request_id(petition)
    item["service_notice"] = _service_notice(petition)
    item["account_id"] = submission.account_id or None
    return render(fmt, "service_requests", "request", [item])


@csrf_exempt
@open311_view("GET", "HEAD", "POST")
def requests(request: HttpRequest, *, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    qs = _with_relations(requests_query(request.GET))
    return render(fmt, "service_requests", "request", [request_row(request, p) for p in qs[:MAX_RESULTS]])


@open311_view("GET", "HEAD")
def request_detail(request: HttpRequest, service_request_id: str, *, fmt: str) -> HttpResponse:
    petition = petition_for_request_id(service_request_id)
    petition = _with_relations(Petition.objects.filter(pk=petition.pk)).get()
    return render(fmt, "service_requests", "request", [request_row(request, petition)])


@open311_view("GET", "HEAD")
def token(request: HttpRequest, token: str, *, fmt: str) -> HttpResponse:
    value = token.strip()
    petition = None
    if value and len(value) <= 40 and value.isprintable():
        petition = open311_petitions().select_related("entry").filter(open311_token=value).first()
    if petition is None:
        return errors(fmt, 404, _("Tokenul „%(token)s” nu există.") % {"token": value[:40].replace("\x00", "")})
    return render(fmt, "service_requests", "request", [{"service_request_id": request_id(petition), "token": value}])


def media(request: HttpRequest, pk: int, ext: str) -> HttpResponseBase:
    """The public copy of a photo (no EXIF), if it is public."""
    photo = PetitionPhoto.objects.select_related("public", "petition").filter(pk=pk, is_public=True).first()
    if photo is None or photo.petition.anonymous:
        return errors("xml", 404, _("Fotografia nu există."))
    response = FileResponse(open_stored(photo.public), content_type=photo.public.content_type)
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    fmt = "json" if path.endswith(".json") else "xml"
    return errors(fmt, 404, _("Resursa cerută nu există în API-ul Open311."))
