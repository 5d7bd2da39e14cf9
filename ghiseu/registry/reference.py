"""Reference data every deployment starts with: the general register and the document types
with their legal deadlines (DOMAIN.md). Administrators change them in the admin afterwards;
this only creates what is missing and never overwrites."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ghiseu.core.calendar import CALENDAR, WORKING
from ghiseu.registry.models import DocumentType, Register

# code, name, deadline days, kind, legal basis
DOCUMENT_TYPES: list[tuple[str, str, int | None, str, str]] = [
    ("petition", "Petiție", 30, CALENDAR, "OG 27/2002, art. 8"),
    ("complaint", "Reclamație", 30, CALENDAR, "OG 27/2002, art. 8"),
    ("report", "Sesizare", 30, CALENDAR, "OG 27/2002, art. 8"),
    ("public-information", "Solicitare de informații de interes public", 10, CALENDAR, "Legea 544/2001, art. 7"),
    ("administrative-complaint", "Reclamație administrativă (Legea 544/2001)", 15, CALENDAR, "Legea 544/2001, art. 21"),
    ("service-request", "Cerere de serviciu public", 30, CALENDAR, "OG 27/2002"),
    ("urbanism-certificate", "Cerere certificat de urbanism", 15, CALENDAR, "Legea 50/1991, art. 6^1"),
    ("building-permit", "Cerere autorizație de construire/desființare", 30, CALENDAR, "Legea 50/1991, art. 7"),
    ("fiscal-certificate", "Cerere certificat de atestare fiscală", 2, WORKING, "Legea 207/2015, art. 159"),
    ("civil-status", "Cerere stare civilă", 30, CALENDAR, "Legea 119/1996"),
    ("correspondence", "Corespondență", None, CALENDAR, ""),
    ("internal-note", "Notă internă", None, CALENDAR, ""),
    ("court-document", "Act de instanță / citație", None, CALENDAR, ""),
    ("invoice", "Factură", None, CALENDAR, ""),
]


def ensure_reference_data() -> None:
    Register.objects.get_or_create(
        is_general=True, defaults={"code": "RG", "name": str(_("Registrul general de intrare-ieșire"))}
    )
    for code, name, days, kind, basis in DOCUMENT_TYPES:
        DocumentType.objects.get_or_create(
            code=code, defaults={"name": name, "deadline_days": days, "deadline_kind": kind, "legal_basis": basis}
        )
