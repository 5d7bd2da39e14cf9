"""The registry API at /api/v1/registry/: numbers, permissions, filters, bad input, attachments."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from ghiseu.accounts.models import ApiToken
from ghiseu.accounts.services import api_token_get_or_create
from ghiseu.accounts.tests.factories import NomenclatorEntryFactory
from ghiseu.audit.models import AuditEvent
from ghiseu.core.models import StoredFile
from ghiseu.registry.models import (
    Assignment,
    Attachment,
    DocumentType,
    Entry,
    Register,
    RegisterCounter,
    Status,
)
from ghiseu.registry.services import compute_due_date, entry_close
from ghiseu.registry.tests.helpers import register

pytestmark = pytest.mark.django_db

BASE = "/api/v1/registry"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
MINIMAL = {
    "direction": "incoming",
    "channel": "api",
    "sender": "Ion Ionescu",
    "subject": "Cerere privind iluminatul public",
    "document_type": "correspondence",
}


class Api:
    """django.test.Client speaking to the API with one bearer token (or none)."""

    def __init__(self, key: str | None = None, header: str | None = None) -> None:
        extra: dict[str, Any] = {}
        if header is not None:
            extra["HTTP_AUTHORIZATION"] = header
        elif key is not None:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {key}"
        self.client = Client(**extra)

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(BASE + path, params or {})

    def post(self, path: str, body: Any) -> Any:
        data = body if isinstance(body, str) else json.dumps(body)
        return self.client.post(BASE + path, data, content_type="application/json")

    def upload(self, path: str, files: list[SimpleUploadedFile]) -> Any:
        return self.client.post(BASE + path, {"files": files} if files else {})


@pytest.fixture(autouse=True)
def _isolated_files(settings: Any, tmp_path: Any) -> None:
    """Files under a temporary directory (the fast password hasher comes from ghiseu/conftest.py)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def api_as() -> Callable[[Any], Api]:
    def make(user: Any) -> Api:
        token, _ = api_token_get_or_create(user=user)
        return Api(token.key)

    return make


def _snapshot() -> tuple[int, ...]:
    """Everything a write would leave behind."""
    return (
        Entry.objects.count(),
        AuditEvent.objects.count(),
        Attachment.objects.count(),
        StoredFile.objects.count(),
        Assignment.objects.count(),
        sum(RegisterCounter.objects.values_list("last_number", flat=True)),
    )


