"""The petitions of the Lupeni demo, and a demo Open311 client.

The year of registry history (`ghiseu.demo.seed`) already holds the petitions, complaints, reports
and public-information requests the registry office registered, with how each ended: answered under
its number, forwarded, filed away as anonymous or repeated, joined to an earlier one, or still open.
`seed_petitions` gives about sixty of those of the last months their petition record — kind,
petitioner, category and a position inside Lupeni for complaints, legal terms, status and answer —
in bulk, with one audit event each. Then the real services add what the history cannot hold: an
OG 27 extension by the mayor, a Law 544 "more time needed" notice, a reasoned refusal and the
administrative complaint against it.

Idempotent: nothing is done once the general register has any petition. The demo Open311 client's
key is derived from a constant (demo only) and stored hashed, like any key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ghiseu.accounts.models import Role, User
from ghiseu.audit.services import Change, audit_record_many
from ghiseu.core.calendar import WorkingCalendar
from ghiseu.core.text import fold
from ghiseu.petitions import rules
from ghiseu.petitions.models import (
    FilingReason,
    Kind,
    Open311Client,
    Outcome,
    Petition,
    PetitionCategory,
    PetitionerType,
    PetitionStatus,
    hash_open311_key,
)
from ghiseu.registry.models import Direction, Entry, Status
from ghiseu.registry.services import general_register

SOURCE = "seed_demo"
DEFAULT_SEED = 20_260_544
TARGET = 60
OVERDUE = 6
MONTHS = 6
DEMO_OPEN311_CLIENT = "Lupeni Civic (demo)"
# Demo only: a fixed key, so that the printed logins stay right after a restart. Stored hashed.
DEMO_OPEN311_KEY = "demo-" + hashlib.sha256(b"ghiseu demo open311 client, Lupeni").hexdigest()[:32]

KINDS = {
    "petition": Kind.REQUEST,
    "complaint": Kind.COMPLAINT,
    "report": Kind.REPORT,
    "public-information": Kind.PUBLIC_INFORMATION,
}
# A category from the words of the subject (folded: no diacritics, lower case).
CATEGORY_WORDS = [
    ("roads", ("groap", "asfalt", "trotuar", "drum", "strad", "pod", "capac", "deszapez", "antiderapant")),
    ("lighting", ("ilumin", "stalp", "bec", "lamp")),
    ("sanitation", ("gunoi", "deseu", "salubr", "pubel", "contain", "caini")),
    ("green-spaces", ("parc", "copac", "arbor", "iarb", "toalet", "spatii verzi", "loc de joaca")),
    ("parking", ("parcar", "masin", "autoturism")),
    ("noise", ("zgomot", "muzic", "galagie")),
]
# Lupeni's built-up area (the positions of the demo complaints).
LUPENI = (Decimal("45.3520"), Decimal("23.2050"), Decimal("45.3680"), Decimal("23.2550"))
_COMPANY = re.compile(r"(^SC\b|\bS\.?R\.?L\.?$|\bS\.?A\.?$|\bSRL\b)")
_INSTITUTION = ("instituți", "inspectorat", "direcți", "agenți", "consiliul", "primăria", "prefect", "poliți", "casa ")
FORWARDED_TO = "Apa Serv Valea Jiului SA"


@dataclass(frozen=True)
class PetitionsResult:
    petitions: int
    by_status: dict[str, int]
    open311_client: str


def demo_open311_client() -> Open311Client:
    """The demo's Open311 client, with the fixed demo key (set again if it was rotated)."""
    client, _ = Open311Client.objects.get_or_create(
        name=DEMO_OPEN311_CLIENT, defaults={"contact": "demo@primarialupeni.ro"}
    )
    if client.key_hash != hash_open311_key(DEMO_OPEN311_KEY):
        client.set_key(DEMO_OPEN311_KEY)
        client.is_active = True
        client.save()
    return client


def petitions_missing() -> bool:
    return not Petition.objects.filter(entry__register=general_register()).exists()


def _petitioner_type(sender: str) -> str:
    if _COMPANY.search(sender):
        return PetitionerType.COMPANY
    if any(word in sender.lower() for word in _INSTITUTION):
        return PetitionerType.INSTITUTION
    return PetitionerType.PERSON


def _category(subject: str, categories: dict[str, PetitionCategory]) -> PetitionCategory | None:
    folded = fold(subject)
    for code, words in CATEGORY_WORDS:
        if any(w in folded for w in words) and code in categories:
            return categories[code]
    return categories.get("other")


