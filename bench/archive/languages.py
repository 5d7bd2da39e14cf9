"""Which Tesseract languages read a city hall's scans best, and at what cost (ADR 0006).

    python -m bench.archive.languages [--languages ron,ron+eng] [--rounds 3]

The pages are those of `examples/archive-batch` — rendered by its generator with the same
degradations (blur and dust on every page, bilevel for the mayor's order, a 1.3° skew and JPEG
quality 55 for the urbanism certificate, an 8-colour palette for the petition) — plus two pages
written for this measure: a Romanian page of a funded project with English terms and an English
summary, and a letter wholly in English. Each page's text is known, so the score is the share of
its words that come back exactly (diacritics and case included; cedilla forms count as comma
forms), and the CPU seconds of each `tesseract -l LANG` (one thread, text only, median of the
rounds). Everything runs in this process's children; no database is needed.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples" / "archive-batch"))
import make_batch as mb  # the example batch's generator, beside its scans
from make_batch import Paragraph as P

MIXED = [
    P("PROIECT FINANȚAT PRIN PROGRAMUL OPERAȚIONAL COMPETITIVITATE", bold=True, center=True, gap=10),
    P("Project: Smart City Lupeni — Digital Archive and Online Services", bold=True, center=True, gap=50),
    P("Beneficiar: Primăria Municipiului Lupeni. Partener tehnic: Open Source Software Foundation."),
    P(
        "Summary in English: The project digitizes the archive of the city hall, builds an online portal "
        "for citizens and trains seventy employees. The software is released under the European Union "
        "Public Licence and hosted on GitHub; the deliverables include a REST API, OpenID Connect login, "
        "a search engine and a workflow for document management."
    ),
    P(
        "Termeni folosiți în caietul de sarcini: cloud computing, backup, firewall, helpdesk, service level "
        "agreement, open data, dashboard, single sign-on, software as a service, update, upgrade."
    ),
    P(
        "The contractor shall deliver the source code, the user manual and the training materials within "
        "thirty working days from the signing of the acceptance report."
    ),
    P(
        "Valoarea totală a proiectului este de 4.850.000 lei, din care 85% fonduri europene (FEDR) și 15% "
        "contribuție de la bugetul local, conform contractului de finanțare nr. 1234/2021."
    ),
]

ENGLISH = [
    P("EUROPEAN COMMISSION", bold=True, center=True, gap=10),
    P("Directorate-General for Regional and Urban Policy", center=True, gap=60),
    P("To the Mayor of the Municipality of Lupeni, Hunedoara County, Romania", gap=40),
    P(
        "Subject: Final payment claim for the project Smart City Lupeni, grant agreement number 2021/RO/0457. "
        "Dear Sir, we acknowledge receipt of your final payment claim and of the supporting documents, "
        "including the audit report, the list of procurement procedures and the evidence of publicity."
    ),
    P(
        "After the verification of the eligible expenditure, the Commission accepts the amount of "
        "EUR 912,480.35. Please note that the retention period for all project documents is five years "
        "from the date of the final payment, during which the documents must be available for checks "
        "by the Court of Auditors and the European Anti-Fraud Office."
    ),
    P(
        "Should you have any questions regarding this letter, please contact the desk officer responsible "
        "for your programme. Yours faithfully, Head of Unit.",
        gap=40,
    ),
]


def _quantized(image: mb.Image.Image) -> mb.Image.Image:
    return image.quantize(8).convert("L")


def pages() -> list[tuple[str, list[P], bool, Callable[[mb.Image.Image], mb.Image.Image]]]:
    """(name, text, with the header, the degradation the example batch applies)."""
    same: Callable[[mb.Image.Image], mb.Image.Image] = lambda image: image  # noqa: E731
    out: list[tuple[str, list[P], bool, Callable[[mb.Image.Image], mb.Image.Image]]] = []
    out += [(f"hotărâre p.{i + 1}", p, i == 0, same) for i, p in enumerate(mb.HCL)]
    out += [(f"dispoziție p.{i + 1}", p, i == 0, mb.bilevel) for i, p in enumerate(mb.DISPOZITIE)]
    out.append(("certificat (rotit, JPEG)", mb.CERTIFICAT, True, lambda image: mb.skew(image, 1.3)))
    out.append(("petiție (8 culori)", mb.PETITIE, False, _quantized))
    out.append(("adeverință", mb.ADEVERINTA, True, same))
    out.append(("proiect (ro + en)", MIXED, True, same))
    out.append(("scrisoare (en)", ENGLISH, False, same))
    return out


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text).translate(str.maketrans("şţŞŢ", "șțȘȚ"))
    return [w for w in re.findall(r"[\w./%,-]+", text) if any(c.isalnum() for c in w)]


def known_words(paragraphs: list[P], header: bool) -> collections.Counter[str]:
    parts = [*mb.HEADER_LINES, mb.ADDRESS] if header else []
    for paragraph in paragraphs:
        parts += [paragraph.text, paragraph.right]
    return collections.Counter(words(" ".join(parts)))


def tesseract(image: Path, languages: str) -> tuple[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(
        ["tesseract", str(image), "-", "-l", languages, "--dpi", str(mb.DPI)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    ).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return out, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.archive.languages", description=__doc__.splitlines()[0])
    parser.add_argument("--languages", default="ron,ron+eng", help="Tesseract language sets, comma-separated")
    parser.add_argument("--rounds", type=int, default=3, help="rounds for the CPU median (3)")
    args = parser.parse_args(argv)
    sets = args.languages.split(",")
    right: dict[str, int] = collections.Counter()
    cpu: dict[str, list[float]] = {lang: [0.0] * args.rounds for lang in sets}
    total = 0
    print(f"{'page':28} {'words':>6} " + " ".join(f"{lang + ' right':>14}" for lang in sets))
    with tempfile.TemporaryDirectory(prefix="bench-ocr-languages-") as tmp:
        for index, (name, paragraphs, header, degrade) in enumerate(pages()):
            image = Path(tmp) / f"page-{index}.png"
            rendered = degrade(mb.render_page(paragraphs, seed=index, header=header, footer="Document scanat"))
            rendered.save(image, dpi=(mb.DPI, mb.DPI))
            known = known_words(paragraphs, header)
            count = sum(known.values())
            total += count
            row = f"{name:28} {count:6d} "
            for round_ in range(args.rounds):
                for lang in sets if round_ % 2 == 0 else reversed(sets):  # interleaved
                    text, seconds = tesseract(image, lang)
                    cpu[lang][round_] += seconds
                    if round_ == 0:
                        got = collections.Counter(words(text))
                        hits = sum(min(n, got[w]) for w, n in known.items())
                        right[lang] += hits
                        row += f"{hits:14d} "
            print(row, flush=True)
    print()
    base = statistics.median(cpu[sets[0]])
    print(f"{'languages':10} {'words right':>16} {'share':>7} {'CPU s (median)':>15} {'CPU vs ' + sets[0]:>12}")
    for lang in sets:
        seconds = statistics.median(cpu[lang])
        share = right[lang] / total
        print(f"{lang:10} {right[lang]:>7d} of {total:<6d} {share:7.2%} {seconds:15.1f} {seconds / base:12.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
