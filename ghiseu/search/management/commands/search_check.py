"""Prove that the search index holds exactly what the apps say it should."""

from __future__ import annotations

import random
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count
from django_tasks_db.models import DBTaskResult
from rich.console import Console
from rich.table import Table

from ghiseu.search import engine
from ghiseu.search.documents import as_documents
from ghiseu.search.models import IndexedDocument
from ghiseu.search.registry import get_providers
from ghiseu.search.tasks import SEARCH_QUEUE

MAX_LISTED = 10


class Command(BaseCommand):
    help = (
        "Compares the search index with its ledger (documents per kind; content hashes of a sample, or of all "
        "with --full) and the ledger with the apps' own data through their providers (every key and content "
        "hash). Exits with an error naming the missing, stale, extra and duplicate documents."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sample", type=int, default=500, help="Ledger rows looked up in the index.")
        parser.add_argument("--full", action="store_true", help="Look every ledger row up in the index.")
        parser.add_argument("--seed", type=int, default=None, help="Seed of the sample (to repeat a run).")

    def handle(self, *args: Any, **options: Any) -> None:
        search_index = engine.get_index()
        problems: list[str] = []

        ledger_counts = {
            row["kind"]: row["n"] for row in IndexedDocument.objects.values("kind").annotate(n=Count("id"))
        }
        index_counts = engine.kind_counts(search_index)
        providers = get_providers()
        source_counts: dict[str, int | None] = {}

        # The apps' data (source of truth) against the ledger: every key, every content hash.
        for kind, provider in sorted(providers.items()):
            source = {}
            try:
                for doc in as_documents(provider.iter_documents()):
                    source[doc.key] = doc.content_hash
            except ValueError as exc:
                raise CommandError(f"The {kind!r} provider yielded a bad document: {exc}") from exc
            source_counts[kind] = len(source)
            ledger = dict(IndexedDocument.objects.filter(kind=kind).values_list("key", "sha256"))
            missing = sorted(k for k in source if k not in ledger)
            extra = sorted(k for k in ledger if k not in source)
            stale = sorted(k for k, sha in source.items() if k in ledger and ledger[k] != sha)
            problems += _named("not indexed", missing) + _named("stale (content changed)", stale)
            problems += _named("indexed but gone from the source", extra)

        # The ledger against the index: counts per kind, then content hashes.
        for kind in sorted(set(ledger_counts) | set(index_counts)):
            in_ledger, in_index = ledger_counts.get(kind, 0), index_counts.get(kind, 0)
            if in_ledger != in_index:
                problems.append(f"{kind}: the index holds {in_index} documents, the ledger {in_ledger}")
        keys = list(IndexedDocument.objects.values_list("key", "sha256"))
        if not options["full"] and len(keys) > options["sample"]:
            keys = random.Random(options["seed"]).sample(keys, options["sample"])
        found = engine.lookup_keys(search_index, [k for k, _ in keys])
        absent = sorted(k for k, _ in keys if not found[k])
        duplicated = sorted(k for k, _ in keys if len(found[k]) > 1)
        differs = sorted(k for k, sha in keys if len(found[k]) == 1 and found[k][0] != sha)
        problems += _named("missing from the index", absent) + _named("in the index twice", duplicated)
        problems += _named("different in the index", differs)

        table = Table(title="Search index")
        for column in ("kind", "source", "ledger", "index"):
            table.add_column(column, justify="left" if column == "kind" else "right")
        for kind in sorted(set(ledger_counts) | set(index_counts) | set(source_counts)):
            src = source_counts.get(kind)
            table.add_row(
                kind,
                "no provider" if src is None else str(src),
                str(ledger_counts.get(kind, 0)),
                str(index_counts.get(kind, 0)),
            )
        Console(file=cast(IO[str], self.stdout), width=100).print(table)
        self.stdout.write(f"Content hashes compared with the index: {len(keys)} documents.")

        queued = DBTaskResult.objects.ready().filter(queue_name=SEARCH_QUEUE).count()
        failed = DBTaskResult.objects.failed().filter(queue_name=SEARCH_QUEUE).count()
        if failed:
            self.stdout.write(self.style.WARNING(f"{failed} search updates failed (see the task results)."))
        if problems:
            lag = f" {queued} updates are still queued: run again when the worker has caught up." if queued else ""
            listed = "\n  ".join(problems[:MAX_LISTED])
            more = f"\n  … and {len(problems) - MAX_LISTED} more" if len(problems) > MAX_LISTED else ""
            raise CommandError(
                f"The search index does not match ({len(problems)} problems).{lag} "
                f"Fix with `manage.py search_rebuild`.\n  {listed}{more}"
            )
        self.stdout.write(self.style.SUCCESS("Search index consistent with its ledger and the source."))


def _named(what: str, keys: list[str]) -> list[str]:
    return [f"{key}: {what}" for key in keys]
