"""Writes of the registry. Each function validates first, then writes in one transaction
with its audit event; nothing is half-written when a rule is broken."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ghiseu.accounts.models import Department, NomenclatorEntry, User
from ghiseu.audit.services import Change, audit_record
from ghiseu.core.calendar import WorkingCalendar
from ghiseu.core.errors import DomainError, PermissionDenied
from ghiseu.core.files import check_upload, store_file
from ghiseu.core.memo import CommittedCache
from ghiseu.core.sql import insert_row
from ghiseu.core.text import clean_text, fold
from ghiseu.registry import permissions
from ghiseu.registry.indexing import entry_search_insert, entry_search_update
from ghiseu.registry.locks import NUMBER_MARK, insert_entry, lock_entry, reserve_entry_id
from ghiseu.registry.models import (
    Assignment,
    Attachment,
    Channel,
    Direction,
    DocumentType,
    Entry,
    Register,
    Status,
)
from ghiseu.registry.signals import entry_closed

TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud on the phone
# 32 letters: a random byte's low 5 bits pick one uniformly (256 = 8 × 32), as secrets.choice would.
_TRACKING_TABLE = bytes(ord(TRACKING_ALPHABET[b % len(TRACKING_ALPHABET)]) for b in range(256))
assert 256 % len(TRACKING_ALPHABET) == 0


def new_tracking_code() -> str:
    return secrets.token_bytes(10).translate(_TRACKING_TABLE).decode("ascii")


_DIRECTIONS = frozenset(Direction.values)
_CHANNELS = frozenset(Channel.values)


@dataclass(frozen=True)
class Upload:
    """A file handed to the registry: its bytes, its name as the sender gave it, its size."""

    file: IO[bytes]
    name: str
    size: int | None = None


def _load_general_register() -> Register | None:
    return Register.objects.filter(is_general=True).first()


_general_register = CommittedCache(_load_general_register, models=["registry.Register"])


def general_register() -> Register:
    register = _general_register.get()
    if register is None:
        raise DomainError(_("Registrul general nu este configurat."), code="no_register")
    return register


def compute_due_date(
    document_type: DocumentType, registered_on: dt.date, calendar: WorkingCalendar | None = None
) -> dt.date | None:
    if document_type.deadline_days is None:
        return None
    calendar = calendar or WorkingCalendar()
    return calendar.due_date(registered_on, document_type.deadline_days, document_type.deadline_kind)


def _check_assignee(department: Department | None, assignee: User | None) -> None:
    if assignee is None:
        return
    if department is None or assignee.department_id != department.pk or not assignee.is_staff_member:
        raise DomainError(_("Persoana aleasă nu lucrează în compartimentul ales."), field="assignee")


def entry_register(
    *,
    actor: User | None,
    direction: str,
    channel: str,
    document_type: DocumentType,
    sender: str,
    subject: str,
    register: Register | None = None,
    sender_address: str = "",
    sender_email: str = "",
    sender_reference: str = "",
    sender_date: dt.date | None = None,
    pages: int = 1,
    annexes: int = 0,
    file_code: NomenclatorEntry | None = None,
    department: Department | None = None,
    assignee: User | None = None,
    resolution: str = "",
    recipient: str = "",
    linked_to: Entry | None = None,
    answers: Entry | None = None,
    files: Sequence[Upload] = (),
) -> Entry:
    """Register a document and give it its number (or, for a reply, the number it answers)."""
    if direction not in _DIRECTIONS:
        raise DomainError(_("Sensul documentului nu este valid."), field="direction")
    if channel not in _CHANNELS:
        raise DomainError(_("Canalul de primire nu este valid."), field="channel")
    if not document_type.is_active:
        raise DomainError(_("Tipul de document nu mai este folosit."), field="document_type")
    if not permissions.can_register(actor, direction=direction, department_id=department.pk if department else None):
        raise PermissionDenied(_("Nu aveți dreptul să înregistrați acest document."))
    # The registry's hot path: a label is translated only for an error message.
    sender = clean_text(sender, field="sender", label=gettext_lazy("Emitent"), required=True, max_length=300)
    subject = clean_text(
        subject, field="subject", label=gettext_lazy("Conținut pe scurt"), required=True, max_length=500
    )
    sender_address = clean_text(
        sender_address, field="sender_address", label=gettext_lazy("Adresă"), required=False, max_length=300
    )
    sender_reference = clean_text(
        sender_reference,
        field="sender_reference",
        label=gettext_lazy("Numărul emitentului"),
        required=False,
        max_length=60,
    )
    recipient = clean_text(
        recipient, field="recipient", label=gettext_lazy("Destinatar"), required=False, max_length=300
    )
    sender_email = (sender_email or "").strip()
    if sender_email:
        try:
            if len(sender_email) > 254:
                raise ValidationError("too long")
            validate_email(sender_email)
        except ValidationError:
            raise DomainError(
                _("Adresa de e-mail „%(email)s” nu este validă.") % {"email": sender_email[:80]}, field="sender_email"
            ) from None
    if pages < 1 or pages > 100000:
        raise DomainError(_("Numărul de file trebuie să fie între 1 și 100000."), field="pages")
    if annexes < 0 or annexes > 100000:
        raise DomainError(_("Numărul de anexe nu poate fi negativ."), field="annexes")
    today = timezone.localdate()
    if sender_date is not None and sender_date > today:
        raise DomainError(_("Data documentului emitentului nu poate fi în viitor."), field="sender_date")
    if file_code is not None and not file_code.is_active:
        raise DomainError(_("Indicativul de dosar nu mai este activ."), field="file_code")
    if department is not None and not department.is_active:
        raise DomainError(_("Compartimentul nu mai este activ."), field="department")
    _check_assignee(department, assignee)
    if answers is not None:
        if direction != Direction.OUTGOING:
            raise DomainError(_("Un răspuns se înregistrează ca document de ieșire."), field="direction")
        if answers.answers_id is not None:
            answers = answers.answers
            assert answers is not None
    if linked_to is not None:
        linked_to = linked_to.linked_to or linked_to  # documents on one matter link to the first registered
    content_types = [check_upload(f.file, name=f.name, size=f.size) for f in files]

    if answers is None:
        register = register or general_register()
    calendar = WorkingCalendar()
    with transaction.atomic():
        stored = [store_file(f.file, content_type=ct) for f, ct in zip(files, content_types, strict=True)]
        now = timezone.now()
        registered_on = timezone.localtime(now).date()
        if answers is not None:
            register, year, number = answers.register, answers.year, answers.number
        else:
            assert register is not None
            year = registered_on.year
            number = 0  # taken by insert_entry, as late as possible: the counter row stays locked until commit
        # The entry's id (PostgreSQL: how the entry's one statement refers to the id it takes):
        # the rows that need only the id are written before or with the entry.
        entry_id = reserve_entry_id()
        due = compute_due_date(document_type, registered_on, calendar) if direction == Direction.INCOMING else None
        entry = Entry(
            pk=entry_id if isinstance(entry_id, int) else None,
            register=register,
            year=year,
            number=number,
            registered_at=now,
            direction=direction,
            channel=channel,
            document_type=document_type,
            sender=sender,
            sender_address=sender_address,
            sender_email=sender_email,
            sender_reference=sender_reference,
            sender_date=sender_date,
            subject=subject,
            pages=pages,
            annexes=annexes,
            file_code=file_code,
            department=department,
            assignee=assignee,
            resolution=resolution.strip(),
            status=Status.ASSIGNED if department else Status.REGISTERED,
            due_date=due,
            recipient=recipient,
            sent_at=today if answers is not None else None,
            answers=answers,
            linked_to=linked_to,
            tracking_code=new_tracking_code(),
            search_text=fold(f"{sender} {subject} {sender_reference} {recipient}"),
            created_by=actor,
        )
        # The attachments, the routing step and the search outbox row go out in the entry's one
        # statement (insert_entry).
        rows = [
            insert_row(
                Attachment,
                {
                    "entry_id": entry_id,
                    "file_id": s.pk,
                    "original_name": f.name[:255],
                    "uploaded_by_id": actor.pk if actor else None,
                    "uploaded_at": now,
                },
            )
            for f, s in zip(files, stored, strict=True)
        ]
        if department is not None:
            step = {
                "entry_id": entry_id,
                "department_id": department.pk,
                "assignee_id": assignee.pk if assignee else None,
                "resolution": entry.resolution,
                "assigned_by_id": actor.pk if actor else None,
                "assigned_at": now,
            }
            rows.append(insert_row(Assignment, step))
        outbox = entry_search_insert(entry_id)  # None: written after the entry, through the task backend
        if outbox is not None:
            rows.append(outbox)
        registered = Change(
            actor=actor,
            action="registry.entry.registered",
            obj=entry,
            summary={
                "number": entry.display_number if answers else Entry.format_number(NUMBER_MARK, registered_on),
                "register": register.code,
                "direction": direction,
                "channel": channel,
                "document_type": document_type.code,
                "department": department.code if department else None,
                "answers": answers.pk if answers else None,
                "linked_to": linked_to.pk if linked_to else None,
                "attachments": [s.sha256 for s in stored],
            },
        )
        # This one statement locks the counter row and the audit head until the commit, which comes
        # with it (without a file it is a transaction of its own) unless a caller registers inside
        # its own transaction: such a caller should do its other writes before calling, as every
        # clerk waits for these two rows (locks.insert_entry).
        insert_entry(entry, audit=registered, rows=rows, last=outbox is not None)
        if outbox is None:
            entry_search_update(entry)
    return entry


def entry_assign(
    *, actor: User, entry: Entry, department: Department, assignee: User | None = None, resolution: str = ""
) -> Entry:
    """Route (or reroute) an entry to a department, optionally a person, with a resolution."""
    if not permissions.can_route(actor, entry):
        raise PermissionDenied(_("Nu aveți dreptul să repartizați această înregistrare."))
    if not department.is_active:
        raise DomainError(_("Compartimentul nu mai este activ."), field="department")
    _check_assignee(department, assignee)
    with transaction.atomic():
        entry = lock_entry(entry.pk)
        if entry.status == Status.CLOSED:
            raise DomainError(_("Înregistrarea este deja soluționată."), code="closed")
        before = {"department": entry.department.code if entry.department else None, "assignee": entry.assignee_id}
        entry.department = department
        entry.assignee = assignee
        entry.resolution = resolution.strip()
        if entry.status == Status.REGISTERED:
            entry.status = Status.ASSIGNED
        entry.save(update_fields=["department", "assignee", "resolution", "status"])
        entry_search_update(entry, dependents=True)
        Assignment.objects.create(
            entry=entry, department=department, assignee=assignee, resolution=entry.resolution, assigned_by=actor
        )
        audit_record(
            actor=actor,
            action="registry.entry.assigned",
            obj=entry,
            summary={
                "before": before,
                "after": {"department": department.code, "assignee": assignee.pk if assignee else None},
                "resolution": entry.resolution,
            },
        )
    return entry


def entry_start_work(*, actor: User, entry: Entry) -> Entry:
    if not permissions.can_work(actor, entry):
        raise PermissionDenied(_("Nu aveți dreptul să lucrați această înregistrare."))
    with transaction.atomic():
        entry = lock_entry(entry.pk)
        if entry.status != Status.ASSIGNED:
            raise DomainError(_("Doar o înregistrare repartizată poate fi preluată în lucru."), code="bad_state")
        entry.status = Status.IN_PROGRESS
        if entry.assignee_id is None and actor.department_id == entry.department_id:
            entry.assignee = actor
        entry.save(update_fields=["status", "assignee"])
        audit_record(
            actor=actor,
            action="registry.entry.started",
            obj=entry,
            summary={"before": Status.ASSIGNED, "after": Status.IN_PROGRESS},
        )
    return entry


def entry_close(
    *, actor: User, entry: Entry, outcome: str, recipient: str = "", sent_at: dt.date | None = None
) -> Entry:
    """Record how the entry was resolved (mod de soluționare) and close it."""
    if not permissions.can_work(actor, entry):
        raise PermissionDenied(_("Nu aveți dreptul să soluționați această înregistrare."))
    outcome = clean_text(outcome, field="outcome", label=_("Mod de soluționare"), required=True, max_length=2000)
    recipient = clean_text(recipient, field="recipient", label=_("Destinatar"), required=False, max_length=300)
    if sent_at is not None and sent_at > timezone.localdate():
        raise DomainError(_("Data expedierii nu poate fi în viitor."), field="sent_at")
    with transaction.atomic():
        entry = lock_entry(entry.pk)
        if entry.status == Status.CLOSED:
            raise DomainError(_("Înregistrarea este deja soluționată."), code="closed")
        before = entry.status
        entry.status = Status.CLOSED
        entry.outcome = outcome
        entry.closed_at = timezone.now()
        entry.recipient = recipient or entry.recipient
        entry.sent_at = sent_at or entry.sent_at
        entry.save(update_fields=["status", "outcome", "closed_at", "recipient", "sent_at"])
        entry_search_update(entry)
        audit_record(
            actor=actor,
            action="registry.entry.closed",
            obj=entry,
            summary={"before": before, "after": Status.CLOSED, "outcome": outcome},
        )
        entry_closed.send(sender=Entry, entry=entry, actor=actor)
    return entry


def entry_reply(
    *,
    actor: User,
    entry: Entry,
    recipient: str,
    subject: str,
    document_type: DocumentType | None = None,
    channel: str = Channel.POST,
    pages: int = 1,
    files: Sequence[Upload] = (),
    close: bool = False,
) -> Entry:
    """Register the outgoing answer under the number of the entry it answers, optionally closing it."""
    if not permissions.can_work(actor, entry):
        raise PermissionDenied(_("Nu aveți dreptul să răspundeți la această înregistrare."))
    with transaction.atomic():
        # The answered entry is locked before the audit head (taken by entry_register), the same
        # order entry_close and entry_assign use, so a reply racing a close cannot deadlock.
        lock_entry(entry.pk)
        reply = entry_register(
            actor=actor,
            direction=Direction.OUTGOING,
            channel=channel,
            document_type=document_type or entry.document_type,
            sender=str(actor.department or actor),
            subject=subject,
            recipient=recipient,
            pages=pages,
            department=entry.department,
            file_code=entry.file_code,
            answers=entry,
            files=files,
        )
        if close and entry.status != Status.CLOSED:
            entry_close(
                actor=actor,
                entry=entry,
                outcome=_("Răspuns transmis: %(number)s") % {"number": reply.display_number},
                recipient=recipient,
                sent_at=timezone.localdate(),
            )
    return reply


def entry_link(*, actor: User, entry: Entry, to: Entry) -> Entry:
    """Link an entry to the first one registered on the same matter."""
    if not permissions.can_work(actor, entry):
        raise PermissionDenied(_("Nu aveți dreptul să modificați această înregistrare."))
    root = to.linked_to or to
    if root.pk == entry.pk or (root.registered_at, root.pk) > (entry.registered_at, entry.pk):
        raise DomainError(
            _("O înregistrare se conexează la prima înregistrare din aceeași problemă."), field="linked_to"
        )
    with transaction.atomic():
        entry = lock_entry(entry.pk)
        before = entry.linked_to_id
        entry.linked_to = root
        entry.save(update_fields=["linked_to"])
        Entry.objects.filter(linked_to=entry).update(linked_to=root)
        audit_record(
            actor=actor, action="registry.entry.linked", obj=entry, summary={"before": before, "after": root.pk}
        )
    return entry


def entry_add_attachments(*, actor: User, entry: Entry, files: Sequence[Upload]) -> list[Attachment]:
    if not permissions.can_work(actor, entry):
        raise PermissionDenied(_("Nu aveți dreptul să modificați această înregistrare."))
    content_types = [check_upload(f.file, name=f.name, size=f.size) for f in files]
    with transaction.atomic():
        stored = [store_file(f.file, content_type=ct) for f, ct in zip(files, content_types, strict=True)]
        attachments = Attachment.objects.bulk_create(
            [
                Attachment(entry=entry, file=s, original_name=f.name[:255], uploaded_by=actor)
                for f, s in zip(files, stored, strict=True)
            ]
        )
        audit_record(
            actor=actor,
            action="registry.entry.attached",
            obj=entry,
            summary={"attachments": [s.sha256 for s in stored]},
        )
    return attachments


def entry_set_due_date(*, actor: User | None, entry: Entry, due_date: dt.date, reason: str) -> Entry:
    """Move an entry's legal due date (an extension granted under the law that governs it).

    The change and its reason are audited; a closed entry keeps the date it was closed with.
    """
    if actor is not None and not permissions.can_work(actor, entry):
        raise PermissionDenied(_("Nu aveți dreptul să modificați această înregistrare."))
    reason = clean_text(reason, field="reason", label=_("Motiv"), required=True, max_length=500)
    if due_date < timezone.localtime(entry.registered_at).date():
        raise DomainError(_("Termenul nu poate fi înainte de data înregistrării."), field="due_date")
    with transaction.atomic():
        entry = lock_entry(entry.pk)
        if entry.status == Status.CLOSED:
            raise DomainError(_("Înregistrarea este deja soluționată."), code="closed")
        before = entry.due_date
        if before == due_date:
            return entry
        entry.due_date = due_date
        entry.save(update_fields=["due_date"])
        audit_record(
            actor=actor,
            action="registry.entry.due_date_changed",
            obj=entry,
            summary={
                "before": before.isoformat() if before else None,
                "after": due_date.isoformat(),
                "reason": reason,
            },
        )
    return entry
