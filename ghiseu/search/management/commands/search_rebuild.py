"""Rebuild the search index from the documents the apps' providers yield."""

from __future__ import annotations

from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from ghiseu.search import engine
from ghiseu.search.indexing import rebuild
from ghiseu.search.models import IndexedDocument
from ghiseu.search.registry import get_providers


class Command(BaseCommand):
    help = (
        "Re-indexes every document from the registered providers (all kinds, or --kind), in one commit: "
        "searches see the old index until the new one is complete. Queued updates wait and are applied after."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", action="append", dest="kinds", help="Only this kind (repeatable).")
        parser.add_argument("--batch-size", type=int, default=2_000)
        parser.add_argument("--heap-mb", type=int, default=256, help="Tantivy writer memory (default 256).")
        parser.add_argument("--threads", type=int, default=2, help="Tantivy indexing threads (default 2).")
        parser.add_argument(
            "--recreate",
            action="store_true",
            help="Delete the index directory and create it with the current schema first (after a schema "
            "change; stop the search worker and the web processes while it runs).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        providers = get_providers()
        kinds: list[str] | None = options["kinds"]
        if not providers:
            raise CommandError("No search providers are registered; nothing to rebuild from.")
        if kinds:
            unknown = sorted(set(kinds) - set(providers))
            if unknown:
                raise CommandError(f"No provider for: {', '.join(unknown)}. Known: {', '.join(sorted(providers))}.")
        if options["recreate"]:
            if kinds:
                raise CommandError("--recreate rebuilds everything; do not combine it with --kind.")
            engine.recreate_index()
        selected = kinds or sorted(providers)
        if not kinds:
            orphans = sorted(set(IndexedDocument.objects.values_list("kind", flat=True).distinct()) - set(providers))
            if orphans:
                self.stdout.write(
                    self.style.WARNING(f"No provider for {', '.join(orphans)}: their documents leave the index.")
                )
        console = Console(file=cast(IO[str], self.stdout))
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        ) as progress:
            bars: dict[str, Any] = {}
            for kind in selected:
                counter = providers[kind].count
                bars[kind] = progress.add_task(kind, total=counter() if counter else None)

            def advance(kind: str, n: int) -> None:
                progress.advance(bars[kind], n)

            try:
                stats = rebuild(
                    kinds=kinds,
                    batch_size=options["batch_size"],
                    heap_bytes=options["heap_mb"] * 1024 * 1024,
                    threads=options["threads"],
                    progress=advance,
                )
            except (engine.SearchIndexError, ValueError) as exc:
                raise CommandError(str(exc)) from exc
            for kind in selected:
                progress.update(bars[kind], total=stats.per_kind.get(kind, 0), completed=stats.per_kind.get(kind, 0))
        total = sum(stats.per_kind.values())
        detail = ", ".join(f"{k}: {n}" for k, n in sorted(stats.per_kind.items()))
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {total} documents ({detail})."))
        if stats.stale_ledger_rows:
            self.stdout.write(f"Dropped {stats.stale_ledger_rows} documents no provider yields any more.")
