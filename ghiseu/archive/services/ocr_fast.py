"""The fast OCR path: one Tesseract pass per page, by an engine each worker keeps loaded.

OCRmyPDF's page pipeline (rasterize a preview, detect orientation, rasterize again, detect
skew, rotate and re-encode, OCR, render the text layer, graft it, then a PDF/A pass that
re-checks its tools) costs, on the pages of examples/archive-batch, about as much again as the
OCR itself. For the usual retro-digitized scan — an image file, or a PDF whose pages are each
one full-page image — this path gets the same result with one Tesseract run per page:

- Tesseract runs in the worker's process (tesserocr), its language model loaded once per
  process instead of once per page, on the page image as it is stored (a JPEG is not even
  decoded by Python); in one pass it writes the hOCR (word confidences, line baselines), the
  plain text and the text layer as a text-only PDF page;
- the scanned pixels are not re-encoded: an image file's pages are embedded as they are
  (img2pdf), a scanned PDF keeps its own pages; the text layer is laid over each page;
- orientation: a page Tesseract reads badly (mean word confidence under 60, or hardly any
  words) gets the full orientation check (`--psm 0`); if the page is turned, it is turned
  upright and read again — the rare case pays, the common one does not;
- deskew: the skew is the median slope of the text line baselines Tesseract found; the page
  (image and text layer together) is turned back by that angle with a transformation matrix,
  so nothing is re-encoded and nothing is read twice;
- the PDF/A-2b is written by pikepdf (`pikepdf.pdfa.save`: output intent, XMP, and a
  validation of the bytes written; a file that does not pass goes the slow way).

Anything else — vector content, existing text, an image that does not fill its page, a
rotated page box, pixels that are not square — goes through OCRmyPDF's own pipeline
(`ocr.py`), as does a file whose PDF/A this path cannot confirm. docs/adr/0007 has the figures.
"""

from __future__ import annotations

import functools
import logging
import math
import os
import re
import statistics
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from PIL import Image

log = logging.getLogger(__name__)

LINE_TITLE = re.compile(r"class=['\"]ocr_(?:line|header|caption|textfloat)['\"][^>]*title=['\"]([^'\"]*)['\"]")
BBOX = re.compile(r"bbox (\d+) (\d+) (\d+) (\d+)")
BASELINE = re.compile(r"baseline (-?[\d.]+) (-?[\d.]+)")
WORD_CONFIDENCE = re.compile(r"x_wconf (\d+)")
TESSERACT_TIMEOUT = 600
SUSPECT_CONFIDENCE = 60.0  # a page read worse than this may be turned
SUSPECT_WORDS = 5
ROTATE_CONFIDENCE = 14.0  # OCRmyPDF's default --rotate-pages-threshold
DESKEW_MIN_DEGREES = 0.2
DESKEW_MAX_DEGREES = 10.0
FALLBACK_DPI = 300  # scans whose files do not say their resolution are taken as 300 dpi
PDFA_FLAVOUR = "2b"


class NotSimple(Exception):
    """The file is not made of plain page images: the OCRmyPDF pipeline handles it."""


@dataclass(frozen=True)
class PageImage:
    path: Path
    dpi: float


@dataclass(frozen=True)
class PageRead:
    pdf: Path  # the text layer: a text-only PDF page, the size of the page image
    text: str
    confidence: float | None
    skew_degrees: float
    rotated: int = 0  # clockwise degrees the image was turned before reading
    image: Path | None = None  # the upright image, when the page was turned


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


def mean_word_confidence(hocr: str) -> float | None:
    values = [int(v) for v in WORD_CONFIDENCE.findall(hocr)]
    return round(sum(values) / len(values), 1) if values else None


# --- The engine ----------------------------------------------------------------------------


@functools.cache
def tessdata_dir() -> str:
    """Where the Tesseract language models are: TESSDATA_PREFIX, else where Debian's tesseract looks."""
    configured = os.environ.get("TESSDATA_PREFIX")
    if configured:
        return configured
    listing = _tesseract(["--list-langs"]).stdout
    match = re.search(r'"([^"]+)"', listing)
    return match.group(1) if match else "/usr/share/tesseract-ocr/5/tessdata/"


