"""Export of dossiers as a BagIt package (RFC 8493, the `bagit` library), e.g. for the transfer
to the National Archives.

    <bag>/bagit.txt, bag-info.txt, manifest-sha256.txt, tagmanifest-sha256.txt
    <bag>/data/<file code>_<year>[_vol<n>]/dossier.json     the dossier and every document's
                                                            Law 135/2007 metadata sheet
    <bag>/data/<file code>_<year>[_vol<n>]/documents.csv    the same, one readable row per document
    <bag>/data/<...>/<nnn>_<uid>/original<.ext>             the original, unaltered
    <bag>/data/<...>/<nnn>_<uid>/pdfa.pdf                   the archival PDF/A copy

Only a user who may read every document of the dossiers exports them (the administrator does
not read personal data); each exported document is logged as a download in the access log.
The payload's SHA-256 manifest is checked against the SHA-256 the archive stores for each file.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import bagit
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ghiseu.archive import permissions
from ghiseu.archive.models import AccessAction, DocumentVersion, Dossier, DossierStatus, VersionKind
from ghiseu.archive.selectors import document_metadata_sheet
from ghiseu.archive.services.access import archive_log_access
from ghiseu.archive.services.handover import check_archivist
from ghiseu.audit.services import audit_record
from ghiseu.core.errors import DomainError, PermissionDenied
from ghiseu.core.files import open_stored

EXTENSIONS = {"application/pdf": ".pdf", "image/tiff": ".tif", "image/jpeg": ".jpg", "image/png": ".png"}
CSV_COLUMNS = [
    "unique_id",
    "title",
    "number",
    "issue_date",
    "issuer",
    "type",
    "classification",
    "keywords",
    "access",
    "pages",
    "physical_location",
    "archiving_date",
    "retention",
    "original_sha256",
    "archival_sha256",
]


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "x"


def dossier_folder(dossier: Dossier) -> str:
    volume = f"_vol{dossier.volume}" if dossier.volume != 1 else ""
    return f"{_slug(dossier.file_code.code)}_{dossier.year}{volume}"


def _copy(version: DocumentVersion, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with open_stored(version.file) as src, target.open("wb") as dst:
        shutil.copyfileobj(src, dst, 1024 * 1024)


def _dossier_sheet(dossier: Dossier) -> dict[str, Any]:
    return {
        "file_code": dossier.file_code.code,
        "file_code_name": dossier.file_code.name,
        "year": dossier.year,
        "volume": dossier.volume,
        "title": dossier.title,
        "department": {"code": dossier.department.code, "name": dossier.department.name},
        "date_from": dossier.date_from.isoformat() if dossier.date_from else None,
        "date_to": dossier.date_to.isoformat() if dossier.date_to else None,
        "retention_years": dossier.retention_years,
        "expiry_year": dossier.expiry_year,
        "physical_location": dossier.physical_location,
        "access": dossier.access,
        "status": dossier.status,
    }


def _write_dossier(dossier: Dossier, folder: Path) -> int:
    folder.mkdir(parents=True)
    sheets = []
    documents = dossier.documents.select_related("dossier__file_code", "dossier__department").order_by("pk")
    for index, document in enumerate(documents, start=1):
        sheet = document_metadata_sheet(document)
        doc_folder = folder / f"{index:03d}_{document.uid}"
        files = {}
        for version in document.versions.select_related("file"):
            if version.kind == VersionKind.ORIGINAL:
                name = f"original{EXTENSIONS.get(version.file.content_type, Path(version.original_name).suffix)}"
            else:
                name = "pdfa.pdf"
            _copy(version, doc_folder / name)
            files[version.kind] = f"{doc_folder.name}/{name}"
        sheet["files"] = files
        sheets.append(sheet)
    (folder / "dossier.json").write_text(
        json.dumps({"dossier": _dossier_sheet(dossier), "documents": sheets}, ensure_ascii=False, indent=2),
        encoding="utf-8",
    )
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for sheet in sheets:
        writer.writerow(
            {
                **{key: sheet.get(key) for key in CSV_COLUMNS if key in sheet},
                "keywords": ", ".join(sheet["keywords"]),
                "retention": "permanent" if sheet["retention"] is None else sheet["retention"],
                "original_sha256": (sheet["original"] or {}).get("sha256", ""),
                "archival_sha256": (sheet["archival_copy"] or {}).get("sha256", ""),
            }
        )
    (folder / "documents.csv").write_text(buffer.getvalue(), encoding="utf-8-sig")
    return len(sheets)


def dossiers_export_bag(*, actor: Any, dossiers: Sequence[Dossier], target: Path) -> bagit.Bag:
    """Write the dossiers as a BagIt package in `target` (a new or empty folder) and validate it."""
    check_archivist(actor)
    dossiers = [d for d in dossiers if d is not None]
    if not dossiers:
        raise DomainError(_("Alegeți cel puțin un dosar."), field="dossiers", code="empty")
    disposed = [d for d in dossiers if d.status == DossierStatus.DISPOSED]
    if disposed:
        raise DomainError(_("Un dosar eliminat nu mai are fișiere de exportat."), field="dossiers", code="disposed")
    for dossier in dossiers:
        for document in dossier.documents.select_related("dossier"):
            if not permissions.can_view_document(actor, document):
                raise PermissionDenied(
                    _("Nu aveți acces la documentul %(uid)s din dosarul %(dossier)s.")
                    % {"uid": document.uid, "dossier": dossier_folder(dossier)},
                    code="forbidden",
                )
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise DomainError(_("Dosarul de destinație nu este gol."), code="not_empty")
    target.mkdir(parents=True, exist_ok=True)
    documents = 0
    for dossier in dossiers:
        documents += _write_dossier(dossier, target / dossier_folder(dossier))
    institution = getattr(settings, "GHISEU_INSTITUTION", {}) or {}
    bag = bagit.make_bag(
        str(target),
        bag_info={
            "Source-Organization": str(institution.get("name", "")),
            "Organization-Address": str(institution.get("address", "")),
            "External-Description": "; ".join(str(d) for d in dossiers)[:900],
            "Bagging-Date": timezone.localdate().isoformat(),
            "Bag-Software-Agent": "Ghișeu archive_export (bagit-python)",
            "Bag-Count": "1 of 1",
        },
        checksums=["sha256"],
    )
    bag.validate()
    with transaction.atomic():
        for dossier in dossiers:
            for document in dossier.documents.select_related("dossier"):
                archive_log_access(
                    user=actor, action=AccessAction.DOWNLOAD, document=document, detail=f"export BagIt {target.name}"
                )
            audit_record(
                actor=actor,
                action="archive.dossier_exported",
                obj=dossier,
                summary={"bag": target.name, "documents": dossier.documents.count()},
            )
    return bag


def dossiers_export_zip(*, actor: Any, dossiers: Sequence[Dossier]) -> Path:
    """The BagIt package of the dossiers zipped into a temporary file (the caller deletes it)."""
    workdir = Path(tempfile.mkdtemp(prefix="ghiseu-bag-"))
    try:
        name = "bag-" + "-".join(dossier_folder(d) for d in dossiers[:3]) + ("-etc" if len(dossiers) > 3 else "")
        dossiers_export_bag(actor=actor, dossiers=dossiers, target=workdir / name)
        archive = shutil.make_archive(str(workdir / name), "zip", root_dir=workdir, base_dir=name)
        final = Path(tempfile.mkstemp(prefix="ghiseu-bag-", suffix=".zip")[1])
        shutil.move(archive, final)
        return final
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