def _position(rng: random.Random) -> tuple[Decimal, Decimal]:
    lat = LUPENI[0] + (LUPENI[2] - LUPENI[0]) * Decimal(str(round(rng.random(), 6)))
    long = LUPENI[1] + (LUPENI[3] - LUPENI[1]) * Decimal(str(round(rng.random(), 6)))
    return lat.quantize(Decimal("0.000001")), long.quantize(Decimal("0.000001"))


def _street(subject: str) -> str:
    found = re.search(r"(?:str\.|strada)\s+([A-ZĂÂÎȘȚ][\w\-ăâîșț]+(?:\s+[A-ZĂÂÎȘȚ][\w\-ăâîșț]+)?)", subject)
    return f"Str. {found.group(1)}" if found else ""


def _candidates(since: dt.datetime) -> list[Entry]:
    """Incoming petition-like documents of the general register since `since`, oldest first."""
    return list(
        Entry.objects.filter(
            register=general_register(),
            direction=Direction.INCOMING,
            answers__isnull=True,
            document_type__code__in=list(KINDS),
            registered_at__gte=since,
        )
        .select_related("document_type", "department", "linked_to")
        .prefetch_related("replies")
        .order_by("registered_at", "pk")
    )


def _special(entry: Entry) -> str:
    """How the history ended a petition that the law treats apart ("" for an ordinary one)."""
    outcome = entry.outcome or ""
    if "anonim" in outcome:
        return "anonymous"
    if "repetată" in outcome:
        return "repeated"
    if "Conexată" in outcome:
        return "joined"
    if any("transmisă spre competentă" in r.subject for r in entry.replies.all()):
        return "forwarded"
    if entry.linked_to_id is not None and entry.status != Status.CLOSED:
        return "joined"  # the same matter again while the first is still open
    return ""


def _choose(entries: list[Entry], rng: random.Random) -> list[Entry]:
    """About TARGET entries: every special case the history holds (anonymous, forwarded, joined,
    repeated: with the entry they refer to), one of every kind, then a random draw of the others."""
    by_pk = {e.pk: e for e in entries}
    chosen: dict[int, Entry] = {}

    def take(entry: Entry) -> None:
        if entry.linked_to_id is not None and entry.linked_to_id in by_pk:
            chosen.setdefault(entry.linked_to_id, by_pk[entry.linked_to_id])
        chosen.setdefault(entry.pk, entry)

    kinds_seen: dict[str, int] = {}
    for entry in entries:
        key = _special(entry)
        if not key or kinds_seen.get(key, 0) >= 2:
            continue
        if entry.linked_to_id is not None and entry.linked_to_id not in by_pk:
            continue  # the petition it refers to is older than the window
        kinds_seen[key] = kinds_seen.get(key, 0) + 1
        take(entry)
    others = [e for e in entries if e.pk not in chosen and e.linked_to_id is None]
    # closed ones only when answered under their number (their answer is on record)
    others = [e for e in others if e.status != Status.CLOSED or e.replies.all()]
    rng.shuffle(others)
    # a few overdue ones (the history leaves some open past their term), not all of them
    late = timezone.now() - dt.timedelta(days=35)
    overdue = [e for e in others if e.status != Status.CLOSED and e.registered_at < late]
    others = [e for e in others if e not in overdue[OVERDUE:]]
    info = [e for e in others if e.document_type.code == "public-information"]
    info = sorted(info, key=lambda e: (e.status == Status.CLOSED, -e.registered_at.timestamp()))[:1] + info[:7]
    rest = [e for e in others if e.document_type.code != "public-information"]
    # one of every kind the history holds first, whatever the draw (it depends on today's date)
    first_of_kind: dict[str, Entry] = {}
    for entry in info + rest:
        first_of_kind.setdefault(_kind(entry), entry)
    for entry in dict.fromkeys([*first_of_kind.values(), *info, *rest]):
        if len(chosen) >= TARGET:
            break
        take(entry)
    return sorted(chosen.values(), key=lambda e: (e.registered_at, e.pk))


def _kind(entry: Entry) -> str:
    kind = KINDS[entry.document_type.code]
    return Kind.PROPOSAL if kind == Kind.REQUEST and "propun" in fold(entry.subject) else kind


