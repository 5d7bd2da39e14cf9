from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ghiseu.audit.models import AuditEvent
from ghiseu.audit.services import audit_verify_chain


class Command(BaseCommand):
    help = "Checks the hash chain of the audit log; names the first event changed, inserted or removed."

    def handle(self, *args: Any, **options: Any) -> None:
        problem = next(audit_verify_chain(), None)
        if problem is not None:
            where = f"event #{problem.position}" + (f" (id {problem.event_id})" if problem.event_id else "")
            raise CommandError(f"Audit chain broken at {where}: {problem.kind} — {problem.detail}.")
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {AuditEvent.objects.count()} events."))
