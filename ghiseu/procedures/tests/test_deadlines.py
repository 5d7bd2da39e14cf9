"""Due dates from the working-day calendar, the stopped clock while waiting for the citizen, escalation."""

from __future__ import annotations

import datetime as dt
import sys
import types
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command

from ghiseu.audit.models import AuditEvent
from ghiseu.core.errors import DomainError, PermissionDenied
from ghiseu.procedures import notify as notify_module
from ghiseu.procedures.models import CaseStatus, TaskKind, TaskStatus
from ghiseu.procedures.selectors import tasks_for_user
from ghiseu.procedures.services import (
    case_completion_answered,
    case_request_completion,
    task_complete,
    tasks_escalate_overdue,
)
from ghiseu.procedures.services import escalation as escalation_module
from ghiseu.procedures.tasks import escalate_overdue_tasks
from ghiseu.procedures.tests.helpers import due, fresh, task_of

pytestmark = pytest.mark.django_db

D = dt.date


# --- Working days across holidays ---------------------------------------------------------------


def test_fiscal_certificate_filed_on_23_december(clock, make_case, taxes, other_officer, tax_head):
    clock.set(D(2026, 12, 23))  # Wednesday; 25-26 December are Christmas, 27 is Sunday
    case = make_case("certificat-atestare-fiscala", taxes, deadline_days=2, deadline_kind="working")
    assert case.due_date == D(2026, 12, 28)  # Thu 24 (1), Mon 28 (2)
    assert task_of(case, TaskKind.EXECUTE).due_date == D(2026, 12, 24)
    clock.set(D(2026, 12, 24))
    task_complete(task=task_of(case, TaskKind.EXECUTE), actor=other_officer)
    assert task_of(case, TaskKind.APPROVE).due_date == D(2026, 12, 28)
    clock.set(D(2026, 12, 28))
    task_complete(task=task_of(case, TaskKind.APPROVE), actor=tax_head)
    # One working day from the 28th is the 29th, but a task never ends after the legal due date.
    assert task_of(case, TaskKind.SIGN).due_date == D(2026, 12, 28)


def test_a_request_on_23_december_with_the_default_30_days(clock, make_case, urbanism):
    clock.set(D(2026, 12, 23))
    case = make_case("certificat-urbanism", urbanism)
    assert case.due_date == D(2027, 1, 22)  # 30 calendar days: a Friday, a working day
    # Execute: 5 working days over Christmas and New Year (24, 28, 29, 30, 31 December).
    assert task_of(case, TaskKind.EXECUTE).due_date == D(2026, 12, 31)


def test_a_request_before_orthodox_easter_2027(clock, make_case, taxes, urbanism, other_officer):
    clock.set(D(2027, 4, 28))  # Wednesday; Good Friday 30 April, 1 May, Easter 2 and Easter Monday 3 May
    fiscal = make_case("certificat-atestare-fiscala", taxes, deadline_days=2, deadline_kind="working")
    assert fiscal.due_date == D(2027, 5, 4)  # Thu 29 (1), Tue 4 May (2)
    calendar_days = make_case("petitie", urbanism, deadline_days=2, deadline_kind="calendar")
    assert calendar_days.due_date == D(2027, 5, 4)  # 30 April is a holiday: the term moves to the next working day
    urban = make_case("certificat-urbanism", urbanism)
    assert task_of(urban, TaskKind.EXECUTE).due_date == D(2027, 5, 7)  # 29 April, 4, 5, 6, 7 May
    clock.set(D(2027, 4, 29))
    task_complete(task=task_of(fiscal, TaskKind.EXECUTE), actor=other_officer)
    assert task_of(fiscal, TaskKind.APPROVE).due_date == D(2027, 5, 4)


# --- Completion requests and the legal clock ------------------------------------------------------


