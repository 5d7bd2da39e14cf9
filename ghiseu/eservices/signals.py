"""The cached catalogue is forgotten whenever what it shows changes (a service, its documents and
fields, or a department's name)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save


def _changed(sender: Any, **kwargs: Any) -> None:
    from ghiseu.eservices.selectors import catalogue_changed

    catalogue_changed()


def connect_catalogue_signals() -> None:
    from ghiseu.accounts.models import Department
    from ghiseu.eservices.models import Service, ServiceDocument, ServiceField

    for model in (Service, ServiceDocument, ServiceField, Department):
        post_save.connect(_changed, sender=model, dispatch_uid=f"eservices-catalogue-{model.__name__}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"eservices-catalogue-{model.__name__}-delete")
