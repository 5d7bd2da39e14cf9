"""Retention and disposal (Law 16/1996): dossiers due for selection, the disposal proposal,
and — only once the selection commission's decision is recorded — the deletion of the files.

- A dossier is due for selection from the year after its expiry year (`Dossier.expiry_year`,
  from the nomenclator's retention). Permanent dossiers have none and can never be proposed.
- `disposal_propose` makes a proposal (the dossiers become "proposed for disposal"); its PDF
  goes to the selection commission. Nothing is deleted.
- `disposal_confirm` records the commission's decision (number, date) and who confirmed it;
  then, in one transaction, a `DisposalRecord` per dossier (code, title, years, pages, every
  file's SHA-256) is written, the pages and versions go, the dossier becomes "disposed", and
  after the commit the stored bytes are deleted. A file still used elsewhere (e.g. the same
  bytes attached in the registry) keeps its bytes. The records stay forever.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ghiseu.archive.models import (
    DisposalProposal,
    DisposalRecord,
    DisposalStatus,
    Document,
    DocumentVersion,
    Dossier,
    DossierStatus,
    ImportItem,
    VersionKind,
)
from ghiseu.archive.services.handover import check_archivist, with_pages
from ghiseu.archive.services.indexing import archive_unindex_document
from ghiseu.audit.services import Change, audit_record, audit_record_many
from ghiseu.core.errors import DomainError
from ghiseu.core.models import StoredFile
from ghiseu.core.pdf import render_pdf

log = logging.getLogger(__name__)

SELECTABLE_STATUSES = (DossierStatus.OPEN, DossierStatus.CLOSED, DossierStatus.HANDED_OVER)


def dossiers_due_for_selection(*, today: dt.date | None = None) -> QuerySet[Dossier]:
    """Dossiers whose retention has run out (never permanent ones), oldest expiry first."""
    year = (today or timezone.localdate()).year
    qs = Dossier.objects.filter(
        retention_years__isnull=False, expiry_year__lt=year, status__in=SELECTABLE_STATUSES
    ).select_related("file_code", "department")
    return with_pages(qs).order_by("expiry_year", "department__code", "file_code__code", "year", "volume")


def disposal_propose(*, actor: Any, dossiers: Sequence[Dossier], today: dt.date | None = None) -> DisposalProposal:
    check_archivist(actor)
    ids = sorted({d.pk for d in dossiers})
    if not ids:
        raise DomainError(_("Alegeți cel puțin un dosar."), field="dossiers", code="empty")
    year = (today or timezone.localdate()).year
    with transaction.atomic():
        locked = list(Dossier.objects.select_for_update().filter(pk__in=ids).select_related("file_code").order_by("pk"))
        for dossier in locked:
            if dossier.is_permanent:
                raise DomainError(
                    _("Dosarul %(dossier)s se păstrează permanent și nu poate fi propus pentru eliminare.")
                    % {"dossier": f"{dossier.file_code.code}/{dossier.year}"},
                    field="dossiers",
                    code="permanent",
                )
            if dossier.status not in SELECTABLE_STATUSES or dossier.expiry_year is None or dossier.expiry_year >= year:
                raise DomainError(
                    _("Dosarul %(dossier)s nu are termenul de păstrare împlinit sau este deja propus.")
                    % {"dossier": f"{dossier.file_code.code}/{dossier.year}"},
                    field="dossiers",
                    code="not_due",
                )
        proposal = DisposalProposal.objects.create(created_by=actor if getattr(actor, "pk", None) else None)
        proposal.dossiers.set(locked)
        for dossier in locked:
            dossier.status = DossierStatus.PROPOSED_FOR_DISPOSAL
            dossier.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="archive.disposal_proposed",
            obj=proposal,
            summary={"dossiers": [f"{d.file_code.code}/{d.year}/{d.volume}" for d in locked], "ids": ids},
        )
    return proposal


def proposal_dossiers(proposal: DisposalProposal) -> QuerySet[Dossier]:
    qs = proposal.dossiers.select_related("file_code", "department")
    return with_pages(qs).order_by("department__code", "file_code__code", "year", "volume")


def disposal_proposal_pdf(*, user: Any, proposal: DisposalProposal) -> bytes:
    check_archivist(user)
    from ghiseu.archive.services.handover import inventory_rows

    dossiers = list(proposal_dossiers(proposal))
    rows = list(zip(dossiers, inventory_rows(proposal_dossiers(proposal)), strict=True))
    return render_pdf(
        "archive/pdf/disposal_proposal.html",
        {
            "proposal": proposal,
            "rows": rows,
            "total_pages": sum(row.pages for _dossier, row in rows),
            "printed_at": timezone.localtime(),
        },
    )


def _document_entry(document: Document) -> dict[str, Any]:
    versions = {v.kind: v.file for v in document.versions.select_related("file")}
    original = versions.get(VersionKind.ORIGINAL)
    archival = versions.get(VersionKind.ARCHIVAL)
    return {
        "uid": str(document.uid),
        "title": document.title,
        "date": document.document_date.isoformat() if document.document_date else None,
        "pages": document.page_count,
        "original_sha256": original.sha256 if original else None,
        "archival_sha256": archival.sha256 if archival else None,
    }


def disposal_confirm(
    *, actor: Any, proposal: DisposalProposal, decision_number: str, decision_date: dt.date | None
) -> DisposalProposal:
    """Record the commission's decision, then dispose of the proposal's dossiers (see module doc)."""
    check_archivist(actor)
    decision_number = (decision_number or "").strip()
    if not decision_number:
        raise DomainError(_("Numărul deciziei comisiei este obligatoriu."), field="decision_number")
    if decision_date is None:
        raise DomainError(_("Data deciziei comisiei este obligatorie."), field="decision_date")
    if decision_date > timezone.localdate():
        raise DomainError(_("Data deciziei nu poate fi în viitor."), field="decision_date")
    storage_names: list[str] = []
    with transaction.atomic():
        proposal = DisposalProposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != DisposalStatus.PROPOSED:
            raise DomainError(_("Propunerea a fost deja confirmată."), code="confirmed")
        dossiers = list(
            Dossier.objects.select_for_update()
            .filter(pk__in=proposal.dossiers.values("pk"))
            .select_related("file_code", "department")
            .order_by("pk")
        )
        now = timezone.now()
        changes: list[Change] = []
        file_ids: set[int] = set()
        for dossier in dossiers:
            if dossier.is_permanent:  # never, whatever happened since the proposal
                raise DomainError(_("Un dosar permanent nu poate fi eliminat."), code="permanent")
            documents = list(dossier.documents.order_by("pk"))
            entries = [_document_entry(document) for document in documents]
            record = DisposalRecord.objects.create(
                proposal=proposal,
                dossier=dossier,
                file_code=dossier.file_code.code,
                title=dossier.title,
                year=dossier.year,
                volume=dossier.volume,
                department=f"{dossier.department.code} — {dossier.department.name}"[:200],
                date_from=dossier.date_from,
                date_to=dossier.date_to,
                retention_years=dossier.retention_years,
                pages=sum(document.page_count for document in documents),
                documents=entries,
                disposed_at=now,
            )
            versions = DocumentVersion.objects.filter(document__in=documents)
            file_ids.update(versions.values_list("file_id", flat=True))
            for document in documents:
                archive_unindex_document(document)
                document.pages.all().delete()
            versions.delete()
            ImportItem.objects.filter(document__in=documents).update(original=None)
            dossier.status = DossierStatus.DISPOSED
            dossier.save(update_fields=["status", "updated_at"])
            changes.append(
                Change(
                    actor=actor,
                    action="archive.dossier_disposed",
                    obj=dossier,
                    summary={
                        "proposal": proposal.pk,
                        "record": record.pk,
                        "decision_number": decision_number,
                        "decision_date": decision_date.isoformat(),
                        "documents": len(entries),
                        "pages": record.pages,
                    },
                )
            )
        for stored in StoredFile.objects.filter(pk__in=file_ids).order_by("pk"):
            try:
                with transaction.atomic():
                    name = stored.storage_name
                    stored.delete()
                    storage_names.append(name)
            except (ProtectedError, IntegrityError):
                log.info("Stored file %s is still used elsewhere: its bytes stay", stored.sha256)
        proposal.status = DisposalStatus.CONFIRMED
        proposal.decision_number = decision_number[:60]
        proposal.decision_date = decision_date
        proposal.confirmed_at = now
        proposal.confirmed_by = actor if getattr(actor, "pk", None) else None
        proposal.save()
        changes.append(
            Change(
                actor=actor,
                action="archive.disposal_confirmed",
                obj=proposal,
                summary={
                    "decision_number": decision_number,
                    "decision_date": decision_date.isoformat(),
                    "dossiers": len(dossiers),
                    "files_deleted": len(storage_names),
                },
            )
        )
        audit_record_many(changes)
        transaction.on_commit(lambda: _delete_bytes(storage_names))
    return proposal


def _delete_bytes(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            log.exception("Could not delete %s after disposal", name)
