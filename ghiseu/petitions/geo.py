"""Locations of complaints: parsing and validating coordinates, distances, what may be shown publicly."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from ghiseu.core.errors import DomainError
from ghiseu.petitions import rules

EARTH_RADIUS_M = 6_371_008.8
METERS_PER_DEGREE = 111_320.0
_MICRO = Decimal("0.000001")


def parse_coordinate(value: object, *, field: str, low: int, high: int) -> Decimal:
    text = str(value).strip().replace(",", ".") if value is not None else ""
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise DomainError(_("Coordonata „%(value)s” nu este un număr.") % {"value": text[:30]}, field=field) from None
    if not number.is_finite() or not (low <= number <= high):
        raise DomainError(
            _("Coordonata „%(value)s” nu este între %(low)s și %(high)s.")
            % {"value": text[:30], "low": low, "high": high},
            field=field,
        )
    return number.quantize(_MICRO, rounding=ROUND_HALF_EVEN)


def parse_location(latitude: object, longitude: object) -> tuple[Decimal, Decimal] | None:
    """Both coordinates or none; each in its range and, when configured, inside the city's bounding box."""
    lat_given = latitude not in (None, "")
    long_given = longitude not in (None, "")
    if not lat_given and not long_given:
        return None
    if lat_given != long_given:
        raise DomainError(
            _("Indicați atât latitudinea, cât și longitudinea."), field="latitude" if not lat_given else "longitude"
        )
    lat = parse_coordinate(latitude, field="latitude", low=-90, high=90)
    long = parse_coordinate(longitude, field="longitude", low=-180, high=180)
    check_in_city(lat, long)
    return lat, long


def check_in_city(lat: Decimal, long: Decimal) -> None:
    box = rules.city_bbox()
    if box is not None and not box.contains(lat, long):
        raise DomainError(_("Locul indicat nu se află pe teritoriul localității."), field="latitude", code="outside")


def in_city(lat: Decimal, long: Decimal) -> bool:
    box = rules.city_bbox()
    return box is None or box.contains(lat, long)


def haversine_m(lat1: float, long1: float, lat2: float, long2: float) -> float:
    """The great-circle distance in metres between two WGS84 points."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(long2 - long1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def box_around(lat: float, long: float, radius_m: float) -> tuple[float, float, float, float]:
    """A lat/long box that contains every point within `radius_m` (min_lat, min_long, max_lat, max_long)."""
    dlat = radius_m / METERS_PER_DEGREE
    dlong = radius_m / (METERS_PER_DEGREE * max(math.cos(math.radians(lat)), 1e-6))
    return lat - dlat, long - dlong, lat + dlat, long + dlong


def public_coordinate(value: Decimal | None) -> Decimal | None:
    """A coordinate rounded for publication (3 decimals by default: about 100 m)."""
    if value is None:
        return None
    decimals = int(rules.option("public_location_decimals"))
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)


# House numbers, blocks, staircases, floors, flats: what turns a street into a private address.
_PRIVATE_PARTS = re.compile(
    r"\b(?:nr|num[aă]r(?:ul)?|bl|bloc(?:ul)?|sc|scara|et|etaj(?:ul)?|ap|apartament(?:ul)?|cam|camera)\b\.?\s*[\w/-]*",
    re.IGNORECASE,
)
_NUMBERS = re.compile(r"\b\d+[a-zA-Z]?\b(?:\s*[-/]\s*\d+[a-zA-Z]?)*")
_POSTCODE = re.compile(r"\b\d{6}\b")


def public_street(address: str) -> str:
    """The street of an address, without house number, block, staircase, floor or flat."""
    text = _POSTCODE.sub("", address or "")
    text = _PRIVATE_PARTS.sub("", text)
    text = _NUMBERS.sub("", text)
    parts = [" ".join(p.split()).strip(" .-") for p in text.split(",")]
    return ", ".join(p for p in parts if p)
