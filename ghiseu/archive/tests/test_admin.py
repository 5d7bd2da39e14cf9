"""The admin lists the archive's records and shows a document without its pages' text."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ghiseu.accounts.tests.factories import UserFactory
from ghiseu.archive.tests.factories import document_with_files

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    [
        "dossier",
        "document",
        "accesslogentry",
        "importbatch",
        "importitem",
        "fixityproblem",
        "disposalproposal",
        "disposalrecord",
    ],
)
def test_every_changelist_renders(client, model):
    document_with_files()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(reverse(f"admin:archive_{model}_changelist")).status_code == 200


def test_the_document_page_shows_checksums_not_text(client):
    document = document_with_files()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:archive_document_change", args=[document.pk]))

    assert response.status_code == 200
    body = response.content.decode()
    assert str(document.uid) in body
    assert "Registratura generală" not in body  # the page's text is read in the logged staff UI only
