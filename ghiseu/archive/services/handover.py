"""Handover to the archive (Law 16/1996): the inventory (Annex 2), the handover report
(Annex 3), the archive register (Annex 4), and marking the dossiers as handed over.

A department hands over its dossiers of a year; the archivist records it: the dossiers become
"handed to the archive" with the date, and an audit event per dossier. The documents are PDF
rendered with WeasyPrint (`ghiseu.core.pdf.render_pdf`) on the institution's header.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ghiseu.accounts.models import Department
from ghiseu.archive import permissions
from ghiseu.archive.models import Dossier, DossierStatus
from ghiseu.audit.services import Change, audit_record_many
from ghiseu.core.errors import DomainError, PermissionDenied
from ghiseu.core.pdf import render_pdf

# Dossiers still in the department's keeping (or handed over already: the inventory is reprinted).
HANDOVER_STATUSES = (DossierStatus.OPEN, DossierStatus.CLOSED, DossierStatus.HANDED_OVER)


def check_archivist(user: Any) -> None:
    if not permissions.can_import(user):
        raise PermissionDenied(_("Doar arhivarul și administratorul au acces aici."), code="forbidden")


def with_pages(qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return qs.annotate(pages=Coalesce(Sum("documents__page_count"), 0))


def handover_dossiers(*, department: Department, year: int) -> QuerySet[Dossier]:
    qs = Dossier.objects.filter(department=department, year=year, status__in=HANDOVER_STATUSES)
    return with_pages(qs.select_related("file_code", "department")).order_by("file_code__code", "volume")


@dataclass(frozen=True)
class InventoryRow:
    number: int
    file_code: str
    content: str
    date_range: str
    pages: int
    retention: str
    remarks: str


def _range(dossier: Dossier) -> str:
    if dossier.date_from is None:
        return str(dossier.year)
    if dossier.date_to is None or dossier.date_to == dossier.date_from:
        return f"{dossier.date_from:%d.%m.%Y}"
    return f"{dossier.date_from:%d.%m.%Y} – {dossier.date_to:%d.%m.%Y}"


def inventory_rows(dossiers: QuerySet[Dossier]) -> list[InventoryRow]:
    return [
        InventoryRow(
            number=index,
            file_code=dossier.file_code.code + (f" vol. {dossier.volume}" if dossier.volume != 1 else ""),
            content=dossier.title,
            date_range=_range(dossier),
            pages=int(getattr(dossier, "pages", 0) or 0),
            retention=dossier.retention_label,
            remarks=dossier.physical_location,
        )
        for index, dossier in enumerate(dossiers, start=1)
    ]


def _context(*, department: Department, year: int) -> dict[str, Any]:
    rows = inventory_rows(handover_dossiers(department=department, year=year))
    return {
        "department": department,
        "year": year,
        "rows": rows,
        "total_dossiers": len(rows),
        "total_pages": sum(row.pages for row in rows),
        "printed_at": timezone.localtime(),
    }


def handover_inventory_pdf(*, user: Any, department: Department, year: int) -> bytes:
    """Annex 2: the inventory of a department's dossiers of a year (file code, content, dates, pages)."""
    check_archivist(user)
    return render_pdf("archive/pdf/inventory.html", _context(department=department, year=year))


def handover_report_pdf(*, user: Any, department: Department, year: int) -> bytes:
    """Annex 3: the handover report (proces-verbal de predare-primire) for the same dossiers."""
    check_archivist(user)
    context = _context(department=department, year=year)
    context["archivist"] = user
    return render_pdf("archive/pdf/handover_report.html", context)


def archive_register_rows() -> QuerySet[Dossier]:
    """Annex 4: every dossier handed to the archive, in the order it came in."""
    qs = Dossier.objects.filter(handed_over_at__isnull=False).select_related("file_code", "department")
    return with_pages(qs).order_by("handed_over_at", "department__code", "file_code__code", "volume", "pk")


def archive_register_pdf(*, user: Any) -> bytes:
    check_archivist(user)
    rows = [
        {
            "number": index,
            "received": timezone.localtime(dossier.handed_over_at),
            "department": dossier.department.name,
            "row": row,
            "year": dossier.year,
            "status": dossier.get_status_display(),
        }
        for index, (dossier, row) in enumerate(
            zip(archive_register_rows(), inventory_rows(archive_register_rows()), strict=True), start=1
        )
    ]
    return render_pdf("archive/pdf/register.html", {"rows": rows, "printed_at": timezone.localtime()})


def handover_record(*, actor: Any, department: Department, year: int) -> int:
    """Mark a department's open or closed dossiers of a year as handed to the archive; how many."""
    check_archivist(actor)
    with transaction.atomic():
        dossiers = list(
            Dossier.objects.select_for_update()
            .filter(department=department, year=year, status__in=(DossierStatus.OPEN, DossierStatus.CLOSED))
            .select_related("file_code")
            .order_by("pk")
        )
        if not dossiers:
            raise DomainError(
                _("Compartimentul nu are dosare de predat pentru anul %(year)d.") % {"year": year}, code="empty"
            )
        now = timezone.now()
        changes = []
        for dossier in dossiers:
            before = dossier.status
            dossier.status = DossierStatus.HANDED_OVER
            dossier.handed_over_at = now
            dossier.save(update_fields=["status", "handed_over_at", "updated_at"])
            changes.append(
                Change(
                    actor=actor,
                    action="archive.dossier_handed_over",
                    obj=dossier,
                    summary={
                        "file_code": dossier.file_code.code,
                        "year": dossier.year,
                        "department": department.code,
                        "before": before,
                        "after": DossierStatus.HANDED_OVER,
                    },
                )
            )
        audit_record_many(changes)
    return len(dossiers)
