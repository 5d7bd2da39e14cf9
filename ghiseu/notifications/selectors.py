"""Reads: the template version in force, a citizen's inbox, the notifications about an object."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from ghiseu.notifications.models import Channel, Notification, NotificationTemplate

FALLBACK_LANGUAGE = "ro"


def language_code(language: str | None) -> str:
    """A supported language code for `language` ("en-GB" → "en"); Romanian when unknown or empty."""
    supported = {code for code, _name in settings.LANGUAGES}
    code = (language or settings.LANGUAGE_CODE or FALLBACK_LANGUAGE).strip().lower().replace("_", "-").split("-")[0]
    return code if code in supported else FALLBACK_LANGUAGE


def template_current(*, key: str, language: str) -> NotificationTemplate | None:
    """The active version of `key` in exactly `language` (the highest, should several be active)."""
    return NotificationTemplate.objects.filter(key=key, language=language, is_active=True).order_by("-version").first()


def template_for(*, key: str, language: str | None) -> NotificationTemplate | None:
    """The active version of `key` in the recipient's language, else in Romanian."""
    code = language_code(language)
    found = template_current(key=key, language=code)
    if found is None and code != FALLBACK_LANGUAGE:
        found = template_current(key=key, language=FALLBACK_LANGUAGE)
    return found


def template_versions(*, key: str, language: str) -> models.QuerySet[NotificationTemplate]:
    return NotificationTemplate.objects.filter(key=key, language=language).order_by("-version")


def inbox_for_user(*, user: Any, unread_only: bool = False) -> models.QuerySet[Notification]:
    """The messages in a person's inbox ("my file"), newest first."""
    qs = Notification.objects.filter(recipient=user, channel=Channel.INBOX)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def inbox_unread_count(*, user: Any) -> int:
    return inbox_for_user(user=user, unread_only=True).count()


def related_key(obj: models.Model) -> tuple[str, str]:
    """How a notification names the object it is about: ("registry.entry", "42")."""
    return obj._meta.label_lower, str(obj.pk)


def notifications_about(
    *, obj: models.Model | None = None, related_type: str = "", related_id: str = "", user: Any = None
) -> models.QuerySet[Notification]:
    """The notifications about one object (all channels), optionally only those to `user`."""
    if obj is not None:
        related_type, related_id = related_key(obj)
    qs = Notification.objects.filter(related_type=related_type, related_id=str(related_id))
    if user is not None:
        qs = qs.filter(recipient=user)
    return qs.order_by("-created_at", "-id")
