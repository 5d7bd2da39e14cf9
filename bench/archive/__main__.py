"""OCR ingest: pages per minute of the whole archive import against plain Tesseract, same run.

    python -m bench.archive [--copies 6] [--rounds 2] [--workers 2] [--languages ron,ron+eng]

The page images are the 7 pages of examples/archive-batch (PDF pages rendered at 300 dpi, TIFF
pages split, the JPEG and PNG decoded), as PNG, repeated `--copies` times per round; every copy differs
by a PNG text chunk only (same pixels), so the import, identifying files by SHA-256, takes each
one as a new scan. On the same images, with the same parallelism (`--workers` processes, one
Tesseract thread each: OMP_THREAD_LIMIT=1), in this order:

1. floor: `tesseract IMG OUT -l ron` (text only);
2. `tesseract IMG OUT -l ron txt pdf`: the text and a searchable PDF of the page, the closest
   plain-Tesseract equivalent of what the import keeps (shown, not the floor);
2b. the engine the import's fast path runs (tesserocr, in-process, its model loaded once per
   process), text only, the pages shared out among `--workers` processes (shown, not the
   floor): what the import's own OCR costs without anything around it (docs/adr/0007);
3. `ocrmypdf -l ron IMG OUT.pdf` with its defaults (one job per process);
4. the import: `manage.py archive_import FOLDER --workers N` (register, OCR, PDF/A-2b, page
   text, audit) followed by the search index consumer (`db_worker --queue-name search`), timed
   together, for each of `--languages`.

The contenders run one after the other in each of `--rounds` interleaved rounds; each ratio is
taken against the same round's floor and the medians are printed: pages per minute by the wall
clock, and by CPU time (the CPU seconds of every process involved, spread over the workers'
cores: what an otherwise idle machine would do — on a shared machine the wall clock depends on
the neighbours). Target: the import at least 0.85 of the floor.

The import runs against its own database (SQLite under var/…/bench-archive, or
BENCH_ARCHIVE_DATABASE_URL) and storage, seeded with the demo's departments and nomenclator.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "archive-batch"
TARGET = 0.85
MANAGE = [sys.executable, str(ROOT / "manage.py")]


def page_images(out: Path) -> list[tuple[str, bytes]]:
    """The example batch's pages as PNG (300 dpi), with the manifest line each belongs to."""
    import pypdfium2
    from PIL import Image

    rows = list(csv.DictReader((EXAMPLE / "manifest.csv").open(encoding="utf-8")))
    pages: list[tuple[str, bytes]] = []
    for row in rows:
        source = EXAMPLE / row["file"]
        images: list[Image.Image] = []
        if source.suffix == ".pdf":
            pdf = pypdfium2.PdfDocument(str(source))
            images = [pdf[i].render(scale=300 / 72).to_pil() for i in range(len(pdf))]
        else:
            with Image.open(source) as scan:
                for frame in range(getattr(scan, "n_frames", 1)):
                    scan.seek(frame)
                    images.append(scan.copy())
        for image in images:
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", dpi=(300, 300))
            pages.append((row["file"], buffer.getvalue()))
    return pages