def _build(entry: Entry, *, rng: random.Random, categories: dict[str, PetitionCategory]) -> Petition:
    kind = _kind(entry)
    calendar = WorkingCalendar()
    start = timezone.localtime(entry.registered_at).date()
    terms = rules.initial_terms(kind, start, calendar)
    outcome_text = entry.outcome or ""
    anonymous = "anonim" in outcome_text or (not entry.sender_address and not entry.sender_email)
    petition = Petition(
        entry=entry,
        kind=kind,
        petitioner_type=_petitioner_type(entry.sender),
        petitioner_name="" if anonymous else entry.sender[:200],
        petitioner_address="" if anonymous else entry.sender_address,
        petitioner_email="" if anonymous else entry.sender_email,
        petitioner_key="" if anonymous else fold(entry.sender)[:300],
        anonymous=anonymous,
        description=entry.subject,
        term_start=start,
        due_date=terms.due_date,
        refusal_due_date=terms.refusal_due_date,
        forward_due_date=terms.forward_due_date,
        status=PetitionStatus.REGISTERED,
    )
    if kind in (Kind.COMPLAINT, Kind.REPORT):
        petition.category = _category(entry.subject, categories)
        petition.latitude, petition.longitude = _position(rng)
        petition.location_address = _street(entry.subject)
    if entry.status == Status.IN_PROGRESS:
        petition.status = PetitionStatus.IN_PROGRESS
    return petition


def _close(petition: Petition, entry: Entry, roots: dict[int, Petition], rng: random.Random) -> None:
    """The petition's end, as its registry entry records it."""
    if entry.status != Status.CLOSED:
        root = roots.get(entry.linked_to_id or 0)
        if root is not None and root.is_open and not petition.anonymous:
            petition.status, petition.joined_to = PetitionStatus.JOINED, root  # joined, awaiting one answer
        return
    outcome = entry.outcome or ""
    closed_at = entry.closed_at or entry.registered_at
    reply = next(iter(entry.replies.all()), None)
    root = roots.get(entry.linked_to_id or 0)
    if petition.anonymous:
        petition.status, petition.filed_away_reason = PetitionStatus.FILED_AWAY, FilingReason.ANONYMOUS
        petition.filed_away_at, petition.filed_away_note = closed_at, outcome
    elif "repetată" in outcome and root is not None:
        petition.status, petition.filed_away_reason = PetitionStatus.FILED_AWAY, FilingReason.REPEATED
        petition.filed_away_at, petition.filed_away_note, petition.repeated_of = closed_at, outcome, root
    elif "Conexată" in outcome and root is not None:
        petition.status, petition.joined_to = PetitionStatus.JOINED, root
        if root.answer_entry_id is not None:  # one answer covers both
            petition.status = PetitionStatus.ANSWERED
            petition.answered_at, petition.answer_entry = root.answered_at, root.answer_entry
            petition.answer_text, petition.legal_basis = root.answer_text, root.legal_basis
            petition.outcome, petition.solving_department = root.outcome, root.solving_department
            petition.answered_on_time = timezone.localtime(closed_at).date() <= petition.due_date
    elif reply is not None and "transmisă spre competentă" in reply.subject:
        petition.status, petition.forwarded_at, petition.forwarded_to = (
            PetitionStatus.FORWARDED,
            closed_at,
            FORWARDED_TO,
        )
        petition.forward_entry = reply
    elif reply is not None:
        petition.status, petition.answered_at, petition.answer_entry = PetitionStatus.ANSWERED, closed_at, reply
        text = outcome.split(". Răspuns transmis")[0].strip() or "Petiția a fost soluționată."
        petition.answer_text = f"{text}."
        if petition.kind == Kind.PUBLIC_INFORMATION:
            petition.legal_basis = rules.BASIS["information_answer"]
        else:
            petition.legal_basis = rules.BASIS["petition_answer"]
        petition.outcome = rng.choices([Outcome.FAVORABLE, Outcome.PARTIAL, Outcome.UNFAVORABLE], weights=[6, 2, 2])[0]
        petition.answered_on_time = timezone.localtime(closed_at).date() <= petition.due_date
        petition.solving_department = entry.department
        petition.answer_emailed_to = petition.petitioner_email
        petition.answer_by_post = not petition.petitioner_email
        petition.answer_posted_at = closed_at if petition.answer_by_post else None


