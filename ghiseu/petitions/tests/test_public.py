"""The public list of reported problems (no personal data) and the similar-report hint."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal

import pytest

from ghiseu.petitions import geo
from ghiseu.petitions.models import PetitionCategory
from ghiseu.petitions.selectors import public_reports, similar_reports
from ghiseu.petitions.services import petition_answer, petition_join

pytestmark = pytest.mark.django_db

SECRET_BITS = ["Maria", "Ionescu", "maria.ionescu@example.ro", "0722", "Groapă mare", "nr. 5", "bl. 3", "ap. 12"]


def as_text(rows) -> str:
    return json.dumps([dataclasses.asdict(r) for r in rows], default=str, ensure_ascii=False)


def test_the_public_list_never_shows_personal_data(clock, file_petition, roads, clerk):
    clock.set("2026-11-02")
    petition = file_petition(
        category=roads,
        location_address="Str. Minerului nr. 5, bl. 3, ap. 12, Lupeni",
        latitude="45.360149",
        longitude="23.218951",
    )
    rows = public_reports()
    assert len(rows) == 1
    row = rows[0]
    assert row.number == petition.entry.display_number
    assert row.category == "Drumuri și trotuare" and row.status == "open"
    assert row.street == "Str. Minerului, Lupeni"
    assert (row.latitude, row.longitude) == (Decimal("45.360"), Decimal("23.219"))  # about 100 m, not the house
    assert row.registered_on == dt.date(2026, 11, 2)
    text = as_text(rows)
    for bit in SECRET_BITS:
        assert bit not in text
    field_names = {f.name for f in dataclasses.fields(row)}
    assert not field_names & {"petitioner_name", "petitioner_email", "petitioner_phone", "description", "address"}
    petition_answer(actor=clerk, petition=petition, text="Reparat.", legal_basis="OG 27/2002", outcome="favorable")
    assert public_reports()[0].status == "closed"
    assert public_reports(status="open") == []


def test_anonymous_joined_and_uncategorised_petitions_are_not_listed(clock, file_petition, roads, clerk):
    shown = file_petition(category=roads, latitude="45.3601", longitude="23.2189")
    file_petition(category=roads, anonymous=True)  # filed away, never examined
    file_petition()  # a complaint about something else, with no category
    joined = file_petition(category=roads)
    petition_join(actor=clerk, petition=joined, to=shown)
    assert [r.number for r in public_reports()] == [shown.entry.display_number]


def test_filters_by_category(clock, file_petition, roads, categories):
    lighting = PetitionCategory.objects.get(code="lighting")
    file_petition(category=roads)
    file_petition(category=lighting)
    assert [r.category_code for r in public_reports(category=lighting)] == ["lighting"]


def meters_north(lat: float, meters: float) -> str:
    return f"{lat + meters / geo.METERS_PER_DEGREE:.6f}"


def meters_east(lat: float, long: float, meters: float) -> str:
    import math

    return f"{long + meters / (geo.METERS_PER_DEGREE * math.cos(math.radians(lat))):.6f}"


def test_similar_reports_same_category_within_50_m_in_the_last_30_days(clock, file_petition, roads, categories):
    lat, long = 45.3601, 23.2189
    lighting = PetitionCategory.objects.get(code="lighting")
    clock.set("2026-10-01")
    file_petition(category=roads, latitude=meters_north(lat, 10), longitude=str(long))  # 31+ days ago
    clock.set("2026-11-01")
    near = file_petition(category=roads, latitude=meters_north(lat, 20), longitude=str(long))
    nearer = file_petition(category=roads, latitude=str(lat), longitude=meters_east(lat, long, 8))
    file_petition(category=roads, latitude=meters_north(lat, 49), longitude=meters_east(lat, long, 30))  # ~57 m
    file_petition(category=roads, latitude=meters_north(lat, -80), longitude=str(long))  # 80 m
    file_petition(category=lighting, latitude=str(lat), longitude=str(long))  # another category
    file_petition(category=roads, anonymous=True, latitude=str(lat), longitude=str(long))  # filed away
    clock.set("2026-11-05")
    found = similar_reports(category=roads, latitude=lat, longitude=long)
    assert [r.number for r in found] == [nearer.entry.display_number, near.entry.display_number]
    assert found[0].distance_m is not None and 7 < found[0].distance_m < 9
    assert found[1].distance_m is not None and 19 < found[1].distance_m < 21
    assert "Maria" not in as_text(found)


def test_haversine_and_box():
    assert geo.haversine_m(45.0, 23.0, 45.0, 23.0) == 0
    one_degree = geo.haversine_m(45.0, 23.0, 46.0, 23.0)
    assert 111_000 < one_degree < 111_300
    _, _, max_lat, max_long = geo.box_around(45.36, 23.22, 50)
    assert geo.haversine_m(45.36, 23.22, max_lat, 23.22) == pytest.approx(50, rel=0.01)
    assert geo.haversine_m(45.36, 23.22, 45.36, max_long) == pytest.approx(50, rel=0.01)


@pytest.mark.parametrize(
    ("address", "street"),
    [
        ("Str. Minerului nr. 5, bl. 3, sc. A, et. 2, ap. 12, Lupeni", "Str. Minerului, Lupeni"),
        ("Strada Tudor Vladimirescu 12A, 335600 Lupeni", "Strada Tudor Vladimirescu, Lupeni"),
        ("Bulevardul Păcii, lângă parc", "Bulevardul Păcii, lângă parc"),
        ("Intersecția str. Viitorului cu str. Parângului", "Intersecția str. Viitorului cu str. Parângului"),
        ("", ""),
    ],
)
def test_public_street_drops_house_numbers_blocks_and_flats(address, street):
    assert geo.public_street(address) == street
