"""An OCRmyPDF plugin: Tesseract as OCRmyPDF runs it, with cheaper page checks and per-page results.

OCRmyPDF with `rotate_pages` and `deskew` runs Tesseract three times per page: orientation
detection (`--psm 0`) on the whole page, skew detection (`--psm 2`) with the OCR languages,
then the OCR itself. Measured here on a 300 dpi A4 page (CPU seconds, one thread): OCR
`ron+eng` 4.4, orientation 2.3, skew 1.2. This engine keeps OCRmyPDF's pipeline and decisions
but makes the two checks cheap:

- orientation: a quick pass at half resolution trying 10 characters (0.65 s); when it finds
  the page upright the page is left as it is (the common case), otherwise OCRmyPDF's own full
  check decides, with its own confidence threshold;
- skew: layout analysis at half resolution with the small `osd` model instead of the OCR
  languages (0.45 s, same angle to 0.001 rad on the pages tried).

It also keeps what OCRmyPDF does not report: the text of each page as Tesseract wrote it and
the mean word confidence (hOCR `x_wconf`), written as `<output>.pages/<page>.json`, read back
by `ghiseu.archive.services.ocr`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from ocrmypdf import hookimpl
from ocrmypdf.builtin_plugins.tesseract_ocr import TesseractOcrEngine
from ocrmypdf.pluginspec import OrientationConfidence
from PIL import Image

from ghiseu.archive.services.ocr_fast import mean_word_confidence

PAGE_PREFIX = re.compile(r"^(\d{6})_")
QUICK_OSD_CHARACTERS = 10
CHECK_TIMEOUT = 60


def pages_dir_for(output_file: str | os.PathLike[str]) -> Path:
    """Where the plugin leaves the per-page results of the OCR run writing `output_file`."""
    return Path(f"{os.fspath(output_file)}.pages")


def _tesseract_env() -> dict[str, str]:
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def _half_size(input_file: Path) -> tuple[Path, Any]:
    """A grey copy of the image at half its resolution, beside a temporary directory handle."""
    tmp = tempfile.TemporaryDirectory(prefix="ghiseu-osd-")
    target = Path(tmp.name) / "half.png"
    with Image.open(input_file) as im:
        dpi = im.info.get("dpi", (300, 300))
        small = im.convert("L").reduce(2) if min(im.size) >= 800 else im.convert("L")
        factor = 2 if small.size != im.size else 1
        small.save(target, dpi=(max(1, round(float(dpi[0]) / factor)), max(1, round(float(dpi[1]) / factor))))
    return target, tmp


def _run_tesseract(args: list[str]) -> str:
    completed = subprocess.run(  # noqa: S603 - fixed program, arguments built here
        ["tesseract", *args],  # noqa: S607 - Debian's tesseract on PATH, as OCRmyPDF runs it
        capture_output=True,
        text=True,
        timeout=CHECK_TIMEOUT,
        env=_tesseract_env(),
        check=False,
    )
    return completed.stdout + "\n" + completed.stderr


def _parse(output: str) -> dict[str, str]:
    result = {}
    for line in output.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            result[key.strip()] = value.strip()
    return result


def quick_orientation(input_file: Path) -> OrientationConfidence | None:
    """Orientation from a few characters at half resolution; None when Tesseract could not tell."""
    half, tmp = _half_size(input_file)
    with tmp:
        out = _parse(
            _run_tesseract(
                [str(half), "stdout", "-l", "osd", "--psm", "0", "-c", f"min_characters_to_try={QUICK_OSD_CHARACTERS}"]
            )
        )
    try:
        return OrientationConfidence(
            angle=int(out["Orientation in degrees"]), confidence=float(out["Orientation confidence"])
        )
    except (KeyError, ValueError):
        return None


def quick_deskew(input_file: Path) -> float:
    """Skew angle in degrees, from layout analysis at half resolution (0.0 when none is found)."""
    half, tmp = _half_size(input_file)
    with tmp:
        out = _parse(_run_tesseract([str(half), "stdout", "-l", "osd", "--psm", "2"]))
    try:
        radians = float(out["Deskew angle"])
    except (KeyError, ValueError):
        return 0.0
    return radians * 180.0 / 3.141592653589793


def _record_page(input_file: Path, output_hocr: Path, output_text: Path, options: Any) -> None:
    match = PAGE_PREFIX.match(Path(input_file).name)
    if match is None:
        return
    hocr = Path(output_hocr).read_text(encoding="utf-8", errors="replace") if Path(output_hocr).exists() else ""
    text = Path(output_text).read_text(encoding="utf-8", errors="replace") if Path(output_text).exists() else ""
    target = pages_dir_for(options.output_file)
    target.mkdir(parents=True, exist_ok=True)
    record = {"page": int(match.group(1)), "text": text, "confidence": mean_word_confidence(hocr)}
    (target / f"{match.group(1)}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


class ArchiveTesseractEngine(TesseractOcrEngine):
    """Tesseract with cheaper orientation and skew checks, recording each page's text and confidence."""

    @staticmethod
    def get_orientation(input_file: Path, options: Any) -> OrientationConfidence:
        try:
            quick = quick_orientation(Path(input_file))
        except (OSError, subprocess.SubprocessError):
            quick = None
        if quick is not None and quick.angle % 360 == 0:
            return OrientationConfidence(angle=0, confidence=quick.confidence)
        return TesseractOcrEngine.get_orientation(input_file, options)

    @staticmethod
    def get_deskew(input_file: Path, options: Any) -> float:
        try:
            return quick_deskew(Path(input_file))
        except (OSError, subprocess.SubprocessError):
            return float(TesseractOcrEngine.get_deskew(input_file, options))

    @staticmethod
    def generate_hocr(input_file: Path, output_hocr: Path, output_text: Path, options: Any) -> None:
        TesseractOcrEngine.generate_hocr(input_file, output_hocr, output_text, options)
        _record_page(Path(input_file), Path(output_hocr), Path(output_text), options)

    @staticmethod
    def generate_pdf(input_file: Path, output_pdf: Path, output_text: Path, options: Any) -> None:
        TesseractOcrEngine.generate_pdf(input_file, output_pdf, output_text, options)
        hocr = Path(output_pdf).parent / f"{Path(output_pdf).stem}.hocr"
        _record_page(Path(input_file), hocr, Path(output_text), options)


@hookimpl(tryfirst=True)
def get_ocr_engine(options: Any) -> ArchiveTesseractEngine:
    return ArchiveTesseractEngine()
