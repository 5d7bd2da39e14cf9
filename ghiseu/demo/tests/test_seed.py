from __future__ import annotations

import datetime as dt
import io
import re
from collections import defaultdict
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.utils import timezone

from ghiseu.accounts.models import STAFF_ROLES, Department, NomenclatorEntry, Role, User
from ghiseu.audit.models import AuditEvent
from ghiseu.audit.services import audit_verify_chain
from ghiseu.core.calendar import WorkingCalendar
from ghiseu.core.text import fold
from ghiseu.demo import data
from ghiseu.demo.history import plan_history
from ghiseu.demo.seed import load_organization, seed_organization
from ghiseu.eservices.models import Service
from ghiseu.petitions.models import Petition
from ghiseu.registry.models import Assignment, DocumentType, Entry, RegisterCounter, Status
from ghiseu.registry.services import compute_due_date, entry_register, general_register
from ghiseu.search.selectors import access_for_user, search_query

pytestmark = pytest.mark.django_db


FILE_CODE = re.compile(r"^(?:I|II|III|IV|V|VI|VII|VIII|IX|X)/[A-Z]/\d+$")


def _seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def _counts() -> dict[str, Any]:
    return {
        "departments": Department.objects.count(),
        "nomenclator": NomenclatorEntry.objects.count(),
        "users": User.objects.count(),
        "entries": Entry.objects.count(),
        "assignments": Assignment.objects.count(),
        "audit": AuditEvent.objects.count(),
        "counters": sorted(RegisterCounter.objects.values_list("register_id", "year", "last_number")),
        "passwords": sorted(User.objects.values_list("password", flat=True)),
    }


def _assert_register_is_consistent(expected_entries: int) -> None:
    now = timezone.now()
    # what the demo's petitions registered through the services (after the history) is not history
    by_services = set(AuditEvent.objects.filter(action="registry.entry.registered").values_list("object_id", flat=True))
    origins = [
        e
        for e in Entry.objects.filter(answers__isnull=True).order_by("registered_at", "pk")
        if str(e.pk) not in by_services
    ]
    assert len(origins) == expected_entries
    by_year: dict[tuple[int, int], list[Entry]] = defaultdict(list)
    for e in origins:
        assert e.year == timezone.localtime(e.registered_at).year
        assert now - dt.timedelta(days=366) <= e.registered_at < now
        by_year[(e.register_id, e.year)].append(e)
    counters = {(c.register_id, c.year): c.last_number for c in RegisterCounter.objects.all()}
    extra: dict[tuple[int, int], int] = defaultdict(int)
    for e in Entry.objects.filter(pk__in=[int(pk) for pk in by_services]):
        extra[(e.register_id, e.year)] += 1
    for key, entries in by_year.items():
        # Gap-free, no duplicate, and given in the order of registration.
        assert [e.number for e in entries] == list(range(1, len(entries) + 1)), key
        assert counters[key] == len(entries) + extra[key]
    replies = Entry.objects.filter(answers__isnull=False).select_related("answers")
    assert replies.exists()
    for reply in replies:
        origin = reply.answers
        assert origin is not None
        assert (reply.register_id, reply.year, reply.number) == (origin.register_id, origin.year, origin.number)
        assert reply.registered_at >= origin.registered_at
        assert reply.direction == "outgoing"
        assert origin.status == Status.CLOSED
    linked = Entry.objects.filter(linked_to__isnull=False).select_related("linked_to")
    for e in linked:
        assert e.linked_to is not None and e.linked_to.linked_to_id is None  # linked to the first one
        assert e.linked_to.registered_at < e.registered_at
    closed = sum(1 for e in origins if e.status == Status.CLOSED)
    assert 0.55 <= closed / len(origins) <= 0.85
    assert all(e.closed_at and e.outcome for e in origins if e.status == Status.CLOSED)
    today = timezone.localdate()
    assert any(e.status != Status.CLOSED and e.due_date and e.due_date < today for e in origins)  # some overdue
    calendar = WorkingCalendar()
    types = {t.pk: t for t in DocumentType.objects.all()}
    petition_terms = dict(Petition.objects.values_list("entry_id", "due_date"))
    for e in origins:
        if e.pk in petition_terms:  # the petition's legal term (extensions included) rules
            assert e.due_date == petition_terms[e.pk]
        elif e.direction == "incoming":
            expected = compute_due_date(types[e.document_type_id], timezone.localtime(e.registered_at).date(), calendar)
            assert e.due_date == expected
        assert e.search_text == fold(f"{e.sender} {e.subject} {e.sender_reference} {e.recipient}")
    assert len({e.tracking_code for e in Entry.objects.all()}) == Entry.objects.count()
    # One audit event per entry, and the chain verifies.
    assert AuditEvent.objects.filter(action="registry.entry.imported").count() == Entry.objects.count() - len(
        by_services
    )
    assert list(audit_verify_chain()) == []


