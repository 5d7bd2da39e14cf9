"""Telling the petitioner: the one place that calls the notifications app.

`ghiseu.notifications` is called, it never calls back (DESIGN.md). It is imported lazily so that
the petitions app works without the notifications app installed; then nobody is told (the answer
still goes out as a registered letter, printed for post).
"""

from __future__ import annotations

import logging
from typing import Any

from django.apps import apps
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from ghiseu.core.errors import DomainError
from ghiseu.core.site import site_url
from ghiseu.petitions.models import Petition

logger = logging.getLogger("ghiseu.petitions")

KEYS = frozenset({"petition.registered", "petition.forwarded", "petition.extended", "petition.answered"})


def _tracking_url() -> str:
    """The public status page, when the site's address is configured (GHISEU_SITE_URL)."""
    site = site_url()
    if not site:
        return ""
    try:
        return site + reverse("registry-public:status")
    except NoReverseMatch:
        return ""


def _tell_petitioner(*, petition: Petition, key: str, context: dict[str, Any] | None = None) -> bool:
    """Send the petitioner the notification `key`; False when there is nobody to tell or no way to.

    Called inside the transaction of the change: the notifications app stores the message and
    enqueues its delivery in that same transaction, so a rolled-back change tells nobody. A
    notification that cannot be made (no template, say) never undoes the petition's change: it is
    logged (without personal data) and the petitioner gets the registered letter.
    """
    if key not in KEYS:
        raise ValueError(f"unknown petition notification {key!r}")
    if petition.anonymous or (petition.petitioner_user_id is None and not petition.petitioner_email):
        return False
    if not apps.is_installed("ghiseu.notifications"):
        return False
    from ghiseu.notifications.services import notification_send  # optional app, imported when installed

    entry = petition.entry
    base: dict[str, Any] = {
        "number": entry.display_number,
        "tracking_code": entry.tracking_code,
        "tracking_url": _tracking_url(),
        "kind": str(petition.get_kind_display()),
        "petitioner_name": petition.petitioner_name,
        "due_date": petition.due_date,
        "status": str(petition.get_status_display()),
    }
    try:
        with transaction.atomic():
            notification_send(
                key=key,
                to_user=petition.petitioner_user,
                to_email=petition.petitioner_email,
                context={**base, **(context or {})},
                related=petition,
            )
    except DomainError as exc:
        logger.warning("petition %s: notification %s not sent: %s", petition.pk, key, exc.code)
        return False
    return True
