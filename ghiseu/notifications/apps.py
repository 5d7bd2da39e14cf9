from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _seed_default_templates(sender: AppConfig, *, apps: Any = None, using: str = "default", **kwargs: Any) -> None:
    """After `migrate` (and after the test runner's flush): create the default templates that are missing."""
    from ghiseu.notifications.defaults import ensure_default_templates

    try:
        model = apps.get_model("notifications", "NotificationTemplate") if apps is not None else None
    except LookupError:  # migrated back to before the table existed
        return
    ensure_default_templates(model=model, using=using)


class NotificationsConfig(AppConfig):
    name = "ghiseu.notifications"
    label = "notifications"
    verbose_name = _("Notificări")

    def ready(self) -> None:
        post_migrate.connect(_seed_default_templates, sender=self, dispatch_uid="notifications-default-templates")
        from ghiseu.notifications.mydata import register_my_data_provider  # "my data" (accounts)

        register_my_data_provider()