def _import(entries: list[Entry], rng: random.Random) -> list[Petition]:
    categories = {c.code: c for c in PetitionCategory.objects.filter(is_active=True)}
    built: list[Petition] = []
    roots: dict[int, Petition] = {}
    for entry in entries:  # oldest first: the entry a later one refers to is built before it
        petition = _build(entry, rng=rng, categories=categories)
        _close(petition, entry, roots, rng)
        petition.save()
        roots[entry.pk] = petition
        built.append(petition)
    # the registry entries keep the petitions' legal terms
    moved = []
    for p in built:
        if p.entry.due_date != p.due_date:
            p.entry.due_date = p.due_date
            moved.append(p.entry)
    Entry.objects.bulk_update(moved, ["due_date"])
    audit_record_many(
        [
            Change(
                actor=SOURCE,
                action="petitions.petition.imported",
                obj=p,
                summary={"number": p.number, "kind": p.kind, "status": p.status, "source": SOURCE},
            )
            for p in built
        ]
    )
    return built


def _legal_actions(petitions: list[Petition]) -> None:
    """What only the services do: an extension, a "more time" notice, a refusal and its complaint."""
    from ghiseu.petitions.services import petition_extend, petition_information_extend, petition_register

    today = timezone.localdate()
    mayor = User.objects.filter(role=Role.MAYOR, is_active=True).order_by("pk").first()
    clerk = User.objects.filter(role=Role.CLERK, is_active=True).exclude(username__in=("portal", "open311"))
    actor = clerk.order_by("pk").first()
    open_ones = [p for p in petitions if p.is_open and not p.anonymous and p.due_date >= today]
    og27 = [p for p in open_ones if p.kind in (Kind.COMPLAINT, Kind.REPORT, Kind.REQUEST)]
    if mayor is not None and og27:
        target = min(og27, key=lambda p: p.due_date)  # the one closest to its term
        petition_extend(
            actor=mayor,
            petition=target,
            days=15,
            reason="Sunt necesare măsurători pe teren și avizul administratorului rețelei.",
        )
    info = [p for p in open_ones if p.kind == Kind.PUBLIC_INFORMATION]
    if actor is not None and info:
        petition_information_extend(
            actor=actor, petition=info[0], reason="Informațiile se extrag din arhiva ultimilor zece ani."
        )
    answered_info = [p for p in petitions if p.kind == Kind.PUBLIC_INFORMATION and p.status == PetitionStatus.ANSWERED]
    if actor is not None and answered_info:
        refused = answered_info[-1]
        Petition.objects.filter(pk=refused.pk).update(
            outcome=Outcome.REFUSED_EXEMPT,
            legal_basis="Legea 544/2001, art. 12 alin. (1) lit. c)",
            answer_text=(
                "Informațiile solicitate privesc procedura de achiziție publică în desfășurare și sunt exceptate "
                "de la accesul liber până la finalizarea ei."
            ),
        )
        refused.refresh_from_db()
        if refused.petitioner_name and (refused.petitioner_address or refused.petitioner_email):
            petition_register(
                actor=actor,
                kind=Kind.ADMINISTRATIVE_COMPLAINT,
                channel="email" if refused.petitioner_email else "post",
                description=(
                    f"Reclamație administrativă împotriva refuzului de a comunica informațiile solicitate prin "
                    f"nr. {refused.number}: procedura de achiziție s-a încheiat, contractul este public."
                ),
                petitioner_type=refused.petitioner_type,
                petitioner_name=refused.petitioner_name,
                petitioner_address=refused.petitioner_address,
                petitioner_email=refused.petitioner_email,
                original_request=refused,
            )


def seed_petitions(*, seed: int = DEFAULT_SEED) -> PetitionsResult | None:
    """Petition records for the history's petitions of the last months, then a few legal actions;
    None (nothing done) when the general register already has petitions or no history to draw on."""
    client = demo_open311_client()
    if not petitions_missing():
        return None
    rng = random.Random(seed)
    since = timezone.now() - dt.timedelta(days=30 * MONTHS)
    entries = _choose(_candidates(since), rng)
    if not entries:
        return None
    with transaction.atomic():
        if not petitions_missing():
            return None
        petitions = _import(entries, rng)
        _legal_actions(petitions)
    counts: dict[str, int] = {}
    for status in Petition.objects.filter(
        Q(pk__in=[p.pk for p in petitions]) | Q(kind=Kind.ADMINISTRATIVE_COMPLAINT)
    ).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return PetitionsResult(petitions=sum(counts.values()), by_status=counts, open311_client=client.name)
