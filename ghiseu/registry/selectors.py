"""Reads of the registry: finding entries, the department queues, the public status lookup."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ghiseu.accounts.models import Department
from ghiseu.core.errors import DomainError
from ghiseu.core.text import fold
from ghiseu.registry import permissions
from ghiseu.registry.models import Entry, Status

_NUMBER_RE = re.compile(r"^\s*(\d{1,9})\s*(?:/\s*(?:(\d{1,2})\.(\d{1,2})\.)?(\d{4}))?\s*$")


@dataclass(frozen=True)
class NumberQuery:
    number: int
    year: int | None
    day: dt.date | None


def parse_number(text: str) -> NumberQuery:
    """`1234`, `1234/2026` or `1234/28.11.2026`; anything else is a DomainError."""
    match = _NUMBER_RE.match(text or "")
    if not match:
        raise DomainError(
            _("Numărul „%(text)s” nu are forma 1234/2026 sau 1234/28.11.2026.") % {"text": (text or "")[:40]},
            field="number",
        )
    number, day, month, year = match.groups()
    if int(number) < 1:
        raise DomainError(_("Numărul de înregistrare începe de la 1."), field="number")
    date = None
    if day:
        try:
            date = dt.date(int(year), int(month), int(day))
        except ValueError:
            raise DomainError(_("Data „%(text)s” nu există.") % {"text": text.strip()[:40]}, field="number") from None
    return NumberQuery(int(number), int(year) if year else None, date)


@dataclass(frozen=True)
class EntryFilters:
    number: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sender: str = ""
    words: str = ""
    department_id: int | None = None
    status: str = ""
    direction: str = ""
    year: int | None = None


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def entry_search(*, user: Any, filters: EntryFilters) -> QuerySet[Entry]:
    """Entries the user may see, filtered; words match without diacritics and in any case."""
    qs = permissions.visible_entries(user).select_related("department", "document_type", "register", "answers")
    if filters.number:
        query = parse_number(filters.number)
        by_number = Q(number=query.number)
        if query.year:
            by_number &= Q(year=query.year)
        qs = qs.filter(by_number)
        if query.day:
            qs = qs.filter(
                Q(
                    answers__isnull=True,
                    registered_at__gte=_day_start(query.day),
                    registered_at__lt=_day_start(query.day + dt.timedelta(days=1)),
                )
                | Q(answers__isnull=False)
            )
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise DomainError(_("Data de început este după data de sfârșit."), field="date_from")
    if filters.date_from:
        qs = qs.filter(registered_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(registered_at__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    if filters.year:
        qs = qs.filter(year=filters.year)
    for word in fold(filters.sender).split():
        qs = qs.filter(search_text__contains=word)
    for word in fold(filters.words).split():
        qs = qs.filter(search_text__contains=word)
    if filters.department_id:
        qs = qs.filter(department_id=filters.department_id)
    if filters.status:
        if filters.status == "overdue":
            qs = qs.exclude(status=Status.CLOSED).filter(due_date__lt=timezone.localdate())
        else:
            qs = qs.filter(status=filters.status)
    if filters.direction:
        qs = qs.filter(direction=filters.direction)
    return qs.order_by("-registered_at", "-pk")


@dataclass(frozen=True)
class Queue:
    new: QuerySet[Entry]
    in_progress: QuerySet[Entry]
    due_soon: QuerySet[Entry]
    overdue: QuerySet[Entry]


def department_queue(*, user: Any, department_id: int) -> Queue:
    """A department's open entries: new, in progress, due soon and overdue (the last two overlap the first two)."""
    today = timezone.localdate()
    soon = today + dt.timedelta(days=settings.GHISEU_DUE_SOON_DAYS)
    base = (
        permissions.visible_entries(user)
        .filter(department_id=department_id, answers__isnull=True)
        .exclude(status=Status.CLOSED)
        .select_related("document_type", "assignee", "register")
    )
    return Queue(
        new=base.filter(status=Status.ASSIGNED).order_by("due_date", "registered_at"),
        in_progress=base.filter(status=Status.IN_PROGRESS).order_by("due_date", "registered_at"),
        due_soon=base.filter(due_date__gte=today, due_date__lte=soon).order_by("due_date"),
        overdue=base.filter(due_date__lt=today).order_by("due_date"),
    )


