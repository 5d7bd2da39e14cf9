"""The legal terms of petitions and public-information requests, read from settings.

Every term is `GHISEU_PETITION_RULES[name] = {"days": n, "kind": "calendar" | "working"}` (see
config/settings.py for the defaults and the articles they come from). A calendar-day term that
ends on a non-working day moves to the next working day (ghiseu.core.calendar).

Legal references used in letters and notes (OG 27/2002 as republished; Law 544/2001; HG 123/2002).
The article numbers of OG 27/2002 for joining and for repeated petitions are marked *(check)* in
DOMAIN.md's sense: they are configurable here, not in code paths.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ghiseu.core.calendar import CALENDAR, WORKING, WorkingCalendar

DEFAULT_TERMS: dict[str, dict[str, Any]] = {
    "petition_answer": {"days": 30, "kind": CALENDAR},
    "petition_extension": {"days": 15, "kind": CALENDAR},
    "petition_forward": {"days": 5, "kind": CALENDAR},
    "petition_forward_warning": {"days": 3, "kind": CALENDAR},
    "information_answer": {"days": 10, "kind": CALENDAR},
    "information_extended": {"days": 30, "kind": CALENDAR},
    "information_refusal": {"days": 5, "kind": CALENDAR},
    "administrative_complaint_answer": {"days": 15, "kind": CALENDAR},
}

DEFAULT_OPTIONS: dict[str, Any] = {
    "city_bbox": [],
    "similar_radius_m": 50,
    "similar_days": 30,
    "public_location_decimals": 3,
    "photo_max_pixels": 40_000_000,
    "photo_public_max_side": 2048,
    "photos_max": 5,
}

# The legal basis quoted in notes, letters and audit summaries.
BASIS = {
    "petition_answer": "OG 27/2002, art. 8",
    "petition_extension": "OG 27/2002, art. 9",
    "petition_forward": "OG 27/2002, art. 6^1",
    "anonymous": "OG 27/2002, art. 7",
    "joined": "OG 27/2002, art. 13",
    "repeated": "OG 27/2002, art. 14",
    "information_answer": "Legea 544/2001, art. 7 alin. (1)",
    "information_extended": "Legea 544/2001, art. 7 alin. (1)",
    "information_refusal": "Legea 544/2001, art. 7 alin. (2)",
    "administrative_complaint": "Legea 544/2001, art. 21",
}


@dataclass(frozen=True)
class Term:
    name: str
    days: int
    kind: str

    def due(self, start: dt.date, calendar: WorkingCalendar | None = None) -> dt.date:
        return (calendar or WorkingCalendar()).due_date(start, self.days, self.kind)

    def raw_end(self, start: dt.date, calendar: WorkingCalendar | None = None) -> dt.date:
        """The last day of the term before a non-working day moves it (calendar terms)."""
        if self.kind == WORKING:
            return (calendar or WorkingCalendar()).add_working_days(start, self.days)
        return start + dt.timedelta(days=self.days)


def _configured() -> dict[str, Any]:
    value = getattr(settings, "GHISEU_PETITION_RULES", None) or {}
    if not isinstance(value, dict):
        raise ImproperlyConfigured("GHISEU_PETITION_RULES must be a dict")
    return value


def term(name: str) -> Term:
    if name not in DEFAULT_TERMS:
        raise KeyError(name)
    merged = {**DEFAULT_TERMS[name], **(_configured().get(name) or {})}
    days, kind = merged["days"], merged["kind"]
    if not isinstance(days, int) or days < 0:
        raise ImproperlyConfigured(f"GHISEU_PETITION_RULES[{name!r}]['days'] must be a non-negative integer")
    if kind not in (CALENDAR, WORKING):
        raise ImproperlyConfigured(f"GHISEU_PETITION_RULES[{name!r}]['kind'] must be 'calendar' or 'working'")
    return Term(name, days, kind)


def option(name: str) -> Any:
    if name not in DEFAULT_OPTIONS:
        raise KeyError(name)
    return _configured().get(name, DEFAULT_OPTIONS[name])


@dataclass(frozen=True)
class BoundingBox:
    min_lat: Decimal
    min_long: Decimal
    max_lat: Decimal
    max_long: Decimal

    def contains(self, lat: Decimal, long: Decimal) -> bool:
        return self.min_lat <= lat <= self.max_lat and self.min_long <= long <= self.max_long


def city_bbox() -> BoundingBox | None:
    """The configured bounding box of the city, or None when locations are not restricted."""
    value = option("city_bbox")
    if not value:
        return None
    if isinstance(value, str):
        value = [part for part in value.split(",") if part.strip()]
    try:
        min_lat, min_long, max_lat, max_long = (Decimal(str(v).strip()) for v in value)
    except Exception as exc:
        raise ImproperlyConfigured("city_bbox must be 'min_lat,min_long,max_lat,max_long'") from exc
    if min_lat > max_lat or min_long > max_long:
        raise ImproperlyConfigured("city_bbox: the minimum is above the maximum")
    return BoundingBox(min_lat, min_long, max_lat, max_long)


# --- The terms of one petition ----------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    due_date: dt.date
    refusal_due_date: dt.date | None
    forward_due_date: dt.date | None


def initial_terms(kind: str, start: dt.date, calendar: WorkingCalendar | None = None) -> Terms:
    """The terms that start at registration for a petition of `kind` (a Kind value)."""
    from ghiseu.petitions.models import Kind

    calendar = calendar or WorkingCalendar()
    if kind == Kind.PUBLIC_INFORMATION:
        return Terms(
            due_date=term("information_answer").due(start, calendar),
            refusal_due_date=term("information_refusal").due(start, calendar),
            forward_due_date=None,
        )
    if kind == Kind.ADMINISTRATIVE_COMPLAINT:
        return Terms(term("administrative_complaint_answer").due(start, calendar), None, None)
    return Terms(
        due_date=term("petition_answer").due(start, calendar),
        refusal_due_date=None,
        forward_due_date=term("petition_forward").due(start, calendar),
    )


def extended_due_date(start: dt.date, days: int, calendar: WorkingCalendar | None = None) -> dt.date:
    """OG 27/2002 art. 9: the 30-day term of a petition registered on `start`, extended by `days`."""
    calendar = calendar or WorkingCalendar()
    answer, extension = term("petition_answer"), term("petition_extension")
    return calendar.due_date(answer.raw_end(start, calendar), days, extension.kind)


def information_extended_due_date(start: dt.date, calendar: WorkingCalendar | None = None) -> dt.date:
    """Law 544/2001 art. 7: after the "more time needed" notice, the answer is due 30 days from registration."""
    return term("information_extended").due(start, calendar)


def forward_warning_date(start: dt.date, calendar: WorkingCalendar | None = None) -> dt.date:
    """The day from which the system warns that a petition for another authority must be forwarded."""
    warning = term("petition_forward_warning")
    if warning.kind == WORKING:
        return (calendar or WorkingCalendar()).add_working_days(start, warning.days)
    return start + dt.timedelta(days=warning.days)
