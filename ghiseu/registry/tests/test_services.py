from __future__ import annotations

import io

import pytest
from django.utils import timezone

from ghiseu.audit.models import AuditEvent
from ghiseu.core.errors import DomainError, PermissionDenied
from ghiseu.registry.models import Attachment, Entry, Status
from ghiseu.registry.services import Upload, entry_assign, entry_close, entry_reply
from ghiseu.registry.tests.helpers import register

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_numbers_follow_each_other_and_due_date_is_set(clerk):
    first = register(clerk)
    second = register(clerk)
    assert (first.number, second.number) == (1, 2)
    assert first.year == timezone.localdate().year
    assert first.due_date is not None and first.due_date >= timezone.localdate()
    assert first.display_number == f"1/{timezone.localdate():%d.%m.%Y}"
    assert AuditEvent.objects.filter(action="registry.entry.registered").count() == 2


def test_reply_takes_the_number_it_answers(clerk, urbanism):
    entry = register(clerk, department=urbanism)
    reply = entry_reply(actor=clerk, entry=entry, recipient="Ion Ionescu", subject="Răspuns", close=True)
    register(clerk)
    assert reply.number == entry.number and reply.answers == entry
    entry.refresh_from_db()
    assert entry.status == Status.CLOSED
    assert Entry.objects.filter(answers__isnull=True).count() == 2


def test_bad_input_writes_nothing(clerk):
    with pytest.raises(DomainError):
        register(clerk, sender="   ")
    with pytest.raises(DomainError):
        register(clerk, files=[Upload(io.BytesIO(b"MZ\x90\x00binary"), "virus.pdf")])
    assert Entry.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_attachment_is_content_addressed(clerk):
    entry = register(clerk, files=[Upload(io.BytesIO(PDF), "scan.pdf"), Upload(io.BytesIO(PDF), "copie.pdf")])
    atts = Attachment.objects.filter(entry=entry)
    assert atts.count() == 2
    assert len({a.file_id for a in atts}) == 1
    assert atts[0].file.content_type == "application/pdf"


def test_officer_of_another_department_cannot_route_or_close(clerk, urbanism, other_officer, taxes):
    entry = register(clerk, department=urbanism)
    with pytest.raises(PermissionDenied):
        entry_assign(actor=other_officer, entry=entry, department=taxes)
    with pytest.raises(PermissionDenied):
        entry_close(actor=other_officer, entry=entry, outcome="Rezolvat")
