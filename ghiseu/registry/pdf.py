"""PDF output of the registry: the registration slip (fișa de înregistrare) and the registry book,
rendered from templates a city hall can override (ghiseu.core.pdf)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import segno
from django.utils import timezone

from ghiseu.core.pdf import render_pdf
from ghiseu.registry.models import Entry, Register


def slip_pdf(entry: Entry, *, status_url: str) -> bytes:
    """The slip handed to whoever filed the document: its number, what it is, where it went, how to follow it."""
    origin = entry.answers if entry.answers_id and entry.answers else entry
    qr = segno.make(status_url, error="m").svg_data_uri(scale=3, border=0)
    return render_pdf(
        "registry/pdf/slip.html",
        {
            "entry": entry,
            "origin": origin,
            "registered_at": timezone.localtime(entry.registered_at),
            "status_url": status_url,
            "qr": qr,
            "printed_at": timezone.localtime(),
        },
    )


def book_pdf(
    rows: Sequence[Sequence[str]],
    *,
    columns: Sequence[str],
    register: Register,
    date_from: dt.date,
    date_to: dt.date,
) -> bytes:
    """The register of entries and exits for a period, A4 landscape, in the register's columns."""
    return render_pdf(
        "registry/pdf/book.html",
        {
            "rows": rows,
            "columns": columns,
            "register": register,
            "date_from": date_from,
            "date_to": date_to,
            "printed_at": timezone.localtime(),
        },
    )
