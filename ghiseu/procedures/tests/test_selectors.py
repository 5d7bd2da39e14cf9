"""Work queues, the timeline and the dashboard."""

from __future__ import annotations

import datetime as dt

import pytest

from ghiseu.core.errors import NotFound, PermissionDenied
from ghiseu.procedures.models import CaseStatus, ProcedureDefinition, TaskKind
from ghiseu.procedures.selectors import (
    case_timeline,
    cases_for_applicant,
    dashboard_counts,
    procedure_current_version,
    tasks_for_department,
    tasks_for_user,
)
from ghiseu.procedures.services import case_request_completion, task_assign, task_complete
from ghiseu.procedures.tests.helpers import task_of

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def queue(clock, make_case, urbanism, taxes, officer, officer2, head):
    """Three Urbanism cases opened on different days (one overdue by now) and one of Taxe."""
    clock.set(D(2027, 3, 1))
    late = make_case("adeverinta-simpla", urbanism)  # execute due 3 March
    clock.set(D(2027, 3, 8))
    soon = make_case("adeverinta-simpla", urbanism)  # due 10 March
    clock.set(D(2027, 3, 9))
    later = make_case("certificat-urbanism", urbanism)  # due 16 March
    # due 11 March, given to officer2; the same procedure serves another service
    assigned_away = make_case("adeverinta-simpla", urbanism, subject="Adeverință de rol agricol")
    task_assign(task=task_of(assigned_away, TaskKind.EXECUTE), assignee=officer2, actor=head, reason="Repartizare")
    tax_case = make_case("certificat-atestare-fiscala", taxes)
    return {"late": late, "soon": soon, "later": later, "away": assigned_away, "tax": tax_case}


def test_officer_queue_overdue_first_then_by_due_date_and_own_department_only(queue, officer, officer2, other_officer):
    tasks = list(tasks_for_user(officer))
    assert [t.case for t in tasks] == [queue["late"], queue["soon"], queue["later"]]
    assert [t.overdue for t in tasks] == [True, False, False]
    assert [t.due_date for t in tasks] == [D(2027, 3, 3), D(2027, 3, 10), D(2027, 3, 16)]
    # officer2 sees their own assigned task too; the Taxe officer sees only Taxe.
    assert queue["away"] in [t.case for t in tasks_for_user(officer2)]
    assert [t.case for t in tasks_for_user(other_officer)] == [queue["tax"]]
    assert {t.department_id for t in tasks_for_user(other_officer)} == {queue["tax"].department_id}


