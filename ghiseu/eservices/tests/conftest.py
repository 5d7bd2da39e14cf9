"""Fixtures of the eservices tests: the demo catalogue, the staff of the tax department, two citizens,
files kept under a temporary directory, and helpers that drive the step-by-step form."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ghiseu.accounts.models import Role
from ghiseu.accounts.tests.factories import DepartmentFactory, StaffFactory, UserFactory
from ghiseu.eservices.defaults import ensure_demo_services
from ghiseu.eservices.models import Service, ServiceRequest

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def pdf_upload(name: str = "buletin.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """The cache outlives each test's rolled-back database: start every test with an empty one."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def catalogue(reference_data: None, taxes: Any, urbanism: Any) -> None:
    DepartmentFactory(code="JUR", name="Juridic și contencios administrativ")
    ensure_demo_services()


@pytest.fixture
def fiscal(catalogue: None) -> Service:
    return Service.objects.get(code="certificat-de-atestare-fiscala")


@pytest.fixture
def tax_officer(reference_data: None, taxes: Any) -> Any:
    return StaffFactory(username="taxe", role=Role.OFFICER, department=taxes, first_name="Gabriela", last_name="Rusu")


@pytest.fixture
def tax_head(reference_data: None, taxes: Any) -> Any:
    return StaffFactory(username="sef.taxe", role=Role.HEAD, department=taxes, job_title="Șef serviciu taxe")


@pytest.fixture
def mayor(reference_data: None) -> Any:
    leadership = DepartmentFactory(code="PRIM", name="Cabinet Primar")
    return StaffFactory(username="primar", role=Role.MAYOR, department=leadership, job_title="Primar")


@pytest.fixture
def citizen2(db: Any) -> Any:
    return UserFactory(username="citizen2", role=Role.CITIZEN)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def start_draft(client: Client, service: Service, values: dict[str, str], key: str) -> ServiceRequest:
    response = client.post(reverse("eservices:start", args=[service.code]), {"key": key, **values})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ServiceRequest.objects.get(idempotency_key=key)


def attach(client: Client, draft: ServiceRequest, slot: str, upload: SimpleUploadedFile) -> Any:
    return client.post(reverse("eservices:documents", args=[draft.pk]), {"slot": slot, "file": upload})


def submit(client: Client, draft: ServiceRequest) -> Any:
    return client.post(
        reverse("eservices:review", args=[draft.pk]), {"key": str(draft.idempotency_key), "confirm": "on"}
    )


def fiscal_draft(client: Client, service: Service, key: str) -> ServiceRequest:
    draft = start_draft(client, service, {"f_scop": "Înstrăinare imobil"}, key)
    document = service.documents.get()
    response = attach(client, draft, f"doc-{document.pk}", pdf_upload())
    assert response.status_code == 302, response.content.decode()[:2000]
    return draft
