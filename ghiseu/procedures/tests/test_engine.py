"""The engine enforces the procedure: order, who, parallel stages, issuing, rejection, audit."""

from __future__ import annotations

import pytest

from ghiseu.audit.models import AuditEvent
from ghiseu.audit.services import audit_verify_chain
from ghiseu.core.errors import DomainError, PermissionDenied
from ghiseu.procedures.models import Case, CaseOutcome, CaseStatus, CaseTask, TaskKind, TaskOutcome, TaskStatus
from ghiseu.procedures.selectors import procedure_current_version
from ghiseu.procedures.services import (
    case_can_issue,
    case_can_issue_rejection,
    case_cancel,
    case_mark_issued,
    case_start,
    task_assign,
    task_complete,
)
from ghiseu.procedures.tests.helpers import fresh, task_of
from ghiseu.registry.models import DocumentType
from ghiseu.registry.services import entry_register

pytestmark = pytest.mark.django_db


def _events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def test_case_start_creates_all_tasks_and_opens_only_stage_one(make_case, urbanism, clerk):
    case = make_case("certificat-urbanism", urbanism)
    tasks = list(case.tasks.order_by("stage_order", "pk"))
    assert [(t.stage_order, t.kind, t.status) for t in tasks] == [
        (1, TaskKind.EXECUTE, TaskStatus.OPEN),
        (2, TaskKind.OPINION, TaskStatus.PENDING),
        (3, TaskKind.APPROVE, TaskStatus.PENDING),
        (4, TaskKind.SIGN, TaskStatus.PENDING),
        (4, TaskKind.SIGN, TaskStatus.PENDING),
    ]
    assert tasks[0].due_date is not None and tasks[0].opened_at is not None
    assert all(t.due_date is None for t in tasks[1:])
    assert case.status == CaseStatus.OPEN and case.current_stage == 1
    # The case's due date is the entry's (30 calendar days for a service request).
    assert case.due_date == case.entry.due_date
    # Departments: Juridic for the opinion, the case's for execute/approve, none (institution) for signatures.
    assert tasks[1].department.code == "JUR"
    assert tasks[0].department == urbanism and tasks[2].department == urbanism
    assert tasks[3].department is None and {tasks[3].role, tasks[4].role} == {"mayor", "secretary"}
    assert _events("procedures.case.started") == 1
    assert _events("procedures.stage.opened") == 1


def test_out_of_order_completion_is_refused_and_writes_nothing(make_case, urbanism, head, mayor):
    case = make_case("certificat-urbanism", urbanism)
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError) as error:
        task_complete(task=task_of(case, TaskKind.APPROVE), actor=head, outcome="approved")
    assert error.value.code == "out_of_order"
    with pytest.raises(DomainError) as error:
        task_complete(task=task_of(case, TaskKind.SIGN, "primarului"), actor=mayor)
    assert error.value.code == "out_of_order"
    assert AuditEvent.objects.count() == before
    assert task_of(case, TaskKind.APPROVE).status == TaskStatus.PENDING


def test_unauthorized_people_cannot_complete(make_case, urbanism, other_officer, citizen, legal_officer, clerk):
    case = make_case("certificat-urbanism", urbanism)
    execute = task_of(case, TaskKind.EXECUTE)
    for intruder in (other_officer, citizen, legal_officer, clerk):  # other department, citizen, wrong department
        with pytest.raises(PermissionDenied):
            task_complete(task=execute, actor=intruder)
    assert task_of(case, TaskKind.EXECUTE).status == TaskStatus.OPEN


