"""The import report: one row per item of a batch, with its status and the reason it was refused."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path
from typing import Any

from ghiseu.archive.models import ImportBatch

REPORT_COLUMNS = [
    "line",
    "file",
    "status",
    "reason_code",
    "reason",
    "pages_expected",
    "pages_found",
    "sha256",
    "document_uid",
    "dossier",
]


def import_report_rows(batch: ImportBatch) -> list[dict[str, Any]]:
    rows = []
    items = batch.items.select_related("document__dossier__file_code").order_by("line", "file_name")
    for item in items:
        document = item.document
        dossier = document.dossier if document is not None else None
        rows.append(
            {
                "line": item.line or "",
                "file": item.file_name,
                "status": item.status,
                "reason_code": item.reason_code,
                "reason": item.reason,
                "pages_expected": item.expected_pages or "",
                "pages_found": item.pages if item.pages is not None else "",
                "sha256": item.sha256,
                "document_uid": str(document.uid) if document is not None else "",
                "dossier": f"{dossier.file_code.code}/{dossier.year}" if dossier is not None else "",
            }
        )
    return rows


def import_report_csv(batch: ImportBatch) -> bytes:
    """The import report: one row per item with its status and reason (UTF-8 with BOM, for Excel)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=REPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(import_report_rows(batch))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def import_write_report(batch: ImportBatch, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(target.suffix + ".tmp")
    tmp.write_bytes(import_report_csv(batch))
    shutil.move(str(tmp), target)
    return target
