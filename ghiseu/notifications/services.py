"""Writes: sending a notification, marking inbox messages read, publishing template versions.

Domain apps call `notification_send` inside their own transaction, with a template key and a
context. The notification is rendered at once with the version in force, stored, and its
e-mail delivery is enqueued as a row of the task queue in that same transaction: if the
caller rolls back, nothing is sent; if it commits, the worker will deliver it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.template import Context, TemplateDoesNotExist, TemplateSyntaxError
from django.utils import timezone
from django.utils.translation import gettext as _

from ghiseu.audit.services import audit_record
from ghiseu.core.errors import DomainError, NotFound
from ghiseu.notifications.models import Channel, Notification, NotificationTemplate, Status
from ghiseu.notifications.rendering import check_context, compile_source, render_parts
from ghiseu.notifications.selectors import language_code, related_key, template_for
from ghiseu.notifications.tasks import notification_deliver

Related = models.Model | tuple[str, str | int] | None


def _related(related: Related) -> tuple[str, str]:
    if related is None:
        return "", ""
    if isinstance(related, models.Model):
        return related_key(related)
    kind, object_id = related
    return str(kind), str(object_id)


def _recipient_name(user: Any) -> str:
    if user is None:
        return ""
    full_name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return str(full_name or "").strip()


def notification_send(
    *,
    key: str,
    to_user: Any = None,
    to_email: str = "",
    context: Mapping[str, Any],
    language: str | None = None,
    related: Related = None,
    channels: Iterable[str] | None = None,
) -> list[Notification]:
    """Render `key` now and store one notification per channel; enqueue the e-mail delivery.

    Channels by default: the inbox when `to_user` is given, an e-mail when an address is known
    (`to_email`, else the user's e-mail). The language is `language` (else the site's default,
    Romanian); a template missing in it falls back to Romanian. A context carrying a CNP is
    refused. Runs in the caller's transaction (or its own): the notifications and the queued
    delivery commit or roll back together with the caller's data.
    """
    stored_context = check_context(context)
    email = (to_email or (getattr(to_user, "email", "") if to_user is not None else "") or "").strip()
    if to_email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise DomainError(
                _("Adresa de e-mail „%(email)s” nu este validă.") % {"email": email}, field="to_email"
            ) from exc
    if channels is None:
        wanted = {Channel.INBOX} if to_user is not None else set()
        if email:
            wanted.add(Channel.EMAIL)
    else:
        wanted = {Channel(channel) for channel in channels}
    if Channel.INBOX in wanted and to_user is None:
        raise DomainError(_("Un mesaj în cont are nevoie de un destinatar cu cont."), code="no_recipient")
    if Channel.EMAIL in wanted and not email:
        raise DomainError(_("Destinatarul nu are o adresă de e-mail."), field="to_email", code="no_recipient")
    if not wanted:
        raise DomainError(_("Notificarea nu are niciun destinatar."), code="no_recipient")

    template = template_for(key=key, language=language)
    if template is None:
        raise DomainError(
            _("Nu există un șablon activ de notificare „%(key)s”.") % {"key": key}, code="unknown_template"
        )
    render_context = {
        "institution": settings.GHISEU_INSTITUTION,
        "recipient_name": _recipient_name(to_user),
        **context,
    }
    rendered = render_parts(
        subject=template.subject,
        body_text=template.body_text,
        body_html=template.body_html,
        context=render_context,
        language=template.language,
    )
    related_type, related_id = _related(related)
    now = timezone.now()
    created: list[Notification] = []
    with transaction.atomic():
        for channel in (Channel.INBOX, Channel.EMAIL):
            if channel not in wanted:
                continue
            is_inbox = channel == Channel.INBOX
            notification = Notification.objects.create(
                recipient=to_user,
                recipient_email="" if is_inbox else email,
                channel=channel,
                template=template,
                language=template.language,
                subject=rendered.subject,
                body=rendered.text,
                body_html=rendered.html,
                context=stored_context,
                # An inbox message is delivered by being stored.
                status=Status.SENT if is_inbox else Status.QUEUED,
                sent_at=now if is_inbox else None,
                next_attempt_at=None if is_inbox else now,
                related_type=related_type,
                related_id=related_id,
            )
            if not is_inbox:
                notification_deliver.enqueue(notification.pk)
            created.append(notification)
    return created


def _own_inbox_message(*, user: Any, notification_id: int) -> Notification:
    notification = Notification.objects.filter(
        pk=notification_id, recipient_id=getattr(user, "pk", None), channel=Channel.INBOX
    ).first()
    if notification is None:
        raise NotFound(_("Mesajul nu există."))
    return notification


def notification_mark_read(*, user: Any, notification_id: int) -> Notification:
    """Mark one of `user`'s inbox messages read (again is harmless); someone else's is "not found"."""
    notification = _own_inbox_message(user=user, notification_id=notification_id)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
        notification.refresh_from_db(fields=["read_at"])
    return notification


def notification_mark_all_read(*, user: Any) -> int:
    """Mark every unread inbox message of `user` read; return how many were unread."""
    return Notification.objects.filter(
        recipient_id=getattr(user, "pk", None), channel=Channel.INBOX, read_at__isnull=True
    ).update(read_at=timezone.now())


def notification_retry(*, notification_id: int, actor: Any) -> Notification:
    """Give a failed e-mail a new round of attempts (after the cause, e.g. the mail server, is fixed)."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None:
            raise NotFound(_("Notificarea nu există."))
        if notification.channel != Channel.EMAIL or notification.status != Status.FAILED:
            raise DomainError(_("Doar un e-mail care nu a putut fi trimis poate fi retrimis."), code="not_failed")
        notification.status = Status.QUEUED
        notification.attempts = 0
        notification.next_attempt_at = timezone.now()
        notification.claimed_until = None
        notification.save(update_fields=["status", "attempts", "next_attempt_at", "claimed_until"])
        notification_deliver.enqueue(notification.pk)
        audit_record(actor=actor, action="notifications.retry", obj=notification, summary={})
    return notification