def test_wrong_role_is_refused(make_case, urbanism, officer, head, legal_officer):
    case = make_case("certificat-urbanism", urbanism)
    task_complete(task=task_of(case, TaskKind.EXECUTE), actor=officer)
    task_complete(task=task_of(case, TaskKind.OPINION), actor=legal_officer, outcome="approved")
    approve = task_of(case, TaskKind.APPROVE)
    assert approve.status == TaskStatus.OPEN
    with pytest.raises(PermissionDenied):
        task_complete(task=approve, actor=officer, outcome="approved")  # an officer is not the head
    task_complete(task=approve, actor=head, outcome="approved")
    assert task_of(case, TaskKind.APPROVE).completed_by == head


def test_a_task_is_completed_once(make_case, urbanism, officer):
    case = make_case("certificat-urbanism", urbanism)
    execute = task_of(case, TaskKind.EXECUTE)
    task_complete(task=execute, actor=officer, comment="Documentația este completă.")
    with pytest.raises(DomainError) as error:
        task_complete(task=execute, actor=officer)
    assert error.value.code == "already_done"
    assert _events("procedures.task.completed") == 1


def test_a_head_may_do_the_officers_work_but_an_officer_not_the_heads(make_case, urbanism, head):
    case = make_case("adeverinta-simpla", urbanism)
    task_complete(task=task_of(case, TaskKind.EXECUTE), actor=head)
    assert task_of(case, TaskKind.SIGN).status == TaskStatus.OPEN


def test_bad_outcomes_are_refused(make_case, urbanism, officer, legal_officer):
    case = make_case("certificat-urbanism", urbanism)
    with pytest.raises(DomainError):
        task_complete(task=task_of(case, TaskKind.EXECUTE), actor=officer, outcome="rejected")
    task_complete(task=task_of(case, TaskKind.EXECUTE), actor=officer)
    with pytest.raises(DomainError):
        task_complete(task=task_of(case, TaskKind.OPINION), actor=legal_officer, outcome="maybe")
    with pytest.raises(DomainError) as error:  # an unfavourable opinion must say why
        task_complete(task=task_of(case, TaskKind.OPINION), actor=legal_officer, outcome="rejected")
    assert error.value.field == "comment"


def test_parallel_signatures_and_the_next_stage_waits_for_all(
    make_case, urbanism, officer, head, legal_officer, mayor, secretary
):
    case = make_case("certificat-urbanism", urbanism)
    task_complete(task=task_of(case, TaskKind.EXECUTE), actor=officer)
    assert fresh(case).current_stage == 2
    assert task_of(case, TaskKind.APPROVE).status == TaskStatus.PENDING
    task_complete(task=task_of(case, TaskKind.OPINION), actor=legal_officer, outcome="ok")
    task_complete(task=task_of(case, TaskKind.APPROVE), actor=head, outcome="approved")
    case = fresh(case)
    assert case.status == CaseStatus.APPROVED and case.current_stage == 4
    mayor_sign, secretary_sign = (
        task_of(case, TaskKind.SIGN, "primarului"),
        task_of(case, TaskKind.SIGN, "secretarului"),
    )
    assert mayor_sign.status == secretary_sign.status == TaskStatus.OPEN  # both open at once
    # The secretary cannot sign in the mayor's place, nor the mayor in the secretary's.
    with pytest.raises(PermissionDenied):
        task_complete(task=mayor_sign, actor=secretary)
    with pytest.raises(PermissionDenied):
        task_complete(task=secretary_sign, actor=mayor)
    task_complete(task=secretary_sign, actor=secretary)
    case = fresh(case)
    assert case.current_stage == 4 and case.status == CaseStatus.APPROVED
    assert not case_can_issue(case)
    task_complete(task=mayor_sign, actor=mayor)
    case = fresh(case)
    assert case.status == CaseStatus.SIGNED and case.current_stage is None and case.work_completed_at
    assert case_can_issue(case)
    case = case_mark_issued(case=case, actor=officer)
    assert case.status == CaseStatus.CLOSED and case.issued_at and case.closed_at
    assert case.outcome == CaseOutcome.APPROVED
    assert _events("procedures.case.issued") == 1 and _events("procedures.case.closed") == 1


