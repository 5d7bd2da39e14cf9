"""The reports the law asks for, for any period, as CSV and PDF:

- the semiannual petitions report (OG 27/2002 art. 12): counts by source (persons, companies,
  institutions; anonymous apart), by solving department, answered on time, late, pending; filed
  away anonymous and repeated; forwarded; joined;
- the yearly report on free access to public information (Law 544/2001 art. 27; HG 123/2002):
  requests by requester and channel, how they were solved, within which term, refusals by reason,
  administrative complaints.

The selectors are pure reads; a petition counts in the period it was registered in, and its state
is taken as it was at the end of the period (an answer sent after the period is "pending" in it),
so that a report printed again later gives the same numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ghiseu.core.errors import DomainError
from ghiseu.core.pdf import render_pdf
from ghiseu.petitions.models import (
    PETITION_KINDS,
    FilingReason,
    Kind,
    Outcome,
    Petition,
    PetitionerType,
)
from ghiseu.registry.models import Channel

PAPER_CHANNELS = frozenset({Channel.COUNTER, Channel.POST, Channel.COURIER, Channel.FAX})


@dataclass(frozen=True)
class Period:
    date_from: dt.date
    date_to: dt.date

    def __post_init__(self) -> None:
        if self.date_from > self.date_to:
            raise DomainError(_("Data de început este după data de sfârșit."), field="date_from")

    @classmethod
    def semester(cls, year: int, half: int) -> Period:
        if half not in (1, 2):
            raise DomainError(_("Semestrul este 1 sau 2."), field="half")
        return (
            cls(dt.date(year, 1, 1), dt.date(year, 6, 30))
            if half == 1
            else cls(dt.date(year, 7, 1), dt.date(year, 12, 31))
        )

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    def label(self) -> str:
        return f"{self.date_from:%d.%m.%Y} – {self.date_to:%d.%m.%Y}"


def _start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _registered_in(period: Period) -> QuerySet[Petition]:
    return Petition.objects.filter(
        entry__registered_at__gte=_start(period.date_from),
        entry__registered_at__lt=_start(period.date_to + dt.timedelta(days=1)),
    ).select_related("entry", "entry__department", "solving_department")


def _by(moment: dt.datetime | None, as_of: dt.date) -> bool:
    return moment is not None and timezone.localdate(moment) <= as_of


def state_at(petition: Petition, as_of: dt.date) -> str:
    """What had become of a petition by the end of `as_of`: filed_anonymous, filed_repeated,
    forwarded, answered_on_time, answered_late, pending_overdue or pending."""
    if _by(petition.filed_away_at, as_of):
        return "filed_anonymous" if petition.filed_away_reason == FilingReason.ANONYMOUS else "filed_repeated"
    if _by(petition.forwarded_at, as_of):
        return "forwarded"
    if _by(petition.answered_at, as_of):
        return "answered_on_time" if petition.answered_on_time else "answered_late"
    return "pending_overdue" if petition.due_date < as_of else "pending"


def _as_of(period: Period) -> dt.date:
    return min(period.date_to, timezone.localdate())


# --- The semiannual petitions report --------------------------------------------------------------


@dataclass
class DepartmentRow:
    department: str
    total: int = 0
    answered_on_time: int = 0
    answered_late: int = 0
    pending: int = 0
    pending_overdue: int = 0
    forwarded: int = 0


@dataclass
class PetitionsReport:
    period: Period
    as_of: dt.date
    total: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    by_source: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    answered_on_time: int = 0
    answered_late: int = 0
    pending: int = 0
    pending_overdue: int = 0
    forwarded: int = 0
    filed_anonymous: int = 0
    filed_repeated: int = 0
    joined: int = 0
    extended: int = 0
    received_by_forwarding: int = 0
    by_department: list[DepartmentRow] = field(default_factory=list)


def petitions_report(period: Period) -> PetitionsReport:
    as_of = _as_of(period)
    report = PetitionsReport(period=period, as_of=as_of)
    kinds: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    channels: Counter[str] = Counter()
    departments: dict[str, DepartmentRow] = {}
    unrouted = str(_("Nerepartizate"))
    for petition in _registered_in(period).filter(kind__in=PETITION_KINDS).order_by("pk"):
        report.total += 1
        kinds[petition.kind] += 1
        sources["anonymous" if petition.anonymous else petition.petitioner_type] += 1
        channels[petition.entry.channel] += 1
        state = state_at(petition, as_of)
        if state == "filed_anonymous":
            report.filed_anonymous += 1
            continue
        if state == "filed_repeated":
            report.filed_repeated += 1
            continue
        if petition.joined_to_id is not None:
            report.joined += 1
        if _by(petition.extended_at, as_of):
            report.extended += 1
        if petition.received_by_forwarding:
            report.received_by_forwarding += 1
        department = petition.solving_department or petition.entry.department
        name = department.name if department is not None else unrouted
        row = departments.setdefault(name, DepartmentRow(department=name))
        row.total += 1
        if state == "forwarded":
            report.forwarded += 1
            row.forwarded += 1
        elif state == "answered_on_time":
            report.answered_on_time += 1
            row.answered_on_time += 1
        elif state == "answered_late":
            report.answered_late += 1
            row.answered_late += 1
        elif state == "pending_overdue":
            report.pending_overdue += 1
            row.pending_overdue += 1
        else:
            report.pending += 1
            row.pending += 1
    report.by_kind = {k: kinds[k] for k in Kind.values if k in PETITION_KINDS}
    report.by_source = {
        PetitionerType.PERSON: sources[PetitionerType.PERSON],
        PetitionerType.COMPANY: sources[PetitionerType.COMPANY],
        PetitionerType.INSTITUTION: sources[PetitionerType.INSTITUTION],
        "anonymous": sources["anonymous"],
    }
    report.by_channel = {c: channels[c] for c in Channel.values if channels[c]}
    report.by_department = sorted(departments.values(), key=lambda r: (r.department == unrouted, r.department))
    return report


# --- The yearly Law 544/2001 report --------------------------------------------------------------


@dataclass
class InformationReport:
    period: Period
    as_of: dt.date
    total: int = 0
    by_source: dict[str, int] = field(default_factory=dict)
    paper: int = 0
    electronic: int = 0
    by_outcome: dict[str, int] = field(default_factory=dict)
    answered_within_10: int = 0
    answered_within_30: int = 0
    answered_late: int = 0
    refusals_on_time: int = 0
    extended: int = 0
    forwarded: int = 0
    pending: int = 0
    pending_overdue: int = 0
    filed_anonymous: int = 0
    complaints_total: int = 0
    complaints_favorable: int = 0
    complaints_rejected: int = 0
    complaints_pending: int = 0


def information_report(period: Period) -> InformationReport:
    as_of = _as_of(period)
    report = InformationReport(period=period, as_of=as_of)
    sources: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    for petition in _registered_in(period).filter(kind=Kind.PUBLIC_INFORMATION).order_by("pk"):
        report.total += 1
        sources["anonymous" if petition.anonymous else petition.petitioner_type] += 1
        if petition.entry.channel in PAPER_CHANNELS:
            report.paper += 1
        else:
            report.electronic += 1
        state = state_at(petition, as_of)
        extended = _by(petition.extended_at, as_of)
        if extended:
            report.extended += 1
        if state == "filed_anonymous":
            report.filed_anonymous += 1
        elif state == "forwarded":
            report.forwarded += 1
        elif state in ("answered_on_time", "answered_late"):
            outcomes[petition.outcome] += 1
            if state == "answered_late":
                report.answered_late += 1
            elif petition.outcome in (Outcome.REFUSED_EXEMPT, Outcome.REFUSED_MISSING):
                report.refusals_on_time += 1
            elif extended:
                report.answered_within_30 += 1
            else:
                report.answered_within_10 += 1
        elif state == "pending_overdue":
            report.pending_overdue += 1
        else:
            report.pending += 1
    for complaint in _registered_in(period).filter(kind=Kind.ADMINISTRATIVE_COMPLAINT).order_by("pk"):
        report.complaints_total += 1
        state = state_at(complaint, as_of)
        if state in ("answered_on_time", "answered_late"):
            if complaint.outcome in (Outcome.FAVORABLE, Outcome.PARTIAL):
                report.complaints_favorable += 1
            else:
                report.complaints_rejected += 1
        elif state.startswith("pending"):
            report.complaints_pending += 1
    report.by_source = {
        PetitionerType.PERSON: sources[PetitionerType.PERSON],
        PetitionerType.COMPANY: sources[PetitionerType.COMPANY],
        PetitionerType.INSTITUTION: sources[PetitionerType.INSTITUTION],
        "anonymous": sources["anonymous"],
    }
    report.by_outcome = {o: outcomes[o] for o in Outcome.values}
    return report


# --- Rendering -----------------------------------------------------------------------------------


def _source_label(key: str) -> str:
    if key == "anonymous":
        return str(_("anonime"))
    return str(PetitionerType(key).label)


def petitions_report_rows(report: PetitionsReport, *, departments: bool = True) -> list[tuple[str, str, int]]:
    """The report as (section, indicator, value) rows: the CSV, and the order of the PDF."""
    total = str(_("Total"))
    rows: list[tuple[str, str, int]] = [(total, str(_("Petiții înregistrate")), report.total)]
    rows += [(str(_("După tip")), str(Kind(k).label), n) for k, n in report.by_kind.items()]
    rows += [(str(_("După sursă")), _source_label(k), n) for k, n in report.by_source.items()]
    rows += [(str(_("După canal")), str(Channel(k).label), n) for k, n in report.by_channel.items()]
    solved = str(_("Soluționare"))
    rows += [
        (solved, str(_("răspuns în termen")), report.answered_on_time),
        (solved, str(_("răspuns după termen")), report.answered_late),
        (solved, str(_("în curs, în termen")), report.pending),
        (solved, str(_("în curs, termen depășit")), report.pending_overdue),
        (solved, str(_("redirecționate altor autorități")), report.forwarded),
        (solved, str(_("clasate: anonime sau fără date de identificare")), report.filed_anonymous),
        (solved, str(_("clasate: repetate")), report.filed_repeated),
        (solved, str(_("conexate (răspuns comun)")), report.joined),
        (solved, str(_("cu termen prelungit")), report.extended),
        (solved, str(_("primite prin redirecționare")), report.received_by_forwarding),
    ]
    for row in report.by_department if departments else []:
        section = str(_("Compartiment: %(name)s") % {"name": row.department})
        rows += [
            (section, str(_("total")), row.total),
            (section, str(_("răspuns în termen")), row.answered_on_time),
            (section, str(_("răspuns după termen")), row.answered_late),
            (section, str(_("în curs, în termen")), row.pending),
            (section, str(_("în curs, termen depășit")), row.pending_overdue),
            (section, str(_("redirecționate")), row.forwarded),
        ]
    return rows


def information_report_rows(report: InformationReport) -> list[tuple[str, str, int]]:
    requests = str(_("Solicitări"))
    rows: list[tuple[str, str, int]] = [(requests, str(_("total")), report.total)]
    rows += [(requests, _source_label(k), n) for k, n in report.by_source.items()]
    rows += [
        (requests, str(_("pe suport de hârtie")), report.paper),
        (requests, str(_("pe suport electronic")), report.electronic),
    ]
    solved = str(_("Soluționare"))
    rows += [(solved, str(Outcome(k).label), n) for k, n in report.by_outcome.items()]
    rows += [
        (solved, str(_("răspuns în 10 zile")), report.answered_within_10),
        (solved, str(_("răspuns în 30 de zile, după înștiințare")), report.answered_within_30),
        (solved, str(_("refuz în 5 zile")), report.refusals_on_time),
        (solved, str(_("răspuns după termen")), report.answered_late),
        (solved, str(_("înștiințări de prelungire")), report.extended),
        (solved, str(_("redirecționate")), report.forwarded),
        (solved, str(_("în curs, în termen")), report.pending),
        (solved, str(_("în curs, termen depășit")), report.pending_overdue),
        (solved, str(_("clasate: anonime")), report.filed_anonymous),
    ]
    complaints = str(_("Reclamații administrative"))
    rows += [
        (complaints, str(_("total")), report.complaints_total),
        (complaints, str(_("admise")), report.complaints_favorable),
        (complaints, str(_("respinse")), report.complaints_rejected),
        (complaints, str(_("în curs")), report.complaints_pending),
    ]
    return rows


def rows_csv(rows: list[tuple[str, str, int]], *, title: str, period: Period) -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheet programs read the diacritics right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([title, period.label(), ""])
    writer.writerow([str(_("Secțiune")), str(_("Indicator")), str(_("Valoare"))])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def petitions_report_csv(report: PetitionsReport) -> bytes:
    return rows_csv(
        petitions_report_rows(report), title=str(_("Raport semestrial privind petițiile")), period=report.period
    )


def information_report_csv(report: InformationReport) -> bytes:
    return rows_csv(
        information_report_rows(report),
        title=str(_("Raport privind accesul la informațiile de interes public")),
        period=report.period,
    )


def _sections(rows: list[tuple[str, str, int]]) -> list[tuple[str, list[tuple[str, int]]]]:
    sections: list[tuple[str, list[tuple[str, int]]]] = []
    for section, label, value in rows:
        if not sections or sections[-1][0] != section:
            sections.append((section, []))
        sections[-1][1].append((label, value))
    return sections


def petitions_report_pdf(report: PetitionsReport) -> bytes:
    return render_pdf(
        "petitions/report.html",
        {
            "title": _("Raport semestrial privind activitatea de soluționare a petițiilor"),
            "basis": "OG 27/2002, art. 12",
            "report": report,
            "sections": _sections(petitions_report_rows(report, departments=False)),
            "departments": report.by_department,
            "printed_at": timezone.localtime(),
        },
    )


def information_report_pdf(report: InformationReport) -> bytes:
    return render_pdf(
        "petitions/report.html",
        {
            "title": _("Raport privind accesul la informațiile de interes public"),
            "basis": "Legea 544/2001, art. 27; HG 123/2002",
            "report": report,
            "sections": _sections(information_report_rows(report)),
            "departments": [],
            "printed_at": timezone.localtime(),
        },
    )
