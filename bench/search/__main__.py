"""Search at scale: the application's indexing and query paths against bare Tantivy, same corpus, same run.

    python -m bench.search [--docs 500000] [--batch N] [--rounds 5] [--threads 1] [--heap-mb 64]
                           [--queries-only --var-dir DIR]

Build (same schema and analyzer, same writer heap and threads):
  app      `indexing.apply_operations` in batches of --batch: the code the outbox task runs
           (writer opened per batch, delete-by-key + add per document, ledger rows, one commit);
           the batch defaults to what the batching consumer applies in one commit when updates
           are queued in bulk (`GHISEU_SEARCH_BATCH_OPERATIONS`, 5,000);
  rebuild  `indexing.rebuild` from a provider (what `manage.py search_rebuild` does; one commit);
  bare     tantivy alone: a title/body/access schema, one writer, add every document, one commit.
Queries: 50 mixed (common and rare words, identifiers, two words, phrases, and with a staff
member's access filter), top 20 with snippets, each run --rounds times after one warm-up round,
the three paths in turn, each taking the first place in turn (the first to read a query's
documents pays for the disk and the caches):
  api      end to end: `GET /api/v1/search?q=...` through Django's whole stack (middleware, bearer
           token looked up in the database, a staff user's access, JSON), on --database-url
           (PostgreSQL for the figures);
  app      `selectors.search_query` (parsing, access clause, snippets, hits);
  floor    the bare index: Tantivy's own query parser + the access term set, top 20, snippets.
Outbox: --outbox-docs single-document updates queued one transaction each, then the worker of
queue "search" applies them (the batching consumer: one commit for all), on the full index.
See bench/search/README.md for figures.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.search import corpus as corpus_mod

REGISTRATION = re.compile(r"nr\. ([0-9]+/[0-9]{4})")
QUERY_MIX = (("common", 12), ("rare", 8), ("identifier", 2), ("two words", 10), ("phrase", 8), ("access", 10))


@dataclass(frozen=True)
class BenchQuery:
    kind: str
    text: str
    department: str | None  # a staff member of this department, else a reader of everything


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def make_queries(corp: corpus_mod.Corpus, seed: int) -> list[BenchQuery]:
    rng = random.Random(seed)
    vocab = corp.vocabulary
    common = vocab[len(corpus_mod.COMMON) // 2 : 400]
    rare = vocab[5_000:60_000]
    queries: list[BenchQuery] = []
    for kind, count in QUERY_MIX:
        for _ in range(count):
            if kind == "common":
                queries.append(BenchQuery(kind, rng.choice(common), None))
            elif kind == "rare":
                queries.append(BenchQuery(kind, rng.choice(rare), None))
            elif kind == "identifier":
                numbers = [m.group(1) for d in corp.documents[:2_000] for m in REGISTRATION.finditer(d["text"])]
                queries.append(BenchQuery(kind, rng.choice(numbers), None))
            elif kind == "two words":
                queries.append(BenchQuery(kind, f"{rng.choice(common)} {rng.choice(vocab[400:3_000])}", None))
            elif kind == "phrase":
                words = [w.strip(".,") for w in rng.choice(corp.documents)["text"].split()]
                words = [w for w in words if w.isalpha()]
                start = rng.randrange(max(1, len(words) - 1))
                queries.append(BenchQuery(kind, f'"{" ".join(words[start : start + 2])}"', None))
            else:
                text = rng.choice(common) if rng.random() < 0.5 else f"{rng.choice(common)} {rng.choice(common)}"
                queries.append(BenchQuery(kind, text, rng.choice(corpus_mod.DEPARTMENTS)))
    return queries


def _timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def _cpu() -> float:
    """CPU seconds of this process, all threads (Tantivy indexes in its own threads)."""
    t = os.times()
    return t.user + t.system


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float  # of the calling thread: Tantivy searches in the caller's thread


def _sampled(fn: Callable[[], Any]) -> Sample:
    wall, cpu = time.perf_counter(), time.thread_time()
    fn()
    return Sample(time.perf_counter() - wall, time.thread_time() - cpu)


def _setup_django(var_dir: Path, database_url: str | None, *, fresh: bool = True) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-key")
    os.environ["GHISEU_VAR_DIR"] = str(var_dir)
    db_file = var_dir / "bench-search.sqlite3"
    if database_url is None and fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_file}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{db_file}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def build_app(docs: list[dict[str, Any]], path: Path, batch: int) -> tuple[float, float]:
    from ghiseu.search import engine
    from ghiseu.search.documents import make_document
    from ghiseu.search.indexing import IndexOp, apply_operations

    search_index = engine.recreate_index(path)
    started, cpu = time.perf_counter(), _cpu()
    for pos in range(0, len(docs), batch):
        apply_operations([IndexOp(make_document(**d)) for d in docs[pos : pos + batch]], search_index=search_index)
    return time.perf_counter() - started, _cpu() - cpu


def build_rebuild(docs: list[dict[str, Any]], path: Path, heap: int, threads: int) -> tuple[float, float]:
    from ghiseu.search import engine
    from ghiseu.search.indexing import rebuild
    from ghiseu.search.registry import register_provider, unregister_provider

    search_index = engine.recreate_index(path)
    kinds = sorted({d["kind"] for d in docs})

    def provider_for(kind: str) -> Callable[[], Iterator[dict[str, Any]]]:
        return lambda: (d for d in docs if d["kind"] == kind)

    for kind in kinds:
        unregister_provider(kind)
        register_provider(kind, provider_for(kind))
    try:
        cpu = _cpu()
        wall = _timed(lambda: rebuild(heap_bytes=heap, threads=threads, search_index=search_index))
        return wall, _cpu() - cpu
    finally:
        for kind in kinds:
            unregister_provider(kind)


def build_bare(docs: list[dict[str, Any]], path: Path, heap: int, threads: int) -> tuple[Any, float, float]:
    import tantivy

    from ghiseu.search.engine import romanian_analyzer

    sb = tantivy.SchemaBuilder()
    sb.add_text_field("title", stored=True, tokenizer_name="ro_stem")
    sb.add_text_field("body", stored=True, tokenizer_name="ro_stem")
    sb.add_text_field("access", tokenizer_name="raw")
    sb.add_text_field("allowed", tokenizer_name="raw")
    schema = sb.build()
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    index = tantivy.Index(schema, path=str(path))
    index.register_tokenizer("ro_stem", romanian_analyzer())
    started, cpu = time.perf_counter(), _cpu()
    writer = index.writer(heap_size=heap, num_threads=threads)
    for d in docs:
        writer.add_document(
            tantivy.Document(title=d["title"], body=d["text"], access=d["access"], allowed=d["departments"])
        )
    writer.commit()
    writer.wait_merging_threads()
    elapsed, cpu = time.perf_counter() - started, _cpu() - cpu
    index.reload()
    return index, elapsed, cpu


def app_runner() -> Callable[[BenchQuery], int]:
    from ghiseu.search.selectors import SearchAccess, search_query

    def run(q: BenchQuery) -> int:
        who = SearchAccess.staff(q.department) if q.department else SearchAccess.everything()
        result = search_query(user_access=who, q=q.text, limit=20)
        _ = [str(h.snippet) for h in result.hits]
        return result.count

    return run


def api_runner() -> Callable[[BenchQuery], int]:
    """`GET /api/v1/search` with a staff token: a superuser reads everything, an officer of the
    query's department has that department's access (the same readers as the app runner)."""
    from django.test import Client

    from ghiseu.accounts.models import Department, Role, User
    from ghiseu.accounts.services import api_token_get_or_create

    def client_for(username: str, department: str | None) -> Client:
        dept = (
            Department.objects.get_or_create(code=department, defaults={"name": department})[0] if department else None
        )
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={
                "role": Role.ADMIN if dept is None else Role.OFFICER,
                "department": dept,
                "is_superuser": dept is None,
            },
        )
        token, _ = api_token_get_or_create(user=user)
        return Client(HTTP_AUTHORIZATION=f"Bearer {token.key}")

    clients: dict[str | None, Client] = {None: client_for("bench-all", None)}
    for code in corpus_mod.DEPARTMENTS:
        clients[code] = client_for(f"bench-{code.lower()}", code)

    def run(q: BenchQuery) -> int:
        response = clients[q.department].get("/api/v1/search", {"q": q.text, "limit": "20"})
        if response.status_code != 200:
            raise RuntimeError(f"GET /api/v1/search answered {response.status_code}: {response.content[:200]!r}")
        return int(response.json()["count"])

    return run


def floor_runner(index: Any) -> Callable[[BenchQuery], int]:
    import tantivy

    schema = index.schema

    def run(q: BenchQuery) -> int:
        query, _errors = index.parse_query_lenient(q.text, ["title", "body"], conjunction_by_default=True)
        if q.department:
            allowed = tantivy.Query.boolean_query(
                [
                    (tantivy.Occur.Should, tantivy.Query.term_query(schema, "access", "public")),
                    (tantivy.Occur.Should, tantivy.Query.term_set_query(schema, "allowed", ["*", q.department])),
                ]
            )
            query = tantivy.Query.boolean_query([(tantivy.Occur.Must, query), (tantivy.Occur.Must, allowed)])
        searcher = index.searcher()
        result = searcher.search(query, 20, count=True)
        generator = tantivy.SnippetGenerator.create(searcher, query, schema, "body")
        for _score, address in result.hits:
            generator.snippet_from_doc(searcher.doc(address)).to_html()
        return int(result.count)

    return run


def run_queries(
    queries: list[BenchQuery], runners: dict[str, Callable[[BenchQuery], int]], rounds: int
) -> tuple[dict[str, list[list[Sample]]], dict[str, list[int]]]:
    """Interleaved (app, floor, app, floor, ...) so that a busy machine slows both alike.
    Returns, per runner, the samples of each query, and the hit count of each query."""
    counts = {name: [run(q) for q in queries] for name, run in runners.items()}  # warm-up
    samples: dict[str, list[list[Sample]]] = {name: [[] for _ in queries] for name in runners}
    names = list(runners)
    for round_ in range(rounds):
        for i, q in enumerate(queries):
            first = (round_ + i) % len(names)  # who goes first rotates, by query and by round
            for name in names[first:] + names[:first]:
                run = runners[name]
                samples[name][i].append(_sampled(lambda run=run, q=q: run(q)))  # type: ignore[misc]
    return samples, counts


def run_outbox(n: int) -> float:
    import signal

    from django.core.management import call_command
    from django.db import transaction

    from ghiseu.search.services import search_index_document

    for i in range(n):
        with transaction.atomic():
            search_index_document(
                kind="petition", object_id=f"outbox-{i}", title="Petiție de test", text=f"text {i}", access="public"
            )
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        return _timed(
            lambda: call_command(
                "db_worker", batch=True, queue_name="search", startup_delay=False, reload=False, verbosity=0
            )
        )
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=500_000)
    parser.add_argument(
        "--batch",
        type=int,
        default=None,
        help="documents per apply (per commit) on the app path; default: the batching consumer's limit",
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1, help="Tantivy indexing threads (rebuild, bare)")
    parser.add_argument("--heap-mb", type=int, default=64, help="Tantivy writer heap (all builds)")
    parser.add_argument("--outbox-docs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-rebuild", action="store_true")
    parser.add_argument("--var-dir", default=None, help="default: a temporary directory, removed at the end")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file in the var dir")
    parser.add_argument(
        "--queries-only",
        action="store_true",
        help="reuse the indexes and database of an earlier run in --var-dir (same --docs and --seed): queries only",
    )
    args = parser.parse_args(argv)
    if args.queries_only and not args.var_dir:
        parser.error("--queries-only needs the --var-dir of an earlier run")

    var_dir = Path(args.var_dir) if args.var_dir else Path(tempfile.mkdtemp(prefix="bench-search-"))
    var_dir.mkdir(parents=True, exist_ok=True)
    _setup_django(var_dir, args.database_url, fresh=not args.queries_only)
    from django.conf import settings

    from ghiseu.search.consumer import batch_limit

    heap = args.heap_mb * 1024 * 1024
    settings.GHISEU_SEARCH_WRITER_HEAP_MB = args.heap_mb
    settings.GHISEU_SEARCH_INDEX_DIR = var_dir / "app-index"
    batch = args.batch or batch_limit()

    try:
        t0 = time.perf_counter()
        corp = corpus_mod.build(args.docs, seed=args.seed)
        gen_s = time.perf_counter() - t0
        print(
            f"corpus: {args.docs} documents, {corp.text_bytes / 1e6:.0f} MB of text, "
            f"{len(corp.vocabulary)} words in the vocabulary, generated in {gen_s:.1f} s",
            flush=True,
        )
        queries = make_queries(corp, args.seed)

        rows: list[tuple[str, float, float, int]] = []
        if args.queries_only:
            import tantivy

            from ghiseu.search.engine import romanian_analyzer

            bare = tantivy.Index.open(str(var_dir / "bare-index"))
            bare.register_tokenizer("ro_stem", romanian_analyzer())
        if not args.skip_rebuild and not args.queries_only:
            wall, cpu = build_rebuild(corp.documents, var_dir / "rebuild-index", heap, args.threads)
            rows.append(("rebuild (search_rebuild)", wall, cpu, _dir_size(var_dir / "rebuild-index")))
            print(f"build rebuild: {wall:.1f} s", flush=True)
            shutil.rmtree(var_dir / "rebuild-index", ignore_errors=True)
        if not args.queries_only:
            bare, wall, cpu = build_bare(corp.documents, var_dir / "bare-index", heap, args.threads)
            rows.append(("bare tantivy", wall, cpu, _dir_size(var_dir / "bare-index")))
            print(f"build bare: {wall:.1f} s", flush=True)
            wall, cpu = build_app(corp.documents, settings.GHISEU_SEARCH_INDEX_DIR, batch)
            rows.append(
                (f"app (task path, {batch} per commit)", wall, cpu, _dir_size(settings.GHISEU_SEARCH_INDEX_DIR))
            )
            print(f"build app: {wall:.1f} s ({wall / rows[-2][1]:.2f} of bare)", flush=True)

        runners = {"api": api_runner(), "app": app_runner(), "floor": floor_runner(bare)}
        samples, counts = run_queries(queries, runners, args.rounds)
        outbox_s = run_outbox(args.outbox_docs) if args.outbox_docs and not args.queries_only else 0.0

        print()
        print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
        from django.db import connection

        print(f"database: {connection.vendor}")
        print(f"{'build':40} {'wall s':>8} {'cpu s':>8} {'docs/s':>8} {'index MB':>9}")
        for name, wall, cpu, size in rows:
            print(f"{name:40} {wall:8.1f} {cpu:8.1f} {args.docs / wall:8.0f} {size / 1e6:9.0f}")
        print()
        print("queries, top 20 with snippets (ms)       wall p50  wall p95  cpu p50  cpu p95")
        labels = (("api", "api: GET /api/v1/search (end to end)"), ("app", "app: selectors.search_query"))
        for name, label in (*labels, ("floor", "floor: bare index")):
            flat = [x for per_query in samples[name] for x in per_query]
            wall_ms = [x.wall * 1000 for x in flat]
            cpu_ms = [x.cpu * 1000 for x in flat]
            print(
                f"{label:40} {statistics.median(wall_ms):8.2f}  {_percentile(wall_ms, 95):8.2f} "
                f"{statistics.median(cpu_ms):8.2f} {_percentile(cpu_ms, 95):8.2f}"
            )
        print()
        print("per kind of query: wall p50 ms api / app / floor, median hits app / floor")
        for kind, _count in QUERY_MIX:
            idx = [i for i, q in enumerate(queries) if q.kind == kind]
            api_ms = [x.wall * 1000 for i in idx for x in samples["api"][i]]
            app_ms = [x.wall * 1000 for i in idx for x in samples["app"][i]]
            floor_ms = [x.wall * 1000 for i in idx for x in samples["floor"][i]]
            print(
                f"  {kind:12} {statistics.median(api_ms):7.2f} / {statistics.median(app_ms):7.2f}"
                f" / {statistics.median(floor_ms):7.2f}"
                f"   hits {statistics.median([counts['app'][i] for i in idx]):>8.0f}"
                f" / {statistics.median([counts['floor'][i] for i in idx]):>8.0f}"
            )
        if outbox_s:
            print()
            print(
                f"outbox: {args.outbox_docs} single-document tasks applied by the batching worker in {outbox_s:.1f} s "
                f"({args.outbox_docs / outbox_s:.1f} tasks/s, {outbox_s / args.outbox_docs * 1000:.0f} ms each)"
            )
    finally:
        if not args.var_dir:
            shutil.rmtree(var_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