def test_cannot_issue_before_approval_and_signature(make_case, taxes, other_officer, tax_head, mayor):
    case = make_case("certificat-atestare-fiscala", taxes)
    for step, (kind, actor) in enumerate(
        [(TaskKind.EXECUTE, other_officer), (TaskKind.APPROVE, tax_head), (TaskKind.SIGN, mayor)]
    ):
        assert not case_can_issue(fresh(case)), f"issuable before step {step}"
        with pytest.raises(DomainError) as error:
            case_mark_issued(case=case, actor=tax_head)
        assert error.value.code == "not_ready"
        task_complete(task=task_of(case, kind), actor=actor)
    case = fresh(case)
    assert case.status == CaseStatus.SIGNED and case_can_issue(case)
    with pytest.raises(PermissionDenied):
        case_mark_issued(case=case, actor=fresh(case).applicant)  # the citizen does not issue
    assert case_mark_issued(case=case, actor=None).status == CaseStatus.CLOSED  # the issuing job
    with pytest.raises(DomainError):
        case_mark_issued(case=case, actor=tax_head)  # not twice


def test_rejection_ends_the_case_which_may_still_issue_its_reasoned_rejection(
    make_case, taxes, other_officer, tax_head, mayor
):
    case = make_case("certificat-atestare-fiscala", taxes)
    task_complete(task=task_of(case, TaskKind.EXECUTE), actor=other_officer)
    with pytest.raises(DomainError):  # a refusal gives its reasons
        task_complete(task=task_of(case, TaskKind.APPROVE), actor=tax_head, outcome="rejected")
    task_complete(
        task=task_of(case, TaskKind.APPROVE), actor=tax_head, outcome="rejected", comment="Există datorii restante."
    )
    case = fresh(case)
    assert case.status == CaseStatus.REJECTED and case.outcome == CaseOutcome.REJECTED
    assert task_of(case, TaskKind.APPROVE).status == TaskStatus.REJECTED
    assert task_of(case, TaskKind.SIGN).status == TaskStatus.CANCELLED
    with pytest.raises(DomainError) as error:
        task_complete(task=task_of(case, TaskKind.SIGN), actor=mayor)
    assert error.value.code == "ended"
    assert not case_can_issue(case) and case_can_issue_rejection(case)
    with pytest.raises(DomainError):
        case_mark_issued(case=case, actor=tax_head)  # not the positive act
    case = case_mark_issued(case=case, actor=tax_head, rejection=True, comment="Răspuns motivat")
    assert case.status == CaseStatus.CLOSED and case.outcome == CaseOutcome.REJECTED
    rejected = AuditEvent.objects.get(action="procedures.case.rejected")
    assert rejected.summary["reason"] == "Există datorii restante." and rejected.actor == tax_head


def test_an_unfavourable_opinion_does_not_reject_the_case(make_case, urbanism, officer, legal_officer):
    case = make_case("certificat-urbanism", urbanism)
    task_complete(task=task_of(case, TaskKind.EXECUTE), actor=officer)
    task_complete(task=task_of(case, TaskKind.OPINION), actor=legal_officer, outcome="rejected", comment="PUZ expirat")
    case = fresh(case)
    assert case.status == CaseStatus.OPEN and case.current_stage == 3
    assert task_of(case, TaskKind.OPINION).outcome == TaskOutcome.REJECTED