def _pdf(name: str = "scan.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _assert_error(response: Any, status: int | tuple[int, ...], field: str | None = None) -> dict[str, Any]:
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, response.content
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert isinstance(body["detail"], str) and len(body["detail"]) > 5
    if field is not None:
        fields = {body.get("field")} | {e["field"] for e in body.get("errors", [])}
        assert field in fields, body
    return body


# --- Registering ---------------------------------------------------------------------------


def test_create_answers_201_with_number_then_the_next(clerk, api_as):
    api = api_as(clerk)
    today = timezone.localdate()

    first = api.post("/entries", MINIMAL)
    second = api.post("/entries", {**MINIMAL, "document_type": "petition"})

    assert first.status_code == 201, first.content
    assert second.status_code == 201, second.content
    one, two = first.json(), second.json()
    assert (one["number"], two["number"]) == (1, 2)
    assert one["year"] == today.year
    assert one["display_number"] == f"1/{today:%d.%m.%Y}"
    assert one["status"] == "registered" and one["department"] is None
    assert one["document_type"] == "correspondence"
    assert one["due_date"] is None  # correspondence has no legal deadline
    due = compute_due_date(DocumentType.objects.get(code="petition"), today)
    assert due is not None and two["due_date"] == due.isoformat()
    assert dt.datetime.fromisoformat(one["registered_at"]).date() == today
    assert len(one["tracking_code"]) == 10
    entry = Entry.objects.get(pk=one["id"])
    assert (entry.number, entry.channel, entry.created_by) == (1, "api", clerk)
    assert entry.tracking_code == one["tracking_code"]
    assert AuditEvent.objects.filter(action="registry.entry.registered").count() == 2


def test_create_with_every_optional_field(clerk, officer, urbanism, api_as):
    api = api_as(clerk)
    NomenclatorEntryFactory(code="III/B/4", department=urbanism)
    first = register(clerk, department=urbanism)
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    response = api.post(
        "/entries",
        {
            **MINIMAL,
            "document_type": "urbanism-certificate",
            "department": "URB",
            "assignee": "officer",
            "file_code": "III/B/4",
            "sender_address": "Str. Minerului nr. 3, Lupeni",
            "sender_email": "ion@example.ro",
            "sender_reference": "77/A",
            "sender_date": yesterday.isoformat(),
            "pages": 4,
            "annexes": 2,
            "resolution": "Spre soluționare",
            "recipient": "Ion Ionescu",
            "linked_number": f"{first.number}/{first.year}",
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "assigned"
    assert (body["department"], body["assignee"], body["file_code"]) == ("URB", "officer", "III/B/4")
    assert (body["pages"], body["annexes"], body["sender_date"]) == (4, 2, yesterday.isoformat())
    assert body["linked_to_id"] == first.pk and body["linked_number"] == first.display_number
    assert body["due_date"] is not None
    entry = Entry.objects.get(pk=body["id"])
    assert entry.sender_email == "ion@example.ro" and entry.sender_reference == "77/A"
    assert Assignment.objects.filter(entry=entry, department=urbanism, assignee=officer).exists()


def test_reply_is_registered_under_the_number_it_answers(clerk, urbanism, api_as):
    api = api_as(clerk)
    original = api.post("/entries", {**MINIMAL, "department": "URB"}).json()
    today = timezone.localdate()

    by_year = api.post(
        "/entries",
        {**MINIMAL, "direction": "outgoing", "recipient": "Ion Ionescu", "answers_number": f"1/{today.year}"},
    )
    by_date = api.post("/entries", {**MINIMAL, "direction": "outgoing", "answers_number": f"1/{today:%d.%m.%Y}"})
    following = api.post("/entries", MINIMAL)

    assert by_year.status_code == 201, by_year.content
    assert by_date.status_code == 201, by_date.content
    for reply in (by_year.json(), by_date.json()):
        assert reply["number"] == 1 and reply["answers_id"] == original["id"]
        assert reply["display_number"] == original["display_number"]
    assert following.json()["number"] == 2


def test_department_officer_may_reply_for_own_department_but_not_register_incoming(officer, clerk, urbanism, api_as):
    entry = register(clerk, department=urbanism)
    api = api_as(officer)
    before = _snapshot()

    incoming = api.post("/entries", {**MINIMAL, "department": "URB"})

    body = _assert_error(incoming, 403)
    assert body["code"] == "forbidden"
    assert _snapshot() == before
    reply = api.post(
        "/entries",
        {**MINIMAL, "direction": "outgoing", "department": "URB", "answers_number": f"{entry.number}/{entry.year}"},
    )
    assert reply.status_code == 201, reply.content
    assert reply.json()["answers_id"] == entry.pk


def test_officer_cannot_reply_to_an_entry_of_another_department(clerk, urbanism, other_officer, api_as):
    entry = register(clerk, department=urbanism)
    api = api_as(other_officer)
    before = _snapshot()

    response = api.post(
        "/entries",
        {**MINIMAL, "direction": "outgoing", "department": "TAX", "answers_number": f"{entry.number}/{entry.year}"},
    )

    _assert_error(response, 400, field="answers_number")  # as if it did not exist
    assert _snapshot() == before


# --- Bad input: a clear 4xx, nothing written, no number used up -----------------------------

FUTURE = (dt.date.today() + dt.timedelta(days=30)).isoformat()
BAD_INPUT: list[tuple[str, Any, int, str | None]] = [
    ("missing sender", {k: v for k, v in MINIMAL.items() if k != "sender"}, 422, "sender"),
    ("missing document type", {k: v for k, v in MINIMAL.items() if k != "document_type"}, 422, "document_type"),
    ("missing direction", {k: v for k, v in MINIMAL.items() if k != "direction"}, 422, "direction"),
    ("blank sender", {**MINIMAL, "sender": "   "}, 400, "sender"),
    ("subject too long", {**MINIMAL, "subject": "x" * 501}, 400, "subject"),
    ("unknown document type", {**MINIMAL, "document_type": "nu-exista"}, 400, "document_type"),
    ("unknown department", {**MINIMAL, "department": "NOPE"}, 400, "department"),
    ("unknown file code", {**MINIMAL, "file_code": "IX/Z/99"}, 400, "file_code"),
    ("unknown assignee", {**MINIMAL, "department": "URB", "assignee": "fantoma"}, 400, "assignee"),
    ("assignee of another department", {**MINIMAL, "department": "URB", "assignee": "other"}, 400, "assignee"),
    ("citizen as assignee", {**MINIMAL, "department": "URB", "assignee": "citizen"}, 400, "assignee"),
    ("assignee without department", {**MINIMAL, "assignee": "officer"}, 400, "assignee"),
    ("date in words", {**MINIMAL, "sender_date": "ieri"}, 422, "sender_date"),
    ("date in Romanian order", {**MINIMAL, "sender_date": "28.11.2026"}, 422, "sender_date"),
    ("date that does not exist", {**MINIMAL, "sender_date": "2026-02-30"}, 422, "sender_date"),
    ("sender date in the future", {**MINIMAL, "sender_date": FUTURE}, 400, "sender_date"),
    ("malformed linked number", {**MINIMAL, "linked_number": "12a/20x6"}, 400, "linked_number"),
    ("linked number without year", {**MINIMAL, "linked_number": "1"}, 400, "linked_number"),
    ("unknown linked number", {**MINIMAL, "linked_number": "999/2026"}, 400, "linked_number"),
    (
        "malformed answers number",
        {**MINIMAL, "direction": "outgoing", "answers_number": "12a/20x6"},
        400,
        "answers_number",
    ),
    (
        "unknown answers number",
        {**MINIMAL, "direction": "outgoing", "answers_number": f"999/{dt.date.today().year}"},
        400,
        "answers_number",
    ),
    (
        "reply registered as incoming",
        {**MINIMAL, "answers_number": f"1/{dt.date.today().year}"},
        400,
        "direction",
    ),
    ("unknown direction", {**MINIMAL, "direction": "sideways"}, 422, "direction"),
    ("unknown channel", {**MINIMAL, "channel": "porumbel"}, 422, "channel"),
    ("zero pages", {**MINIMAL, "pages": 0}, 422, "pages"),
    ("pages in words", {**MINIMAL, "pages": "multe"}, 422, "pages"),
    ("negative annexes", {**MINIMAL, "annexes": -1}, 422, "annexes"),
    ("bad e-mail", {**MINIMAL, "sender_email": "nu-e-mail"}, 400, "sender_email"),
    ("e-mail too long", {**MINIMAL, "sender_email": "a" * 250 + "@example.ro"}, 400, "sender_email"),
    ("NUL in sender", {**MINIMAL, "sender": "Ion\x00Ionescu"}, 422, "sender"),
    ("number instead of text", {**MINIMAL, "subject": 12}, 422, "subject"),
    ("unknown field", {**MINIMAL, "departament": "URB"}, 422, "departament"),
    ("not JSON", "direction=incoming&sender=Ion", 400, None),
    ("a JSON list", "[1, 2]", 422, None),
]


@pytest.mark.parametrize(("case", "body", "status", "field"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input_is_a_clear_4xx_and_writes_nothing(
    case, body, status, field, clerk, officer, other_officer, citizen, urbanism, api_as
):
    api = api_as(clerk)
    register(clerk, department=urbanism)  # number 1, which linked/answers numbers may name
    before = _snapshot()

    response = api.post("/entries", body)

    _assert_error(response, status, field=field)
    assert _snapshot() == before
    # the number was not used up: the next registration gets 2
    assert api.post("/entries", MINIMAL).json()["number"] == 2


def test_validation_errors_list_every_problem_in_romanian(clerk, api_as):
    response = api_as(clerk).post("/entries", {"direction": "incoming", "pages": "x"})

    body = _assert_error(response, 422)
    assert body["code"] == "validation"
    fields = {e["field"] for e in body["errors"]}
    assert {"sender", "subject", "document_type", "pages"} <= fields
    assert "Câmpul „sender” este obligatoriu." in body["detail"]
    assert all(e["message"] for e in body["errors"])


def test_unexpected_error_is_json_500_without_internals(clerk, api_as, monkeypatch):
    def boom(**kwargs: Any) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("ghiseu.registry.services.entry_register", boom)

    response = api_as(clerk).post("/entries", MINIMAL)

    assert response.status_code == 500
    assert "secret" not in response.content.decode()
    assert response.json()["code"] == "error"


# --- Authorization on every endpoint -------------------------------------------------------

ENDPOINTS = [
    ("post", "/entries", MINIMAL),
    ("get", "/entries", None),
    ("get", "/entries/{id}", None),
    ("post", "/entries/{id}/assign", {"department": "TAX", "resolution": "Spre soluționare"}),
    ("post", "/entries/{id}/close", {"outcome": "Rezolvat"}),
    ("upload", "/entries/{id}/attachments", None),
]


def _call(api: Api, method: str, path: str, body: Any) -> Any:
    if method == "get":
        return api.get(path)
    if method == "upload":
        return api.upload(path, [_pdf()])
    return api.post(path, body)


@pytest.fixture
def routed(clerk, urbanism) -> Entry:
    return register(clerk, department=urbanism)


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
@pytest.mark.parametrize(
    "header",
    [None, "Bearer nu-e-un-token", "Bearer ", "Token abc", "Basic Y2xlcms6cGFyb2xh", "Bearer " + "x" * 500],
    ids=["none", "bad", "empty", "other-scheme", "basic", "overlong"],
)
def test_missing_or_invalid_token_is_401(method, path, body, header, routed, taxes):
    before = _snapshot()

    response = _call(Api(header=header), method, path.format(id=routed.pk), body)

    body_json = _assert_error(response, 401)
    assert body_json["code"] == "unauthorized"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert _snapshot() == before


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_citizen_token_does_not_open_staff_endpoints(method, path, body, routed, citizen, taxes):
    token = ApiToken.objects.create(user=citizen)  # made by hand: the service refuses citizens
    before = _snapshot()

    response = _call(Api(token.key), method, path.format(id=routed.pk), body)

    _assert_error(response, (401, 403))
    assert _snapshot() == before


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_token_of_inactive_user_is_401(method, path, body, routed, clerk, taxes):
    token, _ = api_token_get_or_create(user=clerk)
    clerk.is_active = False
    clerk.save(update_fields=["is_active"])
    before = _snapshot()

    response = _call(Api(token.key), method, path.format(id=routed.pk), body)

    _assert_error(response, 401)
    assert _snapshot() == before


def test_token_works_and_records_its_last_use(clerk, api_as):
    api = api_as(clerk)
    assert ApiToken.objects.get(user=clerk).last_used_at is None

    response = api.get("/entries")

    assert response.status_code == 200
    assert ApiToken.objects.get(user=clerk).last_used_at is not None


def test_officer_of_another_department_neither_sees_nor_acts(routed, other_officer, taxes, api_as):
    api = api_as(other_officer)
    before = _snapshot()

    hidden = api.get(f"/entries/{routed.pk}")
    never_existed = api.get("/entries/987654")
    listed = api.get("/entries")
    assign = api.post(f"/entries/{routed.pk}/assign", {"department": "TAX"})
    close = api.post(f"/entries/{routed.pk}/close", {"outcome": "Rezolvat"})
    attach = api.upload(f"/entries/{routed.pk}/attachments", [_pdf()])

    assert _assert_error(hidden, 404) == _assert_error(never_existed, 404)  # existence not revealed
    assert listed.status_code == 200
    assert routed.pk not in [item["id"] for item in listed.json()["items"]]
    assert listed.json()["count"] == 0
    for response in (assign, close, attach):
        _assert_error(response, 403)
    assert _snapshot() == before
    routed.refresh_from_db()
    assert routed.department is not None and routed.department.code == "URB"
    assert routed.status == Status.ASSIGNED


def test_officer_of_holding_department_sees_and_closes_but_cannot_route(routed, officer, taxes, api_as):
    api = api_as(officer)

    seen = api.get(f"/entries/{routed.pk}")
    assign = api.post(f"/entries/{routed.pk}/assign", {"department": "TAX"})
    close = api.post(
        f"/entries/{routed.pk}/close",
        {"outcome": "Răspuns transmis prin poștă", "recipient": "Ion Ionescu", "sent_at": str(timezone.localdate())},
    )

    assert seen.status_code == 200 and seen.json()["id"] == routed.pk
    _assert_error(assign, 403)
    assert close.status_code == 200, close.content
    body = close.json()
    assert body["status"] == "closed" and body["outcome"] == "Răspuns transmis prin poștă"
    assert body["sent_at"] == str(timezone.localdate()) and body["closed_at"] is not None
    assert AuditEvent.objects.filter(action="registry.entry.closed", object_id=str(routed.pk)).count() == 1


def test_head_of_holding_department_assigns(routed, head, other_officer, taxes, api_as):
    api = api_as(head)

    response = api.post(
        f"/entries/{routed.pk}/assign",
        {"department": "TAX", "assignee": "other", "resolution": "Competența Taxe"},
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["department"], body["assignee"], body["resolution"]) == ("TAX", "other", "Competența Taxe")
    assert body["status"] == "assigned"
    assert Assignment.objects.filter(entry=routed, department=taxes, assignee=other_officer).exists()
    assert AuditEvent.objects.filter(action="registry.entry.assigned", object_id=str(routed.pk)).count() == 1
    # now held by Taxes: the head of Urbanism no longer sees it, the Taxes officer does
    assert api.get(f"/entries/{routed.pk}").status_code == 404
    assert api_as(other_officer).get(f"/entries/{routed.pk}").status_code == 200


ASSIGN_BAD: list[tuple[str, Any, int, str | None]] = [
    ("unknown department", {"department": "NOPE"}, 400, "department"),
    ("missing department", {"resolution": "x"}, 422, "department"),
    ("unknown assignee", {"department": "TAX", "assignee": "fantoma"}, 400, "assignee"),
    ("assignee of another department", {"department": "TAX", "assignee": "officer"}, 400, "assignee"),
    ("unknown field", {"department": "TAX", "asignee": "other"}, 422, "asignee"),
]


@pytest.mark.parametrize(("case", "body", "status", "field"), ASSIGN_BAD, ids=[c[0] for c in ASSIGN_BAD])
def test_bad_assign_writes_nothing(case, body, status, field, routed, clerk, officer, other_officer, api_as):
    api = api_as(clerk)
    before = _snapshot()

    response = api.post(f"/entries/{routed.pk}/assign", body)

    _assert_error(response, status, field=field)
    assert _snapshot() == before


def test_assign_or_close_a_closed_entry_is_refused(routed, clerk, taxes, api_as):
    entry_close(actor=clerk, entry=routed, outcome="Rezolvat")
    api = api_as(clerk)
    before = _snapshot()

    assign = api.post(f"/entries/{routed.pk}/assign", {"department": "TAX"})
    close = api.post(f"/entries/{routed.pk}/close", {"outcome": "Din nou"})

    assert _assert_error(assign, 400)["code"] == "closed"
    assert _assert_error(close, 400)["code"] == "closed"
    assert _snapshot() == before


CLOSE_BAD: list[tuple[str, Any, int, str]] = [
    ("missing outcome", {"recipient": "Ion"}, 422, "outcome"),
    ("blank outcome", {"outcome": "   "}, 400, "outcome"),
    ("sent in the future", {"outcome": "Rezolvat", "sent_at": FUTURE}, 400, "sent_at"),
    ("malformed date", {"outcome": "Rezolvat", "sent_at": "mâine"}, 422, "sent_at"),
]


@pytest.mark.parametrize(("case", "body", "status", "field"), CLOSE_BAD, ids=[c[0] for c in CLOSE_BAD])
def test_bad_close_writes_nothing(case, body, status, field, routed, clerk, api_as):
    api = api_as(clerk)
    before = _snapshot()

    response = api.post(f"/entries/{routed.pk}/close", body)

    _assert_error(response, status, field=field)
    assert _snapshot() == before
    routed.refresh_from_db()
    assert routed.status == Status.ASSIGNED


@pytest.mark.parametrize("entry_id", ["987654", str(10**30)])
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/entries/{id}", None),
        ("post", "/entries/{id}/assign", {"department": "URB"}),
        ("post", "/entries/{id}/close", {"outcome": "Rezolvat"}),
        ("upload", "/entries/{id}/attachments", None),
    ],
)
def test_unknown_entry_is_404_json(entry_id, method, path, body, clerk, urbanism, api_as):
    response = _call(api_as(clerk), method, path.format(id=entry_id), body)

    assert _assert_error(response, 404)["code"] == "not_found"


def test_non_numeric_id_is_a_4xx_json(clerk, api_as):
    _assert_error(api_as(clerk).get("/entries/abc"), (404, 422), field="entry_id")


# --- Finding entries -----------------------------------------------------------------------


@pytest.fixture
def three(clerk, urbanism, taxes) -> list[Entry]:
    e1 = register(clerk, department=urbanism)
    e2 = register(
        clerk,
        department=taxes,
        sender="SC Apa Serv Valea Jiului SA",
        subject="Factura de apă pentru sediul primăriei",
        document_type=DocumentType.objects.get(code="invoice"),
    )
    e3 = register(
        clerk,
        direction="outgoing",
        sender="Primăria Municipiului Lupeni",
        subject="Adresă către Prefectură",
        document_type=DocumentType.objects.get(code="correspondence"),
    )
    entry_close(actor=clerk, entry=e1, outcome="Rezolvat")
    return [e1, e2, e3]


def _ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_filters(three, clerk, api_as):
    e1, e2, e3 = three
    api = api_as(clerk)
    today = timezone.localdate()
    day = dt.timedelta(days=1)

    assert _ids(api.get("/entries")) == [e3.pk, e2.pk, e1.pk]
    assert api.get("/entries").json()["count"] == 3
    # words of the subject, without diacritics, in any case, with cedilla or comma-below
    assert _ids(api.get("/entries", {"q": "stefan"})) == [e1.pk]
    assert _ids(api.get("/entries", {"q": "ȘTEFAN cel"})) == [e1.pk]
    assert _ids(api.get("/entries", {"q": "ştefan"})) == [e1.pk]
    assert _ids(api.get("/entries", {"q": "factura apa"})) == [e2.pk]
    assert _ids(api.get("/entries", {"sender": "apa serv"})) == [e2.pk]
    assert _ids(api.get("/entries", {"department": "TAX"})) == [e2.pk]
    assert _ids(api.get("/entries", {"status": "closed"})) == [e1.pk]
    assert _ids(api.get("/entries", {"status": "registered"})) == [e3.pk]
    assert _ids(api.get("/entries", {"direction": "outgoing"})) == [e3.pk]
    assert _ids(api.get("/entries", {"number": f"2/{today.year}"})) == [e2.pk]
    assert _ids(api.get("/entries", {"number": f"2/{today:%d.%m.%Y}"})) == [e2.pk]
    assert _ids(api.get("/entries", {"number": f"2/{(today - day):%d.%m.%Y}"})) == []
    assert len(_ids(api.get("/entries", {"year": today.year}))) == 3
    assert _ids(api.get("/entries", {"year": today.year - 1})) == []
    assert len(_ids(api.get("/entries", {"date_from": today, "date_to": today}))) == 3
    assert _ids(api.get("/entries", {"date_from": today + day})) == []
    assert _ids(api.get("/entries", {"date_to": today - day})) == []


def test_pagination_and_limit_cap(three, clerk, api_as):
    e1, e2, e3 = three
    api = api_as(clerk)

    page1 = api.get("/entries", {"limit": 2})
    page2 = api.get("/entries", {"limit": 2, "offset": 2})

    assert _ids(page1) == [e3.pk, e2.pk] and page1.json()["count"] == 3
    assert _ids(page2) == [e1.pk] and page2.json()["count"] == 3
    assert page2.json()["offset"] == 2

    register = Register.objects.get(is_general=True)
    kind = DocumentType.objects.get(code="correspondence")
    now = timezone.now()
    Entry.objects.bulk_create(
        Entry(
            register=register,
            year=now.year,
            number=1000 + i,
            registered_at=now - dt.timedelta(seconds=i),
            direction="incoming",
            channel="post",
            document_type=kind,
            sender="Expeditor",
            subject=f"Scrisoarea {i}",
            tracking_code=f"T{i:09d}",
        )
        for i in range(205)
    )
    capped = api.get("/entries", {"limit": 500}).json()
    assert capped["limit"] == 200 and len(capped["items"]) == 200
    assert capped["count"] == 208


def test_list_respects_department(three, officer, other_officer, api_as):
    e1, e2, _e3 = three

    assert _ids(api_as(officer).get("/entries")) == [e1.pk]
    assert _ids(api_as(other_officer).get("/entries")) == [e2.pk]
    assert _ids(api_as(officer).get("/entries", {"department": "TAX"})) == []


LIST_BAD: list[tuple[str, dict[str, Any], int, str]] = [
    ("malformed number", {"number": "12a/20x6"}, 400, "number"),
    ("dates reversed", {"date_from": "2026-05-02", "date_to": "2026-05-01"}, 400, "date_from"),
    ("malformed date", {"date_from": "1 mai"}, 422, "date_from"),
    ("unknown department", {"department": "NOPE"}, 400, "department"),
    ("unknown status", {"status": "pierdut"}, 400, "status"),
    ("unknown direction", {"direction": "sus"}, 422, "direction"),
    ("zero limit", {"limit": 0}, 422, "limit"),
    ("negative offset", {"offset": -1}, 422, "offset"),
    ("year out of range", {"year": 10**12}, 422, "year"),
    ("NUL in words", {"q": "a\x00b"}, 422, "q"),
]


@pytest.mark.parametrize(("case", "params", "status", "field"), LIST_BAD, ids=[c[0] for c in LIST_BAD])
def test_bad_filters_are_a_clear_4xx(case, params, status, field, clerk, api_as):
    _assert_error(api_as(clerk).get("/entries", params), status, field=field)


# --- Attachments ---------------------------------------------------------------------------


def test_attachments_are_stored_and_listed(routed, clerk, api_as):
    api = api_as(clerk)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40

    response = api.upload(f"/entries/{routed.pk}/attachments", [_pdf("scan.pdf"), _pdf("poza.png", png)])

    assert response.status_code == 201, response.content
    items = response.json()
    assert [i["name"] for i in items] == ["scan.pdf", "poza.png"]
    assert items[0]["content_type"] == "application/pdf" and items[1]["content_type"] == "image/png"
    assert items[0]["sha256"] == hashlib.sha256(PDF).hexdigest() and items[0]["size"] == len(PDF)
    assert Attachment.objects.filter(entry=routed).count() == 2
    assert AuditEvent.objects.filter(action="registry.entry.attached", object_id=str(routed.pk)).count() == 1
    detail = api.get(f"/entries/{routed.pk}").json()
    assert [a["id"] for a in detail["attachments"]] == [i["id"] for i in items]


@pytest.mark.parametrize(
    ("case", "files", "limit", "code"),
    [
        ("executable named .pdf", [("virus.pdf", EXE)], None, "bad_type"),
        ("one good one bad", [("scan.pdf", PDF), ("virus.pdf", EXE)], None, "bad_type"),
        ("empty file", [("gol.pdf", b"")], None, "invalid"),
        ("over the size limit", [("scan.pdf", PDF)], 20, "too_large"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_rejected_attachment_writes_nothing(case, files, limit, code, routed, clerk, api_as, settings):
    if limit is not None:
        settings.GHISEU_MAX_UPLOAD_BYTES = limit
    api = api_as(clerk)
    before = _snapshot()

    response = api.upload(f"/entries/{routed.pk}/attachments", [_pdf(n, c) for n, c in files])

    body = _assert_error(response, 400, field="attachments")
    assert body["code"] == code
    assert _snapshot() == before


def test_upload_without_files_is_422(routed, clerk, api_as):
    api = api_as(clerk)
    before = _snapshot()

    response = api.upload(f"/entries/{routed.pk}/attachments", [])

    _assert_error(response, 422, field="files")
    assert _snapshot() == before


# --- The OpenAPI document ------------------------------------------------------------------


def test_openapi_document_lists_the_endpoints():
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    doc = response.json()
    paths = doc["paths"]
    assert set(paths["/api/v1/registry/entries"]) == {"get", "post"}
    assert set(paths["/api/v1/registry/entries/{entry_id}"]) == {"get"}
    for action in ("assign", "close", "attachments"):
        assert "post" in paths[f"/api/v1/registry/entries/{{entry_id}}/{action}"]
    create = paths["/api/v1/registry/entries"]["post"]
    assert {"201", "400", "401", "403", "422"} <= set(create["responses"])
    schemes = doc["components"]["securitySchemes"]
    assert any(s == {"type": "http", "scheme": "bearer"} for s in schemes.values())
    assert create["security"]


def test_bearer_calls_need_no_csrf_token(clerk, routed):
    """Other systems hold no session cookie and no CSRF token: the bearer token is enough."""
    token, _ = api_token_get_or_create(user=clerk)
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {token.key}")

    created = client.post(f"{BASE}/entries", json.dumps(MINIMAL), content_type="application/json")
    attached = client.post(f"{BASE}/entries/{routed.pk}/attachments", {"files": [_pdf()]})

    assert created.status_code == 201, created.content
    assert attached.status_code == 201, attached.content
