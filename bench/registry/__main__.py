"""Registry throughput on PostgreSQL: the service layer against the raw-SQL floor, same machine, same run.

    python -m bench.registry [--count 4000] [--threads 16] [--rounds 2] [--warmup 400]

App: `services.entry_register` from N threads, each with its own Django connection.
Floor: psycopg directly, N connections, one transaction per registration doing only
`UPDATE counter ... RETURNING last_number` and one `INSERT` of an entry-like row, in a
scratch table pair of the same database. Runs are interleaved (floor, app, floor, app, ...)
and the median of each is reported with their ratio. See bench/README.md.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ghiseu_bench"
TARGET_RATE = 300.0
TARGET_RATIO = 0.5

FLOOR_SCHEMA = """
CREATE TABLE IF NOT EXISTS bench_floor_counter (
    register_id integer NOT NULL,
    year smallint NOT NULL,
    last_number integer NOT NULL DEFAULT 0,
    PRIMARY KEY (register_id, year)
);
CREATE TABLE IF NOT EXISTS bench_floor_entry (
    id bigserial PRIMARY KEY,
    register_id integer NOT NULL,
    year smallint NOT NULL,
    number integer NOT NULL,
    registered_at timestamptz NOT NULL,
    sender varchar(300) NOT NULL,
    subject varchar(500) NOT NULL,
    tracking_code varchar(12) NOT NULL UNIQUE,
    UNIQUE (register_id, year, number)
);
"""
FLOOR_LOCK = (
    "UPDATE bench_floor_counter SET last_number = last_number + 1 "
    "WHERE register_id = %s AND year = %s RETURNING last_number"
)
FLOOR_INSERT = (
    "INSERT INTO bench_floor_entry (register_id, year, number, registered_at, sender, subject, tracking_code) "
    "VALUES (%s, %s, %s, now(), %s, %s, %s)"
)


@dataclass
class Run:
    kind: str
    count: int
    seconds: float
    holds: list[float] = field(default_factory=list)  # seconds the counter row stayed locked
    # seconds spent waiting for it; for the app, its one statement (commit included)
    waits: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.count / self.seconds


def _psycopg_kwargs(url: str, dbname: str | None = None) -> dict[str, Any]:
    import dj_database_url

    cfg = dj_database_url.parse(url)
    kwargs = {
        "host": cfg.get("HOST") or None,
        "port": cfg.get("PORT") or None,
        "user": cfg.get("USER") or None,
        "password": cfg.get("PASSWORD") or None,
        "dbname": dbname or cfg["NAME"],
    }
    return {k: v for k, v in kwargs.items() if v is not None}


def ensure_database(url: str) -> None:
    """Create the benchmark database if it is missing (connecting to the `postgres` maintenance DB)."""
    import psycopg
    from psycopg import sql

    target = _psycopg_kwargs(url)["dbname"]
    with psycopg.connect(**_psycopg_kwargs(url, "postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target)))
            print(f"created database {target}")


def _tracking_code(n: int, prefix: str) -> str:
    return f"{prefix}{n:09d}"[-12:]


Work = Callable[[int, Any], tuple[list[float], list[float]]]


def _run_workers(mode: str, workers: int, work: Work) -> tuple[float, list[float], list[float]]:
    """Run `work(index, barrier)` in threads or processes, each with its own connection.

    Timing starts when every worker is connected and waiting at the barrier and ends when the
    last one is done. Returns the seconds and the per-registration lock hold and wait times.
    """
    if mode == "processes":
        ctx = multiprocessing.get_context("fork")
        barrier: Any = ctx.Barrier(workers + 1)
        results: Any = ctx.Queue()

        def proc(index: int) -> None:
            try:
                results.put(("ok", *work(index, barrier)))
            except BaseException as exc:  # reported to the parent
                barrier.abort()
                results.put(("error", repr(exc), []))

        procs = [ctx.Process(target=proc, args=(i,)) for i in range(workers)]
        for p in procs:
            p.start()
        barrier.wait()
        started = time.perf_counter()
        collected = [results.get() for _ in procs]
        elapsed = time.perf_counter() - started
        for p in procs:
            p.join()
        errors = [c[1] for c in collected if c[0] == "error"]
        if errors:
            raise RuntimeError(f"{len(errors)} worker(s) failed: {errors[0]}")
        return elapsed, [h for c in collected for h in c[1]], [w for c in collected for w in c[2]]

    thread_barrier = threading.Barrier(workers + 1)
    holds: list[float] = []
    waits: list[float] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def thread(index: int) -> None:
        try:
            h, w = work(index, thread_barrier)
            with lock:
                holds.extend(h)
                waits.extend(w)
        except BaseException as exc:  # surfaced below
            failures.append(exc)
            thread_barrier.abort()

    threads = [threading.Thread(target=thread, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    thread_barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"{len(failures)} worker(s) failed") from failures[0]
    return elapsed, holds, waits


def run_floor(url: str, *, count: int, workers: int, mode: str, year: int, tag: str) -> Run:
    import psycopg

    per_worker = count // workers

    def work(index: int, barrier: Any) -> tuple[list[float], list[float]]:
        holds, waits = [], []
        with psycopg.connect(**_psycopg_kwargs(url)) as conn:
            conn.execute("SELECT 1")
            conn.commit()
            barrier.wait()
            for i in range(per_worker):
                t0 = time.perf_counter()
                row = conn.execute(FLOOR_LOCK, [1, year]).fetchone()
                t1 = time.perf_counter()
                assert row is not None
                conn.execute(
                    FLOOR_INSERT,
                    [1, year, row[0], f"Petent {index}-{i}", "Cerere", _tracking_code(index * 10**6 + i, tag)],
                )
                conn.commit()
                holds.append(time.perf_counter() - t1)
                waits.append(t1 - t0)
        return holds, waits

    seconds, holds, waits = _run_workers(mode, workers, work)
    return Run("floor", per_worker * workers, seconds, holds, waits)


@dataclass
class AppContext:
    clerk: Any
    document_type: Any
    department: Any


def _app_context(route: bool) -> AppContext:
    from ghiseu.accounts.models import Department, Role, User
    from ghiseu.registry.models import DocumentType
    from ghiseu.registry.reference import ensure_reference_data

    ensure_reference_data()
    registry, _ = Department.objects.get_or_create(code="REG", defaults={"name": "Registratură"})
    urbanism, _ = Department.objects.get_or_create(code="URB", defaults={"name": "Urbanism"})
    clerk, _ = User.objects.get_or_create(
        username="bench-clerk", defaults={"role": Role.CLERK, "department": registry, "first_name": "Bench"}
    )
    return AppContext(clerk, DocumentType.objects.get(code="petition"), urbanism if route else None)


@contextmanager
def _lock_timer(conn: Any, stamps: dict[str, float]) -> Iterator[None]:
    """Notes when the statement that locks the register counter starts and when it returns."""

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        # UPDATE, SELECT ... FOR UPDATE or INSERT ... ON CONFLICT DO UPDATE of the counter row
        locking = "registry_registercounter" in sql and "UPDATE" in sql
        if locking and "returned" not in stamps:
            stamps["asked"] = time.perf_counter()
            result = execute(sql, params, many, context)
            stamps["returned"] = time.perf_counter()
            return result
        return execute(sql, params, many, context)

    with conn.execute_wrapper(wrapper):
        yield


def run_app(*, count: int, workers: int, mode: str, ctx: AppContext) -> Run:
    from django.db import connection, connections

    from ghiseu.registry.services import entry_register

    per_worker = count // workers
    connections.close_all()  # nothing open is shared with forked workers

    def work(index: int, barrier: Any) -> tuple[list[float], list[float]]:
        statements: list[float] = []
        try:
            connection.ensure_connection()
            barrier.wait()
            for i in range(per_worker):
                stamps: dict[str, float] = {}
                with _lock_timer(connection, stamps):
                    entry_register(
                        actor=ctx.clerk,
                        direction="incoming",
                        channel="counter",
                        document_type=ctx.document_type,
                        sender=f"Petent {index}-{i}",
                        subject="Cerere privind iluminatul public pe strada Parângului",
                        department=ctx.department,
                    )
                # The one statement is a transaction of its own: its wait for the counter row,
                # the window and the commit (docs/adr/0005).
                statements.append(stamps["returned"] - stamps["asked"])
        finally:
            connection.close()
        return [], statements

    seconds, holds, waits = _run_workers(mode, workers, work)
    return Run("app", per_worker * workers, seconds, holds, waits)


def profile_one_registration(ctx: AppContext) -> list[str]:
    """The statements one registration sends, in order (single connection, no contention)."""
    from django.db import connection

    from ghiseu.registry.services import entry_register

    statements: list[str] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append(" ".join(sql.split())[:110])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        entry_register(
            actor=ctx.clerk,
            direction="incoming",
            channel="counter",
            document_type=ctx.document_type,
            sender="Profil",
            subject="Cerere",
            department=ctx.department,
        )
    return statements


def commit_latency(url: str, samples: int = 200) -> float:
    """Median seconds of one `UPDATE ... ; COMMIT` on one connection: the WAL flush every commit waits for."""
    import psycopg

    times = []
    with psycopg.connect(**_psycopg_kwargs(url)) as conn:
        for _ in range(samples):
            t0 = time.perf_counter()
            conn.execute("UPDATE bench_floor_counter SET last_number = last_number WHERE register_id = 0")
            conn.commit()
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _ms(values: list[float], q: float) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.registry", description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL)
    parser.add_argument("--count", type=int, default=4000, help="registrations per run (4000)")
    parser.add_argument("--threads", type=int, default=16, help="concurrent connections (16)")
    parser.add_argument(
        "--mode",
        choices=["threads", "processes"],
        default="threads",
        help="workers as threads of one process (default) or as processes, as web workers run in production",
    )
    parser.add_argument("--rounds", type=int, default=2, help="interleaved floor/app rounds (2)")
    parser.add_argument("--warmup", type=int, default=400, help="registrations of each kind before measuring")
    parser.add_argument("--no-route", action="store_true", help="register without routing to a department")
    args = parser.parse_args(argv)

    url = args.database_url
    if not url.startswith(("postgres://", "postgresql://")):
        parser.error("the benchmark runs on PostgreSQL: give a postgres:// URL")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-key")
    ensure_database(url)

    import django
    import psycopg

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", verbosity=0, interactive=False)
    year = timezone.localdate().year
    with psycopg.connect(**_psycopg_kwargs(url), autocommit=True) as conn:
        conn.execute(FLOOR_SCHEMA)
        conn.execute("TRUNCATE bench_floor_entry")
        conn.execute(
            "INSERT INTO bench_floor_counter (register_id, year, last_number) VALUES (1, %s, 0), (0, %s, 0) "
            "ON CONFLICT DO NOTHING",
            [year, year],
        )
        conn.execute("UPDATE bench_floor_counter SET last_number = 0")
        names = ["synchronous_commit", "fsync", "server_version"]
        rows = conn.execute("SELECT name, setting FROM pg_settings WHERE name = ANY(%s)", [names]).fetchall()
        settings = dict(rows)

    ctx = _app_context(route=not args.no_route)
    profile_one_registration(ctx)  # the first one fills the per-process caches (register, days off)
    statements = profile_one_registration(ctx)
    connection.close()
    fsync = commit_latency(url)
    print(
        f"PostgreSQL {settings.get('server_version')}, synchronous_commit={settings.get('synchronous_commit')}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; {args.threads} connections as {args.mode}, "
        f"{args.count} registrations per run"
    )
    print(
        f"commit latency (UPDATE + COMMIT, one connection): {fsync * 1000:.2f} ms "
        f"→ one hot counter row allows at most ~{1 / fsync:.0f} commits/s"
    )

    tag = iter(range(1, 10**6))
    workers, mode = args.threads, args.mode
    run_floor(url, count=args.warmup, workers=workers, mode=mode, year=year, tag=f"W{next(tag)}")
    run_app(count=args.warmup, workers=workers, mode=mode, ctx=ctx)
    runs: dict[str, list[Run]] = {"floor": [], "app": []}
    for r in range(args.rounds):
        floor = run_floor(url, count=args.count, workers=workers, mode=mode, year=year, tag=f"R{next(tag)}")
        runs["floor"].append(floor)
        print(f"  round {r + 1}: floor {floor.rate:7.1f}/s", end="", flush=True)
        app = run_app(count=args.count, workers=workers, mode=mode, ctx=ctx)
        runs["app"].append(app)
        print(f"   app {app.rate:7.1f}/s")

    floor_rate = statistics.median(r.rate for r in runs["floor"])
    app_rate = statistics.median(r.rate for r in runs["app"])
    ratio = app_rate / floor_rate
    floor_holds = [h for r in runs["floor"] for h in r.holds]
    floor_waits = [w for r in runs["floor"] for w in r.waits]
    app_statements = [w for r in runs["app"] for w in r.waits]
    print()
    print(
        f"statements per registration (app, {'routed to a department' if ctx.department else 'not routed'}): "
        + (
            "1, a transaction of its own (no BEGIN/COMMIT)"
            if len(statements) == 1
            else f"{len(statements)} + BEGIN/COMMIT"
        )
    )
    for s in statements:
        print(f"    {s}")
    print("floor: 2 statements + BEGIN/COMMIT")
    print(
        f"floor, ms: waiting for the counter row p50 {_ms(floor_waits, 0.5)} p95 {_ms(floor_waits, 0.95)}, "
        f"holding it (lock → commit) p50 {_ms(floor_holds, 0.5)} p95 {_ms(floor_holds, 0.95)}"
    )
    print(
        f"app, ms: its statement (waiting for the row, the window, the commit) p50 {_ms(app_statements, 0.5)} "
        f"p95 {_ms(app_statements, 0.95)}"
    )
    print()
    print(f"RAW-SQL FLOOR  {floor_rate:8.1f} registrations/s  (median of {args.rounds})")
    print(f"APP (service)  {app_rate:8.1f} registrations/s  (median of {args.rounds})")
    print(f"RATIO app/floor {ratio:.2f}   target: ≥{TARGET_RATE:.0f}/s and ≥{TARGET_RATIO} of the floor")
    met = app_rate >= TARGET_RATE and ratio >= TARGET_RATIO
    print("TARGET MET" if met else "TARGET NOT MET")
    return 0


if __name__ == "__main__":
    sys.exit(main())
