"""The staff work screens: dashboard, queues, the case page and its actions through the engine."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ghiseu.audit.models import AuditEvent
from ghiseu.notifications.models import Notification
from ghiseu.procedures.models import CaseStatus, TaskKind, TaskStatus
from ghiseu.procedures.services import task_complete
from ghiseu.procedures.tests.helpers import fresh, task_of

pytestmark = pytest.mark.django_db

D = dt.date


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def cases(clock, make_case, urbanism, taxes):
    """Two Urbanism certificates (one overdue by now) and one Taxe certificate."""
    clock.set(D(2027, 3, 1))
    late = make_case("adeverinta-simpla", urbanism)  # execute due 3 March
    clock.set(D(2027, 3, 8))
    fresh_case = make_case("adeverinta-simpla", urbanism)  # due 10 March
    tax_case = make_case("certificat-atestare-fiscala", taxes)
    return {"late": late, "fresh": fresh_case, "tax": tax_case}


def test_the_screens_are_for_staff_only(cases, citizen):
    anonymous = Client()
    for name in ("procedures:dashboard", "procedures:my_tasks", "procedures:department_tasks"):
        url = reverse(name)
        assert anonymous.get(url)["Location"].startswith("/cont/autentificare/")
        assert client_for(citizen).get(url).status_code == 403
    # The citizen's own case is no staff page either.
    assert client_for(citizen).get(reverse("procedures:case", args=[cases["late"].pk])).status_code == 403


def test_dashboard_counts_my_tasks_and_the_overdue(cases, officer):
    response = client_for(officer).get(reverse("procedures:dashboard"))
    assert response.status_code == 200, response
    html = response.content.decode()
    assert 'id="count-my-tasks">2<' in html
    assert 'id="count-my-overdue"><span class="badge overdue">1<' in html
    assert "Urbanism și amenajarea teritoriului" in html  # the department totals
    assert reverse("procedures:case", args=[cases["late"].pk]) in html


def test_my_tasks_overdue_first_with_due_dates_and_only_my_department(cases, officer, other_officer):
    html = client_for(officer).get(reverse("procedures:my_tasks")).content.decode()
    late, recent = cases["late"].number, cases["fresh"].number
    assert late in html and recent in html and cases["tax"].number not in html
    assert html.index(late) < html.index(recent)
    assert "03.03.2027" in html and "10.03.2027" in html
    assert html.count('class="badge overdue"') == 1
    other = client_for(other_officer).get(reverse("procedures:my_tasks")).content.decode()
    assert cases["tax"].number in other and late not in other


def test_department_tasks_for_the_head_not_for_officers(cases, head, officer, secretary, taxes):
    url = reverse("procedures:department_tasks")
    html = client_for(head).get(url).content.decode()
    assert cases["late"].number in html and cases["fresh"].number in html and cases["tax"].number not in html
    assert "nerepartizată" in html
    assert client_for(officer).get(url).status_code == 403
    # The leadership picks a department.
    picked = client_for(secretary).get(url, {"department": taxes.pk}).content.decode()
    assert cases["tax"].number in picked and cases["late"].number not in picked


def test_case_page_shows_stages_tasks_history_and_is_404_for_another_department(cases, officer, other_officer):
    case = cases["late"]
    url = reverse("procedures:case", args=[case.pk])
    html = client_for(officer).get(url).content.decode()
    assert case.number in html
    assert "Verificarea evidenței și întocmirea adeverinței" in html and "Semnătura șefului de compartiment" in html
    assert "Dosar deschis" in html  # the history
    assert 'class="badge overdue"' in html
    assert reverse("procedures:task_complete", args=[task_of(case, TaskKind.EXECUTE).pk]) in html
    assert client_for(other_officer).get(url).status_code == 404
    assert client_for(officer).get(reverse("procedures:case", args=[999_999])).status_code == 404


def test_officer_completes_a_task_with_a_comment_and_the_next_stage_opens(cases, officer, head):
    case = cases["late"]
    execute = task_of(case, TaskKind.EXECUTE)
    response = client_for(officer).post(
        reverse("procedures:task_complete", args=[execute.pk]), {f"task-{execute.pk}-comment": "Adeverință întocmită."}
    )
    assert response.status_code == 302 and response["Location"] == reverse("procedures:case", args=[case.pk])
    execute.refresh_from_db()
    assert execute.status == TaskStatus.DONE and execute.comment == "Adeverință întocmită."
    assert task_of(case, TaskKind.SIGN).status == TaskStatus.OPEN
    page = client_for(officer).get(response["Location"]).content.decode()
    assert "Adeverință întocmită." in page and "Sarcină încheiată" in page
    assert "Etapă deschisă" in page and "procedures." not in page  # every event of the history is named
    # The head signs: a decision, refused without reasons when unfavourable.
    sign = task_of(case, TaskKind.SIGN)
    url = reverse("procedures:task_complete", args=[sign.pk])
    refused = client_for(head).post(url, {f"task-{sign.pk}-outcome": "rejected", f"task-{sign.pk}-comment": ""})
    assert refused.status_code == 400 and "Motivați soluția nefavorabilă" in refused.content.decode()
    assert task_of(case, TaskKind.SIGN).status == TaskStatus.OPEN
    ok = client_for(head).post(url, {f"task-{sign.pk}-outcome": "approved"})
    assert ok.status_code == 302
    assert fresh(case).status == CaseStatus.SIGNED


def test_engine_refusals_are_clear_4xx_and_write_nothing(cases, officer, officer2, other_officer):
    case = cases["late"]
    pending = task_of(case, TaskKind.SIGN)
    before = AuditEvent.objects.count()
    # out of order: the signing stage has not opened
    response = client_for(officer).post(reverse("procedures:task_complete", args=[pending.pk]), {})
    assert response.status_code in {400, 403}
    # by someone without the role (an officer signing the head's task) once it opens
    task_complete(task=task_of(case, TaskKind.EXECUTE), actor=officer)
    before = AuditEvent.objects.count()
    response = client_for(officer2).post(
        reverse("procedures:task_complete", args=[pending.pk]), {f"task-{pending.pk}-outcome": "approved"}
    )
    assert response.status_code == 403
    # another department's officer cannot even see it
    response = client_for(other_officer).post(reverse("procedures:task_complete", args=[pending.pk]), {})
    assert response.status_code == 404
    assert AuditEvent.objects.count() == before
    assert task_of(case, TaskKind.SIGN).status == TaskStatus.OPEN
    # a GET is not an action
    assert client_for(officer).get(reverse("procedures:task_complete", args=[pending.pk])).status_code == 405


def test_out_of_order_shows_the_engines_message(make_case, clock, urbanism, head):
    case = make_case("adeverinta-simpla", urbanism)
    sign = task_of(case, TaskKind.SIGN)
    response = client_for(head).post(
        reverse("procedures:task_complete", args=[sign.pk]), {f"task-{sign.pk}-outcome": "approved"}
    )
    assert response.status_code == 400
    assert "Etapa 2 nu a început" in response.content.decode()
    assert task_of(case, TaskKind.SIGN).status == TaskStatus.PENDING


def test_head_reassigns_with_a_reason(cases, head, officer, officer2):
    case = cases["late"]
    execute = task_of(case, TaskKind.EXECUTE)
    url = reverse("procedures:task_assign", args=[execute.pk])
    page = client_for(head).get(reverse("procedures:case", args=[case.pk])).content.decode()
    assert url in page
    no_reason = client_for(head).post(url, {f"assign-{execute.pk}-assignee": officer2.pk})
    assert no_reason.status_code == 400
    execute.refresh_from_db()
    assert execute.assignee_id is None
    done = client_for(head).post(
        url, {f"assign-{execute.pk}-assignee": officer2.pk, f"assign-{execute.pk}-reason": "Concediu de odihnă."}
    )
    assert done.status_code == 302
    execute.refresh_from_db()
    assert execute.assignee == officer2
    event = AuditEvent.objects.filter(action="procedures.task.assigned").latest("position")
    assert event.summary["reason"] == "Concediu de odihnă." and event.actor == head
    assert case.number in client_for(officer2).get(reverse("procedures:my_tasks")).content.decode()
    assert case.number not in client_for(officer).get(reverse("procedures:my_tasks")).content.decode()


def test_cannot_assign_to_someone_without_the_role(cases, head, other_officer):
    execute = task_of(cases["late"], TaskKind.EXECUTE)
    response = client_for(head).post(
        reverse("procedures:task_assign", args=[execute.pk]),
        {f"assign-{execute.pk}-assignee": other_officer.pk, f"assign-{execute.pk}-reason": "Test"},
    )
    assert response.status_code == 400  # not among the choices: another department
    execute.refresh_from_db()
    assert execute.assignee_id is None


def test_officer_asks_the_citizen_to_complete(cases, officer, citizen):
    case = cases["fresh"]
    url = reverse("procedures:request_completion", args=[case.pk])
    assert client_for(officer).post(url, {"message": "  "}).status_code == 400
    response = client_for(officer).post(url, {"message": "Lipsește copia actului de identitate."})
    assert response.status_code == 302
    case = fresh(case)
    assert case.status == CaseStatus.WAITING_CITIZEN
    asked = case.tasks.get(kind=TaskKind.COMPLETION)
    assert asked.instructions == "Lipsește copia actului de identitate." and asked.assignee == citizen
    note = Notification.objects.get(template__key="request.completion_needed", recipient=citizen, channel="inbox")
    assert "Lipsește copia actului de identitate." in note.body
    page = client_for(officer).get(reverse("procedures:case", args=[case.pk])).content.decode()
    assert "Completare cerută petentului" in page
    assert "procedures." not in page
    # While the case waits, its tasks cannot be completed, and a second request is refused.
    execute = task_of(case, TaskKind.EXECUTE)
    refused = client_for(officer).post(reverse("procedures:task_complete", args=[execute.pk]), {})
    assert refused.status_code == 400 and "așteaptă completarea" in refused.content.decode()
    again = client_for(officer).post(url, {"message": "Altceva"})
    assert again.status_code == 400 and "Completările se cer doar" in again.content.decode()


def test_issue_only_when_the_procedure_allows(make_case, clock, urbanism, officer, head, other_officer):
    case = make_case("adeverinta-simpla", urbanism)
    url = reverse("procedures:issue", args=[case.pk])
    early = client_for(head).post(url)
    assert early.status_code == 400 and "aprobat și semnat" in early.content.decode()
    task_complete(task=task_of(case, TaskKind.EXECUTE), actor=officer)
    task_complete(task=task_of(case, TaskKind.SIGN), actor=head, outcome="approved")
    assert 'id="issue-button"' in client_for(head).get(reverse("procedures:case", args=[case.pk])).content.decode()
    assert client_for(other_officer).post(url).status_code == 404
    assert client_for(head).post(url).status_code == 302
    assert fresh(case).status in {CaseStatus.ISSUED, CaseStatus.CLOSED}
