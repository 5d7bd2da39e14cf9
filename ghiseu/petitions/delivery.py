"""The link that delivers an answer letter without an account: signed, carrying the petition's id and
a fingerprint of its tracking code, so that it opens only that letter and stops working if the
tracking code is ever changed. It goes in the e-mail and in the inbox message (built from
GHISEU_SITE_URL when set)."""

from __future__ import annotations

import hashlib

from django.core import signing
from django.urls import reverse

from ghiseu.core.site import site_url
from ghiseu.petitions.models import Petition

SALT = "ghiseu.petitions.answer-link"


def _fingerprint(tracking_code: str) -> str:
    return hashlib.sha256(f"{SALT}:{tracking_code}".encode()).hexdigest()[:12]


def answer_token(petition: Petition) -> str:
    """The same token every time for a petition (no timestamp: the link does not expire; a new
    tracking code retires it)."""
    return signing.Signer(salt=SALT).sign_object([petition.pk, _fingerprint(petition.entry.tracking_code)])


def petition_for_answer_token(token: str) -> Petition | None:
    """The answered petition the token was made for, or None (bad or stale token, no answer yet)."""
    if not token or len(token) > 200:
        return None
    try:
        pk, fingerprint = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(pk, int) or not isinstance(fingerprint, str):
        return None
    petition = Petition.objects.select_related("entry").filter(pk=pk, answer_entry__isnull=False).first()
    if petition is None or _fingerprint(petition.entry.tracking_code) != fingerprint:
        return None
    return petition


def answer_url(petition: Petition) -> str:
    """The answer letter's address: absolute with GHISEU_SITE_URL, else a path (fine in the inbox)."""
    return site_url() + reverse("petitions-public:answer-document", args=[answer_token(petition)])
