"""The fast OCR path: one Tesseract pass per page on the image the scan already holds.

OCRmyPDF's page pipeline (rasterize a preview, detect orientation, rasterize again, detect
skew, rotate and re-encode, OCR, render the text layer, graft it) costs, on the pages of
examples/archive-batch, about as much again as the OCR itself. For the usual
retro-digitized scan — an image file, or a PDF whose pages are each one full-page image —
this path gets the same result from a single Tesseract run per page:

- the page image is handed to Tesseract as it is stored (a JPEG is not even decoded), and
  Tesseract writes, in one pass, the page as PDF (the same image, untouched, with the
  invisible text layer), the hOCR (word confidences, line baselines) and the plain text;
- orientation: a page Tesseract reads badly (mean word confidence under 60, or hardly any
  words) gets the full orientation check (`--psm 0`); if the page is turned, it is turned
  upright and read again — the rare case pays, the common one does not;
- deskew: the skew is the median slope of the text line baselines Tesseract found; the page
  (image and text layer together) is turned back by that angle with a transformation matrix,
  so nothing is re-encoded and nothing is read twice;
- the pages are joined and OCRmyPDF (its own PDF/A writer, no OCR: every page has text by
  then) makes the PDF/A-2b.

Anything else — vector content, existing text, an image that does not fill its page, a
rotated page box — goes through OCRmyPDF's own pipeline (`ocr.py`), as does a file whose
PDF/A conversion this path cannot confirm.
"""

from __future__ import annotations

import math
import os
import re
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from PIL import Image

from ghiseu.archive.services.ocr_plugin import mean_word_confidence

LINE_TITLE = re.compile(r"class=['\"]ocr_(?:line|header|caption|textfloat)['\"][^>]*title=['\"]([^'\"]*)['\"]")
BBOX = re.compile(r"bbox (\d+) (\d+) (\d+) (\d+)")
BASELINE = re.compile(r"baseline (-?[\d.]+) (-?[\d.]+)")
TESSERACT_TIMEOUT = 600
SUSPECT_CONFIDENCE = 60.0  # a page read worse than this may be turned
SUSPECT_WORDS = 5
ROTATE_CONFIDENCE = 14.0  # OCRmyPDF's default --rotate-pages-threshold
DESKEW_MIN_DEGREES = 0.2
DESKEW_MAX_DEGREES = 10.0
FALLBACK_DPI = 300


class NotSimple(Exception):
    """The file is not made of plain page images: the OCRmyPDF pipeline handles it."""


@dataclass(frozen=True)
class PageImage:
    path: Path
    dpi: float


@dataclass(frozen=True)
class PageRead:
    pdf: Path
    text: str
    confidence: float | None
    skew_degrees: float
    rotated: int = 0  # clockwise degrees the image was turned before reading


def _env() -> dict[str, str]:
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def _tesseract(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed program, arguments built here
        ["tesseract", *args],  # noqa: S607 - Debian's tesseract on PATH
        capture_output=True,
        text=True,
        timeout=TESSERACT_TIMEOUT,
        env=_env(),
        check=False,
    )


# --- Page images -------------------------------------------------------------------------


def _dpi_of(image: Image.Image) -> float | None:
    dpi = image.info.get("dpi")
    if not dpi:
        return None
    value = float(dpi[0])
    return value if value >= 72 else None


def image_pages(source: Path, content_type: str, workdir: Path) -> list[PageImage]:
    """The page images of an image file, each in a form Tesseract reads and embeds well."""
    pages: list[PageImage] = []
    workdir.mkdir(parents=True, exist_ok=True)
    with Image.open(source) as im:
        frames = int(getattr(im, "n_frames", 1))
        dpi = _dpi_of(im) or FALLBACK_DPI
        if content_type == "image/jpeg" and frames == 1 and im.mode in ("L", "RGB"):
            return [PageImage(source, dpi)]  # Tesseract embeds the JPEG as it is
        if content_type == "image/png" and frames == 1 and im.mode in ("1", "L", "RGB", "P"):
            return [PageImage(source, dpi)]
        for index in range(frames):
            im.seek(index)
            frame = im if im.mode in ("1", "L", "RGB") else im.convert("RGB")
            target = workdir / f"page-{index + 1:05d}.{'tif' if frame.mode == '1' else 'png'}"
            options = {"compression": "group4"} if frame.mode == "1" else {"compress_level": 1}
            frame.save(target, dpi=(round(dpi), round(dpi)), **options)
            pages.append(PageImage(target, dpi))
    return pages


