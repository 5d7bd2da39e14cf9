"""The admin edits drafts, shows published versions read-only, and makes a new draft from them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ghiseu.accounts.tests.factories import UserFactory
from ghiseu.procedures.models import ProcedureDefinition, ProcedureVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, procedures):
    admin = UserFactory(username="root", role="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def _current(code: str) -> ProcedureVersion:
    version = ProcedureDefinition.objects.get(code=code).current_version()
    assert version is not None
    return version


def _change_url(version: ProcedureVersion) -> str:
    return reverse("admin:procedures_procedureversion_change", args=[version.pk])


def test_published_version_is_read_only_and_offers_a_new_draft(admin_client):
    v1 = _current("petitie")
    page = admin_client.get(_change_url(v1))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Versiune nouă (ciornă) de editat" in html and 'name="_save"' not in html
    response = admin_client.post(_change_url(v1), {"note": "schimbat"})
    assert response.status_code == 403
    response = admin_client.post(reverse("admin:procedures_procedureversion_new_draft", args=[v1.pk]))
    draft = ProcedureVersion.objects.get(definition=v1.definition, version=2)
    assert response.status_code == 302 and response["Location"] == _change_url(draft)
    assert draft.stages.count() == 3 and not draft.is_published
    page = admin_client.get(_change_url(draft)).content.decode()
    assert 'name="_save"' in page and "Publică această versiune" in page
    assert admin_client.get(reverse("admin:procedures_procedureversion_new_draft", args=[v1.pk])).status_code == 403


def test_publishing_a_draft_from_the_admin(admin_client):
    definition = ProcedureDefinition.objects.get(code="adeverinta-simpla")
    admin_client.post(reverse("admin:procedures_procedureversion_new_draft", args=[_current("adeverinta-simpla").pk]))
    draft = ProcedureVersion.objects.get(definition=definition, version=2)
    response = admin_client.post(reverse("admin:procedures_procedureversion_publish", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published and definition.current_version() == draft


def test_a_new_procedure_goes_to_its_first_draft(admin_client):
    response = admin_client.post(
        reverse("admin:procedures_proceduredefinition_add"),
        {
            "code": "acord-functionare",
            "name": "Acord de funcționare",
            "description": "",
            "is_active": "on",
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        },
    )
    draft = ProcedureVersion.objects.get(definition__code="acord-functionare")
    assert response.status_code == 302 and response["Location"] == _change_url(draft)
    assert draft.version == 1 and not draft.is_published
    stage_form = {
        "note": "",
        "stages-TOTAL_FORMS": "1",
        "stages-INITIAL_FORMS": "0",
        "stages-0-order": "1",
        "stages-0-name": "Verificare",
        "_save": "Save",
    }
    response = admin_client.post(_change_url(draft), stage_form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(draft.stages.values_list("name", flat=True)) == ["Verificare"]


def test_admin_pages_render(admin_client, make_case, urbanism):
    case = make_case("petitie", urbanism)
    stage = _current("petitie").stages.get(order=1)
    for url in [
        reverse("admin:procedures_proceduredefinition_changelist"),
        reverse("admin:procedures_proceduredefinition_change", args=[stage.version.definition_id]),
        reverse("admin:procedures_procedureversion_changelist"),
        reverse("admin:procedures_stagedefinition_change", args=[stage.pk]),
        reverse("admin:procedures_case_changelist"),
        reverse("admin:procedures_case_change", args=[case.pk]),
        reverse("admin:procedures_casetask_changelist"),
    ]:
        assert admin_client.get(url).status_code == 200, url
