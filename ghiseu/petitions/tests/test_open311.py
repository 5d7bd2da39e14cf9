"""Open311 GeoReport v2: the round trip in JSON and XML, every error case, no personal data out,
nothing half-saved on a refused request."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from PIL import Image

from ghiseu.accounts.models import Role, User
from ghiseu.audit.models import AuditEvent
from ghiseu.petitions.models import CategoryAttribute, Open311Client, Petition, PetitionCategory, PetitionStatus
from ghiseu.petitions.services import open311_client_issue_key, petition_answer
from ghiseu.petitions.tests.conftest import jpeg_bytes
from ghiseu.registry.models import Channel, Entry

pytestmark = [pytest.mark.django_db]

BASE = "/open311/v2"
LUPENI = ("45.360149", "23.218951")
PERSONAL = ["Maria", "Ionescu", "maria.ionescu@example.ro", "0722", "Groapă adâncă", "nr. 5"]


@pytest.fixture
def api_key(categories: None) -> str:
    _client, key = open311_client_issue_key(name="Lupeni Civic")
    return key


@pytest.fixture
def size_question(roads: PetitionCategory) -> CategoryAttribute:
    return CategoryAttribute.objects.create(
        category=roads,
        code="SIZE",
        description="Cât de mare este groapa?",
        datatype="singlevaluelist",
        required=True,
        order=1,
        values=[{"key": "small", "name": "mică"}, {"key": "large", "name": "mare"}],
    )


def post(client: Client, fmt: str, data: dict[str, Any], **extra: Any) -> Any:
    return client.post(f"{BASE}/requests.{fmt}", data, **extra)


def report(key: str, **overrides: Any) -> dict[str, Any]:
    data = {
        "api_key": key,
        "service_code": "ROADS",
        "lat": LUPENI[0],
        "long": LUPENI[1],
        "address_string": "Str. Minerului nr. 5, Lupeni",
        "first_name": "Maria",
        "last_name": "Ionescu",
        "email": "maria.ionescu@example.ro",
        "phone": "0722123456",
        "description": "Groapă adâncă în asfalt, pericol pentru bicicliști.",
        "attribute[SIZE]": "large",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def xml_of(response: Any) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)  # noqa: S314 - our own response, parsed as a client would


def json_of(response: Any) -> Any:
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content.decode("utf-8"))


def error_of(response: Any, fmt: str) -> tuple[int, str]:
    if fmt == "json":
        body = json_of(response)
        assert isinstance(body, list) and len(body) == 1 and set(body[0]) == {"code", "description"}
        return body[0]["code"], body[0]["description"]
    root = xml_of(response)
    assert root.tag == "errors"
    error = root.find("error")
    assert error is not None
    return int(error.findtext("code") or 0), error.findtext("description") or ""


def counts() -> tuple[int, int, int]:
    return Entry.objects.count(), Petition.objects.count(), AuditEvent.objects.count()


# --- services ------------------------------------------------------------------------------------


def test_service_list_json(client, roads, size_question):
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 200
    services = json_of(response)
    assert [s["service_code"] for s in services] == [
        "ROADS",
        "LIGHTING",
        "SANITATION",
        "GREEN",
        "PARKING",
        "NOISE",
        "OTHER",
    ]
    roads_service = services[0]
    assert roads_service == {
        "service_code": "ROADS",
        "service_name": "Drumuri și trotuare",
        "description": roads.description,
        "metadata": True,
        "type": "realtime",
        "keywords": roads.keywords,
        "group": "infrastructura",
    }
    assert services[1]["metadata"] is False


def test_service_list_xml(client, roads):
    root = xml_of(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    services = root.findall("service")
    assert len(services) == 7
    first = services[0]
    assert [child.tag for child in first] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    assert first.findtext("service_name") == "Drumuri și trotuare"  # UTF-8 diacritics
    assert first.findtext("metadata") == "false" and first.findtext("type") == "realtime"


def test_service_definition_json_and_xml(client, size_question):
    definition = json_of(client.get(f"{BASE}/services/ROADS.json"))
    assert definition == {
        "service_code": "ROADS",
        "attributes": [
            {
                "variable": True,
                "code": "SIZE",
                "datatype": "singlevaluelist",
                "required": True,
                "datatype_description": None,
                "order": 1,
                "description": "Cât de mare este groapa?",
                "values": [{"key": "small", "name": "mică"}, {"key": "large", "name": "mare"}],
            }
        ],
    }
    root = xml_of(client.get(f"{BASE}/services/ROADS.xml"))
    assert root.tag == "service_definition" and root.findtext("service_code") == "ROADS"
    attribute = root.find("attributes/attribute")
    assert attribute is not None
    assert attribute.findtext("code") == "SIZE" and attribute.findtext("required") == "true"
    assert [v.findtext("key") for v in attribute.findall("values/value")] == ["small", "large"]
    assert [v.findtext("name") for v in attribute.findall("values/value")] == ["mică", "mare"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_service_definition_is_404(client, categories, fmt):
    response = client.get(f"{BASE}/services/POTHOLES.{fmt}")
    assert response.status_code == 404
    code, description = error_of(response, fmt)
    assert code == 404 and "POTHOLES" in description


# --- the round trip ------------------------------------------------------------------------------


def test_round_trip_json(client, clock, api_key, roads, roads_dept, size_question):
    clock.set("2026-11-02", hour=9)
    response = post(client, "json", report(api_key, account_id="acc-77"))
    assert response.status_code == 200, response.content
    body = json_of(response)
    assert len(body) == 1 and set(body[0]) == {"service_request_id", "service_notice", "account_id"}
    request_id = body[0]["service_request_id"]
    assert request_id == "1-2026"
    assert body[0]["account_id"] == "acc-77"
    assert "1/02.11.2026" in body[0]["service_notice"] and "02.12.2026" in body[0]["service_notice"]

    petition = Petition.objects.select_related("entry").get()
    assert petition.kind == "report" and petition.category == roads
    system = User.objects.get(username="open311")
    assert petition.entry.channel == Channel.API and petition.entry.created_by == system
    assert system.role == Role.CLERK and not system.has_usable_password() and not system.is_staff
    assert petition.entry.department == roads_dept  # routed by its category
    assert petition.attributes == {"SIZE": "large"}
    assert petition.petitioner_name == "Maria Ionescu"
    assert petition.open311_client == Open311Client.objects.get(name="Lupeni Civic")
    assert str(petition.due_date) == "2026-12-02"

    found = json_of(client.get(f"{BASE}/requests/{request_id}.json"))
    assert len(found) == 1
    row = found[0]
    assert row["service_request_id"] == request_id and row["status"] == "open"
    assert row["service_code"] == "ROADS" and row["service_name"] == "Drumuri și trotuare"
    assert row["agency_responsible"] == roads_dept.name
    assert row["requested_datetime"] == "2026-11-02T09:00:00+02:00"
    assert row["expected_datetime"] == "2026-12-02T23:59:59+02:00"
    assert row["address"] == "Str. Minerului, Lupeni"
    assert (row["lat"], row["long"]) == (45.36, 23.219)
    assert row["description"] is None and row["address_id"] is None
    text = json.dumps(found, ensure_ascii=False)
    for bit in PERSONAL:
        assert bit not in text

    listed = json_of(client.get(f"{BASE}/requests.json", {"service_request_id": f"{request_id},99-2026"}))
    assert [r["service_request_id"] for r in listed] == [request_id]
    assert json_of(client.get(f"{BASE}/requests.json", {"status": "closed"})) == []

    clock.set("2026-11-10")
    petition_answer(
        actor=system,
        petition=petition,
        text="Reparat.",
        legal_basis="OG 27/2002",
        outcome="favorable",
    )
    row = json_of(client.get(f"{BASE}/requests/{request_id}.json"))[0]
    assert row["status"] == "closed" and row["status_notes"] == "Răspuns transmis petiționarului."
    assert row["updated_datetime"] == "2026-11-10T10:00:00+02:00"
    assert [r["service_request_id"] for r in json_of(client.get(f"{BASE}/requests.json", {"status": "closed"}))] == [
        request_id
    ]


def test_round_trip_xml(client, clock, api_key, roads, size_question):
    clock.set("2026-11-02")
    root = xml_of(post(client, "xml", report(api_key)))
    assert root.tag == "service_requests"
    request = root.find("request")
    assert request is not None
    request_id = request.findtext("service_request_id")
    assert request_id == "1-2026"
    account = request.find("account_id")
    assert account is not None and account.text is None and len(account) == 0  # <account_id />
    assert request.find("token") is None

    root = xml_of(client.get(f"{BASE}/requests/{request_id}.xml"))
    found = root.findall("request")
    assert len(found) == 1
    item = found[0]
    assert item.findtext("service_request_id") == request_id and item.findtext("status") == "open"
    assert item.findtext("lat") == "45.360" and item.findtext("long") == "23.219"
    assert item.findtext("requested_datetime") == "2026-11-02T10:00:00+02:00"
    assert [c.tag for c in item][:3] == ["service_request_id", "status", "status_notes"]
    for bit in PERSONAL:
        assert bit not in ET.tostring(root, encoding="unicode")

    listed = xml_of(client.get(f"{BASE}/requests.xml", {"service_code": "ROADS,LIGHTING"}))
    assert [r.findtext("service_request_id") for r in listed.findall("request")] == [request_id]
    listed = xml_of(client.get(f"{BASE}/requests.xml", {"service_code": "LIGHTING"}))
    assert listed.findall("request") == []


def test_requests_by_date_range(client, clock, api_key, roads, size_question):
    clock.set("2026-11-02")
    post(client, "json", report(api_key))
    clock.set("2026-12-15")
    post(client, "json", report(api_key))
    clock.set("2026-12-20")
    in_november = json_of(
        client.get(f"{BASE}/requests.json", {"start_date": "2026-11-01T00:00:00Z", "end_date": "2026-11-30T23:59:59Z"})
    )
    assert [r["service_request_id"] for r in in_november] == ["1-2026"]
    recent = json_of(client.get(f"{BASE}/requests.json"))  # the last 90 days by default
    assert [r["service_request_id"] for r in recent] == ["2-2026", "1-2026"]
    since = json_of(client.get(f"{BASE}/requests.json", {"start_date": "2026-12-01T00:00:00+02:00"}))
    assert [r["service_request_id"] for r in since] == ["2-2026"]


def test_a_request_without_name_and_email_is_registered_then_filed_away(client, clock, api_key, size_question):
    response = post(client, "json", report(api_key, first_name="", last_name="", email="", phone=""))
    assert response.status_code == 200
    body = json_of(response)[0]
    assert "clasat" in body["service_notice"].lower() and "art. 7" in body["service_notice"]
    petition = Petition.objects.get()
    assert petition.status == PetitionStatus.FILED_AWAY and petition.anonymous
    row = json_of(client.get(f"{BASE}/requests/{body['service_request_id']}.json"))[0]
    assert row["status"] == "closed" and "art. 7" in row["status_notes"]


def test_batch_services_answer_with_a_token(client, clock, api_key, roads, size_question):
    PetitionCategory.objects.filter(pk=roads.pk).update(open311_type="batch")
    body = json_of(post(client, "json", report(api_key)))[0]
    assert "service_request_id" not in body and body["token"]
    found = json_of(client.get(f"{BASE}/tokens/{body['token']}.json"))
    assert found == [{"service_request_id": "1-2026", "token": body["token"]}]
    root = xml_of(client.get(f"{BASE}/tokens/{body['token']}.xml"))
    assert root.findtext("request/service_request_id") == "1-2026"


def test_photos_as_media_files_are_stored_without_exif(client, clock, api_key, size_question):
    photo = io.BytesIO(jpeg_bytes(gps=(45.3601, 23.2189)))
    photo.name = "groapa.jpg"
    response = client.post(f"{BASE}/requests.json", {**report(api_key), "media": photo})
    assert response.status_code == 200, response.content
    request_id = json_of(response)[0]["service_request_id"]
    row = json_of(client.get(f"{BASE}/requests/{request_id}.json"))[0]
    assert row["media_url"].startswith("http://testserver/open311/v2/media/")
    media = client.get(row["media_url"].removeprefix("http://testserver"))
    assert media.status_code == 200 and media["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(b"".join(media.streaming_content)))
    assert dict(image.getexif()) == {}


def test_post_needs_no_csrf_token(api_key, size_question):
    response = post(Client(enforce_csrf_checks=True), "json", report(api_key))
    assert response.status_code == 200


# --- errors ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("overrides", "status", "words"),
    [
        ({"api_key": None}, 403, "api_key"),
        ({"api_key": "cheie-gresita"}, 403, "api_key"),
        ({"service_code": None}, 400, "service_code"),
        ({"service_code": "POTHOLES"}, 404, "POTHOLES"),
        ({"lat": None, "long": None, "address_string": None}, 400, "lat"),
        ({"lat": "95.0"}, 400, "95.0"),
        ({"long": None, "address_string": None}, 400, "longitudinea"),
        ({"attribute[SIZE]": None}, 400, "SIZE"),
        ({"attribute[SIZE]": "huge"}, 400, "huge"),
        ({"attribute[COLOR]": "red"}, 400, "COLOR"),
        ({"description": "x" * 4001}, 400, "4000"),
        ({"email": "nu-e-email"}, 400, "e-mail"),
        ({"media_url": "ftp://exemplu.ro/poza.jpg"}, 400, "URL"),
        ({"description": "groapă\x00"}, 400, "nepermise"),
        ({"first_name": "Ma\x00ria"}, 400, "nepermise"),
        ({"attribute[SIZE]": "large\x00"}, 400, "nepermise"),
        ({"service_code": "ROADS\x00X"}, 404, "ROADSX"),
    ],
)
def test_refused_requests_answer_the_right_error_and_save_nothing(
    client, clock, api_key, size_question, fmt, overrides, status, words
):
    before = counts()
    response = post(client, fmt, report(api_key, **overrides))
    assert response.status_code == status
    code, description = error_of(response, fmt)
    assert code == status and words in description
    assert counts() == before


def test_an_inactive_client_is_refused(client, api_key, size_question):
    Open311Client.objects.update(is_active=False)
    response = post(client, "json", report(api_key))
    assert response.status_code == 403
    assert Petition.objects.count() == 0


def test_a_non_image_media_file_is_refused(client, api_key, size_question):
    fake = io.BytesIO(b"%PDF-1.4\n%%EOF\n")
    fake.name = "poza.jpg"
    before = counts()
    response = client.post(f"{BASE}/requests.xml", {**report(api_key), "media": fake})
    assert response.status_code == 400
    assert error_of(response, "xml")[0] == 400
    assert counts() == before


def test_a_json_body_is_refused(client, api_key, size_question):
    response = client.post(f"{BASE}/requests.json", json.dumps(report(api_key)), content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("path", ["requests/999-2026", "requests/nu-exista", "tokens/necunoscut", "tokens/a%00b"])
def test_unknown_ids_and_tokens_are_404(client, categories, fmt, path):
    response = client.get(f"{BASE}/{path}.{fmt}")
    assert response.status_code == 404
    assert error_of(response, fmt)[0] == 404


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "ieri"},
        {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},  # more than 90 days
        {"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},
        {"status": "pending"},
        {"service_request_id": "1/2026"},
    ],
)
def test_bad_queries_are_400(client, categories, params):
    response = client.get(f"{BASE}/requests.json", params)
    assert response.status_code == 400
    assert error_of(response, "json")[0] == 400


def test_nul_characters_in_queries_are_no_server_error(client, categories):
    for params in ({"service_code": "RO\x00ADS"}, {"start_date": "2026-01-01T00:00:00\x00"}):
        assert client.get(f"{BASE}/requests.json", params).status_code in (200, 400)


def test_wrong_method_and_unknown_paths(client, categories):
    response = client.delete(f"{BASE}/services.json")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert error_of(response, "json")[0] == 405
    response = client.get(f"{BASE}/services.html")
    assert response.status_code == 404 and error_of(response, "xml")[0] == 404
    response = client.get(f"{BASE}/discovery.json")
    assert response.status_code == 404 and error_of(response, "json")[0] == 404


# --- keys ------------------------------------------------------------------------------------------


def test_open311_key_command_prints_a_new_key_and_retires_the_old(client, categories, size_question, capsys):
    call_command("open311_key", "Aplicația Orașul Meu")
    first = capsys.readouterr().out.strip()
    assert len(first) >= 40
    client_row = Open311Client.objects.get(name="Aplicația Orașul Meu")
    assert client_row.key_hash != first and first not in client_row.key_hash  # only the hash is kept
    assert post(client, "json", report(first)).status_code == 200
    call_command("open311_key", "Aplicația Orașul Meu")
    second = capsys.readouterr().out.strip()
    assert second != first
    assert post(client, "json", report(first)).status_code == 403
    assert post(client, "json", report(second)).status_code == 200
    assert Open311Client.objects.count() == 1
    assert AuditEvent.objects.filter(action="petitions.open311_client.key_rotated").count() == 1