class Engine:
    """One loaded Tesseract (tesserocr) for one set of languages; one page at a time."""

    def __init__(self, languages: str) -> None:
        import tesserocr

        self._api = tesserocr.PyTessBaseAPI(path=tessdata_dir(), lang=languages)
        for renderer in ("tessedit_create_hocr", "tessedit_create_txt", "tessedit_create_pdf", "textonly_pdf"):
            self._api.SetVariable(renderer, "1")
        self._lock = threading.Lock()

    def read(self, image: PageImage, prefix: Path) -> bool:
        """Write `prefix`.hocr, .txt and .pdf (the text layer) for one page image; False if it cannot."""
        with self._lock:
            self._api.SetVariable("user_defined_dpi", str(round(image.dpi)))
            return bool(self._api.ProcessPages(str(prefix), str(image.path), timeout=TESSERACT_TIMEOUT * 1000))


@functools.cache
def engine(languages: str) -> Engine:
    return Engine(languages)


# --- Page images -------------------------------------------------------------------------


def _dpi_of(image: Image.Image) -> float | None:
    """The image's resolution; None when it says none; NotSimple when its pixels are not square."""
    dpi = image.info.get("dpi")
    if not dpi:
        return None
    x, y = float(dpi[0]), float(dpi[1])
    if abs(x - y) > 0.01 * x:
        raise NotSimple("image pixels are not square")
    return x if x >= 72 else None


def image_pages(source: Path, content_type: str, workdir: Path) -> list[PageImage]:
    """The page images of an image file, each in a form Tesseract reads well."""
    pages: list[PageImage] = []
    workdir.mkdir(parents=True, exist_ok=True)
    with Image.open(source) as im:
        frames = int(getattr(im, "n_frames", 1))
        dpi = _dpi_of(im) or FALLBACK_DPI
        if content_type == "image/jpeg" and frames == 1 and im.mode in ("L", "RGB"):
            return [PageImage(source, dpi)]
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


def image_to_pdf(source: Path, target: Path) -> None:
    """Embed a scan's images in a PDF without recompressing them (Pillow re-encodes only when img2pdf cannot)."""
    import img2pdf

    from ghiseu.archive.services.scans import UNREADABLE_IMAGE, ScanError

    with Image.open(source) as im:
        stated = im.info.get("dpi")
    dpi = (float(stated[0]), float(stated[1])) if stated and min(float(stated[0]), float(stated[1])) >= 72 else None
    options: dict[str, object] = {"rotation": img2pdf.Rotation.ifvalid}
    if not dpi:  # img2pdf would take 96 dpi: a scan that does not say is taken as FALLBACK_DPI
        options["layout_fun"] = img2pdf.get_fixed_dpi_layout_fun((FALLBACK_DPI, FALLBACK_DPI))
    try:
        target.write_bytes(img2pdf.convert(str(source), **options))
        return
    except (img2pdf.AlphaChannelError, img2pdf.ImageOpenError, img2pdf.UnsupportedColorspaceError, ValueError) as exc:
        log.info("img2pdf cannot embed %s as it is (%s); re-encoding losslessly", source.name, exc)
    except Exception as exc:
        raise ScanError(UNREADABLE_IMAGE, f"Imaginea nu poate fi pusă în PDF: {exc}") from exc
    frames: list[Path] = []
    try:
        with Image.open(source) as im:
            resolution = (round(dpi[0]), round(dpi[1])) if dpi else (FALLBACK_DPI, FALLBACK_DPI)
            for index in range(int(getattr(im, "n_frames", 1))):
                im.seek(index)
                frame = im.convert("RGB") if im.mode not in ("1", "L", "RGB") else im.copy()
                path = target.with_name(f"{target.stem}-{index:05d}.png")
                frame.save(path, dpi=resolution)
                frames.append(path)
        target.write_bytes(img2pdf.convert([str(p) for p in frames]))
    except Exception as exc:
        raise ScanError(UNREADABLE_IMAGE, f"Imaginea nu poate fi pusă în PDF: {exc}") from exc
    finally:
        for path in frames:
            path.unlink(missing_ok=True)


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
    pdf = prefix.with_suffix(".pdf")
    if not engine(languages).read(image, prefix) or not pdf.exists():
        raise NotSimple(f"Tesseract could not read {image.path.name}")
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
    return PageRead(second.pdf, second.text, second.confidence, second.skew_degrees, angle % 360, target)


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