def queue_counts(*, user: Any) -> list[dict[str, Any]]:
    today = timezone.localdate()
    rows = (
        permissions.visible_entries(user)
        .filter(answers__isnull=True, department__isnull=False)
        .exclude(status=Status.CLOSED)
        .values("department_id", "department__name")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(due_date__lt=today)),
        )
        .order_by("department__name")
    )
    return [dict(row) for row in rows]


def _public_status_key(*, number: str, tracking_code: str) -> tuple[int, int | None, str] | None:
    """The number, year (or None) and normalized tracking code a citizen typed; None when either
    is malformed."""
    try:
        query = parse_number(number)
    except DomainError:
        return None
    code = (tracking_code or "").strip().upper().replace(" ", "").replace("-", "")
    if not code or len(code) > 12:
        return None
    return query.number, query.year, code


def _public_status_query(*, number: str, tracking_code: str) -> QuerySet[Entry] | None:
    """The entries (originals, not replies) that a number and a tracking code both name; None when
    either is malformed."""
    key = _public_status_key(number=number, tracking_code=tracking_code)
    if key is None:
        return None
    entry_number, year, code = key
    conditions: dict[str, Any] = {"number": entry_number, "tracking_code": code, "answers__isnull": True}
    if year:
        conditions["year"] = year
    return Entry.objects.filter(**conditions)  # one filter() call: each one more clones the query


def public_status(*, number: str, tracking_code: str) -> Entry | None:
    """The entry that a citizen's number and tracking code both name, or None (no hint which was wrong)."""
    qs = _public_status_query(number=number, tracking_code=tracking_code)
    return None if qs is None else qs.select_related("department", "document_type").first()


_STATUS_LABELS = dict(Status.choices)


@dataclass(frozen=True)
class PublicStatus:
    """What the public status page shows of an entry: its progress, nothing personal."""

    number: str
    status: str
    resolved: bool
    department: str
    registered_on: dt.date
    due_date: dt.date | None
    overdue: bool


@functools.cache
def _public_status_sql(with_year: bool) -> str:
    """The lookup's one statement. Written out rather than built by the ORM: building and
    compiling the query cost more CPU than running it, on the portal's busiest anonymous page
    (bench/portal). Names come from the models' metadata."""
    q = connection.ops.quote_name

    def column(model: type[models.Model], name: str) -> str:
        field = model._meta.get_field(name)
        if not isinstance(field, models.Field) or field.column is None:
            raise TypeError(f"{model.__name__}.{name} is not a column")
        return q(field.column)

    def e(name: str) -> str:
        return f"e.{column(Entry, name)}"

    year = f" AND {e('year')} = %s" if with_year else ""
    return (
        f"SELECT {e('number')}, {e('registered_at')}, {e('status')}, d.{column(Department, 'name')}, "  # noqa: S608 - names from the models
        f"{e('due_date')} FROM {q(Entry._meta.db_table)} e LEFT JOIN {q(Department._meta.db_table)} d "
        f"ON d.{column(Department, 'id')} = {e('department')} "
        f"WHERE {e('tracking_code')} = %s AND {e('number')} = %s{year} AND {e('answers')} IS NULL"
    )


def public_status_summary(*, number: str, tracking_code: str) -> PublicStatus | None:
    """The progress of the entry that a number and tracking code both name (as `public_status`),
    read as one row of plain values: the public lookup is the portal's busiest anonymous page."""
    key = _public_status_key(number=number, tracking_code=tracking_code)
    if key is None:
        return None
    entry_number, year, code = key
    params: list[Any] = [code, entry_number] + ([year] if year else [])
    with connection.cursor() as cursor:
        cursor.execute(_public_status_sql(bool(year)), params)
        row = cursor.fetchone()  # the tracking code is unique: one row at most
    if row is None:
        return None
    found_number, registered_at, status, department, due_date = row
    if timezone.is_naive(registered_at):  # SQLite keeps UTC without the zone
        registered_at = registered_at.replace(tzinfo=dt.UTC)
    registered_on = timezone.localdate(registered_at)
    return PublicStatus(
        number=Entry.format_number(found_number, registered_on),
        status=str(_STATUS_LABELS.get(status, status)),
        resolved=status == Status.CLOSED,
        department=department or "",
        registered_on=registered_on,
        due_date=due_date,
        overdue=status != Status.CLOSED and due_date is not None and due_date < timezone.localdate(),
    )


def entry_history(entry: Entry) -> QuerySet[Any]:
    from ghiseu.audit.services import audit_events_for

    return audit_events_for(entry).order_by("position")
