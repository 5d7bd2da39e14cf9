"""Two signatures of one stage given at the same moment: the case row lock lets exactly one of them
see the stage complete and open what follows (a real multi-connection test)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from ghiseu.audit.models import AuditEvent
from ghiseu.audit.services import audit_verify_chain
from ghiseu.procedures.models import CaseStatus, TaskKind, TaskStatus
from ghiseu.procedures.services import task_complete
from ghiseu.procedures.tests.helpers import fresh, task_of


@pytest.mark.django_db(transaction=True)
def test_parallel_signatures_at_the_same_time(make_case, urbanism, officer, legal_officer, head, mayor, secretary):
    case = make_case("certificat-urbanism", urbanism)
    task_complete(task=task_of(case, TaskKind.EXECUTE), actor=officer)
    task_complete(task=task_of(case, TaskKind.OPINION), actor=legal_officer)
    task_complete(task=task_of(case, TaskKind.APPROVE), actor=head)
    signatures = [
        (task_of(case, TaskKind.SIGN, "primarului"), mayor),
        (task_of(case, TaskKind.SIGN, "secretar"), secretary),
    ]
    barrier = threading.Barrier(len(signatures))
    errors: list[BaseException] = []

    def sign(task, actor):
        try:
            barrier.wait(timeout=10)
            task_complete(task=task, actor=actor)
        except BaseException as exc:  # reported to the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=pair) for pair in signatures]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    case = fresh(case)
    assert case.status == CaseStatus.SIGNED and case.current_stage is None
    assert {t.status for t in case.tasks.all()} == {TaskStatus.DONE}
    stage_completed = AuditEvent.objects.filter(action="procedures.stage.completed", object_id=str(case.pk))
    assert stage_completed.count() == 4  # each stage once, the signature stage too
    assert AuditEvent.objects.filter(action="procedures.case.work_completed").count() == 1
    assert next(audit_verify_chain(), None) is None
