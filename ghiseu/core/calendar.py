"""The working-day calendar: Romania's legal holidays plus days off the government declares.

Legal holidays come from the `holidays` package (Orthodox Easter and Rusalii move each
year); extra days off come from the GHISEU_EXTRA_DAYS_OFF setting and from the
`core.ExtraDayOff` table that administrators keep in the admin. That table is read once per
process and kept (`CommittedCache`): saved or deleted rows are seen at once in the process that
changed them and within a minute in the others, long before a declared day off comes.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
from django.conf import settings

from ghiseu.core.memo import CommittedCache

CALENDAR = "calendar"
WORKING = "working"


@lru_cache(maxsize=64)
def _legal_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("RO", years=year).keys())


def _stored_days_off() -> frozenset[dt.date]:
    from ghiseu.core.models import ExtraDayOff

    return frozenset(ExtraDayOff.objects.values_list("date", flat=True))


_stored = CommittedCache(_stored_days_off, models=["core.ExtraDayOff"])


@lru_cache(maxsize=8)
def _configured_days_off(days: tuple[str, ...]) -> frozenset[dt.date]:
    return frozenset(dt.date.fromisoformat(day) for day in days)


def _extra_days_off() -> frozenset[dt.date]:
    return _configured_days_off(tuple(settings.GHISEU_EXTRA_DAYS_OFF)) | _stored.get()


class WorkingCalendar:
    """Answers which days are working days. Cheap to build: the days off are kept per process."""

    def __init__(self, extra_days_off: frozenset[dt.date] | None = None) -> None:
        self.extra_days_off = _extra_days_off() if extra_days_off is None else extra_days_off

    def is_working_day(self, day: dt.date) -> bool:
        if day.weekday() >= 5:
            return False
        return day not in _legal_holidays(day.year) and day not in self.extra_days_off

    def next_working_day(self, day: dt.date) -> dt.date:
        """`day` itself when it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The `days`-th working day after `start` (the start day itself is not counted)."""
        day = start
        remaining = days
        while remaining > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def due_date(self, start: dt.date, days: int, kind: str = CALENDAR) -> dt.date:
        """A legal deadline of `days` from `start`.

        Calendar days: the term ends `days` after the start; if that day is not a working
        day, the term moves to the next working day. Working days: the `days`-th working
        day after the start.
        """
        if days < 0:
            raise ValueError("days must not be negative")
        if kind == WORKING:
            return self.add_working_days(start, days)
        if kind != CALENDAR:
            raise ValueError(f"unknown deadline kind {kind!r}")
        return self.next_working_day(start + dt.timedelta(days=days))

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (negative when end < start)."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count
