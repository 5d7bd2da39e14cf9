"""The letters a petition produces, as PDF from Django templates (WeasyPrint): the answer, with its
legal basis, and the forwarding letter to the competent authority. A city hall adapts them by
overriding `petitions/answer_letter.html` and `petitions/forward_letter.html`."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ghiseu.core.pdf import render_pdf
from ghiseu.petitions.models import Petition


def answer_letter_pdf(
    *, petition: Petition, text: str, legal_basis: str, signatory: str = "", date: dt.date | None = None
) -> bytes:
    return render_pdf(
        "petitions/answer_letter.html",
        {
            "petition": petition,
            "entry": petition.entry,
            "number": petition.entry.display_number,
            "date": date or timezone.localdate(),
            "paragraphs": [p.strip() for p in text.split("\n\n") if p.strip()],
            "legal_basis": legal_basis,
            "signatory": signatory,
            "joined": list(petition.joined.select_related("entry").order_by("entry__registered_at")),
        },
    )


def forward_letter_pdf(
    *, petition: Petition, authority: str, authority_address: str = "", note: str = "", date: dt.date | None = None
) -> bytes:
    return render_pdf(
        "petitions/forward_letter.html",
        {
            "petition": petition,
            "entry": petition.entry,
            "number": petition.entry.display_number,
            "date": date or timezone.localdate(),
            "authority": authority,
            "authority_address": authority_address,
            "note": note,
        },
    )
