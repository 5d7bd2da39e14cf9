"""A year of registry history for the demo, planned in memory and deterministic for a seed.

`plan_history` draws the documents a primărie of 20,000 inhabitants registers in a year —
petitions, requests, certificates, mail from institutions, court papers, invoices, its own
letters and internal notes — spreads them over working hours (the portal and e-mail also
at night and at weekends), numbers them 1..N per year in time order, closes about 70% of
them (most on time, some late), answers many under their own number and links repeated
petitions to the first one. Nothing is written here: `ghiseu.demo.seed` stores the plan.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from django.utils import timezone

from ghiseu.accounts.models import Department, NomenclatorEntry, User
from ghiseu.core.calendar import WorkingCalendar
from ghiseu.core.text import fold
from ghiseu.demo import data
from ghiseu.registry.models import Channel, Direction, DocumentType, Entry, Register, Status
from ghiseu.registry.services import compute_due_date

# How often each kind of document comes in, out of 100.
KIND_WEIGHTS: list[tuple[str, int]] = [
    ("report", 8),
    ("petition", 8),
    ("complaint", 4),
    ("public-information", 3),
    ("service-request", 15),
    ("urbanism-certificate", 6),
    ("building-permit", 3),
    ("fiscal-certificate", 12),
    ("civil-status", 5),
    ("correspondence-in", 12),
    ("correspondence-out", 7),
    ("internal-note", 6),
    ("court-document", 4),
    ("invoice", 7),
]
# More papers in the first quarter (tax declarations, registrul agricol), fewer in summer and December.
MONTH_WEIGHTS = {1: 1.3, 2: 1.4, 3: 1.5, 4: 1.1, 5: 1.0, 6: 1.0, 7: 0.8, 8: 0.7, 9: 1.1, 10: 1.1, 11: 1.0, 12: 0.8}
PETITION_KINDS = frozenset({"petition", "complaint", "report"})
# Subjects that belong to a season: drawn again when they fall outside it.
SEASONAL = {
    "deszăpezire": {11, 12, 1, 2, 3},
    "ninsori": {11, 12, 1, 2, 3},
    "antiderapant": {10, 11, 12, 1, 2},
    "încălzirea locuinței": {9, 10, 11, 12, 1, 2, 3},
    "înscrierea în registrul agricol": {1, 2, 3},
    "concediilor de odihnă": {11, 12, 1},
}
# How a closed document ended, when its subject does not say more.
OUTCOMES = {
    "public-information": "Informațiile solicitate au fost comunicate",
    "urbanism-certificate": "Certificat de urbanism emis",
    "building-permit": "Autorizație emisă",
    "fiscal-certificate": "Certificat de atestare fiscală eliberat",
    "civil-status": "Cerere soluționată; documentul a fost eliberat",
    "correspondence": "Luat la cunoștință; clasat la dosar",
    "court-document": "Întâmpinare depusă; dosarul este urmărit de compartimentul juridic",
    "invoice": "Factură verificată și transmisă la plată",
    "internal-note": "Luat la cunoștință",
}
# Share of closed incoming documents that get a written answer under their number.
REPLY_SHARE = {
    "petition": 0.9,
    "complaint": 0.9,
    "report": 0.85,
    "public-information": 1.0,
    "service-request": 0.6,
    "urbanism-certificate": 1.0,
    "building-permit": 1.0,
    "fiscal-certificate": 1.0,
    "civil-status": 0.5,
    "correspondence": 0.4,
    "court-document": 0.5,
}


@dataclass
class Organization:
    """The saved rows the history refers to."""

    register: Register
    departments: dict[str, Department]
    nomenclator: dict[str, NomenclatorEntry]
    document_types: dict[str, DocumentType]
    clerks: list[User]
    staff_by_department: dict[str, list[User]]


@dataclass
class Planned:
    entry: Entry  # unsaved; numbered, with its closure when it is closed
    kind: str
    person: bool = False  # sent by a person (not an institution or a company)
    anonymous: bool = False
    forward: bool = False  # a petition for another authority: forwarded within 5 days
    link_to: int | None = None  # index of the first entry on the same matter
    reply: Entry | None = None  # unsaved answer, registered under the entry's number
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class History:
    planned: list[Planned]
    last_numbers: dict[int, int]  # year -> last number given


class _Clock:
    """Registration moments inside [start, end): office hours on working days, any time online."""

    def __init__(self, rng: random.Random, start: dt.datetime, end: dt.datetime, calendar: WorkingCalendar):
        self.rng, self.start, self.end = rng, start, end
        tz = timezone.get_default_timezone()
        self.tz = tz
        first = start.astimezone(tz).date()
        last = end.astimezone(tz).date()
        days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
        self.working = [d for d in days if calendar.is_working_day(d)]
        self.all_days = days
        self._working_cum = list(accumulate(MONTH_WEIGHTS[d.month] for d in self.working))
        self._all_cum = list(accumulate(MONTH_WEIGHTS[d.month] * (1.0 if d.weekday() < 5 else 0.35) for d in days))

    def _at(self, day: dt.date, seconds: float) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), tzinfo=self.tz) + dt.timedelta(seconds=int(seconds))

    def office(self) -> dt.datetime:
        for _ in range(50):
            day = self.rng.choices(self.working, cum_weights=self._working_cum)[0]
            moment = self._at(day, self.rng.uniform(8 * 3600, 16 * 3600))
            if self.start <= moment < self.end:
                return moment
        return self.end - dt.timedelta(minutes=5)

    def online(self) -> dt.datetime:
        for _ in range(50):
            day = self.rng.choices(self.all_days, cum_weights=self._all_cum)[0]
            hour = self.rng.choices(
                range(24), weights=[1, 1, 1, 1, 1, 1, 2, 4, 8, 9, 9, 9, 8, 8, 8, 7, 6, 6, 6, 6, 5, 4, 3, 2]
            )[0]
            moment = self._at(day, hour * 3600 + self.rng.uniform(0, 3599))
            if self.start <= moment < self.end:
                return moment
        return self.end - dt.timedelta(minutes=5)

    def office_on_or_after(self, day: dt.date, calendar: WorkingCalendar, not_before: dt.datetime) -> dt.datetime:
        """A moment in office hours on `day` or the next working day, after `not_before`."""
        day = calendar.next_working_day(day)
        moment = self._at(day, self.rng.uniform(9 * 3600, 15.5 * 3600))
        if moment <= not_before:
            moment = not_before + dt.timedelta(minutes=self.rng.randint(20, 180))
        return moment


class _Planner:
    def __init__(self, *, org: Organization, rng: random.Random, start: dt.datetime, end: dt.datetime):
        self.org, self.rng, self.end = org, rng, end
        self.calendar = WorkingCalendar()
        self.clock = _Clock(rng, start, end, self.calendar)
        self.kinds = [k for k, _ in KIND_WEIGHTS]
        self.kind_cum = list(accumulate(w for _, w in KIND_WEIGHTS))

    # --- the people and the words ------------------------------------------------------
    def person(self) -> tuple[str, str, str]:
        rng = self.rng
        first, last = rng.choice(data.FIRST_NAMES), rng.choice(data.LAST_NAMES)
        address = f"Str. {rng.choice(data.STREETS)} nr. {rng.randint(1, 120)}"
        if rng.random() < 0.45:
            address += f", bl. {rng.randint(1, 40)}, ap. {rng.randint(1, 60)}"
        address += ", Lupeni, jud. Hunedoara"
        login = f"{fold(first)}.{fold(last)}".replace(" ", "")
        email = f"{login}{rng.randint(1, 99)}@{rng.choice(data.EMAIL_DOMAINS)}"
        return f"{first} {last}", address, email

    def company(self) -> tuple[str, str, str]:
        rng = self.rng
        name = rng.choice(data.COMPANIES)
        town = rng.choice(["Lupeni", "Lupeni", "Petroșani", "Vulcan", "Deva"])
        slug = fold(name.removeprefix("SC ").removesuffix(" SRL")).replace(" ", "")
        return name, f"Str. {rng.choice(data.STREETS)} nr. {rng.randint(1, 90)}, {town}", f"office@{slug}.ro"

    def words(self, local: dt.datetime) -> dict[str, Any]:
        rng = self.rng
        bl = rng.randint(1, 40)
        return {
            "street": rng.choice(data.STREETS),
            "n": rng.randint(1, 120),
            "bl": bl,
            "bl2": bl + rng.randint(1, 3),
            "quarter": rng.choice(data.QUARTERS),
            "days": rng.randint(3, 12),
            "month": data.MONTHS_RO[(local.month - 2) % 12],
            "year": local.year,
            "prev_year": local.year - 1,
            "person": " ".join(self.person()[0].split()),
            "company": rng.choice(data.COMPANIES),
            "ref": rng.randint(100, 9999),
            "date": (local.date() + dt.timedelta(days=rng.randint(-30, 45))).strftime("%d.%m.%Y"),
            "activity": rng.choice(data.ACTIVITIES),
            "audience": rng.choice(data.AUDIENCES),
            "car": rng.choice(data.CARS),
            "plate": f"{rng.randint(1, 99):02d}-{''.join(rng.choice('ABCDEFGHJKLMNPRSTUVXYZ') for _ in range(3))}",
            "country": rng.choice(data.COUNTRIES),
        }

    def citizen_channel(self) -> str:
        return self.rng.choices(
            [Channel.COUNTER, Channel.PORTAL, Channel.EMAIL, Channel.POST], weights=[55, 20, 15, 10]
        )[0]

    def officer(self, department: str) -> User | None:
        staff = self.org.staff_by_department.get(department) or []
        return self.rng.choice(staff) if staff else None

    # --- one document ----------------------------------------------------------------
    def draw(self) -> Planned:
        """One document; a seasonal subject outside its season is drawn again."""
        for _ in range(20):
            planned = self._draw()
            subject, month = planned.entry.subject, planned.entry.registered_at.month
            if all(month in months for word, months in SEASONAL.items() if word in subject):
                return planned
        return planned

    def _draw(self) -> Planned:
        rng = self.rng
        kind = rng.choices(self.kinds, cum_weights=self.kind_cum)[0]
        fields: dict[str, Any] = {"direction": Direction.INCOMING, "pages": rng.randint(1, 3), "annexes": 0}
        person = anonymous = forward = False
        if kind in PETITION_KINDS:
            topic = rng.choice([t for t in data.TOPICS if t.document_type == kind])
            doc_type, dept, file_code, subject = kind, topic.department, topic.file_code, topic.subject
            channel = self.citizen_channel()
            forward = topic.department == "REG"
            roll = rng.random()
            if roll < 0.04:
                anonymous, dept, file_code = True, "REG", "II/C/2"
                sender, address, email = "Petent anonim (fără date de identificare)", "", ""
            elif roll < 0.14:
                sender = f"Asociația de Proprietari nr. {rng.randint(1, 60)} Lupeni"
                address, email = f"Str. {rng.choice(data.STREETS)} nr. {rng.randint(1, 90)}, Lupeni", ""
            else:
                person = True
                sender, address, email = self.person()
            fields["annexes"] = rng.choice([0, 0, 0, 1, 2])
            fields["extra_outcome"] = topic.outcome
        elif kind == "public-information":
            doc_type, dept, file_code = kind, "REG", "II/C/3"
            subject = "Solicitare de informații de interes public privind " + rng.choice(data.PUBLIC_INFO_TOPICS)
            channel = rng.choices([Channel.EMAIL, Channel.PORTAL, Channel.COUNTER, Channel.POST], [50, 25, 15, 10])[0]
            if rng.random() < 0.3:
                sender, address, email = rng.choice(data.NEWSROOMS), "Petroșani, jud. Hunedoara", "redactie@example.ro"
            else:
                person = True
                sender, address, email = self.person()
        elif kind == "service-request":
            spec = rng.choice(data.SERVICE_REQUESTS)
            doc_type, dept, file_code, subject = kind, spec.department, spec.file_code, spec.subject
            channel = self.citizen_channel()
            person = True
            sender, address, email = self.person()
            fields["annexes"] = rng.randint(0, 6)
            fields["extra_outcome"] = spec.outcome
        elif kind == "urbanism-certificate":
            doc_type, dept, file_code = kind, "URB", "IV/A/1"
            subject = (
                "Cerere de certificat de urbanism în scopul "
                + rng.choice(data.URBANISM_PURPOSES)
                + " — imobilul din str. {street} nr. {n}, Lupeni"
            )
            channel = rng.choices([Channel.COUNTER, Channel.PORTAL, Channel.EMAIL], [60, 30, 10])[0]
            if rng.random() < 0.8:
                person = True
                sender, address, email = self.person()
            else:
                sender, address, email = self.company()
            fields["pages"], fields["annexes"] = rng.randint(2, 4), rng.randint(3, 12)
        elif kind == "building-permit":
            doc_type, dept, file_code = kind, "URB", "IV/A/2"
            work, what = rng.choice(data.BUILDING_WORKS)
            subject = f"Cerere de autorizație de {work}: {what} — str. {{street}} nr. {{n}}, Lupeni"
            channel = rng.choices([Channel.COUNTER, Channel.PORTAL], [75, 25])[0]
            if rng.random() < 0.7:
                person = True
                sender, address, email = self.person()
            else:
                sender, address, email = self.company()
            fields["pages"], fields["annexes"] = rng.randint(5, 20), rng.randint(5, 30)
            fields["extra_outcome"] = work
        elif kind == "fiscal-certificate":
            doc_type, dept, file_code = kind, "TAX", "III/B/4"
            subject = "Cerere de certificat de atestare fiscală pentru " + rng.choice(data.FISCAL_PURPOSES)
            channel = rng.choices([Channel.COUNTER, Channel.PORTAL, Channel.EMAIL], [65, 25, 10])[0]
            if rng.random() < 0.8:
                person = True
                sender, address, email = self.person()
            else:
                sender, address, email = self.company()
        elif kind == "civil-status":
            doc_type, dept = kind, "SCV"
            file_code, subject = rng.choice(data.CIVIL_STATUS_SUBJECTS)
            channel = rng.choices([Channel.COUNTER, Channel.POST, Channel.EMAIL], [80, 10, 10])[0]
            person = True
            sender, address, email = self.person()
            fields["annexes"] = rng.randint(1, 5)
        elif kind == "correspondence-in":
            inst = rng.choice(data.INSTITUTIONS)
            doc_type, dept, file_code = "correspondence", inst.department, inst.file_code
            subject = rng.choice(inst.subjects)
            sender, address, email = inst.name, "", ""
            channel = rng.choices([Channel.EMAIL, Channel.POST, Channel.COURIER, Channel.FAX], [45, 40, 10, 5])[0]
            fields["sender_reference"] = f"{rng.randint(1000, 99999)}"
            fields["pages"] = rng.randint(1, 5)
        elif kind == "correspondence-out":
            dept, file_code, recipient, subject = rng.choice(data.OUTGOING)
            doc_type = "correspondence"
            fields["direction"] = Direction.OUTGOING
            fields["recipient_template"] = recipient
            sender, address, email = self.org.departments[dept].name, "", ""
            channel = rng.choice([Channel.POST, Channel.EMAIL])
        elif kind == "internal-note":
            source, dept, file_code, subject = rng.choice(data.INTERNAL)
            doc_type = "internal-note"
            fields["direction"] = Direction.INTERNAL
            sender, address, email = self.org.departments[source].name, "", ""
            channel = Channel.COUNTER
            fields["source"] = source
        elif kind == "court-document":
            court, court_code = rng.choice(data.COURTS)
            doc_type, dept, file_code = kind, "JUR", "II/B/1"
            subject = rng.choice(data.COURT_SUBJECTS)
            sender, address, email = court, "", ""
            channel = rng.choices([Channel.POST, Channel.EMAIL], [85, 15])[0]
            fields["court_code"] = court_code
            fields["pages"] = rng.randint(2, 12)
        else:  # invoice
            supplier, series, what = rng.choice(data.SUPPLIERS)
            doc_type, dept, file_code = "invoice", "BUG", "III/A/4"
            subject = f"Factură fiscală — {what}, luna {{month}}"
            sender, address, email = supplier, "", ""
            channel = rng.choices([Channel.EMAIL, Channel.POST], [60, 40])[0]
            fields["sender_reference"] = f"{series} {rng.randint(1, 99999):05d}"
        online = channel in (Channel.PORTAL, Channel.EMAIL)
        local = (self.clock.online() if online else self.clock.office()).astimezone(self.clock.tz)
        words = self.words(local)
        if "court_code" in fields:
            file_number = f"{rng.randint(100, 9999)}/{fields.pop('court_code')}/{local.year}"
            words["file"] = file_number
            fields["sender_reference"] = file_number
        subject = subject.format_map(words)
        entry = Entry(
            register=self.org.register,
            registered_at=local,
            year=local.year,
            direction=fields["direction"],
            channel=channel,
            document_type=self.org.document_types[doc_type],
            sender=sender,
            sender_address=address,
            sender_email=email if online else "",
            sender_reference=fields.get("sender_reference", ""),
            sender_date=(local.date() - dt.timedelta(days=rng.randint(1, 6)))
            if fields.get("sender_reference")
            else None,
            subject=subject[:500],
            pages=fields["pages"],
            annexes=fields["annexes"],
            file_code=self.org.nomenclator[file_code],
            department=self.org.departments[dept],
            status=Status.ASSIGNED,
        )
        planned = Planned(entry=entry, kind=kind, person=person, anonymous=anonymous, forward=forward)
        planned.extra = {k: fields[k] for k in ("extra_outcome", "source", "recipient_template") if k in fields}
        if "recipient_template" in fields:
            entry.recipient = fields["recipient_template"].format_map(words)
        return planned


def _display(entry: Entry) -> str:
    return f"{entry.number}/{entry.registered_at:%d.%m.%Y}"


def plan_history(*, org: Organization, count: int, seed: int, end: dt.datetime) -> History:
    """`count` documents registered in the 365 days before `end`, numbered per year in time order."""
    rng = random.Random(seed)
    start = end - dt.timedelta(days=365)
    planner = _Planner(org=org, rng=rng, start=start, end=end)
    planned = sorted((planner.draw() for _ in range(count)), key=lambda p: p.entry.registered_at)
    last_numbers: dict[int, int] = {}
    for p in planned:
        year = p.entry.year
        last_numbers[year] = last_numbers.get(year, 0) + 1
        p.entry.number = last_numbers[year]

    _link_repeated_petitions(planned, rng)
    for p in planned:
        _close(planner, p, planned)
    for p in planned:
        e = p.entry
        e.search_text = fold(f"{e.sender} {e.subject} {e.sender_reference} {e.recipient}")
        if p.reply is not None:
            r = p.reply
            r.search_text = fold(f"{r.sender} {r.subject} {r.sender_reference} {r.recipient}")
    return History(planned=planned, last_numbers=last_numbers)


def _link_repeated_petitions(planned: list[Planned], rng: random.Random) -> None:
    """About 6% of petitions come back from the same person on the same matter: link them to the first."""
    eligible: list[int] = []
    times: list[dt.datetime] = []
    for i, p in enumerate(planned):
        if p.kind not in PETITION_KINDS or not p.person:
            continue
        now = p.entry.registered_at
        if rng.random() < 0.06:
            lo = bisect.bisect_left(times, now - dt.timedelta(days=150))
            hi = bisect.bisect_right(times, now - dt.timedelta(days=7))
            if hi > lo:
                target = eligible[rng.randrange(lo, hi)]
                link = planned[target].link_to
                root_index = target if link is None else link
                root = planned[root_index].entry
                e = p.entry
                e.sender, e.sender_address = root.sender, root.sender_address
                e.sender_email = root.sender_email if e.channel in (Channel.PORTAL, Channel.EMAIL) else ""
                e.document_type, e.department, e.file_code = root.document_type, root.department, root.file_code
                e.subject = f"Revenire la nr. {_display(root)}: {root.subject}"[:500]
                p.link_to = root_index
                p.kind = planned[root_index].kind
                p.extra["extra_outcome"] = planned[root_index].extra.get("extra_outcome", "")
                p.forward = planned[root_index].forward
                continue
        eligible.append(i)
        times.append(now)


def _close(planner: _Planner, p: Planned, planned: list[Planned]) -> None:
    """Decide whether and when the document was resolved, and its answer."""
    rng, e, end, cal = planner.rng, p.entry, planner.end, planner.calendar
    dept_code = e.department.code if e.department else ""
    registered_on = e.registered_at.date()
    if e.direction == Direction.INCOMING:
        e.due_date = compute_due_date(e.document_type, registered_on, cal)
    clerk = rng.choice(planner.org.clerks) if planner.org.clerks else None
    if e.direction == Direction.INCOMING:
        e.created_by = None if e.channel == Channel.PORTAL else clerk
        e.resolution = rng.choice(data.RESOLUTIONS)
    else:
        source = p.extra.get("source", dept_code)
        e.created_by = planner.officer(source) or clerk

    # Outgoing letters are resolved when they leave; the rest by kind, fewer of the recent ones.
    if e.direction == Direction.OUTGOING:
        e.status, e.outcome = Status.CLOSED, "Expediat"
        e.closed_at = e.registered_at + dt.timedelta(minutes=rng.randint(30, 240))
        e.sent_at = e.closed_at.date()
        e.assignee = e.created_by if e.created_by and e.created_by.department_id == e.department_id else None
        if e.closed_at >= end:
            e.closed_at, e.sent_at, e.status, e.outcome = None, None, Status.ASSIGNED, ""
        return

    age = (end - e.registered_at).days
    share = {"invoice": 0.95, "internal-note": 0.8, "court-document": 0.7, "correspondence-in": 0.65}.get(p.kind, 0.74)
    if p.anonymous or p.forward:
        share = 0.98
    if age < 60:
        share *= max(age, 0) / 60
    officer = planner.officer(dept_code)
    root = planned[p.link_to] if p.link_to is not None else None
    closed_at: dt.datetime | None = None
    outcome = p.extra.get("extra_outcome", "") or OUTCOMES.get(e.document_type.code, "Soluționat")
    if e.document_type.code == "building-permit":
        outcome = f"Autorizație de {outcome} emisă"
    if root is not None:
        root_e = root.entry
        if root_e.closed_at is not None and root_e.closed_at < e.registered_at:
            # The same matter again after the answer: filed away with a note of the earlier number.
            closed_at = planner.clock.office_on_or_after(
                registered_on + dt.timedelta(days=rng.randint(1, 6)), cal, e.registered_at
            )
            outcome = f"Clasată: petiție repetată, s-a răspuns la nr. {_display(root_e)} (OG 27/2002, art. 14)"
        elif root_e.closed_at is not None:
            closed_at = root_e.closed_at
            outcome = f"Conexată la nr. {_display(root_e)}; un singur răspuns (OG 27/2002, art. 13)"
        p.reply = None
    elif rng.random() < share:
        if p.anonymous:
            delay = rng.randint(1, 5)
            outcome = "Clasată: petiție anonimă, fără date de identificare (OG 27/2002, art. 7)"
        elif p.forward:
            delay = rng.randint(1, 4)
        elif e.document_type.deadline_days:
            days = e.document_type.deadline_days
            if e.document_type.deadline_kind == "working":
                delay = rng.randint(0, days)
            elif rng.random() < 0.08:
                delay = days + rng.randint(2, 25)  # late
            else:
                delay = max(1, int(days * rng.triangular(0.1, 1.0, 0.6)))
        else:
            delay = rng.randint(1, 30)
        closed_at = planner.clock.office_on_or_after(registered_on + dt.timedelta(days=delay), cal, e.registered_at)
    if closed_at is not None and closed_at < end:
        e.status, e.closed_at = Status.CLOSED, closed_at
        e.assignee = officer
        reply_share = 0.0 if p.anonymous or root is not None else REPLY_SHARE.get(e.document_type.code, 0.0)
        if e.direction == Direction.INCOMING and rng.random() < reply_share:
            p.reply = _reply(planner, p, outcome)
            if e.document_type.code == "correspondence":
                outcome = "Răspuns formulat"
            e.outcome = f"{outcome}. Răspuns transmis: {_display(e)}"
            e.recipient, e.sent_at = p.reply.recipient, closed_at.date()
        else:
            e.outcome = outcome
        return
    # Still open: the newest may not be routed yet; the others are assigned or in progress.
    if age < 3 and rng.random() < 0.4:
        e.status, e.department, e.resolution, e.file_code = Status.REGISTERED, None, "", None
    elif rng.random() < 0.5:
        e.status = Status.ASSIGNED
        e.assignee = officer if rng.random() < 0.5 else None
    else:
        e.status, e.assignee = Status.IN_PROGRESS, officer
    if e.status == Status.IN_PROGRESS and e.assignee is None:
        e.status = Status.ASSIGNED


def _reply(planner: _Planner, p: Planned, outcome: str) -> Entry:
    rng, e = planner.rng, p.entry
    assert e.closed_at is not None and e.department is not None
    code = e.document_type.code
    when = e.closed_at.astimezone(planner.clock.tz)
    if code == "urbanism-certificate":
        subject = f"Certificat de urbanism nr. {rng.randint(1, 400)} din {when:%d.%m.%Y}"
    elif code == "building-permit":
        kind = p.extra.get("extra_outcome") or "construire"
        subject = f"Autorizație de {kind} nr. {rng.randint(1, 150)} din {when:%d.%m.%Y}"
    elif code == "fiscal-certificate":
        subject = f"Certificat de atestare fiscală nr. {rng.randint(1, 5000)} din {when:%d.%m.%Y}"
    elif code == "public-information":
        subject = "Răspuns la solicitarea de informații de interes public (Legea 544/2001)"
    elif code == "court-document":
        subject = f"Întâmpinare în dosarul nr. {e.sender_reference}"
    elif p.forward:
        subject = "Înștiințare: petiția a fost transmisă spre competentă soluționare către Apa Serv Valea Jiului SA"
    else:
        subject = f"Răspuns: {outcome}"
    online = e.channel in (Channel.PORTAL, Channel.EMAIL)  # answered electronically (OUG 38/2020)
    channel = Channel.EMAIL if online else rng.choice([Channel.POST, Channel.COUNTER])
    return Entry(
        register=e.register,
        year=e.year,
        number=e.number,
        registered_at=e.closed_at,
        direction=Direction.OUTGOING,
        channel=channel,
        document_type=e.document_type,
        sender=e.department.name,
        subject=subject[:500],
        recipient=e.sender[:300],
        pages=rng.randint(1, 3),
        file_code=e.file_code,
        department=e.department,
        status=Status.ASSIGNED,
        sent_at=e.closed_at.date(),
        created_by=e.assignee or (planner.org.clerks[0] if planner.org.clerks else None),
    )