def _full_page_image(page: pikepdf.Page) -> tuple[pikepdf.Stream, float]:
    """The one image a scanned PDF page is made of, with its resolution; NotSimple otherwise."""
    if int(page.obj.get("/Rotate", 0)) % 360:
        raise NotSimple("rotated page box")
    images = list(page.get_images(recursive=False).values())
    if len(images) != 1:
        raise NotSimple("not exactly one image")
    box = [float(v) for v in page.mediabox]
    matrix: list[float] | None = None
    draws = 0
    for instruction in pikepdf.parse_content_stream(page):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            raise NotSimple("inline image")
        op = str(instruction.operator)
        if op == "cm":
            matrix = [float(v) for v in instruction.operands]
        elif op == "Do":
            draws += 1
        elif op not in ("q", "Q", "gs"):
            raise NotSimple(f"page draws more than an image ({op})")
    if draws != 1 or matrix is None:
        raise NotSimple("no single image placement")
    a, b, c, d, e, f = matrix
    width, height = box[2] - box[0], box[3] - box[1]
    if abs(b) > 0.01 or abs(c) > 0.01 or abs(a - width) > 1 or abs(d - height) > 1:
        raise NotSimple("image does not fill the page")
    if abs(e - box[0]) > 1 or abs(f - box[1]) > 1:
        raise NotSimple("image is not at the page origin")
    image = images[0]
    if not isinstance(image, pikepdf.Stream):
        raise NotSimple("image is not a stream")
    dpi = float(image.Width) / (width / 72.0)
    if abs(float(image.Height) / dpi * 72.0 - height) > height * 0.01:
        raise NotSimple("image pixels are not square")
    return image, dpi


def pdf_pages(source: Path, workdir: Path) -> list[PageImage]:
    pages: list[PageImage] = []
    workdir.mkdir(parents=True, exist_ok=True)
    with pikepdf.open(source) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            image, dpi = _full_page_image(page)
            pdf_image = pikepdf.PdfImage(image)
            filters = [str(f) for f in pdf_image.filters]
            if filters == ["/DCTDecode"] and str(image.get("/ColorSpace")) in ("/DeviceGray", "/DeviceRGB"):
                target = workdir / f"page-{number:05d}.jpg"
                target.write_bytes(image.read_raw_bytes())
            else:
                try:
                    pil = pdf_image.as_pil_image()
                except Exception as exc:  # an image pikepdf cannot decode: let OCRmyPDF try
                    raise NotSimple(f"image not decodable here: {exc}") from exc
                if pil.mode not in ("1", "L", "RGB"):
                    pil = pil.convert("RGB")
                is_bilevel = pil.mode == "1"
                target = workdir / f"page-{number:05d}.{'tif' if is_bilevel else 'png'}"
                options = {"compression": "group4"} if is_bilevel else {"compress_level": 1}
                pil.save(target, dpi=(round(dpi), round(dpi)), **options)
            pages.append(PageImage(target, dpi))
    return pages


# --- Reading a page ----------------------------------------------------------------------


def skew_from_hocr(hocr: str) -> float:
    """The page's skew in degrees (counter-clockwise positive, as PDF rotations go) from line baselines."""
    slopes: list[float] = []
    widths: list[int] = []
    for title in LINE_TITLE.findall(hocr):
        box, base = BBOX.search(title), BASELINE.search(title)
        if box is None or base is None:
            continue
        widths.append(int(box.group(3)) - int(box.group(1)))
        slopes.append(float(base.group(1)))
    if not slopes:
        return 0.0
    longest = max(widths)
    long_lines = [s for s, w in zip(slopes, widths, strict=True) if w >= longest * 0.4]
    return math.degrees(math.atan(statistics.median(long_lines)))


