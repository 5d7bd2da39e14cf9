"""Fixity: re-read stored files and compare their SHA-256 with the address they were stored under.

A file found changed or missing gets a `FixityProblem` (one open problem per file, however
often it is found again), an audit event, and a message to each archivist through the
notifications app (template key "archive.fixity_problem") when that app is installed. A file
that is found intact again (restored from a backup) closes its problem. Files are checked
oldest check first, so a periodic task with a `limit` walks the whole archive in rounds.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, OuterRef, Q, QuerySet
from django.utils import timezone

from ghiseu.accounts.models import Role, User
from ghiseu.archive.models import (
    DocumentVersion,
    FixityCheck,
    FixityProblem,
    FixityProblemKind,
    ImportItem,
)
from ghiseu.audit.services import audit_record
from ghiseu.core.errors import DomainError
from ghiseu.core.files import verify_stored
from ghiseu.core.models import StoredFile

log = logging.getLogger(__name__)

NOTIFICATION_KEY = "archive.fixity_problem"


@dataclass
class FixityReport:
    checked: int = 0
    ok: int = 0
    new_problems: list[int] = field(default_factory=list)  # FixityProblem ids found this run
    still_open: list[int] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)

    @property
    def problems(self) -> int:
        return len(self.new_problems) + len(self.still_open)

    def as_dict(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "ok": self.ok,
            "new_problems": self.new_problems,
            "still_open": self.still_open,
            "resolved": self.resolved,
        }


def archive_files(*, include_all_files: bool = False) -> QuerySet[StoredFile]:
    """The stored files the archive answers for (every stored file with `include_all_files`)."""
    if include_all_files:
        return StoredFile.objects.all()
    return StoredFile.objects.filter(
        Q(pk__in=DocumentVersion.objects.values("file_id"))
        | Q(pk__in=ImportItem.objects.filter(original__isnull=False).values("original_id"))
    )


def _oldest_checked_first(files: QuerySet[StoredFile]) -> QuerySet[StoredFile]:
    checks = FixityCheck.objects.filter(stored_file=OuterRef("pk"))
    return files.annotate(last_checked=checks.values("checked_at")[:1]).order_by(
        F("last_checked").asc(nulls_first=True), "pk"
    )


def _documents_of(stored: StoredFile) -> list[dict[str, str]]:
    versions = DocumentVersion.objects.filter(file=stored).select_related("document__dossier__file_code")
    return [
        {
            "uid": str(v.document.uid),
            "title": v.document.title,
            "kind": v.kind,
            "dossier": f"{v.document.dossier.file_code.code}/{v.document.dossier.year}",
        }
        for v in versions
    ]


def _notify_archivists(problem: FixityProblem, documents: list[dict[str, str]]) -> int:
    """Tell every archivist through the notifications app, when it is installed; returns how many."""
    if not apps.is_installed("ghiseu.notifications"):
        return 0
    from ghiseu.notifications.services import notification_send

    context = {
        "problem_kind": problem.kind,
        "problem_label": str(FixityProblemKind(problem.kind).label),
        "sha256": problem.stored_file.sha256,
        "detected_at": problem.detected_at.isoformat(),
        "documents": documents,
    }
    sent = 0
    for archivist in User.objects.filter(role=Role.ARCHIVIST, is_active=True):
        try:
            with transaction.atomic():
                notification_send(key=NOTIFICATION_KEY, to_user=archivist, context=context, related=problem)
            sent += 1
        except DomainError as exc:  # no template yet, or nowhere to deliver: the record stays
            log.warning("fixity problem %s not notified to %s: %s", problem.pk, archivist, exc)
    return sent


def _record(stored: StoredFile, ok: bool, report: FixityReport) -> None:
    now = timezone.now()
    with transaction.atomic():
        FixityCheck.objects.update_or_create(stored_file=stored, defaults={"checked_at": now, "ok": ok})
        open_problem = FixityProblem.objects.select_for_update().filter(stored_file=stored, resolved_at=None).first()
        if ok:
            report.ok += 1
            if open_problem is not None:
                open_problem.resolved_at = now
                open_problem.save(update_fields=["resolved_at"])
                audit_record(
                    actor="archive_fixity",
                    action="archive.fixity_resolved",
                    obj=open_problem,
                    summary={"sha256": stored.sha256},
                )
                report.resolved.append(open_problem.pk)
            return
        kind = FixityProblemKind.MISMATCH if default_storage.exists(stored.storage_name) else FixityProblemKind.MISSING
        if open_problem is not None:
            open_problem.last_seen_at = now
            open_problem.kind = kind
            open_problem.save(update_fields=["last_seen_at", "kind"])
            report.still_open.append(open_problem.pk)
            return
        documents = _documents_of(stored)
        problem = FixityProblem.objects.create(
            stored_file=stored,
            kind=kind,
            detected_at=now,
            last_seen_at=now,
            detail="; ".join(f"{d['dossier']} {d['title']} ({d['kind']})" for d in documents)[:2000],
        )
        audit_record(
            actor="archive_fixity",
            action="archive.fixity_problem",
            obj=problem,
            summary={"sha256": stored.sha256, "kind": kind, "documents": [d["uid"] for d in documents]},
        )
        _notify_archivists(problem, documents)
        report.new_problems.append(problem.pk)


def fixity_check(
    *,
    limit: int | None = None,
    include_all_files: bool = False,
    files: QuerySet[StoredFile] | None = None,
    on_file: Any = None,
) -> FixityReport:
    """Check up to `limit` files (all by default), oldest check first; returns what was found."""
    queryset = _oldest_checked_first(files if files is not None else archive_files(include_all_files=include_all_files))
    if limit is not None:
        queryset = queryset[:limit]
    report = FixityReport()
    for stored in queryset.iterator(chunk_size=500):
        try:
            ok = verify_stored(stored)
        except OSError as exc:
            log.warning("fixity: reading %s failed: %s", stored.storage_name, exc)
            ok = False
        report.checked += 1
        _record(stored, ok, report)
        if on_file is not None:
            on_file(stored)
    return report
