"""The answer is delivered like any issued document: to the petitioner's portal inbox (an account)
and by e-mail (a real SMTP server), both with a link to the letter that needs no login; without an
e-mail address it is marked to be printed and posted, and the posting is recorded once."""

from __future__ import annotations

import re
import time
from typing import Any
from unittest import mock

import pytest
from django.db import transaction

from ghiseu.audit.models import AuditEvent
from ghiseu.core.errors import DomainError, PermissionDenied
from ghiseu.core.files import open_stored
from ghiseu.notifications.models import Channel as NotificationChannel
from ghiseu.notifications.models import Notification
from ghiseu.notifications.tests.helpers import SmtpServer, run_worker
from ghiseu.petitions import delivery
from ghiseu.petitions.models import Petition
from ghiseu.petitions.services import petition_answer, petition_answer_mark_posted
from ghiseu.registry.models import Attachment, Channel, Entry

SITE = "https://ghiseu.lupeni.example"
LINK = re.compile(r"https://ghiseu\.lupeni\.example(/sesizari/raspuns/scrisoare/[^/\s]+/)")


def answer(actor: Any, petition: Petition) -> Entry:
    return petition_answer(
        actor=actor,
        petition=petition,
        text="Groapa a fost reparată de echipa de intervenție.\n\nVă mulțumim pentru sesizare.",
        legal_basis="OG 27/2002, art. 8",
        outcome="favorable",
    )


def letter_bytes(reply: Entry) -> bytes:
    with open_stored(Attachment.objects.get(entry=reply).file) as fh:
        return bytes(fh.read())


@pytest.fixture
def site(settings: Any) -> str:
    settings.GHISEU_SITE_URL = SITE + "/"
    return SITE


@pytest.mark.django_db
def test_a_petitioner_with_an_account_gets_it_in_the_inbox_and_by_email(clock, file_petition, clerk, citizen, site):
    petition = file_petition(petitioner_user=citizen, petitioner_email="")
    reply = answer(clerk, petition)
    petition.refresh_from_db()
    assert petition.answer_in_inbox is True
    assert petition.answer_emailed_to == citizen.email and petition.answer_by_post is False
    told = Notification.objects.filter(template__key="petition.answered").order_by("channel")
    assert [n.channel for n in told] == [NotificationChannel.EMAIL, NotificationChannel.INBOX]
    inbox = told.get(channel=NotificationChannel.INBOX)
    assert inbox.recipient == citizen and petition.number in inbox.subject
    url = delivery.answer_url(petition)
    assert url.startswith(SITE + "/sesizari/raspuns/scrisoare/")
    assert url in inbox.body and url in told.get(channel=NotificationChannel.EMAIL).body
    event = AuditEvent.objects.get(action="petitions.answer.delivered")
    assert event.summary == {
        "number": petition.number,
        "reply": reply.pk,
        "inbox": True,
        "email": True,
        "post": False,
    }


@pytest.mark.django_db
def test_the_link_opens_the_letter_without_a_login_and_nothing_else(client, clock, file_petition, clerk, site):
    petition = file_petition()
    reply = answer(clerk, petition)
    petition.refresh_from_db()
    path = delivery.answer_url(petition).removeprefix(SITE)
    response = client.get(path)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Referrer-Policy"] == "no-referrer"
    assert b"".join(response.streaming_content) == letter_bytes(reply)
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert client.get(path.replace(token, token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))).status_code == 404
    assert client.get("/sesizari/raspuns/scrisoare/nu-e-un-semn/").status_code == 404
    # a new tracking code retires the old link
    Entry.objects.filter(pk=petition.entry_id).update(tracking_code="ALTCOD")
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_an_unanswered_petition_has_no_letter_behind_a_link(client, clock, file_petition):
    petition = file_petition()
    assert delivery.petition_for_answer_token(delivery.answer_token(petition)) is None