def write_copies(pages: list[tuple[str, bytes]], folder: Path, *, copies: int, tag: str) -> list[Path]:
    """`copies` × the pages as distinct PNG files (a text chunk differs) and their manifest."""
    from PIL import Image, PngImagePlugin

    rows = {row["file"]: row for row in csv.DictReader((EXAMPLE / "manifest.csv").open(encoding="utf-8"))}
    folder.mkdir(parents=True)
    paths: list[Path] = []
    lines = []
    for copy in range(copies):
        for index, (file, data) in enumerate(pages):
            name = f"{tag}-{copy:03d}-{index:02d}.png"
            info = PngImagePlugin.PngInfo()
            info.add_text("Comment", f"ghiseu bench {tag} {copy} {index}")
            with Image.open(io.BytesIO(data)) as image:
                image.save(folder / name, format="PNG", dpi=(300, 300), pnginfo=info)
            paths.append(folder / name)
            lines.append({**rows[file], "file": name, "pages": "1"})
    with (folder / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(lines[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(lines)
    return paths


def children_cpu() -> float:
    """CPU seconds used so far by this process's finished children (and their waited-for children)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def parallel(commands: list[list[str]], workers: int, env: dict[str, str]) -> float:
    def run(command: list[str]) -> None:
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(run, commands))
    return time.perf_counter() - started


ENGINE_SCRIPT = """
import sys
from pathlib import Path
import tesserocr
with tesserocr.PyTessBaseAPI(path=sys.argv[1], lang="ron") as api:
    for name in sys.argv[2:]:
        api.SetImageFile(name)
        Path(name).with_suffix(".txt").write_text(api.GetUTF8Text(), encoding="utf-8")
"""


def engine_commands(paths: list[Path], workers: int) -> list[list[str]]:
    """One process per worker, each reading its share of the pages with one loaded engine."""
    from ghiseu.archive.services.ocr_fast import tessdata_dir

    script = [sys.executable, "-c", ENGINE_SCRIPT, tessdata_dir()]
    return [[*script, *map(str, paths[index::workers])] for index in range(workers)]


def app_env(var: Path, languages: str) -> dict[str, str]:
    env = {
        **os.environ,
        "OMP_THREAD_LIMIT": "1",
        "GHISEU_VAR_DIR": str(var),
        "GHISEU_MEDIA_ROOT": str(var / "media"),
        "GHISEU_SEARCH_INDEX_DIR": str(var / "search-index"),
        "GHISEU_ARCHIVE_OCR_LANGUAGES": languages,
        "DATABASE_URL": os.environ.get("BENCH_ARCHIVE_DATABASE_URL", f"sqlite:///{var / 'bench.sqlite3'}"),
    }
    env.setdefault("DJANGO_SECRET_KEY", "bench-only-key")
    return env


def prepare_database(var: Path) -> None:
    env = app_env(var, "ron")
    subprocess.run([*MANAGE, "migrate", "--no-input", "-v0"], env=env, check=True)
    seed = "from ghiseu.demo.seed import seed_organization; seed_organization()"
    subprocess.run([*MANAGE, "shell", "-c", seed], env=env, check=True)


def run_import(var: Path, folder: Path, workers: int, languages: str) -> int:
    env = app_env(var, languages)
    subprocess.run(
        [*MANAGE, "archive_import", str(folder), "--workers", str(workers), "--report", str(folder / "report.csv")],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    index = [
        *MANAGE,
        "db_worker",
        "--queue-name",
        "search",
        "--batch",
        "--no-startup-delay",
        "--skip-checks",
        "-v",
        "0",
    ]
    subprocess.run(index, env=env, check=True, stdout=subprocess.DEVNULL)
    done = sum(
        1 for row in csv.DictReader((folder / "report.csv").open(encoding="utf-8-sig")) if row["status"] == "done"
    )
    return done


@dataclass
class Measure:
    wall: float  # seconds
    cpu: float  # CPU seconds of every process involved
    pages: int

    def rate(self, workers: int) -> float:
        """Pages per minute on `workers` cores, wall clock."""
        return self.pages / self.wall * 60

    def cpu_rate(self, workers: int) -> float:
        """Pages per minute if the CPU time were spread over `workers` otherwise idle cores."""
        return self.pages / (self.cpu / workers) * 60


def ratios(runs: list[Measure], bases: list[Measure], workers: int) -> tuple[float, float]:
    """Medians of the per-round ratios of `runs` to `bases` (same round): wall clock, CPU time."""
    pairs = list(zip(runs, bases, strict=True))
    return (
        statistics.median(r.rate(workers) / b.rate(workers) for r, b in pairs),
        statistics.median(r.cpu_rate(workers) / b.cpu_rate(workers) for r, b in pairs),
    )


def measured(run: Callable[[], int]) -> Measure:
    cpu, wall = children_cpu(), time.perf_counter()
    pages = run()
    return Measure(time.perf_counter() - wall, children_cpu() - cpu, pages)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--copies",
        type=int,
        default=6,
        help="times the 7 example pages are repeated per round (6: 42 pages; the import's fixed costs, "
        "its processes starting, weigh on a smaller batch)",
    )
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds; medians are reported (2)")
    parser.add_argument("--workers", type=int, default=2, help="parallel processes for every contender (2)")
    parser.add_argument("--languages", default="ron,ron+eng", help="import OCR languages to measure, comma-separated")
    args = parser.parse_args()

    var = Path(os.environ.get("GHISEU_VAR_DIR", ROOT / "var")) / "bench-archive"
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    print(f"bench-archive: {os.cpu_count()} CPUs, {args.workers} processes, one Tesseract thread each;")
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    pages = page_images(var)
    prepare_database(var)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    ocrmypdf_bin = str(Path(sys.executable).with_name("ocrmypdf"))
    languages = [lang.strip() for lang in args.languages.split(",") if lang.strip()]
    labels = [
        "tesseract -l ron (floor)",
        "tesseract -l ron txt pdf (shown)",
        "tesserocr ron, engine per process (shown)",
        "ocrmypdf -l ron (defaults)",
    ] + [f"import, {lang} (OCR+PDF/A+text+index)" for lang in languages]
    results: dict[str, list[Measure]] = {label: [] for label in labels}

    def pages_run(commands: list[list[str]], pages: int | None = None) -> Callable[[], int]:
        def run() -> int:
            parallel(commands, args.workers, env)
            return len(commands) if pages is None else pages

        return run

    def import_run(folder: Path, lang: str) -> Callable[[], int]:
        return lambda: run_import(var, folder, args.workers, lang)

    for round_ in range(args.rounds):
        paths = write_copies(pages, var / f"floor-{round_}", copies=args.copies, tag=f"floor{round_}")
        floor_commands = [["tesseract", str(p), str(p.with_suffix("")), "-l", "ron"] for p in paths]
        results[labels[0]].append(measured(pages_run(floor_commands)))
        paths = write_copies(pages, var / f"pdf-{round_}", copies=args.copies, tag=f"pdf{round_}")
        pdf_commands = [["tesseract", str(p), str(p.with_suffix("")), "-l", "ron", "txt", "pdf"] for p in paths]
        results[labels[1]].append(measured(pages_run(pdf_commands)))
        paths = write_copies(pages, var / f"engine-{round_}", copies=args.copies, tag=f"engine{round_}")
        results[labels[2]].append(measured(pages_run(engine_commands(paths, args.workers), len(paths))))
        paths = write_copies(pages, var / f"ocrmypdf-{round_}", copies=args.copies, tag=f"ocrmypdf{round_}")
        ocrmypdf_commands = [
            [ocrmypdf_bin, "-q", "-l", "ron", "--jobs", "1", str(p), str(p.with_suffix(".pdf"))] for p in paths
        ]
        results[labels[3]].append(measured(pages_run(ocrmypdf_commands)))
        for lang, label in zip(languages, labels[4:], strict=True):
            folder = var / f"import-{lang.replace('+', '-')}-{round_}"
            write_copies(pages, folder, copies=args.copies, tag=folder.name)
            results[label].append(measured(import_run(folder, lang)))
        print(f"round {round_ + 1}/{args.rounds} done; load average {os.getloadavg()[0]:.1f}", flush=True)

    count = len(pages) * args.copies
    print(f"\n{count} pages (300 dpi A4) per contender and round, {args.workers} in parallel, {args.rounds} rounds")
    print("medians; 'vs floor' is the median of the per-round ratios to the same round's tesseract")
    print(f"{'':44} {'wall s':>7} {'pages/min':>9} {'vs floor':>8}   {'CPU s':>7} {'pages/min*':>10} {'vs floor':>8}")
    floors = results[labels[0]]
    verdicts = []
    for label in labels:
        runs = results[label]
        wall_ratio, cpu_ratio = ratios(runs, floors, args.workers)
        print(
            f"{label:44} {statistics.median(r.wall for r in runs):7.1f} "
            f"{statistics.median(r.rate(args.workers) for r in runs):9.1f} {wall_ratio:8.2f}   "
            f"{statistics.median(r.cpu for r in runs):7.1f} "
            f"{statistics.median(r.cpu_rate(args.workers) for r in runs):10.1f} {cpu_ratio:8.2f}"
        )
        if label.startswith("import"):
            verdicts.append((label, wall_ratio, cpu_ratio))
    print("* pages/min if the CPU seconds used were spread over the workers' otherwise idle cores")
    for label, wall_ratio, cpu_ratio in verdicts:
        verdict = "meets" if wall_ratio >= TARGET else "misses"
        print(f"{label}: {wall_ratio:.2f} of plain Tesseract (CPU: {cpu_ratio:.2f}) — {verdict} the {TARGET} target")
        pdf_wall, pdf_cpu = ratios(results[label], results[labels[1]], args.workers)
        print(f"  against Tesseract writing text + PDF: {pdf_wall:.2f} (CPU: {pdf_cpu:.2f})")
        engine_wall, engine_cpu = ratios(results[label], results[labels[2]], args.workers)
        print(f"  against its own engine reading text only: {engine_wall:.2f} (CPU: {engine_cpu:.2f})")
    print(f"load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    shutil.rmtree(var, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
