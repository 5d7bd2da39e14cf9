"""The registry's screens: registering, finding, acting on entries, the slip, the book, the
public status page, and who may open what."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pypdfium2
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ghiseu.audit.models import AuditEvent
from ghiseu.core.models import StoredFile
from ghiseu.registry.models import Assignment, Attachment, DocumentType, Entry, Status
from ghiseu.registry.services import Upload, entry_assign
from ghiseu.registry.tests.helpers import register

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()  # the public page counts failed look-ups per address


def pdf_file(name: str = "scan.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def create_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "sender": "Maria Ștefănescu",
        "sender_address": "Str. Minerilor nr. 5, Lupeni",
        "sender_email": "",
        "sender_reference": "",
        "sender_date": "",
        "subject": "Sesizare privind iluminatul public pe strada Ștefan cel Mare",
        "document_type": DocumentType.objects.get(code="report").pk,
        "direction": "incoming",
        "channel": "counter",
        "pages": "2",
        "annexes": "0",
        "department": "",
        "assignee": "",
        "resolution": "",
        "file_code": "",
        "linked_number": "",
    }
    data.update(overrides)
    return data


def today_number(number: int) -> str:
    return f"{number}/{timezone.localdate():%d.%m.%Y}"


def pdf_text(content: bytes) -> str:
    document = pypdfium2.PdfDocument(content)
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def nothing_written() -> bool:
    return not (Entry.objects.exists() or Attachment.objects.exists() or StoredFile.objects.exists()) and not (
        AuditEvent.objects.filter(action__startswith="registry.").exists()
    )


# --- Registering at the counter ---------------------------------------------------------


def test_create_form_has_counter_defaults_and_starts_on_the_sender(client, clerk):
    client.force_login(clerk)
    response = client.get(reverse("registry:create"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["direction"].value() == "incoming"
    assert form["channel"].value() == "counter"
    assert form["pages"].value() == 1
    assert form["document_type"].value() == DocumentType.objects.get(code="correspondence").pk
    html = response.content.decode()
    sender_input = html[html.index('id="id_sender"') - 200 : html.index('id="id_sender"') + 50]
    assert "autofocus" in sender_input
    # The sender is the first field in the tab order (nothing is reordered with tabindex).
    form_html = html[html.index('action="/registratura/nou/"') :]
    first_field = form_html.index('name="sender"')
    for other in ("direction", "channel", "document_type", "subject", "department"):
        assert form_html.index(f'name="{other}"') > first_field
    assert "tabindex=" not in form_html.split("</form>")[0]
    assert '<label for="id_sender">' in html


def test_registering_through_the_form_creates_one_entry_numbered_one(client, clerk, urbanism):
    client.force_login(clerk)
    data = create_data(department=urbanism.pk, attachments=[pdf_file()])
    response = client.post(reverse("registry:create"), data)
    entry = Entry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:detail", args=[entry.pk])
    assert (entry.number, entry.year) == (1, timezone.localdate().year)
    assert entry.sender == "Maria Ștefănescu"
    assert entry.department == urbanism and entry.status == Status.ASSIGNED
    assert entry.due_date is not None  # a report (sesizare) has a 30-day term
    assert entry.pages == 2 and entry.created_by == clerk
    attachment = Attachment.objects.get(entry=entry)
    assert attachment.original_name == "scan.pdf" and attachment.file.content_type == "application/pdf"
    assert AuditEvent.objects.filter(action="registry.entry.registered", object_id=str(entry.pk)).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert f"Documentul a fost înregistrat cu numărul {today_number(1)}" in page
    assert reverse("registry:slip", args=[entry.pk]) in page


def test_registering_links_to_a_number_typed_as_text(client, clerk):
    first = register(clerk)
    client.force_login(clerk)
    response = client.post(reverse("registry:create"), create_data(linked_number=f"{first.number}/{first.year}"))
    assert response.status_code == 302
    second = Entry.objects.exclude(pk=first.pk).get()
    assert second.linked_to == first and second.number == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"sender": "   "}, "Completați câmpul „Emitent”."),
        ({"subject": ""}, "Completați câmpul „Conținut pe scurt”."),
        ({"sender_email": "nu-este-email"}, "Introduceți o adresă de e-mail validă."),
        ({"sender_date": "31.02.2026"}, "Introduceți o dată validă"),
        ({"sender_date": "2999-01-01"}, "Data documentului emitentului nu poate fi în viitor."),
        ({"pages": "0"}, "1"),
        ({"linked_number": "999/2026"}, "Nu există nicio înregistrare cu numărul 999/2026."),
        ({"linked_number": "12-2026"}, "nu are forma 1234/2026"),
        ({"attachments": [pdf_file("virus.pdf", EXE)]}, "nu are un tip acceptat"),
    ],
    ids=[
        "missing-sender",
        "missing-subject",
        "bad-email",
        "impossible-date",
        "future-date",
        "zero-pages",
        "unknown-linked-number",
        "malformed-linked-number",
        "exe-renamed-pdf",
    ],
)
def test_bad_registration_is_a_400_with_the_message_and_writes_nothing(client, clerk, overrides, message):
    client.force_login(clerk)
    response = client.post(reverse("registry:create"), create_data(**overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'aria-invalid="true"' in html  # the error is tied to its input
    assert nothing_written()


def test_oversize_attachment_is_refused(client, clerk, settings):
    settings.GHISEU_MAX_UPLOAD_BYTES = 20
    client.force_login(clerk)
    response = client.post(reverse("registry:create"), create_data(attachments=[pdf_file("mare.pdf")]))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Fișierul „mare.pdf”" in html and "limita este" in html
    assert 'id="id_attachments_error"' in html
    assert 'aria-describedby="id_attachments_helptext id_attachments_error"' in html
    assert nothing_written()


def test_department_officer_may_not_register_incoming_documents(client, officer):
    client.force_login(officer)
    response = client.post(reverse("registry:create"), create_data())
    assert response.status_code == 403
    assert "Nu aveți dreptul să înregistrați acest document." in response.content.decode()
    assert nothing_written()


# --- Finding entries ---------------------------------------------------------------------


def test_search_by_a_word_without_diacritics_finds_the_entry(client, clerk):
    register(clerk, sender="Ion Ionescu", subject="Cerere privind strada Ștefan cel Mare")
    register(clerk, sender="Ana Pop", subject="Adeverință de rol agricol")
    client.force_login(clerk)
    response = client.get(reverse("registry:list"), {"words": "stefan"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cerere privind strada Ștefan cel Mare" in html
    assert "Adeverință de rol agricol" not in html
    response = client.get(reverse("registry:list"), {"sender": "POP"})
    assert "Adeverință de rol agricol" in response.content.decode()
    assert "Ștefan cel Mare" not in response.content.decode()


def test_search_by_number(client, clerk):
    register(clerk, subject="Primul document")
    second = register(clerk, subject="Al doilea document")
    client.force_login(clerk)
    for text in (f"2/{second.year}", today_number(2), "2"):
        html = client.get(reverse("registry:list"), {"number": text}).content.decode()
        assert "Al doilea document" in html and "Primul document" not in html, text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"number": "abc/12"}, "nu are forma 1234/2026 sau 1234/28.11.2026"),
        ({"number": "5/31.02.2026"}, "nu există"),
        ({"date_from": "2026-13-45"}, "Introduceți o dată validă"),
        ({"date_from": "2026-05-10", "date_to": "2026-05-01"}, "Data de început este după data de sfârșit."),
    ],
)
def test_bad_filters_are_a_400_with_a_message(client, clerk, params, message):
    register(clerk)
    client.force_login(clerk)
    response = client.get(reverse("registry:list"), params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_overdue_filter_and_badges(client, clerk, urbanism):
    late = register(clerk, subject="Document întârziat", department=urbanism)
    soon = register(clerk, subject="Document cu termen apropiat", department=urbanism)
    register(clerk, subject="Document fără grabă", document_type=DocumentType.objects.get(code="correspondence"))
    today = timezone.localdate()
    Entry.objects.filter(pk=late.pk).update(due_date=today - dt.timedelta(days=3))
    Entry.objects.filter(pk=soon.pk).update(due_date=today + dt.timedelta(days=1))
    client.force_login(clerk)
    html = client.get(reverse("registry:list")).content.decode()
    assert html.count('class="badge overdue"') == 1 and html.count('class="badge soon"') == 1
    html = client.get(reverse("registry:list"), {"status": "overdue"}).content.decode()
    assert "Document întârziat" in html
    assert "Document cu termen apropiat" not in html and "Document fără grabă" not in html


def test_list_paginates(client, clerk, monkeypatch):
    from ghiseu.registry import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for i in range(5):
        register(clerk, subject=f"Document {i}")
    client.force_login(clerk)
    html = client.get(reverse("registry:list"), {"words": "document", "page": "3"}).content.decode()
    assert "Pagina 3 din 3" in html and "Document 0" in html and "Document 4" not in html
    assert "words=document&amp;page=2" in html


# --- Who may open what -------------------------------------------------------------------


@pytest.fixture
def routed(clerk, urbanism) -> Entry:
    """An entry routed to Urbanism, with an attachment."""
    return register(clerk, department=urbanism, files=[Upload(io.BytesIO(PDF), "scan.pdf")])


def _urls(entry: Entry) -> tuple[list[str], list[str]]:
    attachment = entry.attachments.get()
    get_urls = [
        reverse("registry:list"),
        reverse("registry:create"),
        reverse("registry:queue"),
        reverse("registry:book"),
        reverse("registry:detail", args=[entry.pk]),
        reverse("registry:slip", args=[entry.pk]),
        reverse("registry:attachment", args=[entry.pk, attachment.pk]),
    ]
    post_urls = [
        reverse(f"registry:{name}", args=[entry.pk]) for name in ("assign", "start", "reply", "close", "link", "attach")
    ]
    return get_urls, post_urls


def _create_url_and_data() -> tuple[str, dict[str, Any]]:
    return reverse("registry:create"), create_data()


def _entry_state(entry: Entry) -> tuple[Any, ...]:
    entry.refresh_from_db()
    return (
        entry.status,
        entry.department_id,
        entry.linked_to_id,
        entry.outcome,
        Entry.objects.count(),
        Attachment.objects.count(),
        Assignment.objects.count(),
    )


def _action_data(taxes: Any) -> dict[str, Any]:
    return {
        "assign-department": taxes.pk,
        "reply-recipient": "X",
        "reply-subject": "Y",
        "reply-channel": "post",
        "reply-pages": "1",
        "close-outcome": "Rezolvat",
        "link-number": "1",
    }


def test_anonymous_users_are_sent_to_login_everywhere(client, routed, taxes):
    get_urls, post_urls = _urls(routed)
    before = _entry_state(routed)
    for url in get_urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login") + "?next="), url
    for url in post_urls:
        response = client.post(url, _action_data(taxes))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")), url
    url, data = _create_url_and_data()
    assert client.post(url, data).status_code == 302
    assert _entry_state(routed) == before


def test_citizens_are_refused_everywhere(client, citizen, routed, taxes):
    get_urls, post_urls = _urls(routed)
    before = _entry_state(routed)
    client.force_login(citizen)
    for url in get_urls:
        assert client.get(url).status_code == 403, url
    for url in post_urls:
        assert client.post(url, _action_data(taxes)).status_code == 403, url
    url, data = _create_url_and_data()
    assert client.post(url, data).status_code == 403
    assert _entry_state(routed) == before


def test_officer_of_another_department_does_not_see_the_entry(client, other_officer, routed, taxes):
    get_urls, post_urls = _urls(routed)
    before = _entry_state(routed)
    client.force_login(other_officer)
    for url in get_urls[4:]:  # detail, slip, attachment
        assert client.get(url).status_code == 404, url
    for url in post_urls:
        assert client.post(url, _action_data(taxes)).status_code == 404, url
    assert _entry_state(routed) == before
    # Nor is it listed, queued or exported for them.
    assert routed.subject not in client.get(reverse("registry:list")).content.decode()
    assert client.get(reverse("registry:list"), {"words": "iluminatul"}).context["page"].paginator.count == 0
    today = timezone.localdate().isoformat()
    book = client.get(
        reverse("registry:book"),
        {"date_from": today, "date_to": today, "register": routed.register_id, "format": "csv"},
    )
    assert book.status_code == 200
    assert "Ion Ionescu" not in b"".join(book.streaming_content).decode()


def test_officer_who_registered_an_entry_since_rerouted_may_see_it_but_not_act(
    client, clerk, other_officer, taxes, urbanism
):
    entry = register(other_officer, direction="outgoing", department=taxes, recipient="ANAF")
    entry_assign(actor=clerk, entry=entry, department=urbanism)
    before = _entry_state(entry)
    client.force_login(other_officer)
    assert client.get(reverse("registry:detail", args=[entry.pk])).status_code == 200
    for name in ("assign", "start", "reply", "close", "link", "attach"):
        response = client.post(reverse(f"registry:{name}", args=[entry.pk]), _action_data(taxes))
        assert response.status_code == 403, name
    assert _entry_state(entry) == before


def test_officer_works_but_does_not_route(client, officer, routed, taxes):
    client.force_login(officer)
    html = client.get(reverse("registry:detail", args=[routed.pk])).content.decode()
    assert reverse("registry:reply", args=[routed.pk]) in html
    assert reverse("registry:assign", args=[routed.pk]) not in html
    before = _entry_state(routed)
    response = client.post(reverse("registry:assign", args=[routed.pk]), {"assign-department": taxes.pk})
    assert response.status_code == 403
    assert _entry_state(routed) == before


def test_actions_on_an_entry_that_does_not_exist_are_404(client, clerk, officer, routed, taxes):
    before = _entry_state(routed)
    for user in (clerk, officer):
        client.force_login(user)
        for name in ("detail", "slip"):
            assert client.get(reverse(f"registry:{name}", args=[routed.pk + 100])).status_code == 404
        for name in ("assign", "start", "reply", "close", "link", "attach"):
            response = client.post(reverse(f"registry:{name}", args=[routed.pk + 100]), _action_data(taxes))
            assert response.status_code == 404, name
    assert _entry_state(routed) == before


def test_actions_need_post(client, clerk, routed):
    client.force_login(clerk)
    for name in ("assign", "start", "reply", "close", "link", "attach"):
        assert client.get(reverse(f"registry:{name}", args=[routed.pk])).status_code == 405


# --- Actions on an entry ----------------------------------------------------------------


def test_head_reassigns_and_officer_takes_it_in_work(client, head, officer, routed, urbanism):
    client.force_login(head)
    response = client.post(
        reverse("registry:assign", args=[routed.pk]),
        {"assign-department": urbanism.pk, "assign-assignee": officer.pk, "assign-resolution": "Verificați pe teren."},
    )
    assert response.status_code == 302
    routed.refresh_from_db()
    assert routed.assignee == officer and routed.resolution == "Verificați pe teren."
    assert Assignment.objects.filter(entry=routed).count() == 2
    client.force_login(officer)
    assert client.post(reverse("registry:start", args=[routed.pk])).status_code == 302
    routed.refresh_from_db()
    assert routed.status == Status.IN_PROGRESS
    html = client.get(reverse("registry:detail", args=[routed.pk])).content.decode()
    assert "Verificați pe teren." in html and "preluat în lucru" in html  # routing and audit history
    # Taking it in work twice is a rule broken, shown on the page.
    response = client.post(reverse("registry:start", args=[routed.pk]))
    assert response.status_code == 400
    assert "Doar o înregistrare repartizată poate fi preluată în lucru." in response.content.decode()


def test_assign_to_a_person_of_another_department_is_a_400(client, clerk, routed, taxes, officer):
    client.force_login(clerk)
    before = _entry_state(routed)
    response = client.post(
        reverse("registry:assign", args=[routed.pk]), {"assign-department": taxes.pk, "assign-assignee": officer.pk}
    )
    assert response.status_code == 400
    assert "Persoana aleasă nu lucrează în compartimentul ales." in response.content.decode()
    assert _entry_state(routed) == before


def test_reply_goes_out_under_the_same_number_and_closes(client, officer, routed):
    client.force_login(officer)
    response = client.post(
        reverse("registry:reply", args=[routed.pk]),
        {
            "reply-recipient": "Ion Ionescu",
            "reply-subject": "Răspuns: lucrările încep luna viitoare",
            "reply-channel": "email",
            "reply-pages": "1",
            "reply-close": "on",
            "reply-attachments": [pdf_file("raspuns.pdf", PDF + b"% raspuns\n")],
        },
    )
    assert response.status_code == 302
    reply = Entry.objects.get(answers=routed)
    assert reply.number == routed.number and reply.direction == "outgoing"
    assert reply.attachments.count() == 1
    routed.refresh_from_db()
    assert routed.status == Status.CLOSED
    html = client.get(reverse("registry:detail", args=[routed.pk])).content.decode()
    assert "Răspuns: lucrările încep luna viitoare" in html
    assert reverse("registry:close", args=[routed.pk]) not in html  # closed: no close form any more


def test_bad_reply_writes_nothing(client, officer, routed):
    client.force_login(officer)
    before = _entry_state(routed)
    stored = StoredFile.objects.count()
    response = client.post(
        reverse("registry:reply", args=[routed.pk]),
        {
            "reply-recipient": "Ion Ionescu",
            "reply-subject": "Răspuns",
            "reply-channel": "post",
            "reply-pages": "1",
            "reply-close": "on",
            "reply-attachments": [pdf_file("raspuns.pdf", EXE)],
        },
    )
    assert response.status_code == 400
    assert "nu are un tip acceptat" in response.content.decode()
    assert _entry_state(routed) == before and StoredFile.objects.count() == stored
    response = client.post(reverse("registry:reply", args=[routed.pk]), {"reply-subject": "Fără destinatar"})
    assert response.status_code == 400
    assert _entry_state(routed) == before


def test_close_records_the_outcome(client, officer, routed):
    client.force_login(officer)
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    response = client.post(
        reverse("registry:close", args=[routed.pk]), {"close-outcome": "Rezolvat", "close-sent_at": future}
    )
    assert response.status_code == 400
    assert "Data expedierii nu poate fi în viitor." in response.content.decode()
    routed.refresh_from_db()
    assert routed.status == Status.ASSIGNED
    response = client.post(
        reverse("registry:close", args=[routed.pk]),
        {"close-outcome": "Rezolvat prin răspuns telefonic", "close-recipient": "Ion Ionescu"},
    )
    assert response.status_code == 302
    routed.refresh_from_db()
    assert routed.status == Status.CLOSED and routed.outcome == "Rezolvat prin răspuns telefonic"
    response = client.post(reverse("registry:close", args=[routed.pk]), {"close-outcome": "Din nou"})
    assert response.status_code == 400 and "deja soluționată" in response.content.decode()


def test_link_to_a_number(client, clerk, officer, urbanism):
    first = register(clerk, department=urbanism, subject="Prima sesizare")
    later = register(clerk, department=urbanism, subject="A doua sesizare")
    client.force_login(officer)
    url = reverse("registry:link", args=[later.pk])
    response = client.post(url, {"link-number": "999/2026"})
    assert response.status_code == 400
    assert "Nu există nicio înregistrare cu numărul 999/2026." in response.content.decode()
    response = client.post(reverse("registry:link", args=[first.pk]), {"link-number": f"{later.number}/{later.year}"})
    assert response.status_code == 400
    assert "se conexează la prima înregistrare" in response.content.decode()
    first.refresh_from_db()
    later.refresh_from_db()
    assert first.linked_to is None and later.linked_to is None
    response = client.post(url, {"link-number": f"{first.number}/{first.year}"})
    assert response.status_code == 302
    later.refresh_from_db()
    assert later.linked_to == first
    html = client.get(reverse("registry:detail", args=[first.pk])).content.decode()
    assert "A doua sesizare" in html  # listed among the linked documents


def test_add_attachments_and_download_the_original_bytes(client, officer, routed):
    client.force_login(officer)
    content = PDF + b"% anexa\n"
    response = client.post(
        reverse("registry:attach", args=[routed.pk]), {"attach-attachments": [pdf_file("anexă 1.pdf", content)]}
    )
    assert response.status_code == 302
    attachment = routed.attachments.get(original_name="anexă 1.pdf")
    response = client.get(reverse("registry:attachment", args=[routed.pk, attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == content
    response = client.post(reverse("registry:attach", args=[routed.pk]), {})
    assert response.status_code == 400


def test_attachment_whose_bytes_are_missing_is_a_404(client, clerk, routed):
    from django.core.files.storage import default_storage

    attachment = routed.attachments.select_related("file").get()
    default_storage.delete(attachment.file.storage_name)
    client.force_login(clerk)
    assert client.get(reverse("registry:attachment", args=[routed.pk, attachment.pk])).status_code == 404


def test_attachment_must_belong_to_the_entry_in_the_url(client, clerk, routed):
    other = register(clerk)
    client.force_login(clerk)
    attachment = routed.attachments.get()
    assert client.get(reverse("registry:attachment", args=[other.pk, attachment.pk])).status_code == 404


# --- The slip, the queue and the book ---------------------------------------------------


def test_slip_is_a_pdf_with_number_and_tracking_code(client, clerk, routed):
    client.force_login(clerk)
    response = client.get(reverse("registry:slip", args=[routed.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert routed.display_number in text
    assert routed.tracking_code in text
    assert "Primăria Municipiului Lupeni" in text
    assert "http://testserver/stare/" in text
    assert "Urbanism și amenajarea teritoriului" in text


def test_queue_shows_the_department_entries_and_counts(client, clerk, officer, routed, taxes):
    late = register(clerk, department=taxes, subject="Cerere certificat fiscal")
    Entry.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - dt.timedelta(days=1))
    client.force_login(officer)
    response = client.get(reverse("registry:queue"), {"department": taxes.pk})  # ignored for a department role
    html = response.content.decode()
    assert response.status_code == 200
    assert routed.display_number in html and "Cerere certificat fiscal" not in html
    client.force_login(clerk)
    response = client.get(reverse("registry:queue"), {"department": taxes.pk})
    assert response.context["department"] == taxes
    sections = {s["key"]: [r["entry"] for r in s["rows"]] for s in response.context["sections"]}
    assert sections["overdue"] == [Entry.objects.get(pk=late.pk)]
    counts = {c["department__name"]: (c["open"], c["overdue"]) for c in response.context["counts"]}
    assert counts == {taxes.name: (1, 1), routed.department.name: (1, 0)}


def test_book_as_csv_and_pdf(client, clerk, routed):
    register(clerk, sender="Ion Ionescu", sender_reference="77", subject="Al doilea; cu punct și virgulă")
    client.force_login(clerk)
    today = timezone.localdate()
    params = {"date_from": today.isoformat(), "date_to": today.isoformat(), "register": routed.register_id}
    response = client.get(reverse("registry:book"), {**params, "format": "csv"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeffNr. înregistrare;Data înregistrării;")
    lines = body.splitlines()
    assert len(lines) == 3
    assert lines[1].startswith("1;") and "Ion Ionescu" in lines[1] and "Urbanism" in lines[1]
    assert '"Al doilea; cu punct și virgulă"' in lines[2]
    response = client.get(reverse("registry:book"), {**params, "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    document = pypdfium2.PdfDocument(response.content)
    width, height = document[0].get_size()
    assert width > height  # A4 landscape
    assert "Al doilea; cu punct și virgulă" in pdf_text(response.content)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "ieri", "date_to": "2026-01-01"}, "Introduceți o dată validă"),
        ({"date_from": "2026-02-01", "date_to": "2026-01-01"}, "Data de sfârșit este înaintea datei de început."),
        ({"date_from": "2026-01-01"}, "Alegeți data."),
    ],
)
def test_book_with_bad_dates_is_a_400(client, clerk, routed, params, message):
    client.force_login(clerk)
    response = client.get(reverse("registry:book"), {"register": routed.register_id, "format": "csv", **params})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_book_pdf_is_capped(client, clerk, routed, settings):
    register(clerk)
    settings.GHISEU_BOOK_PDF_MAX_ROWS = 1
    client.force_login(clerk)
    today = timezone.localdate().isoformat()
    params = {"date_from": today, "date_to": today, "register": routed.register_id}
    response = client.get(reverse("registry:book"), {**params, "format": "pdf"})
    assert response.status_code == 400
    assert "Perioada aleasă are peste 1 înregistrări" in response.content.decode()
    assert client.get(reverse("registry:book"), {**params, "format": "csv"}).status_code == 200


def test_book_form_is_shown_without_parameters(client, clerk):
    client.force_login(clerk)
    response = client.get(reverse("registry:book"))
    assert response.status_code == 200
    assert '<label for="id_date_from">' in response.content.decode()


# --- The public status page -------------------------------------------------------------


def test_public_status_shows_progress_but_nothing_personal(client, clerk, routed):
    response = client.get(reverse("registry-public:status"))
    assert response.status_code == 200
    response = client.post(
        reverse("registry-public:status"),
        {"number": f"{routed.number}/{routed.year}", "tracking_code": routed.tracking_code.lower()},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "repartizat" in html
    assert "Urbanism și amenajarea teritoriului" in html
    assert f"{routed.due_date:%d.%m.%Y}" in html
    assert f"{routed.registered_on:%d.%m.%Y}" in html
    assert "Ion Ionescu" not in html and "iluminatul" not in html and "Ștefan cel Mare" not in html


def test_public_status_wrong_combination_gives_one_generic_message(client, clerk, routed):
    other = register(clerk)
    url = reverse("registry-public:status")
    attempts = [
        {"number": f"{routed.number}/{routed.year}", "tracking_code": "ABCDEFGHJK"},  # wrong code
        {"number": f"{other.number}/{routed.year}", "tracking_code": routed.tracking_code},  # wrong number
        {"number": "nu-e-numar", "tracking_code": routed.tracking_code},  # malformed number
        {"number": f"{routed.number}/{routed.year}", "tracking_code": "1850101123456"},  # a CNP
    ]
    messages = set()
    for data in attempts:
        response = client.post(url, data)
        assert response.status_code == 404
        html = response.content.decode()
        assert "Nu am găsit niciun document cu acest număr și acest cod de urmărire." in html
        assert "repartizat" not in html and "Urbanism" not in html
        messages.add(html.split('class="error-summary"')[1].split("</ul>")[0])
    assert len(messages) == 1
    assert client.post(url, {"number": "", "tracking_code": ""}).status_code == 400


def test_public_status_limits_failed_lookups(client, clerk, routed, settings):
    settings.GHISEU_STATUS_MAX_MISSES_PER_HOUR = 2
    url = reverse("registry-public:status")
    wrong = {"number": f"{routed.number}/{routed.year}", "tracking_code": "ABCDEFGHJK"}
    assert client.post(url, wrong).status_code == 404
    assert client.post(url, wrong).status_code == 404
    response = client.post(url, {"number": wrong["number"], "tracking_code": routed.tracking_code})
    assert response.status_code == 429
    assert "Prea multe încercări nereușite." in response.content.decode()


def test_public_status_summary_reads_what_the_entry_holds(clerk, routed):
    """The lookup's hand-written statement against the ORM's view of the same entries: a number
    with or without its year, a reply (never found by itself), a closed entry, and an entry
    registered late in the evening (UTC still the day before in Bucharest's night hours)."""
    from ghiseu.registry import selectors
    from ghiseu.registry.services import entry_reply

    reply = entry_reply(actor=clerk, entry=routed, recipient="Ion Ionescu", subject="Răspuns", close=True)
    routed.refresh_from_db()
    late = register(clerk)
    late_at = dt.datetime(2026, 3, 9, 22, 30, tzinfo=dt.UTC)  # 00:30 on 10 March in Bucharest
    Entry.objects.filter(pk=late.pk).update(registered_at=late_at, due_date=dt.date(2026, 4, 9))
    late.refresh_from_db()

    found = selectors.public_status_summary(number=str(routed.number), tracking_code=routed.tracking_code)
    assert found is not None
    assert found.resolved and found.status == str(Status(routed.status).label) and not found.overdue
    assert found.department == "Urbanism și amenajarea teritoriului"
    assert found.registered_on == routed.registered_on and found.number == routed.display_number
    with_year = selectors.public_status_summary(
        number=f"{routed.number}/{routed.year}", tracking_code=routed.tracking_code.lower()
    )
    assert with_year == found
    assert selectors.public_status_summary(number=str(reply.number), tracking_code=reply.tracking_code) is None
    assert (
        selectors.public_status_summary(number=f"{routed.number}/{routed.year + 1}", tracking_code=routed.tracking_code)
        is None
    )

    night = selectors.public_status_summary(number=str(late.number), tracking_code=late.tracking_code)
    assert night is not None
    assert night.registered_on == dt.date(2026, 3, 10) and night.department == ""
    assert night.due_date == dt.date(2026, 4, 9) and night.overdue and not night.resolved