def test_a_running_case_keeps_its_version_after_a_new_one_is_published(make_case, urbanism, officer, head, legal):
    from ghiseu.procedures.models import StageDefinition, TaskDefinition
    from ghiseu.procedures.services import procedure_version_new_draft, procedure_version_publish

    old_case = make_case("adeverinta-simpla", urbanism)
    v1 = old_case.version
    draft = procedure_version_new_draft(definition=v1.definition, actor=head)
    assert draft.version == 2 and not draft.is_published
    assert [s.name for s in draft.stages.order_by("order")] == [s.name for s in v1.stages.order_by("order")]
    # The new version adds a legal opinion between drafting and signing.
    sign_stage = draft.stages.get(order=2)
    sign_stage.order = 3
    sign_stage.save()
    opinion = StageDefinition.objects.create(version=draft, order=2, name="Aviz juridic")
    TaskDefinition.objects.create(stage=opinion, kind=TaskKind.OPINION, name="Aviz", department=legal)
    procedure_version_publish(version=draft, actor=head)
    assert procedure_current_version(code="adeverinta-simpla") == draft

    new_case = make_case("adeverinta-simpla", urbanism)
    assert new_case.version == draft and new_case.tasks.count() == 3
    old_case = fresh(old_case)
    assert old_case.version == v1 and old_case.tasks.count() == 2
    task_complete(task=task_of(old_case, TaskKind.EXECUTE), actor=officer)
    assert fresh(old_case).current_stage == 2 and task_of(old_case, TaskKind.SIGN).status == TaskStatus.OPEN
    task_complete(task=task_of(new_case, TaskKind.EXECUTE), actor=officer)
    assert task_of(new_case, TaskKind.OPINION).status == TaskStatus.OPEN
    assert task_of(new_case, TaskKind.SIGN).status == TaskStatus.PENDING


def test_a_case_starts_only_on_a_published_version_and_once_per_entry(make_case, urbanism, clerk, procedures):
    from ghiseu.procedures.services import procedure_version_new_draft

    case = make_case("petitie", urbanism)
    with pytest.raises(DomainError) as error:
        case_start(version=case.version, entry=case.entry, department=urbanism, actor=clerk)
    assert error.value.code == "duplicate"
    draft = procedure_version_new_draft(definition=case.version.definition)
    entry = entry_register(
        actor=clerk,
        direction="incoming",
        channel="counter",
        document_type=DocumentType.objects.get(code="petition"),
        sender="Maria Pop",
        subject="Petiție",
    )
    with pytest.raises(DomainError) as error:
        case_start(version=draft, entry=entry, department=urbanism, actor=clerk)
    assert error.value.code == "draft"
    assert Case.objects.count() == 1


def test_who_may_start_a_case(make_case, urbanism, taxes, officer, citizen, citizen2):
    make_case("petitie", urbanism, actor=officer)  # a department opens its own
    with pytest.raises(PermissionDenied):
        make_case("petitie", taxes, actor=officer)  # not another department's
    with pytest.raises(PermissionDenied):
        make_case("petitie", urbanism, actor=citizen2)  # a citizen only their own request
    make_case("petitie", urbanism, actor=citizen)


def test_the_service_deadline_sets_the_case_due_date(clock, make_case, taxes):
    case = make_case("certificat-atestare-fiscala", taxes, deadline_days=2, deadline_kind="working")
    assert case.due_date == clock.today.replace(day=3)  # Mon 1 March 2027 + 2 working days


def test_reassignment_with_a_reason(make_case, urbanism, officer, officer2, head, other_officer):
    case = make_case("petitie", urbanism)
    execute = task_of(case, TaskKind.EXECUTE)
    with pytest.raises(DomainError) as error:
        task_assign(task=execute, assignee=officer2, actor=head, reason="  ")
    assert error.value.field == "reason"
    with pytest.raises(PermissionDenied):
        task_assign(task=execute, assignee=other_officer, actor=other_officer, reason="Preiau")
    with pytest.raises(DomainError) as error:
        task_assign(task=execute, assignee=other_officer, actor=head, reason="Concediu")
    assert error.value.code == "assignee"  # not of the department
    task_assign(task=execute, assignee=officer2, actor=head, reason="Concediul colegului")
    with pytest.raises(PermissionDenied):  # now it is officer2's, not any officer's
        task_complete(task=execute, actor=officer)
    task_assign(task=execute, assignee=officer, actor=officer2, reason="Înapoi la titular")  # a holder passes it on
    task_complete(task=execute, actor=officer)
    events = list(AuditEvent.objects.filter(action="procedures.task.assigned").order_by("position"))
    assert [e.summary["reason"] for e in events] == ["Concediul colegului", "Înapoi la titular"]
    assert events[0].summary["after"] == officer2.pk and events[0].actor == head
    # The approve task is pending but may be given in advance, to a head only.
    approve = task_of(case, TaskKind.APPROVE)
    with pytest.raises(DomainError):
        task_assign(task=approve, assignee=officer, actor=head, reason="Delegare")
    with pytest.raises(DomainError):
        task_assign(task=execute, assignee=officer2, actor=head, reason="Prea târziu")  # done already


