"""The citizen's profile and companies: CNP and CUI validated with python-stdnum, the CNP stored once
(one account per CNP), shown only masked, never in a URL, the audit log or the logs; bad input gets a
Romanian message and saves nothing."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ghiseu.accounts.identifiers import mask_cnp
from ghiseu.accounts.models import CitizenProfile, Company, CompanyRepresentative
from ghiseu.accounts.services import company_representation_add, profile_update
from ghiseu.accounts.tests.factories import UserFactory
from ghiseu.audit.models import AuditEvent
from ghiseu.core.errors import DomainError

pytestmark = pytest.mark.django_db

CNP = "1800101221144"  # valid checksum, born 1 January 1980
OTHER_CNP = "2850315204520"
CUI = "18547290"  # valid checksum


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_profile(client: Client, **changes: str):
    data = {
        "last_name": "Ionescu",
        "first_name": "Maria",
        "address": "Str. Gării nr. 5, Lupeni",
        "phone": "0722 123 456",
        "cnp": "",
    }
    data.update(changes)
    return client.post(reverse("accounts:profile"), data)


def test_mask_keeps_the_first_digit_and_the_last_four() -> None:
    assert mask_cnp(CNP) == "1********1144"
    assert len(mask_cnp(CNP)) == 13
    assert mask_cnp(None) == "" and mask_cnp("") == ""


def test_a_citizen_saves_the_profile_and_sees_the_cnp_only_masked(citizen, caplog) -> None:
    client = client_for(citizen)
    caplog.set_level(logging.DEBUG)

    response = post_profile(client, cnp=f" {CNP} ")

    assert response.status_code == 302 and CNP not in response["Location"]
    profile = CitizenProfile.objects.get(user=citizen)
    assert (profile.cnp, profile.address, profile.phone) == (CNP, "Str. Gării nr. 5, Lupeni", "0722 123 456")
    citizen.refresh_from_db()
    assert (citizen.first_name, citizen.last_name) == ("Maria", "Ionescu")
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "1********1144" in page and CNP not in page
    event = AuditEvent.objects.get(action="accounts.profile.updated")
    assert "cnp" in event.summary["fields"] and CNP not in str(event.summary)
    assert CNP not in caplog.text


def test_an_empty_cnp_keeps_the_stored_one(citizen) -> None:
    profile_update(user=citizen, first_name="Maria", last_name="Ionescu", cnp=CNP)

    response = post_profile(client_for(citizen), phone="0254 111 222")

    assert response.status_code == 302
    profile = CitizenProfile.objects.get(user=citizen)
    assert profile.cnp == CNP and profile.phone == "0254 111 222"


@pytest.mark.parametrize(
    ("cnp", "message"),
    [
        ("1800101221145", "cifra de control"),
        ("180010122114", "13 cifre"),
        ("18001012211A4", "doar cifre"),
        ("1801301221140", "data nașterii"),
    ],
)
def test_an_invalid_cnp_is_refused_in_romanian_and_nothing_is_saved(citizen, cnp, message) -> None:
    response = post_profile(client_for(citizen), cnp=cnp, address="Altă adresă")

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "CNP" in page
    assert cnp not in page  # the value typed is not echoed back either
    assert not CitizenProfile.objects.filter(user=citizen, address="Altă adresă").exists()
    assert not AuditEvent.objects.filter(action="accounts.profile.updated").exists()


def test_a_cnp_belongs_to_one_account(citizen) -> None:
    other: Any = UserFactory()
    profile_update(user=other, first_name="Ion", last_name="Pop", cnp=CNP)

    response = post_profile(client_for(citizen), cnp=CNP)

    assert response.status_code == 400
    assert "deja folosit" in response.content.decode()
    assert CitizenProfile.objects.filter(cnp=CNP).get().user == other
    assert not CitizenProfile.objects.filter(user=citizen, cnp__isnull=False).exists()


def test_a_phone_with_letters_and_a_missing_name_are_refused(citizen) -> None:
    with pytest.raises(DomainError) as raised:
        profile_update(user=citizen, first_name="Maria", last_name="Ionescu", phone="sună-mă")
    assert raised.value.field == "phone"
    with pytest.raises(DomainError) as raised:
        profile_update(user=citizen, first_name="  ", last_name="Ionescu")
    assert raised.value.field == "first_name"
    assert not CitizenProfile.objects.exists()


def test_a_citizen_represents_two_companies_validated_by_cui(citizen) -> None:
    client = client_for(citizen)

    first = client.post(
        reverse("accounts:companies"),
        {"cui": f"RO {CUI}", "name": "Lupeni Construct SRL", "capacity": "administrator"},
    )
    second = client.post(
        reverse("accounts:companies"), {"cui": "13548146", "name": "Asociația Parâng", "capacity": "împuternicit"}
    )

    assert first.status_code == 302 and second.status_code == 302
    assert sorted(Company.objects.values_list("cui", flat=True)) == ["13548146", CUI]
    assert CompanyRepresentative.objects.filter(user=citizen).count() == 2
    page = client.get(reverse("accounts:companies")).content.decode()
    assert "Lupeni Construct SRL" in page and "Asociația Parâng" in page


def test_another_citizen_may_represent_the_same_company_once(citizen) -> None:
    other: Any = UserFactory()
    company_representation_add(user=other, cui=CUI, name="Lupeni Construct SRL", capacity="administrator")

    link = company_representation_add(user=citizen, cui=CUI, name="Alt nume", capacity="împuternicit")
    with pytest.raises(DomainError) as raised:
        company_representation_add(user=citizen, cui=f"RO{CUI}", name="Lupeni Construct SRL", capacity="administrator")

    assert link.company.name == "Lupeni Construct SRL"  # the first name given stays
    assert Company.objects.count() == 1 and CompanyRepresentative.objects.count() == 2
    assert raised.value.code == "duplicate"


@pytest.mark.parametrize(
    ("cui", "message"), [("18547291", "cifra de control"), ("RO12AB", "doar cifre"), ("1", "între 2 și 10")]
)
def test_an_invalid_cui_is_refused_in_romanian(citizen, cui, message) -> None:
    response = client_for(citizen).post(
        reverse("accounts:companies"), {"cui": cui, "name": "Firmă", "capacity": "administrator"}
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Company.objects.exists() and not CompanyRepresentative.objects.exists()


def test_ending_a_representation_only_ones_own(citizen) -> None:
    other: Any = UserFactory()
    theirs = company_representation_add(user=other, cui=CUI, name="Lupeni Construct SRL", capacity="administrator")
    mine = company_representation_add(user=citizen, cui="13548146", name="Asociația Parâng", capacity="membru")
    client = client_for(citizen)

    assert client.post(reverse("accounts:company_end", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("accounts:company_end", args=[mine.pk])).status_code == 302

    assert list(CompanyRepresentative.objects.all()) == [theirs]
    assert AuditEvent.objects.filter(action="accounts.company.representation_ended").count() == 1


def test_staff_do_not_represent_companies(officer) -> None:
    with pytest.raises(DomainError):
        company_representation_add(user=officer, cui=CUI, name="Firmă", capacity="administrator")


def test_the_pages_need_a_login(client) -> None:
    for name in ["accounts:profile", "accounts:companies", "accounts:my_data"]:
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
