"""The demo's petitions: about sixty of the history's petitions of the last months, of every kind and
end, consistent with their registry entries; an extension, a "more time" notice, a refusal and the
administrative complaint against it done by the real services; a demo Open311 client whose key is
printed and works; a second run changes nothing; and it stays fast."""

from __future__ import annotations

import io
import time
from collections import Counter

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from ghiseu.audit.models import AuditEvent
from ghiseu.audit.services import audit_verify_chain
from ghiseu.demo.petitions import DEMO_OPEN311_CLIENT, DEMO_OPEN311_KEY, LUPENI, seed_petitions
from ghiseu.petitions.models import Kind, Open311Client, Petition, PetitionStatus
from ghiseu.registry.models import Entry, Status

pytestmark = pytest.mark.django_db


def _seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):  # one year of history for the whole module
    with django_db_blocker.unblock():
        started = time.monotonic()
        output = _seed()
        elapsed = time.monotonic() - started
    yield output, elapsed
    with django_db_blocker.unblock():
        from django.core.management import call_command as cc

        cc("flush", interactive=False, verbosity=0)


def test_every_kind_and_every_end_is_there(seeded) -> None:
    output, _ = seeded
    petitions = Petition.objects.select_related("entry")
    assert 50 <= petitions.count() <= 70, output
    kinds = Counter(petitions.values_list("kind", flat=True))
    assert set(kinds) == set(Kind.values)
    statuses = Counter(petitions.values_list("status", flat=True))
    assert statuses[PetitionStatus.ANSWERED] >= 15
    for status in (PetitionStatus.EXTENDED, PetitionStatus.FORWARDED, PetitionStatus.FILED_AWAY):
        assert statuses[status] >= 1, status
    assert petitions.filter(anonymous=True, status=PetitionStatus.FILED_AWAY, filed_away_reason="anonymous").exists()
    assert petitions.filter(repeated_of__isnull=False, filed_away_reason="repeated").exists()
    assert petitions.filter(joined_to__isnull=False).exists()
    overdue = [p for p in petitions if p.is_overdue()]
    assert 1 <= len(overdue) <= 15
    oldest = petitions.order_by("term_start").first()
    assert oldest is not None and (timezone.localdate() - oldest.term_start).days > 90  # over past months
    refusal = petitions.get(outcome="refused_exempt")
    complaint = petitions.get(kind=Kind.ADMINISTRATIVE_COMPLAINT)
    assert complaint.original_request == refusal and complaint.entry.linked_to == refusal.entry


def test_complaints_are_placed_inside_lupeni_and_categorised(seeded) -> None:
    located = Petition.objects.filter(kind__in=[Kind.COMPLAINT, Kind.REPORT], anonymous=False)
    assert located.exists()
    for p in located:
        assert p.category is not None
        assert p.latitude is not None and p.longitude is not None
        assert LUPENI[0] <= p.latitude <= LUPENI[2] and LUPENI[1] <= p.longitude <= LUPENI[3]
    public = Client().get("/sesizari/").content.decode()
    first = located.order_by("-term_start").first()
    assert first is not None and first.number in public


def test_petitions_agree_with_their_registry_entries(seeded) -> None:
    for p in Petition.objects.select_related("entry", "answer_entry"):
        assert p.entry.due_date == p.due_date, p.number
        if p.status in (PetitionStatus.ANSWERED, PetitionStatus.FORWARDED, PetitionStatus.FILED_AWAY):
            assert p.entry.status == Status.CLOSED, p.number
        if p.is_open:
            assert p.entry.status != Status.CLOSED, p.number
        if p.status == PetitionStatus.ANSWERED:
            assert p.answer_entry is not None and p.answer_entry.answers_id == p.entry_id
    extended = Petition.objects.get(
        kind__in=[Kind.REQUEST, Kind.COMPLAINT, Kind.REPORT, Kind.PROPOSAL], status="extended"
    )
    assert extended.extension_days == 15 and extended.extended_by is not None
    assert AuditEvent.objects.filter(
        action="registry.entry.due_date_changed", object_id=str(extended.entry_id)
    ).exists()
    assert list(audit_verify_chain()) == []


def test_a_second_run_changes_nothing(seeded) -> None:
    before = (
        Petition.objects.count(),
        Entry.objects.count(),
        AuditEvent.objects.count(),
        Open311Client.objects.count(),
    )
    output = _seed()
    assert "Petiții: există deja" in output
    assert seed_petitions() is None
    after = (Petition.objects.count(), Entry.objects.count(), AuditEvent.objects.count(), Open311Client.objects.count())
    assert after == before


def test_the_demo_open311_key_is_printed_stored_hashed_and_works(seeded) -> None:
    client = Open311Client.objects.get(name=DEMO_OPEN311_CLIENT)
    assert client.key_hash != DEMO_OPEN311_KEY and DEMO_OPEN311_KEY not in client.key_hash
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    assert DEMO_OPEN311_KEY in out.getvalue()
    web = Client()
    service = web.get("/open311/v2/services.json").json()[0]["service_code"]
    response = web.post(
        "/open311/v2/requests.json",
        {
            "api_key": DEMO_OPEN311_KEY,
            "service_code": service,
            "lat": "45.3601",
            "long": "23.2189",
            "description": "Groapă în asfalt, semnalată din aplicația demo.",
            "first_name": "Ana",
            "last_name": "Demo",
            "email": "ana.demo@example.ro",
        },
    )
    assert response.status_code == 200, response.content
    (created,) = response.json()
    assert Petition.objects.get(open311_client__name=DEMO_OPEN311_CLIENT).number in created["service_notice"]
    assert (
        web.post("/open311/v2/requests.json", {"api_key": "demo-altceva", "service_code": service}).status_code == 403
    )


def test_petitions_add_little_to_the_seed(seeded) -> None:
    output, elapsed = seeded
    assert elapsed < 60, elapsed  # the whole seed (a year of history included)
    line = next(line for line in output.splitlines() if line.startswith("Petiții:"))
    seconds = float(line.rsplit(" în ", 1)[1].split(" s")[0])
    assert seconds < 5, line


def test_an_imported_answer_reads_without_a_letter_link(seeded) -> None:
    """The history's answers have no PDF on record: the page shows the answer, not a dead link."""
    petition = Petition.objects.filter(status=PetitionStatus.ANSWERED, answer_entry__isnull=False).first()
    assert petition is not None
    page = Client().post(
        "/sesizari/raspuns/", {"number": petition.number, "tracking_code": petition.entry.tracking_code}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert petition.answer_text.split(".")[0] in html
    assert f"/sesizari/raspuns/{petition.pk}.pdf" not in html