def test_cancel_by_the_applicant_or_the_head(make_case, urbanism, citizen, citizen2, head, officer):
    case = make_case("petitie", urbanism)
    with pytest.raises(PermissionDenied):
        case_cancel(case=case, actor=citizen2, reason="Nu e a mea")
    with pytest.raises(PermissionDenied):
        case_cancel(case=case, actor=officer, reason="Nu vreau")
    case = case_cancel(case=case, actor=citizen, reason="Renunț la cerere")
    assert case.status == CaseStatus.CANCELLED
    assert set(case.tasks.values_list("status", flat=True)) == {TaskStatus.CANCELLED}
    with pytest.raises(DomainError):
        task_complete(task=task_of(case, TaskKind.EXECUTE), actor=officer)
    other = make_case("petitie", urbanism)
    assert case_cancel(case=other, actor=head, reason="Dublură").status == CaseStatus.CANCELLED


def test_inform_after_issue_closes_the_case(make_case, urbanism, officer, head):
    case = make_case("petitie", urbanism)
    task_complete(task=task_of(case, TaskKind.EXECUTE), actor=officer)
    task_complete(task=task_of(case, TaskKind.APPROVE), actor=head)
    case = fresh(case)
    assert case.status == CaseStatus.APPROVED and case_can_issue(case)
    case = case_mark_issued(case=case, actor=officer)
    assert case.status == CaseStatus.ISSUED  # the inform task is still open
    task_complete(task=task_of(case, TaskKind.INFORM), actor=officer, comment="Trimis prin e-mail")
    assert fresh(case).status == CaseStatus.CLOSED


def test_optional_tasks_do_not_hold_the_stage(make_case, urbanism, officer, legal, clerk):
    from ghiseu.procedures.models import ProcedureDefinition, ProcedureVersion, StageDefinition, TaskDefinition
    from ghiseu.procedures.services import procedure_version_publish

    definition = ProcedureDefinition.objects.create(code="test-optional", name="Test")
    version = ProcedureVersion.objects.create(definition=definition, version=1)
    first = StageDefinition.objects.create(version=version, order=1, name="Lucru")
    TaskDefinition.objects.create(stage=first, kind=TaskKind.EXECUTE, name="Principal", role="officer")
    TaskDefinition.objects.create(stage=first, kind=TaskKind.OPINION, name="Opțional", department=legal, required=False)
    second = StageDefinition.objects.create(version=version, order=2, name="Informare")
    TaskDefinition.objects.create(stage=second, kind=TaskKind.INFORM, name="Informare")
    procedure_version_publish(version=version)
    case = make_case("test-optional", urbanism)
    task_complete(task=task_of(case, TaskKind.EXECUTE), actor=officer)
    assert task_of(case, TaskKind.OPINION).status == TaskStatus.CANCELLED
    assert task_of(case, TaskKind.INFORM).status == TaskStatus.OPEN


