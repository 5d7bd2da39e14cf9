"""The screens: a citizen files without an account or JavaScript (with a photo and a location, past
the similar-report hint), the public list shows no personal data, staff work the petition within
the law, reports download; bad input is a 4xx with nothing saved."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse

from ghiseu.audit.models import AuditEvent
from ghiseu.petitions.models import Kind, Petition, PetitionPhoto, PetitionStatus
from ghiseu.petitions.tests.conftest import PERSON, jpeg_bytes
from ghiseu.registry.models import Channel, Entry

pytestmark = [pytest.mark.django_db]

FILE = "/sesizari/depune/"


def citizen_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "kind": "report",
        "category": "",
        "description": "Stâlpul de iluminat de lângă parc nu funcționează de o săptămână.",
        "location_address": "Str. Parângului nr. 10, Lupeni",
        "latitude": "45.3601",
        "longitude": "23.2189",
        "petitioner_type": "person",
        **PERSON,
    }
    data.update(overrides)
    return data


def photo(name: str = "stalp.jpg") -> io.BytesIO:
    f = io.BytesIO(jpeg_bytes(gps=(45.3601, 23.2189)))
    f.name = name
    return f


def counts() -> tuple[int, int, int]:
    return Entry.objects.count(), Petition.objects.count(), AuditEvent.objects.count()


# --- citizens ---------------------------------------------------------------------------------------


def test_a_citizen_files_a_report_with_a_photo_and_a_location_without_an_account(client, clock, roads):
    page = client.get(FILE)
    assert page.status_code == 200 and b'enctype="multipart/form-data"' in page.content
    response = client.post(FILE, citizen_form(category=roads.pk, photos=photo()))
    assert response.status_code == 302 and response["Location"] == "/sesizari/depusa/"
    petition = Petition.objects.select_related("entry").get()
    assert petition.kind == Kind.REPORT and petition.category == roads
    assert petition.entry.channel == Channel.PORTAL
    assert petition.entry.created_by is not None and petition.entry.created_by.username == "portal"
    assert petition.entry.department == roads.department
    assert str(petition.latitude) == "45.360100" and petition.petitioner_user is None
    assert PetitionPhoto.objects.filter(petition=petition).count() == 1
    filed = client.get("/sesizari/depusa/")
    assert petition.number.encode() in filed.content
    assert petition.entry.tracking_code.encode() in filed.content
    assert reverse("registry-public:status").encode() in filed.content


def test_a_signed_in_citizen_is_the_petitioner(client, clock, citizen, reference_data):
    client.force_login(citizen)
    page = client.get(FILE)
    assert citizen.email.encode() in page.content  # pre-filled
    client.post(FILE, citizen_form(kind="complaint", latitude="", longitude=""))
    assert Petition.objects.get().petitioner_user == citizen


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"petitioner_name": ""}, "petitioner_name"),
        ({"petitioner_email": ""}, "petitioner_email"),
        ({"petitioner_address": ""}, "petitioner_address"),
        ({"description": ""}, "description"),
        ({"latitude": "123"}, "latitude"),
        ({"longitude": ""}, "longitude"),
    ],
)
def test_the_portal_form_needs_identification_and_a_sound_location(client, clock, reference_data, overrides, field):
    response = client.post(FILE, citizen_form(**overrides))
    assert response.status_code == 400
    assert f'id="id_{field}_error"'.encode() in response.content
    assert counts() == (0, 0, 0)


def test_a_non_image_photo_is_refused_on_the_form(client, clock, roads):
    fake = io.BytesIO(b"%PDF-1.4\n%%EOF\n")
    fake.name = "poza.jpg"
    response = client.post(FILE, citizen_form(category=roads.pk, photos=fake))
    assert response.status_code == 400 and b"JPEG sau PNG" in response.content
    assert counts() == (0, 0, 0)


def test_the_similar_report_hint_comes_before_a_new_report(client, clock, roads, file_petition):
    existing = file_petition(kind="report", category=roads, latitude="45.36012", longitude="23.21895")
    before = counts()
    response = client.post(FILE, citizen_form(category=roads.pk))
    assert response.status_code == 200
    assert existing.number.encode() in response.content and b"id_confirm_similar" in response.content
    assert counts() == before  # nothing filed yet
    response = client.post(FILE, citizen_form(category=roads.pk, confirm_similar="on"))
    assert response.status_code == 302
    assert Petition.objects.count() == 2


def test_the_public_list_shows_no_personal_data(client, clock, roads, file_petition):
    petition = file_petition(
        kind="report",
        category=roads,
        location_address="Str. Minerului nr. 5, bl. 3, ap. 12",
        latitude="45.3601",
        longitude="23.2189",
    )
    page = client.get("/sesizari/")
    assert page.status_code == 200
    html = page.content.decode()
    assert petition.number in html and "Str. Minerului" in html and "Drumuri și trotuare" in html
    for bit in ["Maria", "Ionescu", "maria.ionescu@example.ro", "0722", "nr. 5", "bl. 3", "Groapă mare"]:
        assert bit not in html
    assert petition.number in client.get("/sesizari/", {"categorie": "roads", "stare": "open"}).content.decode()
    assert petition.number not in client.get("/sesizari/", {"stare": "closed"}).content.decode()


# --- staff --------------------------------------------------------------------------------------------


def test_staff_pages_are_for_staff(client, clock, citizen, reference_data):
    assert client.get("/petitii/")["Location"].startswith(reverse("accounts:login"))
    client.force_login(citizen)
    assert client.get("/petitii/").status_code == 403


def test_the_officer_answers_from_the_petition_page(client, clock, roads, roads_officer, file_petition):
    petition = file_petition(category=roads)
    client.force_login(roads_officer)
    page = client.get("/petitii/")
    assert page.status_code == 200 and petition.number.encode() in page.content
    page = client.get(f"/petitii/{petition.pk}/")
    assert page.status_code == 200 and "Răspunde".encode() in page.content
    assert "Prelungește termenul".encode() not in page.content  # only the head of the authority
    response = client.post(
        f"/petitii/{petition.pk}/answer/", {"text": "Reparat.", "legal_basis": "", "outcome": "favorable"}
    )
    assert response.status_code == 400
    assert Petition.objects.get().status == PetitionStatus.REGISTERED
    response = client.post(
        f"/petitii/{petition.pk}/start/",
    )
    assert response.status_code == 302
    response = client.post(
        f"/petitii/{petition.pk}/answer/",
        {"text": "Groapa a fost reparată.", "legal_basis": "OG 27/2002, art. 8", "outcome": "favorable"},
    )
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ANSWERED and petition.legal_basis == "OG 27/2002, art. 8"


def test_an_officer_cannot_extend_but_the_mayor_can(client, clock, roads, roads_officer, mayor, file_petition):
    petition = file_petition(category=roads)
    client.force_login(roads_officer)
    response = client.post(f"/petitii/{petition.pk}/extend/", {"days": 10, "reason": "cercetare"})
    assert response.status_code == 403
    client.force_login(mayor)
    assert "Prelungește termenul".encode() in client.get(f"/petitii/{petition.pk}/").content
    response = client.post(f"/petitii/{petition.pk}/extend/", {"days": 20, "reason": "cercetare"})
    assert response.status_code == 400  # more than 15 days
    response = client.post(f"/petitii/{petition.pk}/extend/", {"days": 10, "reason": "cercetare"})
    assert response.status_code == 302
    assert Petition.objects.get().status == PetitionStatus.EXTENDED


def test_forward_join_and_repeat_from_the_page(client, clock, clerk, file_petition):
    clock.set("2026-11-02")
    first = file_petition()
    clock.set("2026-11-03")
    second = file_petition()
    third = file_petition()
    client.force_login(clerk)
    page = client.get(f"/petitii/{second.pk}/").content.decode()
    assert "Conexează" in page and first.number in page
    response = client.post(f"/petitii/{second.pk}/join/", {"join-other": first.pk})
    assert response.status_code == 302
    assert Petition.objects.get(pk=second.pk).joined_to_id == first.pk
    response = client.post(f"/petitii/{third.pk}/forward/", {"authority": "Garda de Mediu"})
    assert response.status_code == 302
    assert Petition.objects.get(pk=third.pk).status == PetitionStatus.FORWARDED
    client.post(
        f"/petitii/{first.pk}/answer/", {"text": "Răspuns.", "legal_basis": "OG 27/2002", "outcome": "unfavorable"}
    )
    clock.set("2026-12-10")
    repeated = file_petition()
    client.force_login(clerk)  # five weeks later: a new session
    response = client.post(f"/petitii/{repeated.pk}/repeat/", {"repeat-other": first.pk, "repeat-note": ""})
    assert response.status_code == 302 and response["Location"] == f"/petitii/{repeated.pk}/"
    assert Petition.objects.get(pk=repeated.pk).status == PetitionStatus.FILED_AWAY


def test_the_clerk_registers_at_the_counter(client, clock, clerk, reference_data):
    client.force_login(clerk)
    assert client.get("/petitii/nou/").status_code == 200
    response = client.post(
        "/petitii/nou/",
        {
            "kind": "request",
            "channel": "post",
            "description": "Solicit repararea gardului școlii.",
            "petitioner_type": "institution",
            "petitioner_name": "Școala Gimnazială nr. 2",
            "petitioner_address": "Str. Școlii nr. 1",
            "received_by_forwarding": "on",
            "forwarded_from": "Inspectoratul Școlar Județean Hunedoara",
            "sender_reference": "889",
        },
    )
    assert response.status_code == 302
    petition = Petition.objects.get()
    assert petition.received_by_forwarding and petition.entry.sender == "Inspectoratul Școlar Județean Hunedoara"
    response = client.post(
        "/petitii/nou/",
        {
            "kind": "request",
            "channel": "post",
            "description": "x",
            "petitioner_type": "person",
            "received_by_forwarding": "on",
        },
    )
    assert response.status_code == 400 and b"id_forwarded_from_error" in response.content
    assert Petition.objects.count() == 1


def test_reports_download_as_csv_and_pdf(client, clock, clerk, file_petition, officer):
    clock.set("2026-11-02")
    file_petition()
    client.force_login(clerk)
    assert client.get("/petitii/rapoarte/").status_code == 200
    params = {"report": "petitions", "date_from": "2026-07-01", "date_to": "2026-12-31", "format": "csv"}
    response = client.get("/petitii/rapoarte/", params)
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert "Petiții înregistrate,1" in response.content.decode("utf-8-sig")
    response = client.get("/petitii/rapoarte/", {**params, "report": "information", "format": "pdf"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    response = client.get("/petitii/rapoarte/", {**params, "date_from": "2027-01-01"})
    assert response.status_code == 400
    client.force_login(officer)
    assert client.get("/petitii/rapoarte/").status_code == 403


def test_the_petitioner_reads_the_answer_with_number_and_code(client, clock, clerk, file_petition):
    petition = file_petition()
    answer_url = "/sesizari/raspuns/"
    form = {"number": petition.number, "tracking_code": petition.entry.tracking_code}
    page = client.post(answer_url, form)
    assert page.status_code == 200 and "înregistrată".encode() in page.content
    assert b".pdf" not in page.content  # no answer yet
    from ghiseu.petitions.services import petition_answer

    petition_answer(
        actor=clerk, petition=petition, text="Am reparat groapa.", legal_basis="OG 27/2002, art. 8", outcome="favorable"
    )
    pdf_url = f"/sesizari/raspuns/{petition.pk}.pdf"
    other = type(client)()
    assert other.get(pdf_url).status_code == 404  # not without the number and code
    page = client.post(answer_url, form)
    assert b"Am reparat groapa." in page.content and pdf_url.encode() in page.content
    response = client.get(pdf_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    wrong = client.post(answer_url, {**form, "tracking_code": "AAAAAAAAAA"})
    assert wrong.status_code == 404 and b"Am reparat" not in wrong.content


def test_a_citizen_contests_an_answer_from_the_portal_naming_the_request_by_number_and_code(client, clock, categories):
    clock.set("2026-11-02")
    assert client.post(FILE, citizen_form(kind="public_information", description="Bugetul pe 2026.")).status_code == 302
    request = Petition.objects.get(kind="public_information")
    contest = citizen_form(kind="administrative_complaint", description="Nu am primit niciun răspuns.")
    named = {**contest, "original_number": request.number, "original_tracking_code": request.entry.tracking_code}
    early = client.post(FILE, named)  # still in its 10-day term and unanswered: nothing to contest yet
    assert early.status_code == 400 and "nu a primit încă răspuns" in early.content.decode()
    clock.set("2026-11-20")  # the term has passed without an answer: a tacit refusal
    before = counts()

    # the kind needs the contested request; a number without its tracking code finds nothing
    assert client.post(FILE, contest).status_code == 400
    wrong = client.post(FILE, {**contest, "original_number": request.number, "original_tracking_code": "ZZZZZZZZZZ"})
    assert wrong.status_code == 400
    assert "Nu am găsit nicio solicitare cu acest număr" in wrong.content.decode()
    assert counts() == before

    done = client.post(FILE, named)

    assert done.status_code == 302
    complaint = Petition.objects.get(kind="administrative_complaint")
    assert complaint.original_request == request
