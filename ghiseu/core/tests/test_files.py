from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings

from ghiseu.core.errors import DomainError
from ghiseu.core.files import check_upload, open_stored, store_file, verify_stored
from ghiseu.core.models import StoredFile

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def test_type_is_read_from_the_bytes_not_the_name():
    assert check_upload(io.BytesIO(PDF), name="scan.jpg") == "application/pdf"
    assert check_upload(io.BytesIO(PNG), name="document.pdf") == "image/png"
    with pytest.raises(DomainError) as err:
        check_upload(io.BytesIO(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" * 20), name="cerere.pdf")
    assert err.value.code == "bad_type"
    assert "cerere.pdf" in str(err.value)


def test_empty_and_oversize_files_are_refused():
    with pytest.raises(DomainError):
        check_upload(io.BytesIO(b""), name="gol.pdf")
    with override_settings(GHISEU_MAX_UPLOAD_BYTES=10), pytest.raises(DomainError) as err:
        check_upload(io.BytesIO(PDF), name="mare.pdf")
    assert err.value.code == "too_large"


def test_same_content_is_stored_once_unaltered_under_its_hash(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    first = store_file(io.BytesIO(PDF), content_type="application/pdf")
    second = store_file(io.BytesIO(PDF), content_type="application/pdf")
    assert first.pk == second.pk and StoredFile.objects.count() == 1
    assert first.sha256 == hashlib.sha256(PDF).hexdigest()
    assert first.storage_name.endswith(first.sha256)
    with open_stored(first) as fh:
        assert fh.read() == PDF
    assert verify_stored(first)


def test_fixity_check_sees_a_changed_or_missing_file(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    stored = store_file(io.BytesIO(PDF), content_type="application/pdf")
    (tmp_path / stored.storage_name).write_bytes(PDF + b"tampered")
    assert not verify_stored(stored)
    default_storage.delete(stored.storage_name)
    assert not verify_stored(stored)