def test_every_transition_is_audited_in_order(make_case, taxes, other_officer, tax_head, mayor, clerk):
    case = make_case("certificat-atestare-fiscala", taxes)
    task_complete(task=task_of(case, TaskKind.EXECUTE), actor=other_officer, comment="Fără datorii")
    task_complete(task=task_of(case, TaskKind.APPROVE), actor=tax_head)
    task_complete(task=task_of(case, TaskKind.SIGN), actor=mayor)
    case_mark_issued(case=case, actor=tax_head)
    task_ids = {str(pk) for pk in case.tasks.values_list("pk", flat=True)}
    events = [
        (e.action, e.actor.username if e.actor else None)
        for e in AuditEvent.objects.order_by("position")
        if (e.object_type == "procedures.case" and e.object_id == str(case.pk))
        or (e.object_type == "procedures.casetask" and e.object_id in task_ids)
    ]
    assert events == [
        ("procedures.case.started", "clerk"),
        ("procedures.task.opened", "clerk"),
        ("procedures.stage.opened", "clerk"),
        ("procedures.task.completed", "other"),
        ("procedures.stage.completed", "other"),
        ("procedures.task.opened", "other"),
        ("procedures.stage.opened", "other"),
        ("procedures.task.completed", "taxhead"),
        ("procedures.case.approved", "taxhead"),
        ("procedures.stage.completed", "taxhead"),
        ("procedures.task.opened", "taxhead"),
        ("procedures.stage.opened", "taxhead"),
        ("procedures.task.completed", "mayor"),
        ("procedures.case.signed", "mayor"),
        ("procedures.stage.completed", "mayor"),
        ("procedures.case.work_completed", "mayor"),
        ("procedures.case.issued", "taxhead"),
        ("procedures.case.closed", "taxhead"),
    ]
    completed = AuditEvent.objects.filter(action="procedures.task.completed").order_by("position").first()
    assert completed is not None and completed.summary["comment"] == "Fără datorii"
    assert next(audit_verify_chain(), None) is None
    assert CaseTask.objects.filter(case=case, completed_at__isnull=False).count() == 3


def test_a_completion_stage_in_the_procedure_waits_for_the_applicant(clock, make_case, urbanism, officer, citizen):
    from ghiseu.procedures.models import ProcedureDefinition, ProcedureVersion, StageDefinition, TaskDefinition
    from ghiseu.procedures.services import case_completion_answered, procedure_version_publish

    definition = ProcedureDefinition.objects.create(code="test-confirmare", name="Cu confirmarea petentului")
    version = ProcedureVersion.objects.create(definition=definition, version=1)
    for order, kind, role in [
        (1, TaskKind.EXECUTE, "officer"),
        (2, TaskKind.COMPLETION, "citizen"),
        (3, TaskKind.SIGN, "head"),
    ]:
        stage = StageDefinition.objects.create(version=version, order=order, name=f"Etapa {order}")
        TaskDefinition.objects.create(stage=stage, kind=kind, name=f"Sarcina {order}", role=role, deadline_days=3)
    procedure_version_publish(version=version)
    with pytest.raises(DomainError) as error:
        make_case("test-confirmare", urbanism, applicant=None)
    assert error.value.field == "applicant"
    case = make_case("test-confirmare", urbanism, completion_stops_clock=True)
    task_complete(task=task_of(case, TaskKind.EXECUTE), actor=officer)
    case = fresh(case)
    completion = task_of(case, TaskKind.COMPLETION)
    assert case.status == CaseStatus.WAITING_CITIZEN and case.clock_paused_at is not None
    assert completion.status == TaskStatus.OPEN and completion.assignee == citizen and completion.department is None
    with pytest.raises(DomainError):  # the citizen answers through the portal's answer, not as a task
        task_complete(task=completion, actor=citizen)
    clock.advance(2)
    case = case_completion_answered(case=case, actor=citizen, message="Confirm datele.")
    assert case.status == CaseStatus.OPEN and case.paused_days == 2 and case.current_stage == 3
    assert task_of(case, TaskKind.SIGN).status == TaskStatus.OPEN
