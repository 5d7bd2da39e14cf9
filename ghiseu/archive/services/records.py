"""Dossiers and documents: constituting a dossier, filing a document with its versions and pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from ghiseu.accounts.models import NomenclatorEntry
from ghiseu.archive.locks import lock_dossier
from ghiseu.archive.models import (
    AccessClass,
    Document,
    DocumentVersion,
    Dossier,
    DossierStatus,
    Page,
    VersionKind,
)
from ghiseu.archive.services.indexing import archive_index_document
from ghiseu.audit.services import Change, audit_record_many
from ghiseu.core.models import StoredFile
from ghiseu.core.text import normalize_romanian


@dataclass(frozen=True)
class PageData:
    number: int
    text: str
    confidence: float | None = None
    has_text_layer: bool = False


@dataclass(frozen=True)
class DocumentData:
    """What is known of a document before it is filed (from a manifest line, or a registry entry)."""

    title: str
    document_date: dt.date | None = None
    number: str = ""
    keywords: str = ""
    access: str = ""  # empty: the dossier's class
    issuer: str = ""
    doc_type: str = ""
    physical_location: str = ""
    right_holder: str = ""


def default_owner() -> str:
    institution = getattr(settings, "GHISEU_INSTITUTION", {}) or {}
    return str(institution.get("name", ""))


def dossier_constitute(
    *,
    file_code: NomenclatorEntry,
    year: int,
    title: str,
    department_id: int,
    volume: int = 1,
    access: str = "",
    physical_location: str = "",
    actor: Any = None,
    changes: list[Change] | None = None,
) -> tuple[Dossier, bool]:
    """The dossier of a nomenclator entry for a year (locked), constituted if it does not exist yet.

    Its retention is the nomenclator's at constitution; the expiry year follows from it. Call
    inside a transaction. Returns the dossier and whether it was created now. The audit event
    is written now, or appended to `changes` for a caller that takes other locks first and
    writes the audit events last (ghiseu/archive/locks.py).
    """
    dossier, created = lock_dossier(
        file_code_id=file_code.pk,
        year=year,
        volume=volume,
        defaults={
            "title": normalize_romanian(title.strip())[:500],
            "department_id": department_id,
            "retention_years": file_code.retention_years,
            "access": access or AccessClass.INTERNAL,
            "physical_location": physical_location[:300],
            "status": DossierStatus.OPEN,
        },
    )
    if created:
        _audit(
            [
                Change(
                    actor=actor,
                    action="archive.dossier_constituted",
                    obj=dossier,
                    summary={
                        "file_code": file_code.code,
                        "year": year,
                        "volume": volume,
                        "title": dossier.title,
                        "retention_years": dossier.retention_years,
                        "expiry_year": dossier.expiry_year,
                    },
                )
            ],
            changes,
        )
    return dossier, created


def _audit(new: list[Change], changes: list[Change] | None) -> None:
    if changes is None:
        audit_record_many(new)
    else:
        changes.extend(new)


def document_file(
    *,
    dossier: Dossier,
    data: DocumentData,
    original: StoredFile,
    original_name: str,
    original_format: str,
    archival: StoredFile,
    archival_format: str,
    pages: Sequence[PageData],
    actor: Any = None,
    audit_summary: dict[str, Any] | None = None,
    changes: list[Change] | None = None,
) -> Document:
    """File a document in a (locked) dossier: metadata sheet, both versions, pages, audit, index.

    Call inside the transaction that locked the dossier. The dossier's date range grows to
    include the document's date. `changes`: as in `dossier_constitute`.
    """
    user = actor if getattr(actor, "pk", None) else None
    document = Document.objects.create(
        dossier=dossier,
        title=normalize_romanian(data.title.strip())[:500],
        number=data.number[:60],
        document_date=data.document_date,
        keywords=normalize_romanian(data.keywords)[:500],
        access=data.access or dossier.access,
        issuer=normalize_romanian(data.issuer)[:300],
        owner=default_owner()[:300],
        right_holder=(data.right_holder or default_owner())[:300],
        doc_type=data.doc_type[:120] or "document scanat",
        classification=dossier.file_code.code,
        format=f"{archival_format} (original: {original_format})"[:120],
        physical_location=(data.physical_location or dossier.physical_location)[:300],
        archived_at=timezone.now(),
        retention_years=dossier.retention_years,
        page_count=len(pages),
        created_by=user,
    )
    DocumentVersion.objects.bulk_create(
        [
            DocumentVersion(
                document=document,
                kind=VersionKind.ORIGINAL,
                file=original,
                original_name=original_name[-255:],
                format=original_format[:120],
            ),
            DocumentVersion(
                document=document,
                kind=VersionKind.ARCHIVAL,
                file=archival,
                original_name=f"{document.uid}.pdf",
                format=archival_format[:120],
            ),
        ]
    )
    Page.objects.bulk_create(
        [
            Page(
                document=document,
                number=page.number,
                text=normalize_romanian(page.text),
                ocr_confidence=page.confidence,
                has_text_layer=page.has_text_layer,
            )
            for page in pages
        ],
        batch_size=500,
    )
    if data.document_date is not None:
        changed = []
        if dossier.date_from is None or data.document_date < dossier.date_from:
            dossier.date_from = data.document_date
            changed.append("date_from")
        if dossier.date_to is None or data.document_date > dossier.date_to:
            dossier.date_to = data.document_date
            changed.append("date_to")
        if changed:
            dossier.save(update_fields=[*changed, "updated_at"])
    _audit(
        [
            Change(
                actor=actor,
                action="archive.document_filed",
                obj=document,
                summary={
                    "uid": str(document.uid),
                    "dossier": dossier.pk,
                    "title": document.title,
                    "pages": len(pages),
                    "original_sha256": original.sha256,
                    "archival_sha256": archival.sha256,
                    **(audit_summary or {}),
                },
            )
        ],
        changes,
    )
    archive_index_document(document)
    return document
