"""The site's public address, for links that leave it (e-mails, PDFs)."""

from __future__ import annotations

from django.conf import settings


def site_url() -> str:
    """GHISEU_SITE_URL without its trailing slash; empty when not configured (links stay paths)."""
    return str(getattr(settings, "GHISEU_SITE_URL", "") or "").rstrip("/")
