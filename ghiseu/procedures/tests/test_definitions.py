"""Versioned definitions: drafts, publishing, immutability, the standard procedures."""

from __future__ import annotations

import pytest

from ghiseu.accounts.models import Role
from ghiseu.audit.models import AuditEvent
from ghiseu.core.errors import DomainError
from ghiseu.procedures.defaults import STANDARD_PROCEDURES, ensure_standard_procedures
from ghiseu.procedures.models import (
    ProcedureDefinition,
    ProcedureVersion,
    StageDefinition,
    TaskDefinition,
    TaskKind,
)
from ghiseu.procedures.services import procedure_version_new_draft, procedure_version_publish

pytestmark = pytest.mark.django_db


def _kinds(code: str) -> list[list[tuple[str, str | None, str]]]:
    version = ProcedureDefinition.objects.get(code=code).current_version()
    assert version is not None and version.is_published
    return [
        [(t.kind, t.department.code if t.department else None, t.role) for t in stage.tasks.order_by("order")]
        for stage in version.stages.order_by("order")
    ]


def test_standard_procedures(procedures):
    assert _kinds("certificat-atestare-fiscala") == [
        [(TaskKind.EXECUTE, "TAX", Role.OFFICER)],
        [(TaskKind.APPROVE, "TAX", Role.HEAD)],
        [(TaskKind.SIGN, None, Role.MAYOR)],
    ]
    assert _kinds("certificat-urbanism") == [
        [(TaskKind.EXECUTE, "URB", Role.OFFICER)],
        [(TaskKind.OPINION, "JUR", "")],
        [(TaskKind.APPROVE, "URB", Role.HEAD)],
        [(TaskKind.SIGN, None, Role.MAYOR), (TaskKind.SIGN, None, Role.SECRETARY)],
    ]
    assert _kinds("adeverinta-simpla") == [[(TaskKind.EXECUTE, None, Role.OFFICER)], [(TaskKind.SIGN, None, Role.HEAD)]]
    assert [k for stage in _kinds("petitie") for k, _d, _r in stage] == [
        TaskKind.EXECUTE,
        TaskKind.APPROVE,
        TaskKind.INFORM,
    ]
    assert AuditEvent.objects.filter(action="procedures.version.published").count() == len(STANDARD_PROCEDURES)


def test_standard_procedures_are_created_once_and_never_overwritten(procedures):
    version = ProcedureDefinition.objects.get(code="petitie").current_version()
    assert version is not None
    assert ensure_standard_procedures() == []
    assert ProcedureVersion.objects.count() == len(STANDARD_PROCEDURES)


def test_departments_come_from_the_mapping(db, urbanism, legal):
    from ghiseu.accounts.tests.factories import DepartmentFactory

    DepartmentFactory(code="IMP", name="Impozite")
    with pytest.raises(DomainError) as error:  # "TAX" does not exist here
        ensure_standard_procedures()
    assert "TAX" in str(error.value)
    assert not ProcedureDefinition.objects.filter(code="certificat-atestare-fiscala", versions__isnull=False).exists()
    ensure_standard_procedures(departments={"taxes": "IMP"})
    assert _kinds("certificat-atestare-fiscala")[0] == [(TaskKind.EXECUTE, "IMP", Role.OFFICER)]


def test_a_published_version_is_immutable(procedures, legal):
    version = ProcedureDefinition.objects.get(code="petitie").current_version()
    assert version is not None
    stage = version.stages.get(order=1)
    task = stage.tasks.get()
    version.note = "altceva"
    with pytest.raises(DomainError):
        version.save()
    stage.name = "Altă etapă"
    with pytest.raises(DomainError):
        stage.save()
    task.deadline_days = 99
    with pytest.raises(DomainError):
        task.save()
    with pytest.raises(DomainError):
        StageDefinition.objects.create(version=version, order=9, name="Nouă")
    with pytest.raises(DomainError):
        TaskDefinition.objects.create(stage=stage, kind=TaskKind.INFORM, name="Nouă")
    with pytest.raises(DomainError):
        task.delete()
    with pytest.raises(DomainError):
        version.delete()
    with pytest.raises(DomainError):
        procedure_version_publish(version=version)
    task.refresh_from_db()
    assert task.deadline_days == 20 and version.stages.count() == 3


def test_new_draft_copies_the_last_version_and_is_reused(procedures, head):
    definition = ProcedureDefinition.objects.get(code="certificat-urbanism")
    v1 = definition.current_version()
    assert v1 is not None
    draft = procedure_version_new_draft(definition=definition, actor=head)
    assert draft.version == 2 and not draft.is_published
    assert procedure_version_new_draft(definition=definition) == draft  # one draft at a time
    copied = [
        (s.order, s.name, [(t.kind, t.department_id, t.role, t.deadline_days) for t in s.tasks.all()])
        for s in draft.stages.all()
    ]
    original = [
        (s.order, s.name, [(t.kind, t.department_id, t.role, t.deadline_days) for t in s.tasks.all()])
        for s in v1.stages.all()
    ]
    assert copied == original
    # The draft is edited freely; the published version does not change.
    draft.stages.get(order=2).delete()
    assert v1.stages.count() == 4 and draft.stages.count() == 3
    assert definition.current_version() == v1
    procedure_version_publish(version=draft, actor=head)
    assert definition.current_version() == draft
    event = AuditEvent.objects.filter(action="procedures.version.drafted").get()
    assert event.actor == head and event.summary["copied_from"] == v1.pk


def test_an_incomplete_draft_is_not_published(db):
    definition = ProcedureDefinition.objects.create(code="noua", name="Procedură nouă")
    draft = procedure_version_new_draft(definition=definition)
    assert draft.version == 1
    with pytest.raises(DomainError) as error:
        procedure_version_publish(version=draft)
    assert error.value.code == "incomplete"
    stage = StageDefinition.objects.create(version=draft, order=1, name="Lucru")
    with pytest.raises(DomainError):
        procedure_version_publish(version=draft)  # a stage without tasks
    TaskDefinition.objects.create(stage=stage, kind=TaskKind.EXECUTE, name="Opțională", required=False)
    with pytest.raises(DomainError):
        procedure_version_publish(version=draft)  # no required task in the stage
    TaskDefinition.objects.create(stage=stage, kind=TaskKind.EXECUTE, name="Cerută", role=Role.CITIZEN)
    with pytest.raises(DomainError):
        procedure_version_publish(version=draft)  # a citizen does not execute
    TaskDefinition.objects.filter(name="Cerută").update(role=Role.OFFICER)
    assert procedure_version_publish(version=draft).is_published
