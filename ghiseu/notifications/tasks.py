"""Delivering e-mail notifications: the task the worker runs, with its retries.

One run of `notification_deliver` makes one attempt. It first takes a short lease on the
notification (a conditional update), so a notification already sent, or being sent by another
run, is left alone: running the task twice never sends twice. A failed attempt is counted,
its error recorded, and the task enqueues itself again with a growing delay (in the same
transaction as the record of the failure) until GHISEU_NOTIFY_MAX_ATTEMPTS; then the
notification is marked failed. A refusal the server calls permanent (5xx for the recipient
or the content) fails at once.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail import utils as mail_utils
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from ghiseu.notifications.models import Channel, Notification, Status

logger = logging.getLogger(__name__)

NOTIFY_QUEUE = "default"
DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_RETRY_DELAY_SECONDS = 60
MAX_RETRY_DELAY = dt.timedelta(hours=6)
DEFAULT_SMTP_TIMEOUT_SECONDS = 30

SENT = "sent"
SKIPPED = "skipped"
RETRY = "retry"
FAILED = "failed"


def max_attempts() -> int:
    return max(1, int(getattr(settings, "GHISEU_NOTIFY_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)))


def retry_delay(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failed attempt: base, 2×base, 4×base, … at most 6 hours."""
    base = float(getattr(settings, "GHISEU_NOTIFY_RETRY_DELAY", DEFAULT_RETRY_DELAY_SECONDS))
    seconds = base * 2 ** max(0, attempts - 1)
    return min(dt.timedelta(seconds=seconds), MAX_RETRY_DELAY)


def _smtp_timeout() -> float:
    return float(getattr(settings, "EMAIL_TIMEOUT", None) or DEFAULT_SMTP_TIMEOUT_SECONDS)


def _lease() -> dt.timedelta:
    # Longer than any one SMTP conversation can last, so a lease only expires after a crash.
    return dt.timedelta(seconds=4 * _smtp_timeout() + 60)


def is_permanent(exc: BaseException) -> bool:
    """A refusal no retry will change: the server rejected the recipient or the message (5xx)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(exc, smtplib.SMTPDataError):
        return 500 <= exc.smtp_code < 600
    return False


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def _message_id(notification: Notification) -> str:
    # The same id on every attempt, so that a receiving server may drop a duplicate.
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or str(mail_utils.DNS_NAME)
    return f"<notification-{notification.pk}@{domain}>"


def _send(notification: Notification) -> None:
    institution_email = settings.GHISEU_INSTITUTION.get("email", "")
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient_email],
        reply_to=[institution_email] if institution_email else None,
        headers={
            "Message-ID": _message_id(notification),
            "Auto-Submitted": "auto-generated",
        },
        connection=get_connection(timeout=_smtp_timeout()),
    )
    if notification.body_html:
        message.attach_alternative(notification.body_html, "text/html")
    message.send(fail_silently=False)


def _record_failure(notification_id: int, exc: BaseException) -> str:
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification_id)
        notification.attempts += 1
        notification.last_error = _describe(exc)
        notification.claimed_until = None
        if is_permanent(exc) or notification.attempts >= max_attempts():
            notification.status = Status.FAILED
            notification.next_attempt_at = None
            outcome = FAILED
        else:
            notification.next_attempt_at = timezone.now() + retry_delay(notification.attempts)
            notification_deliver.using(run_after=notification.next_attempt_at).enqueue(notification_id)
            outcome = RETRY
        notification.save(update_fields=["attempts", "last_error", "claimed_until", "status", "next_attempt_at"])
    logger.warning(
        "notification %s: attempt %s failed (%s), %s",
        notification_id,
        notification.attempts,
        type(exc).__name__,
        "will retry" if outcome == RETRY else "gave up",
    )
    return outcome


def deliver(notification_id: int) -> str:
    """One delivery attempt of an e-mail notification; returns sent, skipped, retry or failed."""
    now = timezone.now()
    with transaction.atomic():
        claimed = (
            Notification.objects.filter(pk=notification_id, channel=Channel.EMAIL, status=Status.QUEUED)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .update(claimed_until=now + _lease())
        )
    if not claimed:
        return SKIPPED  # already sent or failed, being sent by another run, or gone
    notification = Notification.objects.get(pk=notification_id)
    try:
        _send(notification)
    except Exception as exc:
        return _record_failure(notification_id, exc)
    Notification.objects.filter(pk=notification_id).update(
        status=Status.SENT,
        sent_at=timezone.now(),
        attempts=F("attempts") + 1,
        claimed_until=None,
        next_attempt_at=None,
    )
    return SENT


@task(queue_name=NOTIFY_QUEUE)
def notification_deliver(notification_id: int) -> str:
    return deliver(notification_id)
