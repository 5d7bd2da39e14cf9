from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from ghiseu.core.calendar import CALENDAR, WORKING, WorkingCalendar
from ghiseu.core.models import ExtraDayOff

D = dt.date
pytestmark = pytest.mark.django_db


def test_legal_holidays_and_weekends_are_not_working_days():
    cal = WorkingCalendar()
    assert not cal.is_working_day(D(2026, 12, 1))  # Ziua Națională
    assert not cal.is_working_day(D(2026, 11, 30))  # Sfântul Andrei
    assert not cal.is_working_day(D(2027, 4, 30))  # Vinerea Mare (Orthodox)
    assert not cal.is_working_day(D(2027, 5, 3))  # a doua zi de Paște (Orthodox)
    assert not cal.is_working_day(D(2027, 6, 21))  # Rusalii, moves every year
    assert not cal.is_working_day(D(2026, 11, 28))  # Saturday
    assert cal.is_working_day(D(2026, 12, 24))
    assert cal.is_working_day(D(2027, 4, 29))


def test_calendar_deadline_on_a_holiday_moves_to_next_working_day():
    cal = WorkingCalendar()
    assert cal.due_date(D(2026, 11, 28), 30, CALENDAR) == D(2026, 12, 28)
    assert cal.due_date(D(2026, 11, 26), 5, CALENDAR) == D(2026, 12, 2)  # 1 Dec → 2 Dec
    # 30 days from 2 April 2027 is Orthodox Easter Sunday; Monday is a holiday too.
    assert cal.due_date(D(2027, 4, 2), 30, CALENDAR) == D(2027, 5, 4)


def test_working_day_deadlines_skip_christmas_and_easter():
    cal = WorkingCalendar()
    # Filed on 23 December: 24th counts, 25-27 do not.
    assert cal.due_date(D(2026, 12, 23), 2, WORKING) == D(2026, 12, 28)
    # Filed the day before Good Friday: Friday, the weekend and Easter Monday do not count.
    assert cal.due_date(D(2027, 4, 29), 2, WORKING) == D(2027, 5, 5)
    assert cal.working_days_between(D(2026, 12, 23), D(2026, 12, 28)) == 2
    assert cal.working_days_between(D(2026, 12, 28), D(2026, 12, 23)) == -2


def test_configured_and_stored_extra_days_off_count():
    ExtraDayOff.objects.create(date=D(2026, 12, 24), reason="HG zi liberă")
    assert WorkingCalendar().due_date(D(2026, 12, 23), 2, WORKING) == D(2026, 12, 29)
    with override_settings(GHISEU_EXTRA_DAYS_OFF=["2026-12-28"]):
        assert WorkingCalendar().due_date(D(2026, 12, 23), 2, WORKING) == D(2026, 12, 30)


def test_bad_arguments_are_refused():
    cal = WorkingCalendar(extra_days_off=frozenset())
    with pytest.raises(ValueError):
        cal.due_date(D(2026, 1, 5), -1)
    with pytest.raises(ValueError):
        cal.due_date(D(2026, 1, 5), 3, "lunar")
