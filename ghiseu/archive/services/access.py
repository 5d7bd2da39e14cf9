"""Reading the archive: every view and every download is checked and logged (who, when, what)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _

from ghiseu.archive import permissions
from ghiseu.archive.models import AccessAction, AccessLogEntry, Document, DocumentVersion, Dossier, VersionKind
from ghiseu.core.errors import DomainError, PermissionDenied
from ghiseu.core.files import open_stored


def _label(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return "anonim"
    return str(user.get_username())[:200]


def archive_log_access(
    *,
    user: Any,
    action: str,
    document: Document | None = None,
    dossier: Dossier | None = None,
    page: int | None = None,
    detail: str = "",
) -> AccessLogEntry:
    """Check that `user` may read the document (or dossier) and log the view or download.

    Raises PermissionDenied (nothing logged) when the user may not read it. The log is its
    own append-only table, not the audit chain: reads are many and change nothing.
    """
    if action not in AccessAction.values:
        raise DomainError(_("Acțiune necunoscută: %(action)s.") % {"action": action}, code="bad_action")
    if document is None and dossier is None:
        raise DomainError(_("Precizați documentul sau dosarul."), code="no_target")
    if document is not None:
        if dossier is not None and dossier.pk != document.dossier_id:
            raise DomainError(_("Documentul nu este în acest dosar."), code="wrong_dossier")
        dossier = document.dossier
        allowed = permissions.can_view_document(user, document)
    else:
        assert dossier is not None
        allowed = permissions.can_view_dossier(user, dossier)
    if not allowed:
        raise PermissionDenied(_("Nu aveți acces la acest document."), code="forbidden")
    return AccessLogEntry.objects.create(
        user=user if getattr(user, "pk", None) else None,
        user_label=_label(user),
        action=action,
        dossier=dossier,
        document=document,
        page=page,
        detail=detail[:200],
    )


@dataclass(frozen=True)
class OpenedFile:
    file: IO[bytes]
    name: str
    content_type: str
    size: int


def archive_download(*, user: Any, document: Document, kind: str = VersionKind.ARCHIVAL) -> OpenedFile:
    """Open a version of a document for download, logging it; the caller closes the file."""
    version = DocumentVersion.objects.select_related("file").filter(document=document, kind=kind).first()
    if version is None:
        raise DomainError(_("Documentul nu are această versiune."), code="no_version", field="kind")
    archive_log_access(user=user, action=AccessAction.DOWNLOAD, document=document, detail=kind)
    return OpenedFile(
        file=open_stored(version.file),
        name=version.original_name or f"{document.uid}",
        content_type=version.file.content_type,
        size=version.file.size,
    )