# --- Templates -------------------------------------------------------------------------------


def template_check_sources(*, subject: str, body_text: str, body_html: str = "") -> dict[str, str]:
    """The errors in a template's sources, by field (empty when all three compile and render)."""
    errors: dict[str, str] = {}
    for field, source in (("subject", subject), ("body_text", body_text), ("body_html", body_html)):
        if not source.strip():
            if field != "body_html":
                errors[field] = _("Câmpul este obligatoriu.")
            continue
        try:
            compile_source(source).render(_empty_context())
        except (TemplateSyntaxError, TemplateDoesNotExist) as exc:
            errors[field] = _("Șablonul are o eroare: %(error)s") % {"error": exc}
    return errors


def _empty_context() -> Context:
    return Context({"institution": settings.GHISEU_INSTITUTION})


def template_publish(
    *,
    key: str,
    language: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    is_active: bool = True,
    actor: Any = None,
) -> NotificationTemplate:
    """Publish a new version of (key, language); versions are never changed once written.

    When the new version is active, the others of (key, language) are deactivated: one version
    is in force at a time, and notifications keep pointing at the version they were made from.
    """
    key = key.strip()
    if not key:
        raise DomainError(_("Cheia este obligatorie."), field="key")
    if language_code(language) != language:
        raise DomainError(_("Limba „%(language)s” nu este suportată.") % {"language": language}, field="language")
    errors = template_check_sources(subject=subject, body_text=body_text, body_html=body_html)
    if errors:
        field, message = next(iter(errors.items()))
        raise DomainError(message, field=field)
    with transaction.atomic():
        versions = list(
            NotificationTemplate.objects.select_for_update()
            .filter(key=key, language=language)
            .values_list("version", flat=True)
        )
        if is_active:
            NotificationTemplate.objects.filter(key=key, language=language, is_active=True).update(is_active=False)
        template = NotificationTemplate.objects.create(
            key=key,
            language=language,
            version=max(versions, default=0) + 1,
            subject=subject,
            body_text=body_text,
            body_html=body_html,
            is_active=is_active,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(
            actor=actor,
            action="notifications.template_published",
            obj=template,
            summary={"key": key, "language": language, "version": template.version, "is_active": is_active},
        )
    return template


def template_set_active(*, template_id: int, is_active: bool, actor: Any = None) -> NotificationTemplate:
    """Put a version in force (deactivating the others of its key and language) or take it out."""
    with transaction.atomic():
        template = NotificationTemplate.objects.select_for_update().filter(pk=template_id).first()
        if template is None:
            raise NotFound(_("Șablonul nu există."))
        if template.is_active == is_active:
            return template
        if is_active:
            NotificationTemplate.objects.filter(key=template.key, language=template.language, is_active=True).exclude(
                pk=template.pk
            ).update(is_active=False)
        template.is_active = is_active
        template.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="notifications.template_activated" if is_active else "notifications.template_deactivated",
            obj=template,
            summary={"key": template.key, "language": template.language, "version": template.version},
        )
    return template
