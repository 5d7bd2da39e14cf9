"""Fixtures of the petitions tests: reference data, the head of the authority, a clock that can be
set (every `timezone.now()` in the services reads it) and a stand-in for the notifications app."""

from __future__ import annotations

import datetime as dt
import io
import sys
import types
import zoneinfo
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.apps import apps

from ghiseu.accounts.models import Role
from ghiseu.accounts.tests.factories import DepartmentFactory, StaffFactory
from ghiseu.petitions.models import PetitionCategory
from ghiseu.petitions.reference import ensure_reference_data

BUCHAREST = zoneinfo.ZoneInfo("Europe/Bucharest")


class Clock:
    """The current time of the services: `clock.set(date)` moves it to 10:00 that day in Bucharest."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 2, 10, 0, tzinfo=BUCHAREST)

    def set(self, day: dt.date | str, hour: int = 10) -> None:
        if isinstance(day, str):
            day = dt.date.fromisoformat(day)
        self.now = dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=BUCHAREST)

    def advance(self, days: int) -> None:
        self.now += dt.timedelta(days=days)

    def __call__(self) -> dt.datetime:
        return self.now.astimezone(dt.UTC)


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with fresh rate-limit counters (they live in the cache)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock() -> Iterator[Clock]:
    c = Clock()
    with mock.patch("django.utils.timezone.now", c):
        yield c


@pytest.fixture
def categories(reference_data: None) -> None:
    ensure_reference_data()


@pytest.fixture
def roads_dept(db: Any) -> Any:
    return DepartmentFactory(code="DRU", name="Drumuri și infrastructură")


@pytest.fixture
def roads(categories: None, roads_dept: Any) -> PetitionCategory:
    category = PetitionCategory.objects.get(code="roads")
    category.department = roads_dept
    category.save()
    return category


@pytest.fixture
def roads_officer(roads_dept: Any) -> Any:
    return StaffFactory(username="roads-officer", role=Role.OFFICER, department=roads_dept)


@pytest.fixture
def mayor(reference_data: None) -> Any:
    return StaffFactory(username="mayor", role=Role.MAYOR, department=DepartmentFactory(code="CAB", name="Cabinet"))


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Install a stand-in `ghiseu.notifications.services` and collect what it is asked to send."""
    calls: list[dict[str, Any]] = []
    module = types.ModuleType("ghiseu.notifications.services")

    def notification_send(**kwargs: Any) -> None:
        calls.append(kwargs)

    module.notification_send = notification_send  # type: ignore[attr-defined]
    package = types.ModuleType("ghiseu.notifications")
    package.services = module  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "ghiseu.notifications", package)
    monkeypatch.setitem(sys.modules, "ghiseu.notifications.services", module)
    real = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: name == "ghiseu.notifications" or real(name))
    return calls


def jpeg_bytes(
    size: tuple[int, int] = (64, 48), *, gps: tuple[float, float] | None = None, color: str = "red"
) -> bytes:
    """A JPEG, with an EXIF block (camera, time and, optionally, a GPS position)."""
    from PIL import ExifTags, Image

    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestCam"
    exif[ExifTags.Base.Model] = "Model X"
    exif[ExifTags.Base.DateTime] = "2026:11:02 09:15:00"
    if gps is not None:
        lat, long = gps

        def dms(value: float) -> tuple[float, float, float]:
            value = abs(value)
            degrees = int(value)
            minutes = int((value - degrees) * 60)
            seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
            return (float(degrees), float(minutes), seconds)

        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N" if lat >= 0 else "S",
            ExifTags.GPS.GPSLatitude: dms(lat),
            ExifTags.GPS.GPSLongitudeRef: "E" if long >= 0 else "W",
            ExifTags.GPS.GPSLongitude: dms(long),
        }
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def png_bytes(size: tuple[int, int] = (32, 32)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA", size, (0, 128, 0, 255)).save(out, "PNG")
    return out.getvalue()


def png_bomb(width: int = 60000, height: int = 60000) -> bytes:
    """A tiny PNG whose header claims billions of pixels (a decompression bomb)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


PERSON: dict[str, Any] = {
    "petitioner_name": "Maria Ionescu",
    "petitioner_address": "Str. Minerului nr. 5, bl. 3, ap. 12, Lupeni",
    "petitioner_email": "maria.ionescu@example.ro",
    "petitioner_phone": "0722 123 456",
}


@pytest.fixture
def file_petition(clerk: Any) -> Any:
    """`file_petition(**overrides)`: a clerk registers a complaint of Maria Ionescu at the counter."""
    from ghiseu.petitions.services import petition_register

    def make(**overrides: Any) -> Any:
        args: dict[str, Any] = {
            "actor": clerk,
            "kind": "complaint",
            "channel": "counter",
            "description": "Groapă mare în asfalt în fața blocului 3 de pe strada Minerului.",
            **PERSON,
        }
        args.update(overrides)
        return petition_register(**args)

    return make
