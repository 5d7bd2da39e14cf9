"""Reference data kept per process: only what was committed, forgotten when it changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from ghiseu.core import memo
from ghiseu.core.calendar import WORKING, WorkingCalendar
from ghiseu.core.models import ExtraDayOff

D = dt.date


class Loads:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> set[dt.date]:
        self.count += 1
        return set(ExtraDayOff.objects.values_list("date", flat=True))


@pytest.mark.django_db(transaction=True)
def test_a_committed_value_is_kept_until_its_model_changes() -> None:
    load = Loads()
    cache = memo.CommittedCache(load, models=["core.ExtraDayOff"])
    assert cache.get() == set()
    assert cache.get() == set()
    assert load.count == 1
    day = ExtraDayOff.objects.create(date=D(2026, 12, 24))
    assert cache.get() == {D(2026, 12, 24)}
    assert load.count == 2
    day.delete()
    assert cache.get() == set()
    assert load.count == 3


@pytest.mark.django_db(transaction=True)
def test_a_value_read_inside_a_transaction_is_not_kept() -> None:
    load = Loads()
    cache = memo.CommittedCache(load, models=["core.ExtraDayOff"])
    with pytest.raises(RuntimeError), transaction.atomic():
        ExtraDayOff.objects.create(date=D(2026, 12, 24))
        assert cache.get() == {D(2026, 12, 24)}  # seen by its own transaction...
        raise RuntimeError("rolled back")
    assert cache.get() == set()  # ...and not kept once it is rolled back
    assert load.count == 2


@pytest.mark.django_db(transaction=True)
def test_a_kept_value_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    load = Loads()
    cache = memo.CommittedCache(load, models=["core.ExtraDayOff"], ttl=60)
    now = [1000.0]
    monkeypatch.setattr(memo.time, "monotonic", lambda: now[0])
    cache.get()
    now[0] += 59
    cache.get()
    assert load.count == 1
    now[0] += 2  # another process may have changed it: read again
    cache.get()
    assert load.count == 2


@pytest.mark.django_db(transaction=True)
def test_the_calendar_sees_a_day_off_declared_after_it_was_read() -> None:
    assert WorkingCalendar().due_date(D(2026, 12, 23), 2, WORKING) == D(2026, 12, 28)
    ExtraDayOff.objects.create(date=D(2026, 12, 24), reason="HG zi liberă")
    assert WorkingCalendar().due_date(D(2026, 12, 23), 2, WORKING) == D(2026, 12, 29)
    ExtraDayOff.objects.all().delete()  # a queryset delete sends post_delete for each row
    assert WorkingCalendar().due_date(D(2026, 12, 23), 2, WORKING) == D(2026, 12, 28)
