""" "My data": the ZIP of everything held about the signed-in citizen — their profile, companies,
requests with their files, petitions with theirs, messages — byte-identical files, and never a trace
of another citizen."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ghiseu.accounts.models import Role
from ghiseu.accounts.mydata import DataPart, get_data_providers, register_data_provider, unregister_data_provider
from ghiseu.accounts.services import company_representation_add, profile_update
from ghiseu.accounts.tests.factories import DepartmentFactory, UserFactory
from ghiseu.audit.models import AuditEvent
from ghiseu.core.files import store_file
from ghiseu.eservices.defaults import ensure_demo_services
from ghiseu.eservices.models import RequestAttachment, Service, ServiceRequest
from ghiseu.notifications.models import Channel, Notification, NotificationTemplate
from ghiseu.petitions.models import Petition
from ghiseu.petitions.services import petition_register
from ghiseu.registry.services import Upload

pytestmark = pytest.mark.django_db

CNP_A, CNP_B = "1800101221144", "2850315204520"


def pdf(tag: str) -> bytes:
    # binary content with every byte value, so that any re-encoding would show
    return b"%PDF-1.4\n%" + tag.encode() + b"\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


@pytest.fixture
def services(reference_data: None, taxes: Any, urbanism: Any) -> Service:
    DepartmentFactory(code="JUR", name="Juridic și contencios administrativ")
    ensure_demo_services()
    return Service.objects.get(code="certificat-de-atestare-fiscala")


def give_data(user: Any, *, tag: str, cnp: str, service: Service, clerk: Any) -> dict[str, bytes]:
    """A profile, a company, a request with an attachment, a petition with one, a message."""
    profile_update(
        user=user, first_name=f"Prenume{tag}", last_name=f"Nume{tag}", address=f"Strada {tag} nr. 1", cnp=cnp
    )
    company_representation_add(
        user=user, cui="18547290" if tag == "A" else "13548146", name=f"Firma {tag} SRL", capacity="administrator"
    )
    request_bytes, petition_bytes = pdf(f"cerere-{tag}"), pdf(f"petitie-{tag}")
    request = ServiceRequest.objects.create(service=service, applicant=user, values={"scop": f"Scopul {tag}"})
    RequestAttachment.objects.create(
        request=request,
        label="Copie act de identitate",
        file=store_file(io.BytesIO(request_bytes), content_type="application/pdf"),
        original_name=f"buletin-{tag}.pdf",
    )
    petition_register(
        actor=clerk,
        kind="proposal",
        channel="counter",
        description=f"Petiția cetățeanului {tag}: iluminat public pe strada Parângului.",
        petitioner_name=f"Prenume{tag} Nume{tag}",
        petitioner_address=f"Strada {tag} nr. 1, Lupeni",
        petitioner_email=user.email,
        petitioner_user=user,
        attachments=[Upload(io.BytesIO(petition_bytes), f"anexa-{tag}.pdf", len(petition_bytes))],
    )
    Notification.objects.create(
        recipient=user,
        channel=Channel.INBOX,
        template=NotificationTemplate.objects.earliest("pk"),
        language="ro",
        subject=f"Mesaj pentru {tag}",
        body=f"Corpul mesajului pentru {tag}",
    )
    return {f"buletin-{tag}.pdf": request_bytes, f"anexa-{tag}.pdf": petition_bytes}


def download(user: Any) -> zipfile.ZipFile:
    client = Client()
    client.force_login(user)
    response = client.post(reverse("accounts:my_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]


def test_the_zip_holds_everything_of_the_citizen_and_nothing_of_another(services, clerk) -> None:
    alice: Any = UserFactory(username="alice", email="alice@example.ro", role=Role.CITIZEN)
    bob: Any = UserFactory(username="bob", email="bob@example.ro", role=Role.CITIZEN)
    alice_files = give_data(alice, tag="A", cnp=CNP_A, service=services, clerk=clerk)
    bob_files = give_data(bob, tag="B", cnp=CNP_B, service=services, clerk=clerk)

    archive = download(alice)

    document = json.loads(archive.read("datele-mele.json"))
    parts = document["parts"]
    assert set(parts) >= {"account", "service_requests", "petitions", "notifications"}
    assert parts["account"]["account"]["email"] == "alice@example.ro"
    assert parts["account"]["profile"]["cnp"] == CNP_A  # the citizen's own data, whole
    assert [c["name"] for c in parts["account"]["companies"]] == ["Firma A SRL"]
    assert [r["values"] for r in parts["service_requests"]] == [{"scop": "Scopul A"}]
    assert len(parts["petitions"]) == 1 and "cetățeanului A" in parts["petitions"][0]["description"]
    assert parts["petitions"][0]["registry_entry"]["number"]
    subjects = [n["subject"] for n in parts["notifications"]]
    alice_number = parts["petitions"][0]["registry_entry"]["number"]
    assert "Mesaj pentru A" in subjects and any(alice_number in s for s in subjects)  # incl. the petition's receipt

    # the files, byte for byte, under the paths the JSON names
    names = archive.namelist()
    assert sorted(document["files"]) == sorted(n for n in names if n != "datele-mele.json")
    for original_name, content in alice_files.items():
        [path] = [n for n in names if n.endswith(original_name)]
        assert archive.read(path) == content
    assert parts["service_requests"][0]["attachments"][0]["file"] in "".join(names)

    # nothing of Bob's anywhere: not his CNP, his address, his texts, his petition's number, his files
    bob_number = Petition.objects.get(petitioner_user=bob).entry.display_number
    assert bob_number != alice_number
    everything = b"".join(archive.read(n) for n in names)
    for secret in [
        bob_number,
        CNP_B,
        "bob@example.ro",
        "Strada B",
        "Scopul B",
        "cetățeanului B",
        "Mesaj pentru B",
        "Firma B SRL",
    ]:
        assert secret.encode() not in everything, secret
    for content in bob_files.values():
        assert content not in everything
    assert not any(name.endswith(("buletin-B.pdf", "anexa-B.pdf")) for name in names)

    # the download is audited: what and how much, never the data
    event = AuditEvent.objects.get(action="accounts.my_data.exported")
    assert event.actor_id == alice.pk and event.summary["files"] == 2
    assert CNP_A not in json.dumps(event.summary)


def test_a_citizen_with_nothing_gets_an_empty_but_complete_document(citizen) -> None:
    archive = download(citizen)

    document = json.loads(archive.read("datele-mele.json"))
    assert archive.namelist() == ["datele-mele.json"]
    assert document["parts"]["service_requests"] == [] and document["parts"]["petitions"] == []
    assert document["parts"]["account"]["profile"] is None
    assert document["institution"]["name"]


def test_download_needs_login_and_post(client, citizen) -> None:
    assert client.post(reverse("accounts:my_data_download"))["Location"].startswith(reverse("accounts:login"))
    client.force_login(citizen)
    assert client.get(reverse("accounts:my_data_download")).status_code == 405
    assert "Descarcă arhiva ZIP" in client.get(reverse("accounts:my_data")).content.decode()


def test_the_registry_of_providers() -> None:
    assert {"account", "service_requests", "petitions", "notifications"} <= set(get_data_providers())

    def extra(user: Any) -> DataPart:
        return DataPart(records=[user.pk])

    register_data_provider("test_extra", extra)
    try:
        register_data_provider("test_extra", extra)  # the same function again is fine
        with pytest.raises(ValueError):
            register_data_provider("test_extra", lambda user: DataPart(records=[]))
        with pytest.raises(ValueError):
            register_data_provider("Not Valid", extra)
    finally:
        unregister_data_provider("test_extra")
    assert "test_extra" not in get_data_providers()
