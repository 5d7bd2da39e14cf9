"""`python manage.py seed_demo`: the Lupeni demo — organization, staff logins, a year of registry history.

Idempotent: the organization is created with get_or_create (what exists is left alone) and
the history is written only while the general register is empty, so a second run changes
nothing.
"""

from __future__ import annotations

import io
import time
from typing import IO, Any, cast

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ghiseu.archive.services.indexing import SEARCH_KIND as ARCHIVE_PAGES
from ghiseu.demo import data
from ghiseu.demo.archive import seed_archive_example
from ghiseu.demo.petitions import seed_petitions
from ghiseu.demo.seed import DEFAULT_SEED, plan_demo_history, reply_count, seed_organization, store_history
from ghiseu.demo.services import seed_portal
from ghiseu.search.registry import get_providers


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
        written = self._history(console, options, started)
        written = self._petitions(console) or written
        if written:
            self._index(console)

    def _index(self, console: Console) -> None:
        """The history is written in bulk, past the services' search outbox: index it in one go
        (the scanned example pages reach the index through the worker, as they are read)."""
        started = time.monotonic()
        kinds = sorted(set(get_providers()) - {ARCHIVE_PAGES})
        call_command("search_rebuild", *[f"--kind={kind}" for kind in kinds], stdout=io.StringIO())
        console.print(f"Căutare: {', '.join(kinds)} indexate în {time.monotonic() - started:.1f} s.")

    def _petitions(self, console: Console) -> bool:
        started = time.monotonic()
        result = seed_petitions()
        if result is None:
            console.print("Petiții: există deja (sau lipsește istoricul); nimic de adăugat.")
            return False
        console.print(
            f"Petiții: {result.petitions} din istoricul ultimelor luni ("
            + ", ".join(f"{status}: {n}" for status, n in sorted(result.by_status.items()))
            + f") în {time.monotonic() - started:.1f} s; client Open311 „{result.open311_client}”."
        )
        return True

    def _history(self, console: Console, options: dict[str, Any], started: float) -> bool:
        history = plan_demo_history(count=options["entries"], seed=options["seed"])
        if history is None:
            console.print("Registrul general are deja înregistrări; istoricul demonstrativ nu se mai adaugă.")
            return False
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
            return False
        years = ", ".join(f"{year}: 1..{last}" for year, last in sorted(history.last_numbers.items()))
        console.print(
            f"Istoric: {len(history.planned)} înregistrări și {replies} răspunsuri ({years}) "
            f"în {time.monotonic() - started:.1f} s. Parola comună a conturilor demo: {data.DEMO_PASSWORD}"
        )
        return True
