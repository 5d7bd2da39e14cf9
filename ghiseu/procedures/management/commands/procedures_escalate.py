import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ghiseu.procedures.services import tasks_escalate_overdue
from ghiseu.procedures.tasks import escalate_overdue_tasks


class Command(BaseCommand):
    help = (
        "Escalates overdue procedure tasks: to the head of department, then to the secretary general "
        "(run daily from cron; running it twice does not escalate twice)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help="Queue the job for the task workers instead.")
        parser.add_argument("--date", help="Treat this day (YYYY-MM-DD) as today (catching up after an outage).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            if options["date"]:
                raise CommandError("--date cannot be combined with --enqueue.")
            result = escalate_overdue_tasks.enqueue()
            self.stdout.write(f"Queued escalation job {result.id}.")
            return
        today = None
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"Not a date: {options['date']!r} (expected YYYY-MM-DD).") from None
        report = tasks_escalate_overdue(today=today)
        self.stdout.write(
            f"Escalated to the head of department: {len(report.level1)}; "
            f"to the secretary general: {len(report.level2)}; failed: {len(report.failed)}."
        )
        if report.failed:
            raise CommandError(f"Escalation failed for tasks {report.failed} (see the log).")
