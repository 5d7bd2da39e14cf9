"""Fixity: a changed or missing stored file is found, recorded once, audited and reported."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from ghiseu.archive.models import FixityCheck, FixityProblem, FixityProblemKind, VersionKind
from ghiseu.archive.services.fixity import NOTIFICATION_KEY, fixity_check
from ghiseu.archive.tests.factories import document_with_files
from ghiseu.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _overwrite(stored, data: bytes) -> None:
    with open(default_storage.path(stored.storage_name), "wb") as fh:
        fh.write(data)


def test_intact_files_pass_and_are_marked_checked():
    document = document_with_files()

    report = fixity_check()

    assert report.checked == 2 and report.ok == 2 and report.problems == 0
    assert FixityCheck.objects.filter(ok=True).count() == 2
    assert not FixityProblem.objects.exists()
    assert document.versions.count() == 2


def test_a_changed_file_is_recorded_once_audited_and_resolved_when_restored():
    document = document_with_files(content=b"%PDF-1.4 the original bytes")
    original = document.versions.get(kind=VersionKind.ORIGINAL).file
    _overwrite(original, b"%PDF-1.4 tampered bytes!!!")

    first = fixity_check()

    assert first.checked == 2 and first.ok == 1
    problem = FixityProblem.objects.get()
    assert problem.stored_file == original and problem.kind == FixityProblemKind.MISMATCH
    assert problem.resolved_at is None and document.title in problem.detail
    event = AuditEvent.objects.get(action="archive.fixity_problem")
    assert event.summary["sha256"] == original.sha256 and event.summary["documents"] == [str(document.uid)]

    again = fixity_check()  # found again: still one open problem, no second audit event
    assert again.still_open == [problem.pk] and again.new_problems == []
    assert FixityProblem.objects.count() == 1
    assert AuditEvent.objects.filter(action="archive.fixity_problem").count() == 1

    _overwrite(original, b"%PDF-1.4 the original bytes")  # restored from the backup
    restored = fixity_check()
    assert restored.resolved == [problem.pk]
    problem.refresh_from_db()
    assert problem.resolved_at is not None
    assert AuditEvent.objects.filter(action="archive.fixity_resolved").exists()


def test_a_missing_file_is_a_missing_file_problem():
    document = document_with_files()
    archival = document.versions.get(kind=VersionKind.ARCHIVAL).file
    default_storage.delete(archival.storage_name)

    report = fixity_check()

    assert report.new_problems
    assert FixityProblem.objects.get().kind == FixityProblemKind.MISSING


def test_the_archivist_is_notified(archivist):
    from ghiseu.notifications.models import Notification
    from ghiseu.notifications.services import template_publish

    template_publish(
        key=NOTIFICATION_KEY,
        language="ro",
        subject="Problemă de integritate în arhivă",
        body_text="Fișierul {{ sha256 }} ({{ problem_label }}) nu mai corespunde.",
    )
    document = document_with_files()
    original = document.versions.get(kind=VersionKind.ORIGINAL).file
    _overwrite(original, b"changed")

    fixity_check()

    notification = Notification.objects.get(recipient=archivist, channel="inbox")
    assert original.sha256 in notification.body


def test_the_default_template_tells_the_archivist_which_document_is_affected(archivist):
    from ghiseu.notifications.models import Notification

    document = document_with_files()
    original = document.versions.get(kind=VersionKind.ORIGINAL).file
    _overwrite(original, b"changed")

    fixity_check()

    notification = Notification.objects.get(recipient=archivist, channel="inbox")
    assert notification.subject.startswith("Arhivă: problemă de integritate")
    assert original.sha256 in notification.body and document.title in notification.body


def test_a_missing_notification_template_does_not_stop_the_check(archivist):
    from ghiseu.notifications.models import Notification, NotificationTemplate

    NotificationTemplate.objects.filter(key=NOTIFICATION_KEY).delete()
    document = document_with_files()
    _overwrite(document.versions.get(kind=VersionKind.ORIGINAL).file, b"changed")

    report = fixity_check()

    assert len(report.new_problems) == 1 and FixityProblem.objects.count() == 1
    assert not Notification.objects.filter(recipient=archivist).exists()


def test_the_command_fails_while_a_problem_is_open_and_checks_in_rounds():
    document = document_with_files()
    out = io.StringIO()
    call_command("archive_fixity", "--limit", "1", stdout=out)
    first = set(FixityCheck.objects.values_list("stored_file_id", flat=True))
    call_command("archive_fixity", "--limit", "1", stdout=out)
    # Never-checked files first: two rounds of one file each covered both files.
    both = set(FixityCheck.objects.values_list("stored_file_id", flat=True))
    assert len(first) == 1 and len(both) == 2

    _overwrite(document.versions.get(kind=VersionKind.ARCHIVAL).file, b"changed")
    with pytest.raises(CommandError, match="1 fișiere"):
        call_command("archive_fixity", stdout=out)