def test_the_queue_brings_case_entry_and_applicant_in_one_query(queue, officer, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = [(t.case.number, str(t.case.applicant), t.case.version.definition.code) for t in tasks_for_user(officer)]
    assert rows[0] == (queue["late"].number, str(queue["late"].applicant), "adeverinta-simpla")
    assert rows[0][0] == f"{queue['late'].entry.number}/01.03.2027"


def test_queues_follow_the_roles(queue, head, officer, mayor, secretary, citizen, make_case, urbanism):
    # The head sees the officers' work of the department (not the legal opinion of Juridic).
    assert {t.case for t in tasks_for_user(head)} == {queue["late"], queue["soon"], queue["later"]}
    task_complete(task=task_of(queue["late"], TaskKind.EXECUTE), actor=officer)
    sign = task_of(queue["late"], TaskKind.SIGN)
    assert sign in list(tasks_for_user(head)) and sign not in list(tasks_for_user(officer))
    assert list(tasks_for_user(mayor)) == [] and list(tasks_for_user(citizen)) == []
    assert list(tasks_for_user(None)) == []


def test_department_queue_for_heads_only(queue, head, officer, tax_head, secretary, urbanism, taxes):
    tasks = list(tasks_for_department(head, urbanism))
    assert {t.case for t in tasks} == {queue["late"], queue["soon"], queue["later"], queue["away"]}
    assert tasks[0].case == queue["late"] and tasks[0].overdue
    assert all(t.department == urbanism for t in tasks)
    with pytest.raises(PermissionDenied):
        tasks_for_department(head, taxes)
    with pytest.raises(PermissionDenied):
        tasks_for_department(officer, urbanism)
    assert [t.case for t in tasks_for_department(tax_head, taxes)] == [queue["tax"]]
    assert len(tasks_for_department(secretary, urbanism)) == 4  # the leadership sees every department


def test_institution_tasks_reach_the_mayor_from_every_department(
    make_case, urbanism, taxes, other_officer, tax_head, mayor, secretary, officer, head, legal_officer
):
    tax_case = make_case("certificat-atestare-fiscala", taxes)
    task_complete(task=task_of(tax_case, TaskKind.EXECUTE), actor=other_officer)
    task_complete(task=task_of(tax_case, TaskKind.APPROVE), actor=tax_head)
    urban = make_case("certificat-urbanism", urbanism)
    task_complete(task=task_of(urban, TaskKind.EXECUTE), actor=officer)
    task_complete(task=task_of(urban, TaskKind.OPINION), actor=legal_officer)
    task_complete(task=task_of(urban, TaskKind.APPROVE), actor=head)
    assert {t.case for t in tasks_for_user(mayor)} == {tax_case, urban}
    assert [t.case for t in tasks_for_user(secretary)] == [urban]


def test_citizen_sees_the_completion_asked_of_them_only(make_case, urbanism, officer, citizen, citizen2):
    case = make_case("petitie", urbanism)
    completion = case_request_completion(case=case, actor=officer, message="Copie act de identitate")
    assert list(tasks_for_user(citizen)) == [completion]
    assert list(tasks_for_user(citizen2)) == []
    assert completion not in list(tasks_for_user(officer))
    assert list(cases_for_applicant(citizen)) == [case] and list(cases_for_applicant(citizen2)) == []


def test_timeline_shows_stages_tasks_and_audit(make_case, taxes, other_officer, tax_head):
    case = make_case("certificat-atestare-fiscala", taxes)
    task_complete(task=task_of(case, TaskKind.EXECUTE), actor=other_officer, comment="Fără datorii")
    timeline = case_timeline(case)
    assert [(s.order, s.name, s.status) for s in timeline.stages] == [
        (1, "Verificarea situației fiscale", "done"),
        (2, "Aprobare", "open"),
        (3, "Semnare", "pending"),
    ]
    done = timeline.stages[0].tasks[0]
    assert done.completed_by == other_officer and done.comment == "Fără datorii" and done.completed_at
    actions = [e.action for e in timeline.events]
    assert actions[0] == "procedures.case.started" and "procedures.task.completed" in actions
    assert [e.actor for e in timeline.events if e.action == "procedures.task.completed"] == [other_officer]
    positions = [e.position for e in timeline.events]
    assert positions == sorted(positions)


def test_dashboard_counts(queue, clock, officer, head, other_officer, secretary, citizen):
    counts = dashboard_counts(secretary)
    assert counts.by_status[CaseStatus.OPEN] == 5 and counts.by_status[CaseStatus.CLOSED] == 0
    assert counts.overdue == 0  # the cases' legal due dates (30 days) are still far
    assert counts.overdue_tasks == 1
    per_department = {row["department__code"]: row for row in counts.per_department}
    assert per_department["URB"]["open"] == 4 and per_department["TAX"]["open"] == 1
    name = {p.code: p.name for p in ProcedureDefinition.objects.all()}  # a case without a subject: its procedure
    assert {row["subject"]: row["open"] for row in counts.per_subject} == {
        name["adeverinta-simpla"]: 2,
        "Adeverință de rol agricol": 1,  # counted by service, not by the procedure it shares
        name["certificat-urbanism"]: 1,
        name["certificat-atestare-fiscala"]: 1,
    }
    mine = dashboard_counts(officer)
    assert mine.my_tasks == 3 and mine.my_overdue_tasks == 1
    assert sum(mine.by_status.values()) == 4  # Urbanism's cases only
    assert sum(dashboard_counts(other_officer).by_status.values()) == 1
    assert sum(dashboard_counts(citizen).by_status.values()) == 5  # the applicant of all of them
    # Later, the legal due dates come: the first case (1 March + 30 days = 31 March) is overdue.
    clock.set(D(2027, 4, 1))
    later = dashboard_counts(secretary)
    assert later.overdue == 1 and later.due_this_week == 0
    clock.set(D(2027, 3, 29))  # a Monday: the week runs to 4 April
    assert dashboard_counts(secretary).due_this_week == 1


def test_current_version_lookup(procedures):
    assert procedure_current_version(code="petitie").version == 1
    with pytest.raises(NotFound):
        procedure_current_version(code="nu-exista")
