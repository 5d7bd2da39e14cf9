"""A closed registry entry with a file code files its attachments (and its replies') into the
dossier of that file code and year — queued in the closing transaction, filed once."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from ghiseu.accounts.tests.factories import NomenclatorEntryFactory
from ghiseu.archive.models import Document, DocumentVersion, Dossier, VersionKind
from ghiseu.archive.services import filing
from ghiseu.archive.services.filing import registry_entry_file
from ghiseu.archive.tests.helpers import ROMANIAN_LINES, png_bytes, render_text_image
from ghiseu.archive.tests.worker import run_worker
from ghiseu.registry.models import DocumentType, Entry
from ghiseu.registry.services import Upload, entry_close, entry_register, entry_reply

pytestmark = pytest.mark.django_db

FILING_TASK = "ghiseu.archive.tasks.archive_file_entry"


@pytest.fixture
def fake_filing_ocr(fake_ocr: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(filing, "ocr_scan", fake_ocr)
    return fake_ocr


@pytest.fixture
def file_code(urbanism: Any) -> Any:
    return NomenclatorEntryFactory(
        code="IV/A/1", name="Certificate de urbanism", department=urbanism, retention_years=10
    )


def register(clerk: Any, urbanism: Any, file_code: Any, files: dict[str, bytes]) -> Entry:
    return entry_register(
        actor=clerk,
        direction="incoming",
        channel="counter",
        document_type=DocumentType.objects.get(code="correspondence"),
        sender="Ion Popescu",
        subject="Cerere certificat de urbanism",
        department=urbanism,
        file_code=file_code,
        files=[Upload(file=io.BytesIO(data), name=name, size=len(data)) for name, data in files.items()],
    )


def filing_tasks() -> int:
    return DBTaskResult.objects.filter(task_path=FILING_TASK).count()


def test_closing_an_entry_files_its_and_its_replies_attachments_into_the_dossier(
    clerk, head, urbanism, file_code, fake_filing_ocr
):
    scan = png_bytes(render_text_image(ROMANIAN_LINES))
    entry = register(clerk, urbanism, file_code, {"cerere.png": scan, "anexa.txt": b"Anexa in text simplu"})
    entry_reply(
        actor=head,
        entry=entry,
        recipient="Ion Popescu",
        subject="Certificatul de urbanism",
        files=[Upload(file=io.BytesIO(b"%PDF-1.4 raspuns"), name="raspuns.pdf", size=16)],
        close=True,
    )
    assert filing_tasks() == 1
    assert not Document.objects.exists()  # nothing filed before the worker runs

    run_worker()

    dossier = Dossier.objects.get()
    assert (dossier.file_code, dossier.year, dossier.department) == (file_code, entry.year, urbanism)
    assert dossier.retention_years == 10
    documents = {d.versions.get(kind=VersionKind.ORIGINAL).original_name: d for d in dossier.documents.all()}
    assert set(documents) == {"cerere.png", "anexa.txt", "raspuns.pdf"}
    scanned = documents["cerere.png"]
    assert scanned.pages.count() == 1 and "registratura" in scanned.pages.get().text.lower()
    assert scanned.versions.get(kind=VersionKind.ARCHIVAL).file.content_type == "application/pdf"
    assert entry.display_number in scanned.title
    text_only = documents["anexa.txt"]  # not a scan: its original is its only copy
    versions = {v.kind: v.file_id for v in text_only.versions.all()}
    assert versions[VersionKind.ORIGINAL] == versions[VersionKind.ARCHIVAL] and not text_only.pages.exists()
    originals = set(DocumentVersion.objects.filter(kind="original").values_list("file__sha256", flat=True))
    attached = {a.file.sha256 for a in entry.attachments.all()} | {
        a.file.sha256 for reply in entry.replies.all() for a in reply.attachments.all()
    }
    assert originals == attached  # the originals are the registry's stored files, unaltered

    # Running again (or a second delivery of the task) files nothing twice.
    assert registry_entry_file(entry_id=entry.pk) == {"filed": 0, "skipped": 3}
    assert Document.objects.count() == 3


def test_an_entry_without_a_file_code_queues_nothing(clerk, head, urbanism):
    entry = register(clerk, urbanism, None, {"cerere.pdf": b"%PDF-1.4 x"})
    entry_close(actor=head, entry=entry, outcome="Rezolvat")
    assert filing_tasks() == 0


def test_a_rolled_back_close_queues_nothing(clerk, head, urbanism, file_code):
    entry = register(clerk, urbanism, file_code, {"cerere.pdf": b"%PDF-1.4 x"})
    with pytest.raises(RuntimeError), transaction.atomic():
        entry_close(actor=head, entry=entry, outcome="Rezolvat")
        assert filing_tasks() == 1  # queued inside the closing transaction
        raise RuntimeError("rollback")
    assert filing_tasks() == 0
    entry.refresh_from_db()
    assert entry.status != "closed"


def test_the_same_bytes_already_in_the_archive_are_not_filed_again(clerk, head, urbanism, file_code, fake_filing_ocr):
    first = register(clerk, urbanism, file_code, {"cerere.pdf": b"%PDF-1.4 same"})
    entry_close(actor=head, entry=first, outcome="Rezolvat")
    second = register(clerk, urbanism, file_code, {"copie.pdf": b"%PDF-1.4 same"})
    entry_close(actor=head, entry=second, outcome="Rezolvat")
    run_worker()
    assert Document.objects.count() == 1 and Dossier.objects.count() == 1
