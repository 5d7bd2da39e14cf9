"""PDF from Django templates with WeasyPrint (DejaVu fonts from the system packages).

Nothing is fetched from the network while rendering: only inline `data:` resources. WeasyPrint
is imported on first use, so that processes which never print do not pay for loading it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML, URLFetcher

    context = {"institution": settings.GHISEU_INSTITUTION, **context}
    html = render_to_string(template_name, context)
    pdf = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
    assert pdf is not None
    return bytes(pdf)
