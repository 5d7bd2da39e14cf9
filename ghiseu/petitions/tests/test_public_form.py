"""The public filing form against abuse (a rate limit per client address with a translated 429 page,
a honeypot) and with its map: a progressive enhancement over the typed coordinates, off when no
tiles URL is set; the public list's map carries only the rounded positions."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders

from ghiseu.petitions.models import Petition
from ghiseu.petitions.tests.test_views import FILE, citizen_form

pytestmark = pytest.mark.django_db


def test_filings_per_address_are_limited_with_a_translated_429(client, clock, categories, settings):
    settings.GHISEU_PETITION_FILINGS_PER_HOUR = 2
    assert client.post(FILE, citizen_form()).status_code == 302
    assert client.post(FILE, citizen_form(description="")).status_code == 400  # invalid ones count too
    response = client.post(FILE, citizen_form(description="A treia sesizare."))
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    page = response.content.decode()
    assert "Prea multe trimiteri" in page and "2 formulare" in page
    assert Petition.objects.count() == 1
    # another address has its own budget; reading the form is never limited
    assert client.post(FILE, citizen_form(), REMOTE_ADDR="10.1.2.3").status_code == 302
    assert client.get(FILE).status_code == 200
    assert Petition.objects.count() == 2


def test_a_limit_of_zero_turns_the_limit_off(client, clock, categories, settings):
    settings.GHISEU_PETITION_FILINGS_PER_HOUR = 0
    for n in range(4):
        assert client.post(FILE, citizen_form(description=f"Sesizarea {n}")).status_code == 302
    assert Petition.objects.count() == 4


def test_a_filled_honeypot_registers_nothing(client, clock, categories):
    page = client.get(FILE).content.decode()
    assert re.search(r'<div class="hp-field" aria-hidden="true">', page)
    assert re.search(r'<input type="text" name="website" id="id_website" value="" tabindex="-1"', page)
    response = client.post(FILE, citizen_form(website="http://spam.example"))
    assert response.status_code == 400
    assert Petition.objects.count() == 0
    assert client.post(FILE, citizen_form(website="")).status_code == 302


def test_the_map_enhances_the_typed_fields_and_is_off_without_tiles(client, settings, categories):
    settings.GHISEU_MAP_TILES_URL = "https://tiles.example/{z}/{x}/{y}.png"
    page = client.get(FILE).content.decode()
    assert 'data-petition-map="picker" hidden' in page  # hidden until the script shows it
    assert 'data-lat-input="id_latitude" data-long-input="id_longitude"' in page
    assert 'data-tiles="https://tiles.example/{z}/{x}/{y}.png"' in page
    assert "/static/petitions/vendor/leaflet/leaflet.js" in page and "unpkg" not in page and "cdn" not in page
    assert 'name="latitude"' in page and 'name="longitude"' in page
    settings.GHISEU_MAP_TILES_URL = ""
    page = client.get(FILE).content.decode()
    assert "data-petition-map" not in page and "leaflet" not in page
    assert 'name="latitude"' in page and 'name="longitude"' in page


def test_leaflet_is_served_from_our_static_files_with_its_licence():
    script = finders.find("petitions/vendor/leaflet/leaflet.js")
    licence = finders.find("petitions/vendor/leaflet/LICENSE")
    assert script and licence and finders.find("petitions/vendor/leaflet/leaflet.css")
    assert "Leaflet 1.9" in Path(str(script)).read_text()[:200]
    assert "BSD 2-Clause License" in Path(str(licence)).read_text()
    assert finders.find("petitions/vendor/leaflet/images/marker-icon.png")


def test_the_public_list_map_shows_rounded_positions_only(client, clock, roads, settings, file_petition):
    settings.GHISEU_MAP_TILES_URL = "https://tiles.example/{z}/{x}/{y}.png"
    file_petition(category=roads, latitude="45.360149", longitude="23.218951", location_address="Str. Minerului nr. 5")
    page = client.get("/sesizari/").content.decode()
    found = re.search(r'<script id="map-points" type="application/json">(.*?)</script>', page, re.S)
    assert found is not None
    (point,) = json.loads(found.group(1))
    assert point["lat"] == "45.360" and point["long"] == "23.219"  # ~100 m, like the table
    assert set(point) == {"lat", "long", "label", "closed"}
    assert "Maria" not in found.group(1) and "Minerului nr. 5" not in found.group(1)
    assert 'data-petition-map="list"' in page


def test_no_map_on_the_public_list_without_positions(client, categories, settings: Any):
    settings.GHISEU_MAP_TILES_URL = "https://tiles.example/{z}/{x}/{y}.png"
    assert "data-petition-map" not in client.get("/sesizari/").content.decode()
