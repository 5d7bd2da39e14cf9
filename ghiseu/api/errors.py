"""JSON errors of the API: every failure answers with a clear, translated message and a 4xx.

Shapes (also declared in the OpenAPI document):
- a broken domain rule (ghiseu.core.errors.DomainError): `{"detail", "code", "field"}` with the
  error's own status (400; 403 for PermissionDenied, 404 for NotFound);
- input that does not match the schema (ninja.errors.ValidationError): 422 with
  `{"detail", "code": "validation", "field", "errors": [{"field", "message", "type", "loc"}]}`;
- missing or invalid token: 401 with `WWW-Authenticate: Bearer`; anything else Ninja or Django
  raises for bad input: its 4xx with `{"detail", "code"}`.
An unexpected error is logged and answers a JSON 500 without internals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import BadRequest, ObjectDoesNotExist, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from ghiseu.core.errors import DomainError

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("ghiseu.api")

# Names of body parameters in the handlers; left out of the field path shown to the caller.
BODY_PARAMS = frozenset({"payload"})


def _field_of(loc: Sequence[Any]) -> str:
    """`("body", "payload", "sender")` → `sender`; `("query", "limit")` → `limit`."""
    parts = [str(p) for i, p in enumerate(loc) if i > 0 and not (i == 1 and p in BODY_PARAMS)]
    return ".".join(parts)


def _expected(ctx: dict[str, Any]) -> str:
    # pydantic says "'a', 'b' or 'c'"
    return str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")


def _message(error: dict[str, Any]) -> str:
    """One pydantic error in Romanian (or the active language)."""
    kind = str(error.get("type", ""))
    ctx: dict[str, Any] = error.get("ctx") or {}
    field = _field_of(error.get("loc") or ())
    label = {"label": field or _("corpul cererii")}
    if kind == "missing":
        return _("Câmpul „%(label)s” este obligatoriu.") % label
    if kind == "json_invalid":
        return _("Corpul cererii nu este JSON valid.")
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        if not field:
            return _("Corpul cererii trebuie să fie un obiect JSON.")
        return _("„%(label)s” trebuie să fie un obiect JSON.") % label
    if kind == "extra_forbidden":
        return _("Câmpul „%(label)s” nu este cunoscut.") % label
    if kind in {"string_type", "string_unicode"}:
        return _("Câmpul „%(label)s” trebuie să fie text.") % label
    if kind == "string_too_long":
        return _("Câmpul „%(label)s” are cel mult %(max)s caractere.") % {**label, "max": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("Câmpul „%(label)s” trebuie să aibă cel puțin %(min)s caractere.") % {
            **label,
            "min": ctx.get("min_length"),
        }
    if kind.startswith("int_") or kind == "float_parsing":
        return _("Câmpul „%(label)s” trebuie să fie un număr întreg.") % label
    if kind.startswith("bool_"):
        return _("Câmpul „%(label)s” trebuie să fie true sau false.") % label
    if kind.startswith("datetime_"):
        return _("Câmpul „%(label)s” trebuie să fie o dată și oră ISO 8601 (AAAA-LL-ZZTHH:MM).") % label
    if kind.startswith("date_"):
        return _("Câmpul „%(label)s” trebuie să fie o dată de forma AAAA-LL-ZZ.") % label
    if kind in {"enum", "literal_error"}:
        return _("Câmpul „%(label)s” trebuie să aibă una dintre valorile: %(expected)s.") % {
            **label,
            "expected": _expected(ctx),
        }
    if kind in {"greater_than_equal", "greater_than"}:
        bound = ctx.get("ge", ctx.get("gt"))
        return _("Câmpul „%(label)s” trebuie să fie cel puțin %(bound)s.") % {**label, "bound": bound}
    if kind in {"less_than_equal", "less_than"}:
        bound = ctx.get("le", ctx.get("lt"))
        return _("Câmpul „%(label)s” trebuie să fie cel mult %(bound)s.") % {**label, "bound": bound}
    if kind in {"list_type", "too_short"}:
        return _("Câmpul „%(label)s” trebuie să fie o listă nevidă.") % label
    if kind == "text_control_characters":
        return _("Câmpul „%(label)s” conține caractere nepermise.") % label
    return _("Valoarea câmpului „%(label)s” nu este validă.") % label


def validation_error_body(errors: Sequence[dict[str, Any]]) -> dict[str, Any]:
    items: list[dict[str, Any]] = [
        {
            "field": _field_of(e.get("loc") or ()),
            "message": _message(e),
            "type": str(e.get("type", "")),
            "loc": [str(p) for p in (e.get("loc") or ())],
        }
        for e in errors
    ]
    messages = list(dict.fromkeys(item["message"] for item in items))  # in order, without repeats
    return {
        "detail": " ".join(messages) or _("Datele trimise nu sunt valide."),
        "code": "validation",
        "field": (items[0]["field"] or None) if len(items) == 1 else None,
        "errors": items,
    }


# Ninja's own English messages for bad requests, said in Romanian.
def _http_error_message(exc: HttpError) -> str:
    if isinstance(exc, AuthenticationError):
        return _("Lipsește tokenul de acces sau nu este valid. Trimiteți antetul „Authorization: Bearer <token>”.")
    if isinstance(exc, AuthorizationError) and exc.message == "Forbidden":
        return _("Nu aveți dreptul să faceți această operație.")
    if isinstance(exc, Throttled):
        return _("Prea multe cereri. Încercați din nou mai târziu.")
    if exc.message == "Cannot parse request body":
        return _("Corpul cererii nu poate fi citit: trimiteți JSON valid.")
    return exc.message


def _code_for_status(status: int) -> str:
    return {
        400: "bad_request",
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        413: "too_large",
        429: "throttled",
    }.get(status, "error")


def install(api: NinjaAPI) -> None:
    """Register the handlers on the API (the most specific class of an exception wins)."""

    def respond(request: HttpRequest, body: dict[str, Any], status: int) -> HttpResponse:
        response = api.create_response(request, body, status=status)
        if status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="ghiseu"'
        return response

    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        code = exc.code
        if code == "invalid" and exc.status != 400:  # PermissionDenied, NotFound raised without a code
            code = _code_for_status(exc.status)
        return respond(request, {"detail": str(exc.message), "code": code, "field": exc.field}, exc.status)

    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return respond(request, validation_error_body(exc.errors), 422)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        return respond(request, {"detail": _http_error_message(exc), "code": _code_for_status(status)}, status)

    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(request, {"detail": _("Nu a fost găsit."), "code": "not_found"}, 404)

    def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(request, {"detail": _("Nu aveți dreptul să faceți această operație."), "code": "forbidden"}, 403)

    def suspicious(request: HttpRequest, exc: Exception) -> HttpResponse:
        if isinstance(exc, RequestDataTooBig):
            return respond(request, {"detail": _("Cererea este prea mare."), "code": "too_large"}, 413)
        return respond(request, {"detail": _("Cererea nu a putut fi înțeleasă."), "code": "bad_request"}, 400)

    def django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return respond(request, {"detail": " ".join(str(m) for m in exc.messages), "code": "invalid"}, 400)

    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        return respond(
            request, {"detail": _("A apărut o eroare internă. Încercați din nou mai târziu."), "code": "error"}, 500
        )

    handlers: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
        (DomainError, domain_error),
        (NinjaValidationError, validation_error),
        (HttpError, http_error),
        (Http404, not_found),
        (ObjectDoesNotExist, not_found),
        (DjangoPermissionDenied, forbidden),
        (SuspiciousOperation, suspicious),
        (BadRequest, suspicious),
        (DjangoValidationError, django_validation),
        (Exception, unexpected),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)
