"""Writes the Lupeni demo: the organization (idempotent, get_or_create) and a year of registry history.

The history is stored in bulk — entries, their routing steps and one audit event each, in
batches inside one transaction — so the whole year goes in within seconds and either all
of it is there or none. It is written only into an empty general register: numbers run
1..N per year in time order, and the register counters end at N.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from ghiseu.accounts.models import STAFF_ROLES, Department, NomenclatorEntry, Role, User
from ghiseu.audit.services import Change, audit_record, audit_record_many
from ghiseu.demo import data
from ghiseu.demo.history import History, Organization, plan_history
from ghiseu.registry.models import Assignment, DocumentType, Entry, Register, RegisterCounter
from ghiseu.registry.reference import ensure_reference_data
from ghiseu.registry.services import general_register, new_tracking_code

BATCH = 1000
DEFAULT_SEED = 20_260_101
SOURCE = "seed_demo"


@dataclass(frozen=True)
class OrganizationResult:
    departments: int
    nomenclator: int
    users: int

    @property
    def created(self) -> int:
        return self.departments + self.nomenclator + self.users


def seed_organization() -> OrganizationResult:
    """Departments, nomenclator and staff; what exists already is left exactly as it is."""
    ensure_reference_data()
    created = {"departments": 0, "nomenclator": 0, "users": 0}
    with transaction.atomic():
        departments: dict[str, Department] = {}
        for spec in data.DEPARTMENTS:
            dept, new = Department.objects.get_or_create(
                code=spec.code,
                defaults={
                    "name": spec.name,
                    "parent": departments.get(spec.parent) if spec.parent else None,
                    "email": spec.email,
                },
            )
            departments[spec.code] = dept
            created["departments"] += new
        for n in data.NOMENCLATOR:
            _, new = NomenclatorEntry.objects.get_or_create(
                code=n.code,
                defaults={
                    "name": n.name,
                    "department": departments[n.department],
                    "retention_years": n.retention_years,
                    "legal_basis": n.legal_basis,
                },
            )
            created["nomenclator"] += new
        existing = set(
            User.objects.filter(username__in=[s.username for s in data.STAFF]).values_list("username", flat=True)
        )
        missing = [s for s in data.STAFF if s.username not in existing]
        if missing:
            password = make_password(data.DEMO_PASSWORD)  # hashed once: every demo login shares it
            for s in missing:
                admin = s.role == Role.ADMIN
                User.objects.create(
                    username=s.username,
                    password=password,
                    first_name=s.first_name,
                    last_name=s.last_name,
                    email=f"{s.username}@primarialupeni.ro",
                    role=s.role,
                    department=departments[s.department],
                    job_title=s.job_title,
                    is_staff=admin,
                    is_superuser=admin,
                )
            created["users"] = len(missing)
        result = OrganizationResult(**created)
        if result.created:
            audit_record(
                actor=SOURCE,
                action="demo.organization.seeded",
                object_type="accounts.department",
                summary=created,
            )
    return result


def load_organization() -> Organization:
    staff = User.objects.filter(role__in=STAFF_ROLES, is_active=True).order_by("username")
    by_department: dict[str, list[User]] = {}
    departments = {d.code: d for d in Department.objects.all()}
    codes = {d.pk: d.code for d in departments.values()}
    clerks = []
    for user in staff:
        if user.role == Role.CLERK:
            clerks.append(user)
        if user.role in (Role.OFFICER, Role.HEAD) and user.department_id:
            by_department.setdefault(codes[user.department_id], []).append(user)
    return Organization(
        register=general_register(),
        departments=departments,
        nomenclator={n.code: n for n in NomenclatorEntry.objects.all()},
        document_types={t.code: t for t in DocumentType.objects.all()},
        clerks=clerks,
        staff_by_department=by_department,
    )


def history_missing(register: Register | None = None) -> bool:
    """True when the general register is still empty: the only state the history can be written in."""
    register = register or general_register()
    return (
        not Entry.objects.filter(register=register).exists()
        and not RegisterCounter.objects.filter(register=register, last_number__gt=0).exists()
    )


def _summary(entry: Entry) -> dict[str, Any]:
    origin = entry.answers or entry
    return {
        "number": f"{entry.number}/{timezone.localtime(origin.registered_at):%d.%m.%Y}",
        "register": entry.register.code,
        "registered_at": entry.registered_at.isoformat(),
        "direction": entry.direction,
        "channel": entry.channel,
        "document_type": entry.document_type.code,
        "department": entry.department.code if entry.department else None,
        "status": entry.status,
        "answers": entry.answers_id,
        "linked_to": entry.linked_to_id,
        "source": SOURCE,
    }


def _store(entries: list[Entry]) -> None:
    """Entries (numbered already), their routing step and one audit event each."""
    for entry in entries:
        entry.tracking_code = new_tracking_code()
    Entry.objects.bulk_create(entries)
    Assignment.objects.bulk_create(
        [
            Assignment(
                entry=e,
                department=e.department,
                assignee=e.assignee,
                resolution=e.resolution,
                assigned_by=e.created_by,
                assigned_at=e.registered_at,
            )
            for e in entries
            if e.department is not None
        ]
    )


def _audit(entries: list[Entry]) -> None:
    audit_record_many(
        [Change(actor=SOURCE, action="registry.entry.imported", obj=e, summary=_summary(e)) for e in entries]
    )


def plan_demo_history(*, count: int, seed: int = DEFAULT_SEED, end: dt.datetime | None = None) -> History | None:
    """The history to write, or None when the general register already has entries."""
    org = load_organization()
    if not history_missing(org.register):
        return None
    return plan_history(org=org, count=count, seed=seed, end=end or timezone.now())


def store_history(history: History, *, progress: Callable[[int], None] | None = None) -> bool:
    """Write a planned history in one transaction; False (nothing written) if the register filled meanwhile."""
    planned = history.planned
    register = planned[0].entry.register if planned else general_register()
    with transaction.atomic():
        if not history_missing(register):
            return False
        for start in range(0, len(planned), BATCH):
            chunk = planned[start : start + BATCH]
            entries = [p.entry for p in chunk]
            _store(entries)
            linked = []
            for p in chunk:
                if p.link_to is not None:
                    p.entry.linked_to = planned[p.link_to].entry
                    linked.append(p.entry)
            Entry.objects.bulk_update(linked, ["linked_to"])
            _audit(entries)
            if progress:
                progress(len(chunk))
        replies = []
        for p in planned:
            if p.reply is not None:
                p.reply.answers = p.entry
                replies.append(p.reply)
        for start in range(0, len(replies), BATCH):
            chunk_replies = replies[start : start + BATCH]
            _store(chunk_replies)
            _audit(chunk_replies)
            if progress:
                progress(len(chunk_replies))
        for year, last in history.last_numbers.items():
            RegisterCounter.objects.update_or_create(register=register, year=year, defaults={"last_number": last})
    return True


def reply_count(history: History) -> int:
    return sum(1 for p in history.planned if p.reply is not None)
