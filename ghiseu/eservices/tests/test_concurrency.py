"""Real concurrency on PostgreSQL: many connections submitting the same draft make one request."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection

from ghiseu.accounts.models import Role
from ghiseu.accounts.tests.factories import DepartmentFactory, UserFactory
from ghiseu.core.models import StoredFile
from ghiseu.eservices import services
from ghiseu.eservices.defaults import ensure_demo_services
from ghiseu.eservices.models import RequestState, Service, ServiceRequest
from ghiseu.eservices.tests.conftest import PDF_BYTES
from ghiseu.registry.models import Entry
from ghiseu.registry.reference import ensure_reference_data
from ghiseu.registry.services import Upload


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_connections_submitting_one_draft_make_one_entry_on_postgresql() -> None:
    assert connection.vendor == "postgresql", "this test needs PostgreSQL: run it with DATABASE_URL=postgres://..."
    import io

    ensure_reference_data()
    for code in ("TAX", "URB", "JUR"):
        DepartmentFactory(code=code)
    ensure_demo_services()
    citizen = UserFactory(username="c", role=Role.CITIZEN)
    fiscal = Service.objects.get(code="certificat-de-atestare-fiscala")
    key = uuid.uuid4()
    drafts: list[int] = []
    errors: list[BaseException] = []
    threads = 8
    barrier = threading.Barrier(threads)

    def start() -> None:
        try:
            barrier.wait()
            drafts.append(
                services.request_save_draft(
                    service=fiscal, applicant=citizen, key=key, values={"scop": "Succesiune"}
                ).pk
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=start) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors and len(set(drafts)) == 1
    draft_id = drafts[0]
    services.request_attach(
        request_id=draft_id,
        applicant=citizen,
        slot=f"doc-{fiscal.documents.get().pk}",
        upload=Upload(file=io.BytesIO(PDF_BYTES), name="ci.pdf", size=len(PDF_BYTES)),
    )
    numbers: list[str] = []
    barrier = threading.Barrier(threads)

    def submit() -> None:
        try:
            barrier.wait()
            numbers.append(services.request_submit(request_id=draft_id, applicant=citizen).number)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=submit) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors
    assert len(numbers) == threads and len(set(numbers)) == 1
    assert ServiceRequest.objects.get().state == RequestState.SUBMITTED
    assert Entry.objects.count() == 1 and StoredFile.objects.count() == 1