def test_completion_stops_the_clock_and_shifts_due_dates_when_configured(
    clock, make_case, urbanism, officer, citizen, citizen2
):
    case = make_case("certificat-urbanism", urbanism, completion_stops_clock=True, deadline_days=15)
    assert case.due_date == D(2027, 3, 16)
    assert task_of(case, TaskKind.EXECUTE).due_date == D(2027, 3, 8)
    clock.set(D(2027, 3, 2))
    with pytest.raises(DomainError):
        case_request_completion(case=case, actor=officer, message=" ")
    completion = case_request_completion(case=case, actor=officer, message="Lipsește extrasul de carte funciară.")
    assert completion.kind == TaskKind.COMPLETION and completion.assignee == citizen
    case = fresh(case)
    assert case.status == CaseStatus.WAITING_CITIZEN and case.clock_paused_at == clock.now
    assert list(tasks_for_user(citizen)) == [completion]
    with pytest.raises(DomainError) as error:  # the officer's work waits for the citizen
        task_complete(task=task_of(case, TaskKind.EXECUTE), actor=officer)
    assert error.value.code == "waiting_citizen"
    with pytest.raises(DomainError):  # not asked twice
        case_request_completion(case=case, actor=officer, message="Și altceva")

    clock.set(D(2027, 3, 9))  # the execute task is past its date, but the clock is stopped
    assert tasks_escalate_overdue().level1 == []
    assert not tasks_for_user(officer).get().overdue

    with pytest.raises(PermissionDenied):
        case_completion_answered(case=case, actor=citizen2, message="Nu sunt eu")
    case = case_completion_answered(case=case, actor=citizen, message="Am încărcat extrasul.")
    assert case.status == CaseStatus.OPEN and case.clock_paused_at is None and case.paused_days == 7
    assert case.due_date == D(2027, 3, 23)
    assert task_of(case, TaskKind.EXECUTE).due_date == D(2027, 3, 15)
    done = task_of(case, TaskKind.COMPLETION)
    assert done.status == TaskStatus.DONE and done.comment == "Am încărcat extrasul." and done.completed_by == citizen
    answered = AuditEvent.objects.get(action="procedures.case.completion_answered")
    assert answered.summary["paused_days"] == 7 and answered.actor == citizen
    assert AuditEvent.objects.filter(action="procedures.case.clock_stopped").count() == 1
    task_complete(task=task_of(case, TaskKind.EXECUTE), actor=officer)
    assert fresh(case).current_stage == 2


def test_completion_does_not_stop_the_clock_when_not_configured(clock, make_case, urbanism, officer, citizen, head):
    case = make_case("certificat-urbanism", urbanism, deadline_days=15)
    clock.set(D(2027, 3, 2))
    case_request_completion(case=case, actor=head, message="Lipsește planul de situație.")
    case = fresh(case)
    assert case.status == CaseStatus.WAITING_CITIZEN and case.clock_paused_at is None
    clock.set(D(2027, 3, 9))
    case = case_completion_answered(case=case, actor=citizen, message="")
    assert case.paused_days == 0 and case.due_date == D(2027, 3, 16)
    assert task_of(case, TaskKind.EXECUTE).due_date == D(2027, 3, 8)


def test_who_may_ask_for_completion(make_case, urbanism, officer, other_officer, citizen, legal_officer, clerk):
    case = make_case("certificat-urbanism", urbanism)
    for intruder in (other_officer, citizen, legal_officer):
        with pytest.raises(PermissionDenied):
            case_request_completion(case=case, actor=intruder, message="Ceva")
    no_applicant = make_case("petitie", urbanism, applicant=None)
    with pytest.raises(DomainError) as error:
        case_request_completion(case=no_applicant, actor=officer, message="Ceva")
    assert error.value.code == "no_applicant"
    assert fresh(case).status == CaseStatus.OPEN


def test_staff_may_record_a_paper_answer(clock, make_case, urbanism, officer):
    case = make_case("petitie", urbanism, completion_stops_clock=True)
    case_request_completion(case=case, actor=officer, message="Semnătura lipsește.")
    clock.advance(3)
    case = case_completion_answered(case=case, actor=officer, message="Depusă la ghișeu.")
    assert case.status == CaseStatus.OPEN and case.paused_days == 3
    assert AuditEvent.objects.get(action="procedures.case.completion_answered").summary["on_behalf"] is True