def _read(image: PageImage, languages: str, prefix: Path) -> PageRead:
    completed = _tesseract(
        [str(image.path), str(prefix), "-l", languages, "--dpi", str(round(image.dpi)), "hocr", "txt", "pdf"]
    )
    pdf = prefix.with_suffix(".pdf")
    if not pdf.exists():
        raise NotSimple(f"tesseract: {completed.stderr.strip()[-300:]}")
    hocr_path, text_path = prefix.with_suffix(".hocr"), prefix.with_suffix(".txt")
    hocr = hocr_path.read_text(encoding="utf-8", errors="replace") if hocr_path.exists() else ""
    text = text_path.read_text(encoding="utf-8", errors="replace") if text_path.exists() else ""
    return PageRead(pdf=pdf, text=text, confidence=mean_word_confidence(hocr), skew_degrees=skew_from_hocr(hocr))


def _orientation(image: PageImage) -> tuple[int, float]:
    out = _tesseract([str(image.path), "stdout", "--psm", "0", "-l", "osd", "--dpi", str(round(image.dpi))]).stdout
    values = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
    try:
        return int(values["Orientation in degrees"].strip()), float(values["Orientation confidence"].strip())
    except (KeyError, ValueError):
        return 0, 0.0


def _words(text: str) -> int:
    return sum(1 for word in text.split() if len(word) > 1)


def read_page(image: PageImage, languages: str, prefix: Path) -> PageRead:
    """OCR one page image; a page read badly is checked for orientation and read again upright."""
    first = _read(image, languages, prefix)
    if (first.confidence or 0) >= SUSPECT_CONFIDENCE and _words(first.text) >= SUSPECT_WORDS:
        return first
    angle, confidence = _orientation(image)
    if angle % 360 == 0 or confidence < ROTATE_CONFIDENCE:
        return first
    with Image.open(image.path) as im:
        # Tesseract says how far the page is turned clockwise; turning it back is a rotation the other way.
        upright = im.rotate(angle, expand=True)
        target = prefix.with_name(f"{prefix.name}-upright.png")
        upright.save(target, dpi=(round(image.dpi), round(image.dpi)))
    second = _read(PageImage(target, image.dpi), languages, prefix.with_name(f"{prefix.name}-upright"))
    if (second.confidence or 0) <= (first.confidence or 0):
        return first
    return PageRead(second.pdf, second.text, second.confidence, second.skew_degrees, rotated=angle % 360)


# --- Assembling ----------------------------------------------------------------------------


def deskew_page(page: pikepdf.Page, degrees: float) -> None:
    """Turn the page's content (image and text layer together) by `degrees` about its centre."""
    box = [float(v) for v in page.mediabox]
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    theta = math.radians(degrees)
    cos, sin = math.cos(theta), math.sin(theta)
    matrix = [cos, sin, -sin, cos, cx - cx * cos + cy * sin, cy - cx * sin - cy * cos]
    operator = " ".join(f"{v:.6f}" for v in matrix)
    page.contents_add(f"q {operator} cm\n".encode(), prepend=True)
    page.contents_add(b"\nQ\n", prepend=False)


def assemble(reads: list[PageRead], target: Path) -> None:
    with pikepdf.new() as pdf:
        sources = [pikepdf.open(read.pdf) for read in reads]
        try:
            for read, source in zip(reads, sources, strict=True):
                pdf.pages.append(source.pages[0])
                if DESKEW_MIN_DEGREES <= abs(read.skew_degrees) <= DESKEW_MAX_DEGREES:
                    deskew_page(pdf.pages[-1], read.skew_degrees)
            pdf.save(target)
        finally:
            for source in sources:
                source.close()


def fast_ocr(source: Path, *, content_type: str, workdir: Path, languages: list[str]) -> tuple[Path, list[PageRead]]:
    """OCR a scan made of page images into `workdir/assembled.pdf` (not yet PDF/A); NotSimple if it is not one."""
    workdir.mkdir(parents=True, exist_ok=True)
    pages = (
        pdf_pages(source, workdir) if content_type == "application/pdf" else image_pages(source, content_type, workdir)
    )
    lang = "+".join(languages)
    reads = [read_page(page, lang, workdir / f"read-{number:05d}") for number, page in enumerate(pages, start=1)]
    assembled = workdir / "assembled.pdf"
    assemble(reads, assembled)
    return assembled, reads