@pytest.mark.django_db
def test_without_an_email_the_answer_is_printed_for_post(clock, file_petition, clerk, officer):
    petition = file_petition(petitioner_email="", channel=Channel.POST)
    reply = answer(clerk, petition)
    petition.refresh_from_db()
    assert reply.channel == Channel.POST
    assert petition.answer_by_post is True and petition.answer_posted_at is None
    assert petition.answer_emailed_to == "" and petition.answer_in_inbox is False
    assert not Notification.objects.filter(template__key="petition.answered").exists()
    with pytest.raises(PermissionDenied):
        petition_answer_mark_posted(actor=officer, petition=petition)  # another department
    petition = petition_answer_mark_posted(actor=clerk, petition=petition)
    assert petition.answer_posted_at is not None
    assert AuditEvent.objects.filter(action="petitions.answer.posted").count() == 1
    with pytest.raises(DomainError) as exc:
        petition_answer_mark_posted(actor=clerk, petition=petition)
    assert exc.value.code == "already_posted"


@pytest.mark.django_db
def test_an_emailed_answer_is_not_marked_for_post(clock, file_petition, clerk):
    petition = file_petition()
    answer(clerk, petition)
    petition.refresh_from_db()
    assert petition.answer_emailed_to == "maria.ionescu@example.ro" and petition.answer_by_post is False
    with pytest.raises(DomainError) as exc:
        petition_answer_mark_posted(actor=clerk, petition=petition)
    assert exc.value.code == "not_by_post"


@pytest.mark.django_db
def test_when_the_message_cannot_be_made_the_answer_goes_by_post(clock, file_petition, clerk, site):
    from ghiseu.notifications.models import NotificationTemplate

    petition = file_petition()
    NotificationTemplate.objects.filter(key="petition.answered").update(is_active=False)
    answer(clerk, petition)
    petition.refresh_from_db()
    assert petition.answer_by_post is True and petition.answer_emailed_to == ""


@pytest.mark.django_db
def test_staff_mark_the_posting_from_the_petition_page(client, clock, file_petition, clerk):
    petition = file_petition(petitioner_email="")
    answer(clerk, petition)
    client.force_login(clerk)
    to_post = client.get("/petitii/?stare=post").content.decode()
    assert petition.number in to_post
    page = client.get(f"/petitii/{petition.pk}/")
    assert "De tipărit și expediat prin poștă" in page.content.decode()
    response = client.post(f"/petitii/{petition.pk}/posted/")
    assert response.status_code == 302
    assert Petition.objects.get(pk=petition.pk).answer_posted_at is not None
    assert client.post(f"/petitii/{petition.pk}/posted/").status_code == 400
    assert petition.number not in client.get("/petitii/?stare=post").content.decode()


@pytest.mark.django_db(transaction=True)  # the worker delivers what was committed
def test_the_email_reaches_a_real_smtp_server_with_the_link_to_the_letter(
    client, clock, file_petition, clerk, site, smtp_server: SmtpServer
):
    petition = file_petition()
    with transaction.atomic():
        reply = answer(clerk, petition)
    run_worker()
    answered = [m for m in smtp_server.messages if petition.number in str(m["Subject"]) and "Răspuns" in m["Subject"]]
    assert len(answered) == 1
    (message,) = answered
    assert message["To"] == "maria.ionescu@example.ro"
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    found = LINK.search(body.get_content())
    assert found is not None
    response = client.get(found.group(1))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == letter_bytes(reply)
    assert Notification.objects.get(template__key="petition.answered", channel="email").status == "sent"


@pytest.mark.django_db
def test_the_answer_link_is_the_same_whenever_it_is_made(clock, file_petition, clerk, site):
    petition = file_petition()
    answer(clerk, petition)
    petition.refresh_from_db()
    first = delivery.answer_url(petition)
    with mock.patch("time.time", return_value=time.time() + 3600):  # an hour later, same link
        assert delivery.answer_url(petition) == first
    assert delivery.petition_for_answer_token(first.rstrip("/").rsplit("/", 1)[1]) == petition
