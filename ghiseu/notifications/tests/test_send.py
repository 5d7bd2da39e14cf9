"""notification_send: rendering now, languages and fallback, channels, the CNP rule, the inbox."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from ghiseu.accounts.tests.factories import UserFactory
from ghiseu.core.errors import DomainError, NotFound
from ghiseu.notifications.defaults import REGISTRY_REGISTERED
from ghiseu.notifications.models import Channel, Notification, NotificationTemplate, Status
from ghiseu.notifications.selectors import inbox_for_user, inbox_unread_count, language_code, notifications_about
from ghiseu.notifications.services import (
    notification_mark_all_read,
    notification_mark_read,
    notification_send,
    template_publish,
    template_set_active,
)

pytestmark = pytest.mark.django_db

CTX: dict[str, Any] = {
    "number": "1234/15.03.2027",
    "subject": "Cerere de înțelegere",
    "due_date": dt.date(2027, 4, 14),
    "tracking_code": "K7Q2M9",
    "tracking_url": "https://ghiseu.example.ro/stare/?nr=1234",
}


def send(**kw: Any) -> list[Notification]:
    args: dict[str, Any] = {"key": REGISTRY_REGISTERED, "context": CTX}
    args.update(kw)
    with transaction.atomic():
        return notification_send(**args)


def delivery_tasks() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path="ghiseu.notifications.tasks.notification_deliver"))


def test_a_citizen_gets_an_inbox_message_and_a_queued_email_rendered_in_romanian(citizen: Any) -> None:
    inbox, mail = send(to_user=citizen)

    assert (inbox.channel, inbox.status, inbox.recipient) == (Channel.INBOX, Status.SENT, citizen)
    assert inbox.sent_at is not None and inbox.read_at is None
    assert (mail.channel, mail.status, mail.recipient_email) == (Channel.EMAIL, Status.QUEUED, citizen.email)
    assert mail.sent_at is None and mail.attempts == 0
    for n in (inbox, mail):
        assert n.language == "ro"
        assert n.template.key == REGISTRY_REGISTERED and n.template.language == "ro"
        assert n.subject == "Documentul dumneavoastră a fost înregistrat cu nr. 1234/15.03.2027"
        assert "Termenul de soluționare este 14.04.2027." in n.body
        assert f"Bună ziua, {citizen.get_full_name()}," in n.body
        assert "codul de urmărire K7Q2M9" in n.body and CTX["tracking_url"] in n.body
        assert "Primăria Municipiului Lupeni" in n.body
        assert "{{" not in n.body and "{%" not in n.body
        assert n.context["due_date"] == "2027-04-14"  # stored as JSON
    (queued,) = delivery_tasks()
    assert queued.args_kwargs == {"args": [mail.pk], "kwargs": {}}
    assert queued.status == "READY"


def test_an_address_alone_gets_only_an_email(db: Any) -> None:
    (mail,) = send(to_email="petent@example.ro")
    assert mail.channel == Channel.EMAIL and mail.recipient is None
    assert "Bună ziua," in mail.body  # no name to greet
    assert len(delivery_tasks()) == 1


def test_a_user_without_email_gets_only_the_inbox_message(db: Any) -> None:
    user = UserFactory(email="")
    (inbox,) = send(to_user=user)
    assert inbox.channel == Channel.INBOX
    assert delivery_tasks() == []


def test_channels_can_be_chosen(citizen: Any) -> None:
    (mail,) = send(to_user=citizen, channels=["email"])
    assert mail.channel == Channel.EMAIL
    with pytest.raises(DomainError):
        send(to_email="x@example.ro", channels=["inbox"])


def test_english_when_asked_and_romanian_by_default(citizen: Any) -> None:
    english = send(to_user=citizen, language="en-GB")[0]
    assert english.language == "en" and english.template.language == "en"
    assert english.subject == "Your document has been registered under no. 1234/15.03.2027"
    assert "It is due to be resolved by 14 April 2027." in english.body
    assert send(to_user=citizen)[0].language == "ro"
    assert language_code("hu") == "ro" and language_code(None) == "ro" and language_code("EN") == "en"


def test_a_template_missing_in_english_falls_back_to_romanian(citizen: Any) -> None:
    template_publish(key="test.only_ro", language="ro", subject="Salut, {{ name }}", body_text="Țară: {{ name }}")
    (n,) = send(key="test.only_ro", to_user=citizen, context={"name": "Ștefan"}, language="en", channels=["inbox"])
    assert (n.language, n.template.language) == ("ro", "ro")
    assert n.subject == "Salut, Ștefan" and n.body == "Țară: Ștefan"

    # An English version deactivated by an administrator falls back the same way.
    english = NotificationTemplate.objects.get(key=REGISTRY_REGISTERED, language="en", is_active=True)
    template_set_active(template_id=english.pk, is_active=False)
    assert send(to_user=citizen, language="en")[0].language == "ro"


@pytest.mark.parametrize(
    "context",
    [
        {"number": "1/2027", "cnp": "1800101221144"},
        {"number": "1/2027", "CNP": ""},
        {"petent": {"name": "Ion", "petent_cnp": "x"}},
        {"people": [{"Cnp": "1"}]},
        {"note": "Petentul are CNP 1800101221144, vă rog verificați"},
    ],
)
def test_a_context_with_a_cnp_is_refused_and_nothing_is_written(citizen: Any, context: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as caught:
        send(to_user=citizen, context=context)
    assert caught.value.code == "cnp_in_context"
    assert Notification.objects.count() == 0
    assert delivery_tasks() == []


def test_a_long_number_that_is_not_a_cnp_is_accepted(citizen: Any) -> None:
    (n,) = send(to_user=citizen, context={**CTX, "subject": "Factura 1234567890123"}, channels=["inbox"])
    assert "1234567890123" in n.body


def test_unknown_key_bad_address_and_no_recipient_are_refused(citizen: Any) -> None:
    with pytest.raises(DomainError) as unknown:
        send(key="nu.exista", to_user=citizen)
    assert unknown.value.code == "unknown_template"
    with pytest.raises(DomainError) as bad:
        send(to_email="not an address")
    assert bad.value.field == "to_email"
    with pytest.raises(DomainError):
        send()
    assert Notification.objects.count() == 0 and delivery_tasks() == []


def test_html_is_escaped_and_text_is_not(citizen: Any) -> None:
    template_publish(
        key="test.html",
        language="ro",
        subject="Despre {{ name }}",
        body_text="Nume: {{ name }}",
        body_html="<p>Nume: <b>{{ name }}</b></p>",
    )
    (n,) = send(key="test.html", to_user=citizen, context={"name": "<i>Ion & Ana</i>"}, channels=["email"])
    assert n.body == "Nume: <i>Ion & Ana</i>"
    assert n.subject == "Despre <i>Ion & Ana</i>"
    assert n.body_html == "<p>Nume: <b>&lt;i&gt;Ion &amp; Ana&lt;/i&gt;</b></p>"


def test_a_subject_stays_on_one_line(citizen: Any) -> None:
    template_publish(key="test.subject", language="ro", subject="Nr. {{ number }}", body_text="x")
    (n,) = send(key="test.subject", to_user=citizen, context={"number": "1\r\nBcc: a@b.ro"}, channels=["inbox"])
    assert n.subject == "Nr. 1 Bcc: a@b.ro"


def test_templates_cannot_load_other_tag_libraries() -> None:
    with pytest.raises(DomainError) as caught:
        template_publish(key="test.load", language="ro", subject="x", body_text="{% load humanize %}{{ 1|intcomma }}")
    assert caught.value.field == "body_text"


def test_related_object_and_my_file(citizen: Any) -> None:
    other: Any = UserFactory()
    send(to_user=citizen, related=("registry.entry", 42))
    send(to_user=other, related=("registry.entry", 42))
    send(to_user=citizen, related=other)  # any model instance names itself

    about = notifications_about(related_type="registry.entry", related_id="42")
    assert about.count() == 4  # inbox and e-mail, for both people
    assert notifications_about(related_type="registry.entry", related_id="42", user=citizen).count() == 2
    assert notifications_about(obj=other).count() == 2
    assert {n.related_type for n in notifications_about(obj=other)} == {"accounts.user"}


def test_inbox_read_marks(citizen: Any) -> None:
    first = send(to_user=citizen)[0]
    send(to_user=citizen)
    stranger_message = send(to_user=UserFactory())[0]
    assert inbox_unread_count(user=citizen) == 2
    assert inbox_for_user(user=citizen).count() == 2

    marked = notification_mark_read(user=citizen, notification_id=first.pk)
    assert marked.read_at is not None and marked.is_read
    again = notification_mark_read(user=citizen, notification_id=first.pk)
    assert again.read_at == marked.read_at  # the first reading is kept
    assert inbox_unread_count(user=citizen) == 1
    assert first not in inbox_for_user(user=citizen, unread_only=True)

    with pytest.raises(NotFound):
        notification_mark_read(user=citizen, notification_id=stranger_message.pk)
    email_copy = Notification.objects.filter(recipient=citizen, channel=Channel.EMAIL).first()
    assert email_copy is not None
    with pytest.raises(NotFound):
        notification_mark_read(user=citizen, notification_id=email_copy.pk)

    assert notification_mark_all_read(user=citizen) == 1
    assert inbox_unread_count(user=citizen) == 0
    assert Notification.objects.get(pk=stranger_message.pk).read_at is None


def test_notifications_roll_back_with_the_caller(citizen: Any) -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        notification_send(key=REGISTRY_REGISTERED, to_user=citizen, context=CTX)
        raise Boom
    assert Notification.objects.count() == 0
    assert delivery_tasks() == []
