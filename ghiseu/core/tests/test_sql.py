"""The hand-built INSERTs of ghiseu.core.sql store what the ORM would store."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from ghiseu.core.sql import _as_is, fill_text

SAMPLES: list[Any] = [
    None,
    "",
    "text ș",
    0,
    7,
    True,
    False,
    dt.date(2026, 11, 29),
    timezone.now(),
    dt.datetime(2026, 11, 29, 12, 0),  # naive: prepared (made aware) by get_db_prep_save, never as it is
    uuid.uuid4(),
    [],
    {"a": 1},
    1.5,
]


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_value_passed_as_it_is_is_what_get_db_prep_save_gives():
    checked = 0
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            passes = _as_is(field)
            if passes is None:
                continue
            for value in SAMPLES:
                if passes(value):
                    assert field.get_db_prep_save(value, connection) == value, (field, value)
                    checked += 1
    assert checked > 100


def test_fill_text_replaces_every_mark_by_its_expression():
    assert fill_text("no mark", {"{m}": "(x)"}) == ("%s", ["no mark"])
    sql, params = fill_text('["{m}",{n},"{m}"]', {"{m}": "(x)", "{n}": "(y)"})
    assert sql == "(%s || ((x))::text || %s || ((y))::text || %s || ((x))::text || %s)"
    assert params == ['["', '",', ',"', '"]']
