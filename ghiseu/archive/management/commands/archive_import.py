"""Import a folder or a ZIP of scans with its manifest into the archive (docs/archive-import.md).

    manage.py archive_import PATH                 # register, queue, run local OCR workers, report
    manage.py archive_import PATH --workers 0     # register and queue; workers elsewhere do the OCR
    manage.py archive_import --resume 12          # continue batch 12 (e.g. after a killed worker)

Running it again on the same folder continues the same batch: nothing is imported twice.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from ghiseu.archive.models import BatchStatus, ImportBatch
from ghiseu.archive.selectors import BatchProgress, batch_progress
from ghiseu.archive.services import imports
from ghiseu.archive.services.import_report import import_write_report
from ghiseu.core.errors import DomainError

WORKER_POLL_SECONDS = 0.2  # how soon an idle local worker sees a task queued
PROGRESS_SECONDS = 0.5  # how often the progress display reads the batch's counts


class Command(BaseCommand):
    help = "Importă în arhivă un lot de documente scanate (dosar sau ZIP, cu manifest.csv/.xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", help="Dosarul sau arhiva ZIP a lotului.")
        parser.add_argument("--resume", type=int, metavar="BATCH_ID", help="Continuă un lot înregistrat deja.")
        parser.add_argument("--force-ocr", action="store_true", help="Refă OCR și pe scanările cu strat de text.")
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Câte procese OCR locale să pornească (implicit: câte nuclee are mașina; 0: doar pune în coadă "
            "și urmărește lucrul altor mașini).",
        )
        parser.add_argument("--inline", action="store_true", help="Fă OCR în acest proces, fișier cu fișier.")
        parser.add_argument("--no-wait", action="store_true", help="Doar înregistrează și pune în coadă.")
        parser.add_argument(
            "--reclaim",
            action="store_true",
            help="Reia imediat fișierele rămase „în lucru” (niciun worker nu mai rulează).",
        )
        parser.add_argument("--retry-failed", action="store_true", help="Reîncearcă fișierele la care OCR a eșuat.")
        parser.add_argument("--report", type=Path, help="Unde se scrie raportul CSV (implicit sub var/).")
        parser.add_argument("--user", help="Utilizatorul în numele căruia se face importul (jurnal de audit).")

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(stderr=False, highlight=False)
        user = self._user(options.get("user"))
        if options["inline"]:
            batch = self._register(options, user, console)
            console.print(f"Lotul #{batch.pk}: {batch.source}")
            imports.import_reclaim(batch, reclaim=options["reclaim"], retry_failed=options["retry_failed"])
            self._run_inline(batch, console)
        else:
            workers = 0 if options["no_wait"] else options["workers"]
            # The local workers start first: their start-up overlaps the registration of the files.
            with self._local_workers(workers if workers is not None else (os.cpu_count() or 1), console) as children:
                batch = self._register(options, user, console)
                console.print(f"Lotul #{batch.pk}: {batch.source}")
                queued = imports.import_enqueue(batch, reclaim=options["reclaim"], retry_failed=options["retry_failed"])
                console.print(f"{queued} fișiere puse în coada „{imports.ocr_queue_name()}”.")
                if options["no_wait"]:
                    console.print(f"Continuați cu: manage.py archive_import --resume {batch.pk}")
                    return
                self._follow(batch, children, console)
        batch = imports.batch_refresh(batch)
        report = options.get("report") or Path(settings.VAR_DIR) / "archive-imports" / f"batch-{batch.pk}-report.csv"
        import_write_report(batch, report)
        self._summary(batch, report, console)
        if batch.status != BatchStatus.FINISHED:
            hint = f"manage.py archive_import --resume {batch.pk}"
            stuck = batch.counts.get("processing", 0)
            if stuck:
                hint += (
                    f" ({stuck} fișiere au rămas „în lucru”: sunt reluate după expirarea revendicării, "
                    "sau imediat cu --reclaim dacă niciun worker nu mai rulează)"
                )
            raise CommandError(f"Lotul #{batch.pk} nu este terminat; continuați cu: {hint}")

    def _user(self, username: str | None) -> Any:
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Utilizatorul „{username}” nu există.")
        return user

    def _register(self, options: dict[str, Any], user: Any, console: Console) -> ImportBatch:
        path = options.get("path")
        resume = options.get("resume")
        if resume is not None:
            batch = ImportBatch.objects.filter(pk=resume).first()
            if batch is None:
                raise CommandError(f"Lotul #{resume} nu există.")
            if path and Path(path).resolve() != Path(batch.source):
                raise CommandError(f"Lotul #{resume} vine din {batch.source}, nu din {path}.")
            if not Path(batch.source).exists():
                console.print(f"[yellow]{batch.source} nu mai există: se continuă doar fișierele stocate.[/]")
                return batch
            path = batch.source
        if not path:
            raise CommandError("Dați calea lotului sau --resume BATCH_ID.")
        with Progress(
            TextColumn("Înregistrare"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
        ) as bar:
            task = bar.add_task("files", total=None)
            progress = imports.RegisterProgress(
                total=lambda n: bar.update(task, total=n),
                advance=lambda name: bar.advance(task),
            )
            try:
                return imports.import_register(
                    path=Path(path), user=user, force_ocr=options["force_ocr"], progress=progress
                )
            except DomainError as exc:
                raise CommandError(str(exc)) from exc

    def _progress(self, console: Console) -> Progress:
        return Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
        )

    def _update(
        self, bar: Progress, tasks: tuple[TaskID, TaskID], state: BatchProgress, start: tuple[float, int]
    ) -> None:
        files, pages = tasks
        elapsed = max(time.monotonic() - start[0], 1e-6)
        rate = (state.pages_done - start[1]) / elapsed * 60
        bar.update(files, total=state.items, completed=state.finished, rate=f"{state.failed} respinse")
        bar.update(pages, total=max(state.pages_expected, 1), completed=state.pages_done, rate=f"{rate:.1f} pag/min")

    def _run_inline(self, batch: ImportBatch, console: Console) -> None:
        state = batch_progress(batch)
        with self._progress(console) as bar:
            tasks = (bar.add_task("Fișiere", rate=""), bar.add_task("Pagini", rate=""))
            start = (time.monotonic(), state.pages_done)
            self._update(bar, tasks, state, start)
            for item_id in imports.import_pending_ids(batch):
                imports.import_process_item(item_id)
                self._update(bar, tasks, batch_progress(batch), start)

    @contextmanager
    def _local_workers(self, workers: int, console: Console) -> Iterator[list[subprocess.Popen[bytes]]]:
        """`workers` task workers on the OCR queue, stopped (SIGTERM, then killed) when the block ends."""
        if workers <= 0:
            yield []
            return
        queue = imports.ocr_queue_name()
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        command = [sys.executable, manage, "db_worker", "--queue-name", queue, "--interval", str(WORKER_POLL_SECONDS)]
        log_path = Path(settings.VAR_DIR) / "archive-imports" / "workers.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("a", encoding="utf-8") as log_file:  # their messages, away from the progress bar
            children = [
                subprocess.Popen(  # noqa: S603 - our own manage.py
                    [*command, "--no-startup-delay", "--skip-checks", "--verbosity", "0"],
                    env=env,
                    stdout=log_file,
                    stderr=subprocess.STDOUT,
                )
                for _ in range(workers)
            ]
            console.print(f"{len(children)} procese OCR locale pornite (coada „{queue}”); jurnal: {log_path}")
            try:
                yield children
            finally:
                for child in children:
                    if child.poll() is None:
                        child.send_signal(signal.SIGTERM)
                for child in children:
                    try:
                        child.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        child.kill()

    def _follow(self, batch: ImportBatch, children: list[subprocess.Popen[bytes]], console: Console) -> None:
        """Show the batch's progress until it is complete, or until nothing here can move it on."""
        if not children:
            console.print("Niciun proces local: se așteaptă workerii altor mașini (Ctrl-C oprește urmărirea).")
        state = batch_progress(batch)
        try:
            with self._progress(console) as bar:
                tasks = (bar.add_task("Fișiere", rate=""), bar.add_task("Pagini", rate=""))
                start = (time.monotonic(), state.pages_done)
                while True:
                    state = batch_progress(batch)
                    self._update(bar, tasks, state, start)
                    if state.is_complete:
                        break
                    if children and all(child.poll() is not None for child in children):
                        break  # the local workers have stopped (see their log)
                    if children and not imports.ocr_queue_busy() and not batch_progress(batch).is_complete:
                        break  # no task is left to run: what remains is claimed by a worker elsewhere
                    time.sleep(PROGRESS_SECONDS)
        except KeyboardInterrupt:
            console.print(f"[yellow]Oprit. Continuați cu: manage.py archive_import --resume {batch.pk}[/]")
            raise

    def _summary(self, batch: ImportBatch, report: Path, console: Console) -> None:
        counts = batch.counts
        table = Table(title=f"Lotul #{batch.pk} — {batch.get_status_display()}")
        table.add_column("")
        table.add_column("", justify="right")
        for label, key in (
            ("fișiere în manifest și în lot", "items"),
            ("importate", "done"),
            ("deja importate (sărite)", "skipped"),
            ("respinse", "failed"),
            ("în așteptare", "pending"),
            ("în lucru", "processing"),
            ("pagini importate", "pages_done"),
        ):
            table.add_row(label, str(counts.get(key, 0)))
        for code, number in sorted(counts.get("failures", {}).items()):
            table.add_row(f"  respinse: {code}", str(number))
        console.print(table)
        done_seconds = float(counts.get("ocr_seconds") or 0)
        if counts.get("pages_done") and done_seconds:
            console.print(f"OCR: {done_seconds / counts['pages_done']:.1f} s/pagină pe un nucleu.")
        console.print(f"Raport: {report}")
