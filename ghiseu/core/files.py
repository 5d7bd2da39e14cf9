"""Content-addressed storage of originals: type checked on the bytes, size limited, never altered."""

from __future__ import annotations

import hashlib
from typing import IO

import magic
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ghiseu.core.errors import DomainError
from ghiseu.core.models import StoredFile

_CHUNK = 1024 * 1024


def sniff_content_type(head: bytes) -> str:
    """The content type read from the first bytes of a file (libmagic), never from its name."""
    return str(magic.from_buffer(head, mime=True))


def check_upload(upload: IO[bytes], *, name: str, size: int | None = None) -> str:
    """Raise a DomainError when the file is empty, too large or of a type not accepted.

    Returns the content type detected from the bytes.
    """
    limit = settings.GHISEU_MAX_UPLOAD_BYTES
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    upload.seek(0)
    if size == 0:
        raise DomainError(_("Fișierul „%(name)s” este gol.") % {"name": name}, field="attachments")
    if size > limit:
        raise DomainError(
            _("Fișierul „%(name)s” are %(size)s; limita este %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)},
            field="attachments",
            code="too_large",
        )
    content_type = sniff_content_type(upload.read(8192))
    upload.seek(0)
    if content_type not in settings.GHISEU_ALLOWED_CONTENT_TYPES:
        raise DomainError(
            _("Fișierul „%(name)s” nu are un tip acceptat (conținutul său este %(type)s).")
            % {"name": name, "type": content_type},
            field="attachments",
            code="bad_type",
        )
    return content_type


def store_file(upload: IO[bytes], *, content_type: str) -> StoredFile:
    """Keep the bytes under their SHA-256; the same content is stored once."""
    digest = hashlib.sha256()
    size = 0
    upload.seek(0)
    for chunk in iter(lambda: upload.read(_CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    sha = digest.hexdigest()
    existing = StoredFile.objects.filter(sha256=sha).first()
    if existing is not None:
        return existing
    name = f"sha256/{sha[:2]}/{sha[2:4]}/{sha}"
    if not default_storage.exists(name):
        upload.seek(0)
        saved = default_storage.save(name, File(upload, name=sha))
        if saved != name:
            # Another process stored the same content under its address first (the storage then
            # picks another name): the address already holds these bytes, keep that copy.
            default_storage.delete(saved)
            if not default_storage.exists(name):
                raise RuntimeError(f"storage refused the content address {name}")
    try:
        with transaction.atomic():
            return StoredFile.objects.create(sha256=sha, size=size, content_type=content_type, storage_name=name)
    except IntegrityError:  # stored concurrently by another transaction
        return StoredFile.objects.get(sha256=sha)


def open_stored(stored: StoredFile) -> IO[bytes]:
    return default_storage.open(stored.storage_name, "rb")


def verify_stored(stored: StoredFile) -> bool:
    """True when the stored bytes still hash to their address."""
    if not default_storage.exists(stored.storage_name):
        return False
    digest = hashlib.sha256()
    with default_storage.open(stored.storage_name, "rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest() == stored.sha256
