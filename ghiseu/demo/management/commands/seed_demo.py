"""`python manage.py seed_demo`: the Lupeni demo — organization, staff logins, a year of registry history.

Idempotent: the organization is created with get_or_create (what exists is left alone) and
the history is written only while the general register is empty, so a second run changes
nothing.
"""

from __future__ import annotations

import time
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ghiseu.demo import data
from ghiseu.demo.archive import seed_archive_example
from ghiseu.demo.petitions import seed_petitions
from ghiseu.demo.seed import DEFAULT_SEED, plan_demo_history, reply_count, seed_organization, store_history
from ghiseu.demo.services import seed_portal


class Command(BaseCommand):
    help = "Creates the Lupeni demo: departments, nomenclator, staff logins and a year of registry history."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--entries", type=int, default=5000, help="Documents in the year of history (5000).")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Random seed of the history.")
        parser.add_argument("--no-history", action="store_true", help="Only the organization and the logins.")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        self.stdout.ending = ""  # rich writes its own line ends
        console = Console(file=cast(IO[str], self.stdout), highlight=False, soft_wrap=True)
        org = seed_organization()
        if org.created:
            console.print(
                f"Organizație: {org.departments} compartimente, {org.nomenclator} poziții de nomenclator, "
                f"{org.users} utilizatori creați."
            )
        else:
            console.print("Organizația există deja; nimic de adăugat.")
        console.print(f"Portal: {seed_portal()} servicii publicate, proceduri standard și categorii de sesizări.")
        console.print(seed_archive_example())
        if options["no_history"] or options["entries"] <= 0:
            return
        self._history(console, options, started)
        self._petitions(console)

    def _petitions(self, console: Console) -> None:
        started = time.monotonic()
        result = seed_petitions()
        if result is None:
            console.print("Petiții: există deja (sau lipsește istoricul); nimic de adăugat.")
            return
        console.print(
            f"Petiții: {result.petitions} din istoricul ultimelor luni ("
            + ", ".join(f"{status}: {n}" for status, n in sorted(result.by_status.items()))
            + f") în {time.monotonic() - started:.1f} s; client Open311 „{result.open311_client}”."
        )

    def _history(self, console: Console, options: dict[str, Any], started: float) -> None:
        history = plan_demo_history(count=options["entries"], seed=options["seed"])
        if history is None:
            console.print("Registrul general are deja înregistrări; istoricul demonstrativ nu se mai adaugă.")
            return
        replies = reply_count(history)
        total = len(history.planned) + replies
        columns = (
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, transient=False) as progress:
            task = progress.add_task("Registrul general", total=total)
            written = store_history(history, progress=lambda n: progress.advance(task, n))
        if not written:
            console.print("Registrul general s-a completat între timp; istoricul nu a fost scris.")
            return
        years = ", ".join(f"{year}: 1..{last}" for year, last in sorted(history.last_numbers.items()))
        console.print(
            f"Istoric: {len(history.planned)} înregistrări și {replies} răspunsuri ({years}) "
            f"în {time.monotonic() - started:.1f} s. Parola comună a conturilor demo: {data.DEMO_PASSWORD}"
        )
