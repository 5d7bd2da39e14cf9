"""The archivist's duties: handover (inventory, report, register), retention and disposal
(nothing destroyed without a recorded confirmation; the record stays, the files go), BagIt export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import bagit
import pypdfium2
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ghiseu.accounts.models import Role
from ghiseu.accounts.tests.factories import StaffFactory
from ghiseu.archive.models import (
    AccessClass,
    AccessLogEntry,
    DisposalProposal,
    DisposalRecord,
    DisposalStatus,
    DocumentVersion,
    Dossier,
    DossierStatus,
    Page,
)
from ghiseu.archive.services import disposal, handover
from ghiseu.archive.services.export import dossiers_export_bag
from ghiseu.archive.tests.factories import document_with_files, new_dossier
from ghiseu.audit.models import AuditEvent
from ghiseu.core.errors import DomainError, PermissionDenied
from ghiseu.core.models import StoredFile

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(data)
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


@pytest.fixture
def dossiers(nomenclator: Any, taxes_dept: Any) -> dict[str, Any]:
    """A 2015 dossier kept 5 years (due), a permanent one, and a 2025 one kept 5 years (not due)."""
    due = new_dossier(file_code=nomenclator["III/B/4"], year=2015, volume=1, physical_location="Raft 3")
    document_with_files(dossier=due, content=b"%PDF-1.4 due one", page_count=3)
    document_with_files(dossier=due, content=b"%PDF-1.4 due two", page_count=2)
    permanent = new_dossier(file_code=nomenclator["III/B/1"], year=2015, volume=1)
    document_with_files(dossier=permanent, content=b"%PDF-1.4 permanent", page_count=4)
    recent = new_dossier(file_code=nomenclator["III/B/4"], year=timezone.localdate().year - 1, volume=1)
    return {"due": due, "permanent": permanent, "recent": recent}


# --- Handover ---------------------------------------------------------------------------------


def test_inventory_and_handover_report_list_a_departments_dossiers_of_a_year(archivist, dossiers, taxes_dept):
    data = handover.handover_inventory_pdf(user=archivist, department=taxes_dept, year=2015)
    text = pdf_text(data)
    assert "INVENTAR" in text and "Anexa nr. 2" in text and "Primăria Municipiului Lupeni" in text
    assert "III/B/4" in text and "III/B/1" in text and dossiers["due"].title in text
    rows = handover.inventory_rows(handover.handover_dossiers(department=taxes_dept, year=2015))
    assert [(r.file_code, r.pages) for r in rows] == [("III/B/1", 4), ("III/B/4", 5)]
    report = pdf_text(handover.handover_report_pdf(user=archivist, department=taxes_dept, year=2015))
    assert "PROCES-VERBAL DE PREDARE-PRIMIRE" in report and "Anexa nr. 3" in report and "9 file" in report


def test_recording_the_handover_marks_the_dossiers_with_an_audit_event_and_fills_the_register(
    archivist, dossiers, taxes_dept
):
    assert handover.handover_record(actor=archivist, department=taxes_dept, year=2015) == 2
    due = Dossier.objects.get(pk=dossiers["due"].pk)
    assert due.status == DossierStatus.HANDED_OVER and due.handed_over_at is not None
    assert AuditEvent.objects.filter(action="archive.dossier_handed_over").count() == 2
    assert Dossier.objects.get(pk=dossiers["recent"].pk).status == DossierStatus.OPEN
    register = pdf_text(handover.archive_register_pdf(user=archivist))
    assert "Anexa nr. 4" in register and dossiers["due"].title in register
    with pytest.raises(DomainError):  # nothing left to hand over
        handover.handover_record(actor=archivist, department=taxes_dept, year=2015)


def test_handover_pages_and_pdfs_for_the_archivist_only(client, archivist, dossiers, taxes_dept):
    officer = StaffFactory(role=Role.OFFICER, department=taxes_dept)
    with pytest.raises(PermissionDenied):
        handover.handover_record(actor=officer, department=taxes_dept, year=2015)
    client.force_login(officer)
    query = {"department": taxes_dept.pk, "year": 2015}
    assert client.get(reverse("archive:handover-inventory"), query).status_code == 403
    client.force_login(archivist)
    page = client.get(reverse("archive:handover"), query)
    assert page.status_code == 200 and dossiers["due"].title in page.content.decode()
    pdf = client.get(reverse("archive:handover-inventory"), query)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get(reverse("archive:handover-report"), query).content.startswith(b"%PDF")
    assert client.get(reverse("archive:handover-inventory"), {"year": "x"}).status_code == 400
    response = client.post(reverse("archive:handover"), query)
    assert response.status_code == 302
    assert Dossier.objects.get(pk=dossiers["due"].pk).status == DossierStatus.HANDED_OVER
    assert client.get(reverse("archive:register")).content.startswith(b"%PDF")


# --- Retention and disposal --------------------------------------------------------------------


def test_only_dossiers_past_their_retention_are_due_and_permanent_ones_never(archivist, dossiers):
    due = list(disposal.dossiers_due_for_selection())
    assert due == [dossiers["due"]]
    assert due[0].expiry_year == 2020
    with pytest.raises(DomainError) as error:
        disposal.disposal_propose(actor=archivist, dossiers=[dossiers["permanent"]])
    assert error.value.code == "permanent"
    with pytest.raises(DomainError):
        disposal.disposal_propose(actor=archivist, dossiers=[dossiers["recent"]])
    assert not DisposalProposal.objects.exists()


def test_nothing_is_destroyed_until_the_decision_is_confirmed_then_the_files_go_and_the_record_stays(
    archivist, dossiers, django_capture_on_commit_callbacks
):
    dossier = dossiers["due"]
    files = list(
        StoredFile.objects.filter(pk__in=DocumentVersion.objects.filter(document__dossier=dossier).values("file"))
    )
    assert len(files) == 4
    proposal = disposal.disposal_propose(actor=archivist, dossiers=[dossier])
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.PROPOSED_FOR_DISPOSAL
    pdf = pdf_text(disposal.disposal_proposal_pdf(user=archivist, proposal=proposal))
    assert "PROPUNERE DE ELIMINARE" in pdf and "III/B/4" in pdf

    for number, date in (("", dt.date(2026, 1, 5)), ("12", None), ("12", timezone.localdate() + dt.timedelta(days=2))):
        with pytest.raises(DomainError):
            disposal.disposal_confirm(actor=archivist, proposal=proposal, decision_number=number, decision_date=date)
    # Still everything there: no confirmation, no destruction.
    assert all(default_storage.exists(f.storage_name) for f in files)
    assert Page.objects.filter(document__dossier=dossier).count() == 2
    assert not DisposalRecord.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        disposal.disposal_confirm(
            actor=archivist, proposal=proposal, decision_number="7/2026", decision_date=dt.date(2026, 1, 5)
        )

    proposal.refresh_from_db()
    assert proposal.status == DisposalStatus.CONFIRMED and proposal.confirmed_by == archivist
    assert (proposal.decision_number, proposal.decision_date) == ("7/2026", dt.date(2026, 1, 5))
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.DISPOSED
    assert not any(default_storage.exists(f.storage_name) for f in files)
    assert not StoredFile.objects.filter(pk__in=[f.pk for f in files]).exists()
    assert not Page.objects.filter(document__dossier=dossier).exists()
    record = DisposalRecord.objects.get()
    assert (record.file_code, record.year, record.title, record.pages) == ("III/B/4", 2015, dossier.title, 5)
    recorded = {entry[key] for entry in record.documents for key in ("original_sha256", "archival_sha256")}
    assert recorded == {f.sha256 for f in files}
    assert AuditEvent.objects.filter(action="archive.dossier_disposed").count() == 1
    with pytest.raises(DomainError):  # once only
        disposal.disposal_confirm(
            actor=archivist, proposal=proposal, decision_number="8", decision_date=dt.date(2026, 1, 6)
        )
    # The permanent dossier was never touched.
    assert Dossier.objects.get(pk=dossiers["permanent"].pk).status == DossierStatus.OPEN


def test_selection_and_confirmation_pages(client, archivist, dossiers):
    client.force_login(archivist)
    page = client.get(reverse("archive:selection")).content.decode()
    assert dossiers["due"].title in page and dossiers["permanent"].title not in page
    response = client.post(reverse("archive:selection"), {"dossiers": [dossiers["permanent"].pk]})
    assert response.status_code == 400 and not DisposalProposal.objects.exists()
    response = client.post(reverse("archive:selection"), {"dossiers": [dossiers["due"].pk]})
    proposal = DisposalProposal.objects.get()
    assert response["Location"] == reverse("archive:proposal", args=[proposal.pk])
    assert client.get(reverse("archive:proposal-pdf", args=[proposal.pk])).content.startswith(b"%PDF")
    # Without ticking the confirmation nothing happens.
    response = client.post(
        reverse("archive:proposal", args=[proposal.pk]), {"decision_number": "7", "decision_date": "2026-01-05"}
    )
    assert response.status_code == 400 and Page.objects.filter(document__dossier=dossiers["due"]).exists()
    response = client.post(
        reverse("archive:proposal", args=[proposal.pk]),
        {"decision_number": "7", "decision_date": "2026-01-05", "confirm": "on"},
    )
    assert response.status_code == 302 and DisposalRecord.objects.count() == 1
    assert "Evidența eliminării" in client.get(reverse("archive:proposal", args=[proposal.pk])).content.decode()


# --- BagIt export -------------------------------------------------------------------------------


def test_a_set_of_dossiers_exports_as_a_valid_bag_with_metadata_originals_and_copies(archivist, dossiers, tmp_path):
    target = tmp_path / "bag"
    bag = dossiers_export_bag(actor=archivist, dossiers=[dossiers["due"], dossiers["permanent"]], target=target)
    assert bagit.Bag(str(target)).is_valid() and bag.info["Source-Organization"] == "Primăria Municipiului Lupeni"
    folder = target / "data" / "III-B-4_2015"
    sheet = json.loads((folder / "dossier.json").read_text(encoding="utf-8"))
    assert sheet["dossier"]["file_code"] == "III/B/4" and len(sheet["documents"]) == 2
    first = sheet["documents"][0]
    original = (folder / first["files"]["original"]).read_bytes()
    assert original == b"%PDF-1.4 due one"
    assert (folder / first["files"]["archival"]).read_bytes() == b"%PDF-1.4 due one archival copy"
    rows = list(csv.DictReader(io.StringIO((folder / "documents.csv").read_text(encoding="utf-8-sig"))))
    assert [r["unique_id"] for r in rows] == [d["unique_id"] for d in sheet["documents"]]
    assert rows[0]["original_sha256"] == first["original"]["sha256"]
    assert (target / "data" / "III-B-1_2015" / "dossier.json").exists()
    log = AccessLogEntry.objects.filter(user=archivist, action="download")
    assert log.count() == 3 and all(entry.detail == "export BagIt bag" for entry in log)
    # A tampered payload fails validation.
    (folder / first["files"]["original"]).write_bytes(b"changed")
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(target)).validate()


def test_only_who_may_read_every_document_exports(dossiers, taxes_dept, tmp_path):
    document_with_files(dossier=dossiers["due"], access=AccessClass.PERSONAL_DATA, content=b"%PDF-1.4 cnp")
    admin = StaffFactory(role=Role.ADMIN, department=taxes_dept)
    with pytest.raises(PermissionDenied):
        dossiers_export_bag(actor=admin, dossiers=[dossiers["due"]], target=tmp_path / "bag")
    assert not (tmp_path / "bag").exists() and not AccessLogEntry.objects.exists()


def test_export_command_and_staff_download(client, archivist, dossiers, tmp_path):
    out = tmp_path / "export"
    call_command("archive_export", str(out), "--code", "III/B/4", "--year", "2015", stdout=io.StringIO())
    assert bagit.Bag(str(out)).is_valid()
    client.force_login(archivist)
    response = client.post(reverse("archive:dossier-export"), {"dossier": [dossiers["due"].pk]})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    extracted = tmp_path / "downloaded"
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        archive.extractall(extracted)
    (bag_dir,) = list(Path(extracted).iterdir())
    bagit.Bag(str(bag_dir)).validate()
    assert AuditEvent.objects.filter(action="archive.dossier_exported").count() == 2