def test_the_citizen_is_notified_of_a_completion_request(monkeypatch, clock, make_case, urbanism, officer, citizen):
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr("ghiseu.procedures.services.completion.notify", lambda **kw: sent.append(kw))
    case = make_case("petitie", urbanism)
    task = case_request_completion(case=case, actor=officer, message="Copie CI", respond_by=D(2027, 3, 15))
    assert task.due_date == D(2027, 3, 15)
    assert len(sent) == 1
    assert sent[0]["key"] == "request.completion_needed" and sent[0]["to_user"] == citizen
    context = sent[0]["context"]
    assert context["missing"] == "Copie CI" and context["number"] == case.entry.display_number
    assert context["service_name"] == "Petiție" and context["respond_by"] == D(2027, 3, 15)
    assert sent[0]["related"] == fresh(case)
    case_completion_answered(case=case, actor=citizen, message="Am trimis copia", case_url="https://x.ro/lucrari/")
    # the officer who asked is told the citizen answered
    assert len(sent) == 2 and sent[1]["key"] == "case.completion_answered" and sent[1]["to_user"] == officer
    assert (
        sent[1]["context"]["answer"] == "Am trimis copia" and sent[1]["context"]["case_url"] == "https://x.ro/lucrari/"
    )
    case_request_completion(case=case, actor=officer, message="Încă o copie", notify_applicant=False)
    assert len(sent) == 2
    case_completion_answered(case=case, actor=officer, message="Depusă la ghișeu.")  # staff record it: no notice
    assert len(sent) == 2


# --- Escalation ---------------------------------------------------------------------------------


