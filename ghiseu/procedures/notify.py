"""The one door to the notifications app (which may not be installed yet).

The notifications app is called, it does not call back (DESIGN.md): hand it a template key and a
context. It is imported lazily, and nothing is sent while the app is not installed.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models

NOTIFICATIONS_APP = "ghiseu.notifications"


def notify(
    *,
    key: str,
    context: dict[str, Any],
    to_user: Any = None,
    to_email: str = "",
    related: models.Model | None = None,
) -> bool:
    """Send (enqueue, in the caller's transaction) one notification; False when the app is not installed."""
    if not apps.is_installed(NOTIFICATIONS_APP):
        return False
    from importlib import import_module

    services = import_module(f"{NOTIFICATIONS_APP}.services")
    services.notification_send(key=key, to_user=to_user, to_email=to_email, context=context, related=related)
    return True
