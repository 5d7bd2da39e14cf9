"""E-mail delivery through Django's SMTP backend to a real SMTP server (aiosmtpd), by the worker."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ghiseu.accounts.tests.factories import UserFactory
from ghiseu.core.errors import DomainError
from ghiseu.notifications.defaults import REGISTRY_REGISTERED
from ghiseu.notifications.models import Notification, Status
from ghiseu.notifications.services import notification_retry, notification_send, template_publish
from ghiseu.notifications.tasks import deliver, is_permanent, notification_deliver, retry_delay
from ghiseu.notifications.tests.helpers import SmtpServer, free_port, run_worker

TASK_PATH = "ghiseu.notifications.tasks.notification_deliver"
CTX: dict[str, Any] = {
    "number": "1234/15.03.2027",
    "subject": "Autorizație de construire — anexă",
    "due_date": dt.date(2027, 4, 14),
    "tracking_code": "K7Q2M9",
    "tracking_url": "https://ghiseu.example.ro/stare/?nr=1234",
}


def send_email(to: str = "ana.stefanescu@example.ro", **kw: Any) -> Notification:
    args: dict[str, Any] = {"key": REGISTRY_REGISTERED, "to_email": to, "context": CTX}
    args.update(kw)
    with transaction.atomic():
        (notification,) = notification_send(**args)
    return notification


def delivery_tasks(notification: Notification) -> Any:
    return DBTaskResult.objects.filter(task_path=TASK_PATH, args_kwargs__args=[notification.pk])


@pytest.mark.django_db(transaction=True)  # real commits and a real rollback
def test_rolled_back_is_never_sent_and_committed_is_delivered(smtp_server: SmtpServer, citizen: Any) -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        notification_send(key=REGISTRY_REGISTERED, to_email="rolled.back@example.ro", context=CTX)
        raise Boom
    assert not Notification.objects.exists() and not DBTaskResult.objects.exists()

    with transaction.atomic():
        notification_send(key=REGISTRY_REGISTERED, to_user=citizen, context=CTX)
    run_worker()

    assert len(smtp_server.messages) == 1
    (message,) = smtp_server.messages
    assert message["To"] == citizen.email
    assert smtp_server.handler.envelopes[0].rcpt_tos == [citizen.email]
    sent = Notification.objects.get(channel="email")
    assert (sent.status, sent.attempts, sent.last_error) == (Status.SENT, 1, "")
    assert sent.sent_at is not None and sent.next_attempt_at is None


@pytest.mark.django_db
def test_the_delivered_message_is_the_rendered_romanian_text_in_utf8(smtp_server: SmtpServer) -> None:
    notification = send_email()
    run_worker()

    (message,) = smtp_server.messages
    raw_subject = smtp_server.handler.envelopes[0].content.split(b"\nFrom:")[0]
    assert b"=?utf-8?q?" in raw_subject  # encoded as RFC 2047 (ASCII on the wire)
    # Python's mail package folds a long encoded subject onto the next line; unfolding leaves a space.
    assert message["Subject"].strip() == "Documentul dumneavoastră a fost înregistrat cu nr. 1234/15.03.2027"
    assert message["From"].addresses[0].display_name == "Primăria Lupeni"
    assert message["Message-ID"] == f"<notification-{notification.pk}@primarialupeni.ro>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Reply-To"] == "registratura@primarialupeni.ro"
    body = message.get_body(preferencelist=("plain",))
    assert body is not None and body.get_content_charset() == "utf-8"
    text = body.get_content()
    assert "„Autorizație de construire — anexă”" in text
    assert "Termenul de soluționare este 14.04.2027." in text
    assert "Str. Revoluției nr. 2" in text
    assert text.replace("\r\n", "\n").strip() == notification.body  # CRLF on the wire
    assert message.get_body(preferencelist=("html",)) is None  # the default templates are text only

    notification.refresh_from_db()
    assert notification.status == Status.SENT and notification.attempts == 1


@pytest.mark.django_db
def test_an_html_version_travels_as_an_alternative(smtp_server: SmtpServer) -> None:
    template_publish(
        key="test.html", language="ro", subject="Țintă", body_text="Text: {{ x }}", body_html="<p>{{ x }}</p>"
    )
    send_email(key="test.html", context={"x": "<ș>"})
    run_worker()

    (message,) = smtp_server.messages
    assert message.get_content_type() == "multipart/alternative"
    assert message.get_body(preferencelist=("plain",)).get_content().strip() == "Text: <ș>"  # type: ignore[union-attr]
    assert message.get_body(preferencelist=("html",)).get_content().strip() == "<p>&lt;ș&gt;</p>"  # type: ignore[union-attr]


@pytest.mark.django_db
def test_the_version_used_is_recorded_and_a_later_edit_changes_nothing_sent(smtp_server: SmtpServer) -> None:
    first = send_email()
    v1 = first.template
    template_publish(key=REGISTRY_REGISTERED, language="ro", subject="Nou: {{ number }}", body_text="Nr. {{ number }}")
    second = send_email()
    run_worker()  # the first is delivered after the edit: as it was rendered, with version 1

    subjects = sorted(m["Subject"].strip() for m in smtp_server.messages)
    assert subjects == ["Documentul dumneavoastră a fost înregistrat cu nr. 1234/15.03.2027", "Nou: 1234/15.03.2027"]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.template_id, first.template.version) == (v1.pk, 1)
    assert second.template.version == 2


@pytest.mark.django_db
def test_a_notification_is_not_sent_twice(smtp_server: SmtpServer) -> None:
    notification = send_email()
    notification_deliver.enqueue(notification.pk)  # a duplicate task
    run_worker()
    assert deliver(notification.pk) == "skipped"  # and a third run, by hand

    assert len(smtp_server.messages) == 1
    notification.refresh_from_db()
    assert notification.attempts == 1
    assert delivery_tasks(notification).filter(status="SUCCESSFUL").count() == 2


@pytest.mark.django_db
def test_a_delivery_in_progress_elsewhere_is_left_alone(smtp_server: SmtpServer) -> None:
    notification = send_email()
    Notification.objects.filter(pk=notification.pk).update(claimed_until=timezone.now() + dt.timedelta(minutes=5))
    assert deliver(notification.pk) == "skipped"
    assert smtp_server.messages == []

    # A lease left behind by a crashed worker expires.
    Notification.objects.filter(pk=notification.pk).update(claimed_until=timezone.now() - dt.timedelta(seconds=1))
    assert deliver(notification.pk) == "sent"
    assert len(smtp_server.messages) == 1


@pytest.mark.django_db
def test_smtp_down_counts_attempts_records_the_error_and_finally_fails(smtp_server: SmtpServer, settings: Any) -> None:
    settings.EMAIL_PORT = free_port()  # nobody listens there
    notification = send_email()
    run_worker()  # retries come due at once (delay 0) and run in the same batch

    notification.refresh_from_db()
    assert notification.status == Status.FAILED
    assert notification.attempts == settings.GHISEU_NOTIFY_MAX_ATTEMPTS == 3
    assert "ConnectionRefusedError" in notification.last_error
    assert notification.sent_at is None and notification.next_attempt_at is None
    assert delivery_tasks(notification).count() == 3  # the first run and two re-enqueued ones
    assert smtp_server.messages == []


@pytest.mark.django_db
def test_a_failed_attempt_is_retried_later_and_succeeds_when_the_server_is_back(
    smtp_server: SmtpServer, settings: Any
) -> None:
    settings.GHISEU_NOTIFY_RETRY_DELAY = 60
    smtp_server.stop()
    notification = send_email()
    before = timezone.now()
    run_worker()

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.QUEUED, 1)
    assert "ConnectionRefusedError" in notification.last_error
    assert notification.next_attempt_at is not None
    assert (
        before + dt.timedelta(seconds=59) <= notification.next_attempt_at <= timezone.now() + dt.timedelta(seconds=60)
    )
    waiting = delivery_tasks(notification).get(status="READY")
    assert waiting.run_after == notification.next_attempt_at
    run_worker()  # not due yet: nothing happens
    notification.refresh_from_db()
    assert notification.attempts == 1

    smtp_server.start()
    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())  # the minute has passed
    run_worker()

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.SENT, 2)
    assert "ConnectionRefusedError" in notification.last_error  # kept: why it took two attempts
    assert len(smtp_server.messages) == 1


@pytest.mark.django_db
def test_a_recipient_the_server_refuses_fails_at_once(smtp_server: SmtpServer) -> None:
    smtp_server.handler.refuse.add("nobody@example.ro")
    notification = send_email(to="nobody@example.ro")
    run_worker()

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.FAILED, 1)
    assert "550" in notification.last_error and "SMTPRecipientsRefused" in notification.last_error
    assert delivery_tasks(notification).count() == 1


@pytest.mark.django_db
def test_a_failed_email_can_be_sent_again(smtp_server: SmtpServer, settings: Any) -> None:
    settings.EMAIL_PORT = free_port()
    notification = send_email()
    run_worker()
    assert Notification.objects.get(pk=notification.pk).status == Status.FAILED

    settings.EMAIL_PORT = smtp_server.port
    with pytest.raises(DomainError):
        notification_retry(notification_id=send_email().pk, actor=None)  # queued, not failed
    notification_retry(notification_id=notification.pk, actor=UserFactory())
    run_worker()

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.SENT, 1)
    assert [m["To"] for m in smtp_server.messages].count("ana.stefanescu@example.ro") == 2  # it and the other one


def test_retry_delays_grow_and_are_capped(settings: Any) -> None:
    settings.GHISEU_NOTIFY_RETRY_DELAY = 60
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert retry_delay(30) == dt.timedelta(hours=6)


def test_permanent_refusals_are_told_apart() -> None:
    import smtplib

    assert is_permanent(smtplib.SMTPRecipientsRefused({"a@b.ro": (550, b"no such user")}))
    assert not is_permanent(smtplib.SMTPRecipientsRefused({"a@b.ro": (450, b"mailbox busy")}))
    assert is_permanent(smtplib.SMTPDataError(554, b"rejected"))
    assert not is_permanent(smtplib.SMTPDataError(451, b"try later"))
    assert not is_permanent(ConnectionRefusedError())
    assert not is_permanent(smtplib.SMTPServerDisconnected())