@pytest.fixture
def notified(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr(escalation_module, "notify", lambda **kw: sent.append(kw))
    return sent


def test_escalation_to_the_head_then_the_secretary_general_idempotent(
    clock, notified, make_case, taxes, tax_head, secretary, other_officer
):
    clock.set(D(2026, 12, 23))
    case = make_case("certificat-atestare-fiscala", taxes)
    execute = task_of(case, TaskKind.EXECUTE)
    assert execute.due_date == D(2026, 12, 24)
    clock.set(D(2026, 12, 24))
    assert tasks_escalate_overdue().level1 == []  # due today is not overdue

    clock.set(D(2026, 12, 28))
    report = tasks_escalate_overdue()
    assert report.level1 == [execute.pk] and report.level2 == []
    execute.refresh_from_db()
    assert execute.escalation_level == 1 and execute.escalated_at == clock.now
    assert [(n["key"], n["to_user"], n["context"]["level"]) for n in notified] == [("task.escalated", tax_head, 1)]
    context = notified[0]["context"]
    assert notified[0]["related"] == execute and context["case_number"] == case.entry.display_number
    assert context["task_title"] == execute.name and context["due_date"] == D(2026, 12, 24)
    assert "4 zile" in context["reason"]
    assert tasks_escalate_overdue().level1 == [] and len(notified) == 1  # twice the same day: nothing new

    clock.set(D(2026, 12, 29))  # one working day later (GHISEU_ESCALATION_DAYS = 2): not yet
    assert tasks_escalate_overdue().level2 == []
    clock.set(D(2026, 12, 30))
    assert tasks_escalate_overdue().level2 == [execute.pk]
    assert [(n["to_user"], n["context"]["level"]) for n in notified[1:]] == [(secretary, 2)]
    clock.set(D(2027, 1, 8))
    report = tasks_escalate_overdue()
    assert report.level1 == report.level2 == [] and len(notified) == 2  # level 2 is the last

    events = list(AuditEvent.objects.filter(action="procedures.task.escalated").order_by("position"))
    assert [(e.summary["level"], e.summary["recipients"], e.actor_id) for e in events] == [
        (1, [tax_head.pk], None),
        (2, [secretary.pk], None),
    ]
    task_complete(task=execute, actor=other_officer)  # escalation does not stop the work
    assert task_of(case, TaskKind.APPROVE).escalation_level == 0


def test_escalation_days_is_a_setting(clock, settings, notified, make_case, taxes, tax_head, secretary):
    settings.GHISEU_ESCALATION_DAYS = 1
    clock.set(D(2027, 3, 1))
    case = make_case("certificat-atestare-fiscala", taxes)
    clock.set(D(2027, 3, 3))
    assert tasks_escalate_overdue().level1 == [task_of(case, TaskKind.EXECUTE).pk]
    clock.set(D(2027, 3, 4))
    assert tasks_escalate_overdue().level2 == [task_of(case, TaskKind.EXECUTE).pk]


def test_an_institution_task_or_a_department_without_head_goes_to_the_secretary(
    clock, notified, make_case, taxes, legal, other_officer, tax_head, mayor, secretary
):
    headless = make_case("petitie", legal)
    clock.set(due(task_of(headless, TaskKind.EXECUTE)) + dt.timedelta(days=1))
    assert tasks_escalate_overdue().level1 == [task_of(headless, TaskKind.EXECUTE).pk]
    assert [n["to_user"] for n in notified] == [secretary]  # Juridic has no head: straight to the secretary
    notified.clear()

    clock.set(D(2027, 3, 1))
    case = make_case("certificat-atestare-fiscala", taxes)
    task_complete(task=task_of(case, TaskKind.EXECUTE), actor=other_officer)
    task_complete(task=task_of(case, TaskKind.APPROVE), actor=tax_head)
    sign = task_of(case, TaskKind.SIGN)
    clock.set(due(sign) + dt.timedelta(days=1))
    assert tasks_escalate_overdue().level1 == [sign.pk]
    # The mayor's task belongs to no department: level 1 goes to the head of the case's department.
    assert [n["to_user"] for n in notified] == [tax_head]


def test_escalation_job_command_and_task(clock, notified, make_case, urbanism, head):
    case = make_case("petitie", urbanism)
    execute = task_of(case, TaskKind.EXECUTE)
    clock.set(due(execute) + dt.timedelta(days=1))
    out = StringIO()
    call_command("procedures_escalate", stdout=out)
    assert "head of department: 1" in out.getvalue()
    assert task_of(case, TaskKind.EXECUTE).escalation_level == 1
    assert escalate_overdue_tasks.call() == {"level1": [], "level2": [], "failed": []}
    out = StringIO()
    later = (due(execute) + dt.timedelta(days=10)).isoformat()
    call_command("procedures_escalate", "--date", later, stdout=out)
    assert "secretary general: 1" in out.getvalue()
    call_command("procedures_escalate", "--enqueue", stdout=StringIO())
    from django_tasks_db.models import DBTaskResult

    # (other apps may queue their own work meanwhile, e.g. the search index's updates)
    queued = DBTaskResult.objects.filter(task_path__startswith="ghiseu.procedures.")
    assert list(queued.values_list("task_path", flat=True)) == ["ghiseu.procedures.tasks.escalate_overdue_tasks"]


# --- The one door to notifications ---------------------------------------------------------------


def test_notify_does_nothing_without_the_notifications_app(monkeypatch):
    monkeypatch.setattr(apps, "is_installed", lambda name: False)
    assert notify_module.notify(key="task.escalated", context={}) is False


def test_notify_calls_notification_send_when_the_app_is_installed(monkeypatch):
    calls: list[dict[str, Any]] = []
    fake = types.ModuleType("ghiseu.notifications.services")
    fake.notification_send = lambda **kw: calls.append(kw)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "ghiseu.notifications.services", fake)
    monkeypatch.setattr(apps, "is_installed", lambda name: name == "ghiseu.notifications")
    assert notify_module.notify(key="task.escalated", to_user=None, context={"level": 1}) is True
    assert calls == [
        {"key": "task.escalated", "to_user": None, "to_email": "", "context": {"level": 1}, "related": None}
    ]


def test_escalation_through_the_real_notifications_door(clock, make_case, urbanism, head, secretary):
    """Whatever notifications app is installed, it accepts what escalation hands it."""
    case = make_case("petitie", urbanism)
    execute = task_of(case, TaskKind.EXECUTE)
    clock.set(due(execute) + dt.timedelta(days=1))
    report = tasks_escalate_overdue()
    assert report.level1 == [execute.pk] and report.failed == []
    clock.set(due(execute) + dt.timedelta(days=7))
    report = tasks_escalate_overdue()
    assert report.level2 == [execute.pk] and report.failed == []
