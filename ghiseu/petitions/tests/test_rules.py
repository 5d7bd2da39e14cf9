"""The legal terms, across weekends and Romanian holidays (1 Dec, 25-26 Dec, Good Friday and
Orthodox Easter 2027), in calendar and in working days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured

from ghiseu.core.calendar import WorkingCalendar
from ghiseu.petitions import rules
from ghiseu.petitions.models import Kind

D = dt.date.fromisoformat
CAL = WorkingCalendar(extra_days_off=frozenset())


@pytest.mark.parametrize(
    ("start", "due"),
    [
        ("2026-11-02", "2026-12-02"),  # +30 = Wed 2 Dec (the 30 Nov and 1 Dec holidays are inside the term)
        ("2026-11-01", "2026-12-02"),  # +30 = Tue 1 Dec, National Day -> Wed 2 Dec
        ("2026-11-26", "2026-12-28"),  # +30 = Sat 26 Dec, Christmas -> Sun -> Mon 28 Dec
        ("2027-03-31", "2027-05-04"),  # +30 = Good Friday -> 1 May -> Easter Sunday -> Easter Monday -> Tue 4 May
        ("2027-04-22", "2027-05-24"),  # +30 = Sat 22 May -> Mon 24 May
    ],
)
def test_petition_answer_is_30_calendar_days_moved_to_a_working_day(start, due):
    assert rules.initial_terms(Kind.COMPLAINT, D(start), CAL).due_date == D(due)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        ("2026-11-02", 15, "2026-12-17"),  # 2 Dec + 15
        ("2026-11-01", 15, "2026-12-16"),  # counted from the term's own end (1 Dec), not from the moved day
        ("2026-11-17", 15, "2027-01-04"),  # 17 Dec + 15 = 1 Jan (holiday), 2 Jan (holiday), Sun -> Mon 4 Jan
        ("2027-03-16", 15, "2027-05-04"),  # 15 Apr + 15 = 30 Apr, Good Friday -> ... -> Tue 4 May
        ("2027-03-16", 5, "2027-04-20"),  # a shorter extension is allowed
    ],
)
def test_extension_adds_at_most_15_days_to_the_term(start, days, due):
    assert rules.extended_due_date(D(start), days, CAL) == D(due)


@pytest.mark.parametrize(
    ("start", "forward_due", "warn_from"),
    [
        ("2026-11-26", "2026-12-02", "2026-11-29"),  # +5 = 1 Dec -> 2 Dec; warning from day 3
        ("2027-04-27", "2027-05-04", "2027-04-30"),  # +5 = 2 May (Easter) -> Easter Monday -> 4 May
        ("2026-11-02", "2026-11-09", "2026-11-05"),  # +5 = Sat 7 Nov -> Mon 9 Nov
    ],
)
def test_forwarding_within_5_days_warned_from_day_3(start, forward_due, warn_from):
    assert rules.initial_terms(Kind.REQUEST, D(start), CAL).forward_due_date == D(forward_due)
    assert rules.forward_warning_date(D(start), CAL) == D(warn_from)


@pytest.mark.parametrize(
    ("start", "answer", "refusal", "extended"),
    [
        ("2026-11-21", "2026-12-02", "2026-11-26", "2026-12-21"),  # +10 = 1 Dec -> 2 Dec; +30 = Mon 21 Dec
        ("2026-11-26", "2026-12-07", "2026-12-02", "2026-12-28"),  # +5 = 1 Dec -> 2 Dec; +30 = 26 Dec -> 28 Dec
        ("2027-04-20", "2027-05-04", "2027-04-26", "2027-05-20"),  # +10 = 30 Apr (Good Friday) -> 4 May
        ("2027-04-02", "2027-04-12", "2027-04-07", "2027-05-04"),  # +30 = 2 May (Easter) -> 4 May
    ],
)
def test_public_information_10_days_refusal_5_days_extended_30_days(start, answer, refusal, extended):
    terms = rules.initial_terms(Kind.PUBLIC_INFORMATION, D(start), CAL)
    assert terms.due_date == D(answer)
    assert terms.refusal_due_date == D(refusal)
    assert terms.forward_due_date is None
    assert rules.information_extended_due_date(D(start), CAL) == D(extended)


def test_administrative_complaint_has_its_15_day_term():
    terms = rules.initial_terms(Kind.ADMINISTRATIVE_COMPLAINT, D("2026-11-16"), CAL)
    assert terms.due_date == D("2026-12-02")  # +15 = 1 Dec -> 2 Dec


def test_terms_are_settings_in_working_days_too(settings):
    settings.GHISEU_PETITION_RULES = {
        **settings.GHISEU_PETITION_RULES,
        "information_answer": {"days": 10, "kind": "working"},
        "petition_answer": {"days": 20, "kind": "calendar"},
    }
    # 10 working days from Thu 22 Apr 2027: 23, 26-29 Apr, (30 Apr Good Friday, 1-3 May off), 4-7, 10 May
    assert rules.initial_terms(Kind.PUBLIC_INFORMATION, D("2027-04-22"), CAL).due_date == D("2027-05-10")
    # 20 calendar days from 1 Nov 2026: Sat 21 Nov -> Mon 23 Nov
    assert rules.initial_terms(Kind.COMPLAINT, D("2026-11-01"), CAL).due_date == D("2026-11-23")
    assert rules.term("petition_answer").days == 20


def test_missing_rules_fall_back_to_the_legal_defaults(settings):
    settings.GHISEU_PETITION_RULES = {}
    assert rules.term("petition_answer") == rules.Term("petition_answer", 30, "calendar")
    assert rules.term("information_refusal").days == 5
    assert rules.option("similar_radius_m") == 50


def test_bad_rules_are_a_configuration_error(settings):
    settings.GHISEU_PETITION_RULES = {"petition_answer": {"days": 30, "kind": "lunar"}}
    with pytest.raises(ImproperlyConfigured):
        rules.term("petition_answer")
    settings.GHISEU_PETITION_RULES = {"petition_answer": {"days": -1, "kind": "calendar"}}
    with pytest.raises(ImproperlyConfigured):
        rules.term("petition_answer")
    settings.GHISEU_PETITION_RULES = {"city_bbox": "45.3,23.1"}
    with pytest.raises(ImproperlyConfigured):
        rules.city_bbox()


def test_extra_days_off_declared_by_the_government_count():
    calendar = WorkingCalendar(extra_days_off=frozenset({D("2026-12-02")}))
    assert rules.initial_terms(Kind.COMPLAINT, D("2026-11-01"), calendar).due_date == D("2026-12-03")