def add_text_layer(pdf: pikepdf.Pdf, page: pikepdf.Page, layer: pikepdf.Page) -> None:
    """Draw the text-only page `layer` over `page`, scaled to cover its media box."""
    form = pdf.copy_foreign(layer.as_form_xobject())
    name = page.add_resource(form, pikepdf.Name.XObject, prefix="OCR")
    base = [float(v) for v in page.mediabox]
    own = [float(v) for v in layer.mediabox]
    sx, sy = (base[2] - base[0]) / (own[2] - own[0]), (base[3] - base[1]) / (own[3] - own[1])
    tx, ty = base[0] - own[0] * sx, base[1] - own[1] * sy
    page.contents_add(b"q\n", prepend=True)  # whatever the scan's content leaves set is undone first
    page.contents_add(f"\nQ\nq {sx:.6f} 0 0 {sy:.6f} {tx:.6f} {ty:.6f} cm {name} Do Q\n".encode(), prepend=False)


@contextmanager
def _base_pages(source: Path, content_type: str, workdir: Path) -> Iterator[pikepdf.Pdf]:
    """The pages that show the scan: the PDF's own pages, or an image file's images embedded as they are."""
    if content_type == "application/pdf":
        path = source
    else:
        path = workdir / "images.pdf"
        image_to_pdf(source, path)
    with pikepdf.open(path) as pdf:
        yield pdf


def assemble(source: Path, content_type: str, workdir: Path, reads: list[PageRead], output: Path) -> None:
    """The scan's pages with their text layers, straightened, written as validated PDF/A-2b."""
    from pikepdf import pdfa

    with _base_pages(source, content_type, workdir) as base, pikepdf.new() as pdf:
        if len(base.pages) != len(reads):
            raise NotSimple(f"{len(base.pages)} pages embedded for {len(reads)} read")
        opened: list[pikepdf.Pdf] = []
        try:
            for index, read in enumerate(reads):
                if read.image is not None:  # turned upright: the upright image is what is kept
                    turned = workdir / f"upright-{index + 1:05d}.pdf"
                    image_to_pdf(read.image, turned)
                    opened.append(pikepdf.open(turned))
                    pdf.pages.append(opened[-1].pages[0])
                else:
                    pdf.pages.append(base.pages[index])
                opened.append(pikepdf.open(read.pdf))
                add_text_layer(pdf, pdf.pages[-1], opened[-1].pages[0])
                if DESKEW_MIN_DEGREES <= abs(read.skew_degrees) <= DESKEW_MAX_DEGREES:
                    deskew_page(pdf.pages[-1], read.skew_degrees)
            pdfa.save(pdf, output, PDFA_FLAVOUR, output_intent="sRGB")
        finally:
            for layer in opened:
                layer.close()


def fast_ocr(source: Path, *, content_type: str, workdir: Path, languages: list[str], output: Path) -> list[PageRead]:
    """OCR a scan made of page images into the PDF/A-2b `output`; NotSimple if it is not one.

    `pikepdf.pdfa.PdfaError` when the PDF/A written does not pass pikepdf's validation.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    pages = (
        pdf_pages(source, workdir) if content_type == "application/pdf" else image_pages(source, content_type, workdir)
    )
    lang = "+".join(languages)
    reads = [read_page(page, lang, workdir / f"read-{number:05d}") for number, page in enumerate(pages, start=1)]
    assemble(source, content_type, workdir, reads, output)
    return reads
