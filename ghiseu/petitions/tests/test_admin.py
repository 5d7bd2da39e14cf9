"""The admin: categories and Open311 clients are configured there; a client's key is shown once."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages

from ghiseu.accounts.models import User
from ghiseu.audit.models import AuditEvent
from ghiseu.petitions.models import Open311Client, hash_open311_key
from ghiseu.petitions.services import open311_client_for_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, db):
    user = User.objects.create_superuser(username="root", email="root@example.ro", password="parola-admin-123")
    client.force_login(user)
    return client


def test_adding_an_open311_client_shows_its_key_once(admin_client):
    response = admin_client.post(
        "/admin/petitions/open311client/add/", {"name": "Lupeni Civic", "contact": "dev@civic.ro", "is_active": "on"}
    )
    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    keys = [m.group(1) for t in texts if (m := re.search(r": (\S{40,})$", t))]
    assert len(keys) == 1
    client = Open311Client.objects.get(name="Lupeni Civic")
    assert client.key_hash == hash_open311_key(keys[0]) and client.key_prefix == keys[0][:6]
    assert open311_client_for_key(keys[0]) == client
    assert AuditEvent.objects.filter(action="petitions.open311_client.created").count() == 1
    admin_client.get("/admin/")  # the message is shown once...
    page = admin_client.get(f"/admin/petitions/open311client/{client.pk}/change/")
    assert page.status_code == 200 and keys[0].encode() not in page.content  # ...and never again


def test_rotating_keys_from_the_admin(admin_client):
    admin_client.post("/admin/petitions/open311client/add/", {"name": "App", "is_active": "on"})
    client = Open311Client.objects.get(name="App")
    old_hash = client.key_hash
    response = admin_client.post(
        "/admin/petitions/open311client/", {"action": "rotate_keys", "_selected_action": [client.pk]}
    )
    assert response.status_code == 302
    client.refresh_from_db()
    assert client.key_hash != old_hash


def test_admin_pages_open(admin_client, clock, file_petition, roads):
    petition = file_petition(category=roads)
    for url in (
        "/admin/petitions/petitioncategory/",
        f"/admin/petitions/petitioncategory/{roads.pk}/change/",
        "/admin/petitions/petition/",
        f"/admin/petitions/petition/{petition.pk}/change/",
    ):
        assert admin_client.get(url).status_code == 200, url