def test_seed_demo_small_history_then_second_run_changes_nothing() -> None:
    output = _seed("--entries", "300")
    assert "300 înregistrări" in output

    assert Department.objects.count() >= 12
    assert Department.objects.filter(code__in=["REG", "URB", "TAX", "SCV", "RAG", "DAS", "JUR", "ARH"]).count() == 8
    assert NomenclatorEntry.objects.count() >= 40
    assert all(FILE_CODE.match(code) for code in NomenclatorEntry.objects.values_list("code", flat=True))
    assert NomenclatorEntry.objects.get(code="I/A/1").retention_years is None  # mayor's dispositions: permanent
    assert NomenclatorEntry.objects.get(code="II/C/1").retention_years == 10  # the entry/exit register
    assert NomenclatorEntry.objects.get(code="III/A/5").retention_years == 50  # payroll
    staff = User.objects.filter(role__in=STAFF_ROLES)
    assert staff.count() >= 20
    assert set(staff.values_list("role", flat=True)) == set(STAFF_ROLES)
    assert staff.filter(role=Role.CLERK).count() >= 3
    assert staff.filter(role=Role.OFFICER).count() >= 8
    assert staff.filter(role=Role.HEAD).count() >= 4
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert not User.objects.get(username="registratura").is_staff
    for username in ("registratura", "urbanism", "primar", "secretar", "arhivar", "admin"):
        assert authenticate(username=username, password=data.DEMO_PASSWORD) is not None, username
    assert authenticate(username="primar", password="altceva") is None

    _assert_register_is_consistent(300)
    # the portal's services name the dossier their requests are filed in
    urbanism = Service.objects.select_related("file_code").get(code="certificat-de-urbanism")
    assert urbanism.file_code is not None and urbanism.file_code.code == "IV/A/1"

    # The history, written in bulk, is in the search index: the registry office finds it.
    clerk = User.objects.get(username="registratura")
    some = Entry.objects.filter(answers__isnull=True).order_by("pk").first()
    assert some is not None
    found = search_query(user_access=access_for_user(clerk), q=f"{some.number}/{some.year}", kinds=["registry_entry"])
    assert found.count >= 1 and str(some.pk) in {hit.object_id for hit in found.hits}

    before = _counts()
    output = _seed("--entries", "300")
    assert "există deja" in output and "Căutare:" not in output  # nothing new, nothing re-indexed
    assert _counts() == before
    assert list(audit_verify_chain()) == []


def test_seed_demo_full_year_of_history() -> None:
    _seed()
    by_services = AuditEvent.objects.filter(action="registry.entry.registered").count()
    assert by_services <= 1  # the demo's administrative complaint
    assert Entry.objects.filter(answers__isnull=True).count() == 5000 + by_services
    assert Entry.objects.count() > 5000
    years = set(Entry.objects.values_list("year", flat=True))
    assert years <= {timezone.localdate().year - 1, timezone.localdate().year}
    _assert_register_is_consistent(5000)
    before = _counts()
    _seed()
    assert _counts() == before


def test_history_is_not_written_into_a_register_in_use() -> None:
    seed_organization()
    clerk = User.objects.get(username="registratura")
    entry_register(
        actor=clerk,
        direction="incoming",
        channel="counter",
        document_type=DocumentType.objects.get(code="petition"),
        sender="Ion Popescu",
        subject="Cerere",
    )
    output = _seed("--entries", "50")
    assert "are deja înregistrări" in output
    assert Entry.objects.count() == 1
    assert RegisterCounter.objects.get(register=general_register()).last_number == 1


def test_the_history_is_deterministic_for_a_seed() -> None:
    seed_organization()
    org = load_organization()
    end = timezone.make_aware(dt.datetime(2026, 6, 15, 12, 0))

    def plan(seed: int) -> list[tuple[Any, ...]]:
        history = plan_history(org=org, count=200, seed=seed, end=end)
        return [
            (p.entry.number, p.entry.registered_at, p.entry.sender, p.entry.subject, p.entry.status, p.link_to)
            for p in history.planned
        ]

    first = plan(7)
    assert first == plan(7)
    assert first != plan(8)
    assert Entry.objects.count() == 0  # planning writes nothing


def test_demo_logins_lists_every_account_and_the_urls() -> None:
    seed_organization()
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    for spec in data.STAFF:
        assert spec.username in text
    assert data.DEMO_PASSWORD in text
    for path in ("/registratura/", "/stare/", "/admin/", "/api/v1/docs"):
        assert f"http://127.0.0.1:8000{path}" in text
