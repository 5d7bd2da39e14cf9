from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ghiseu.eservices.defaults import SERVICES, ensure_demo_services
from ghiseu.eservices.models import LifeEvent, Service
from ghiseu.eservices.selectors import catalogue as search_catalogue

pytestmark = pytest.mark.django_db


def test_demo_catalogue_is_seeded_once_with_real_deadlines(catalogue: None) -> None:
    assert Service.objects.count() == len(SERVICES) >= 15
    assert ensure_demo_services() == []  # idempotent
    assert Service.objects.count() == len(SERVICES)
    fiscal = Service.objects.get(code="certificat-de-atestare-fiscala")
    assert (fiscal.deadline_days, fiscal.deadline_kind, fiscal.procedure.code) == (
        2,
        "working",
        "certificat-atestare-fiscala",
    )
    assert Service.objects.get(code="certificat-de-urbanism").deadline_days == 15
    assert Service.objects.get(code="autorizatie-de-construire").deadline_days == 30
    assert Service.objects.get(code="transcriere-act-stare-civila").deadline_days == 60
    assert Service.objects.get(code="informatii-de-interes-public").deadline_days == 10
    assert all(s.output_template and s.procedure.current_version() for s in Service.objects.all())


def test_search_ignores_diacritics_case_and_word_order(catalogue: None) -> None:
    for query in ("atestare fiscala", "FISCALĂ atestare", "certificat atestare fiscală"):
        names = [s.code for g in search_catalogue(query=query) for s in g.services]
        assert names == ["certificat-de-atestare-fiscala"], query
    assert search_catalogue(query="nu exista asa ceva") == []
    # cedilla ş from old keyboards finds comma-below ș
    assert {s.code for g in search_catalogue(query="desfiinţare") for s in g.services} == {"autorizatie-de-desfiintare"}


def test_grouped_by_life_event_in_order_and_by_department(catalogue: None) -> None:
    groups = search_catalogue()
    keys = [g.key for g in groups]
    assert keys == [k for k in LifeEvent.values if k in keys]
    taxes = next(g for g in groups if g.key == LifeEvent.TAXES)
    assert "certificat-de-atestare-fiscala" in [s.code for s in taxes.services]
    by_department = search_catalogue(group_by="department")
    tax_group = next(g for g in by_department if g.key == "TAX")
    assert all(s.department.code == "TAX" for s in tax_group.services)


def test_unpublished_service_is_hidden(catalogue: None, client: Client) -> None:
    Service.objects.filter(code="acord-de-functionare").update(is_published=False)
    assert "acord-de-functionare" not in [s.code for g in search_catalogue() for s in g.services]
    assert client.get(reverse("eservices:service", args=["acord-de-functionare"])).status_code == 404


def test_catalogue_and_service_pages_render(catalogue: None, client: Client) -> None:
    response = client.get(reverse("eservices:catalogue"), {"q": "urbanism"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Certificat de urbanism" in page and "Certificat de atestare fiscală" not in page
    response = client.get(reverse("eservices:service", args=["certificat-de-urbanism"]))
    page = response.content.decode()
    assert "Legea 50/1991" in page
    assert "15,00 lei" in page
    assert "Extras de carte funciară pentru informare" in page
    assert reverse("eservices:start", args=["certificat-de-urbanism"]) in page


def test_start_requires_login(catalogue: None, client: Client) -> None:
    response = client.get(reverse("eservices:start", args=["certificat-de-atestare-fiscala"]))
    assert response.status_code == 302 and "/cont/autentificare/" in response["Location"]


def test_staff_cannot_file_a_citizen_request(fiscal: Service, tax_officer: Any) -> None:
    from ghiseu.eservices.tests.conftest import client_for

    response = client_for(tax_officer).post(
        reverse("eservices:start", args=[fiscal.code]),
        {"key": "6d7c3f5e-1111-4f00-9f00-000000000001", "f_scop": "Succesiune"},
    )
    assert response.status_code == 403


def test_the_rendered_catalogue_is_cached_and_forgotten_when_a_service_changes(
    catalogue: None, client: Client, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.GHISEU_CATALOGUE_CACHE_SECONDS = 60
    url = reverse("eservices:catalogue")
    first = client.get(url, {"q": "urbanism"}).content.decode()
    assert "Certificat de urbanism" in first
    with django_assert_num_queries(0):  # the list comes from the cache: no query for it
        again = client.get(url, {"q": "urbanism"}).content.decode()
    listing = first[first.index('role="status"') : first.index("</main>")]
    assert listing in again  # the same list (the page around it has its own CSRF token)
    service = Service.objects.get(code="certificat-de-urbanism")
    service.name = "Certificat de urbanism (nou)"
    service.save()
    assert "Certificat de urbanism (nou)" in client.get(url, {"q": "urbanism"}).content.decode()
    # another query is another entry
    assert "Certificat de urbanism (nou)" not in client.get(url, {"q": "fiscal"}).content.decode()


def test_the_catalogue_cache_can_be_switched_off(catalogue: None, client: Client, settings: Any) -> None:
    settings.GHISEU_CATALOGUE_CACHE_SECONDS = 0
    url = reverse("eservices:catalogue")
    assert "Certificat de urbanism" in client.get(url).content.decode()
    Service.objects.filter(code="certificat-de-urbanism").update(name="Certificat de urbanism redenumit")
    assert "Certificat de urbanism redenumit" in client.get(url).content.decode()


def test_the_service_page_is_cached_per_sign_in_and_forgotten_when_its_documents_change(
    catalogue: None, client: Client, settings: Any, citizen: Any
) -> None:
    settings.GHISEU_CATALOGUE_CACHE_SECONDS = 60
    url = reverse("eservices:service", args=["certificat-de-urbanism"])
    anonymous = client.get(url).content.decode()
    assert "Vi se va cere să vă autentificați" in anonymous and "<title>Certificat de urbanism" in anonymous
    signed = Client()
    signed.force_login(citizen)
    assert "Vi se va cere să vă autentificați" not in signed.get(url).content.decode()
    service = Service.objects.get(code="certificat-de-urbanism")
    service.documents.create(name="Plan de încadrare în zonă", required=True, order=99)
    assert "Plan de încadrare în zonă" in client.get(url).content.decode()
    Service.objects.filter(pk=service.pk).update(is_published=False)
    # an unpublished service is a 404 once its cached page expires or anything changes
    service.refresh_from_db()
    service.save()
    assert client.get(url).status_code == 404
