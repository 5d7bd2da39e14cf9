"""Re-read the archive's stored files and compare their SHA-256; report changed or missing files.

    manage.py archive_fixity                 # every file of the archive, oldest check first
    manage.py archive_fixity --limit 5000    # one round of a periodic check
    manage.py archive_fixity --enqueue       # run it as a background task instead

Exits with status 1 when a problem is open, so a cron job or a monitor notices.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ghiseu.archive.models import FixityProblem
from ghiseu.archive.services.fixity import archive_files, fixity_check


class Command(BaseCommand):
    help = "Verifică integritatea fișierelor arhivei (SHA-256)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=None, help="Câte fișiere să verifice în această rundă.")
        parser.add_argument("--all-files", action="store_true", help="Toate fișierele stocate, nu doar ale arhivei.")
        parser.add_argument("--enqueue", action="store_true", help="Pune verificarea în coada de sarcini.")

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(highlight=False)
        if options["enqueue"]:
            from ghiseu.archive.tasks import archive_fixity_check

            result = archive_fixity_check.enqueue(limit=options["limit"], include_all_files=options["all_files"])
            console.print(f"Verificarea a fost pusă în coadă (sarcina {result.id}).")
            return
        total = archive_files(include_all_files=options["all_files"]).count()
        if options["limit"] is not None:
            total = min(total, options["limit"])
        with Progress(
            TextColumn("Fișiere verificate"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
        ) as bar:
            task = bar.add_task("fixity", total=total)
            report = fixity_check(
                limit=options["limit"],
                include_all_files=options["all_files"],
                on_file=lambda stored: bar.advance(task),
            )
        console.print(
            f"{report.checked} fișiere verificate, {report.ok} intacte, {len(report.new_problems)} probleme noi, "
            f"{len(report.still_open)} probleme încă deschise, {len(report.resolved)} rezolvate."
        )
        problems = FixityProblem.objects.filter(pk__in=[*report.new_problems, *report.still_open]).select_related(
            "stored_file"
        )
        for problem in problems:
            console.print(f"[red]{problem.get_kind_display()}[/]: {problem.stored_file.sha256} {problem.detail}")
        if report.problems:
            raise CommandError(f"{report.problems} fișiere nu mai corespund SHA-256-ului lor.")
