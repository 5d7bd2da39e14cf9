"""OCR of one scan: Tesseract, to a PDF/A-2b copy and the text of each page.

- A scan made of plain page images (the usual retro-digitized file) takes the fast path of
  `ocr_fast.py`: one Tesseract pass per page in the worker's own loaded engine, the pixels
  kept as they are, the PDF/A written by pikepdf. Everything else, and any file that path
  cannot finish, goes through OCRmyPDF's pipeline, as below.
- Images (TIFF, multi-page too; JPEG; PNG) become a PDF with img2pdf first, which embeds
  the scanned pixels as they are (a JPEG is not recompressed); a PDF goes in as it is.
- OCRmyPDF runs with the languages of `GHISEU_ARCHIVE_OCR_LANGUAGES` (default `ron`, ADR 0006),
  page rotation and deskew on, one job and one Tesseract thread (`OMP_THREAD_LIMIT=1`): a
  task OCRs one file on one core, and a machine runs as many tasks as it has cores.
- Pages that already carry a text layer are not OCR'd again (OCRmyPDF `skip`) unless
  `force_ocr`; their text is read from the PDF (pdfminer) and `has_text_layer` is set.
- The text of an OCR'd page is Tesseract's own, with its mean word confidence, handed over by
  the plugin in `ocr_plugin.py` (which also makes orientation and skew checks cheaper).
- All text is normalized: Tesseract's `ron` model writes cedilla ş ţ for comma-below ș ț.
"""

from __future__ import annotations

import functools
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from ghiseu.archive.services.ocr_fast import image_to_pdf
from ghiseu.archive.services.scans import CORRUPT_PDF, ENCRYPTED_PDF, OCR_FAILED, ScanError
from ghiseu.core.text import normalize_romanian

log = logging.getLogger(__name__)


def _not_size_growth(record: logging.LogRecord) -> bool:
    # OCRmyPDF warns when its output is larger than its input; for an archival copy that is
    # expected (deskewed pages are re-encoded, PDF/A embeds fonts and profiles).
    return not record.getMessage().startswith("The output file size is")


logging.getLogger("ocrmypdf._validation").addFilter(_not_size_growth)

PLUGIN = "ghiseu.archive.services.ocr_plugin"
DEFAULT_LANGUAGES = "ron"
ARCHIVAL_FORMAT = "PDF/A-2b"


@dataclass(frozen=True)
class PageText:
    number: int
    text: str
    confidence: float | None
    has_text_layer: bool


@dataclass(frozen=True)
class OcrResult:
    pdf: Path  # the archival copy: PDF/A-2b (see `format`)
    pages: list[PageText]
    seconds: float
    format: str = "PDF/A-2b"
    note: str = ""
    engine: str = "ocrmypdf"  # or "fast": one Tesseract pass per page image (ocr_fast.py)

    @property
    def ocr_pages(self) -> int:
        return sum(1 for page in self.pages if not page.has_text_layer)


def ocr_engine() -> str:
    """`auto` (the fast path for plain page images, OCRmyPDF's pipeline for the rest) or `ocrmypdf`."""
    return str(getattr(settings, "GHISEU_ARCHIVE_OCR_ENGINE", "") or "auto")


def ocr_languages() -> list[str]:
    value = str(getattr(settings, "GHISEU_ARCHIVE_OCR_LANGUAGES", "") or DEFAULT_LANGUAGES)
    return [lang for lang in value.replace(",", "+").split("+") if lang.strip()]


def _clean(text: str) -> str:
    text = normalize_romanian(text.replace("\f", "\n").replace("\x00", " "))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(lines).strip()


def pdf_page_texts(path: Path) -> list[str]:
    """The text each page of a PDF already carries (empty for a page that is only an image).

    Text inside form XObjects counts (OCR layers grafted by OCRmyPDF live there).
    """
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTContainer, LTTextContainer

    def collect(element: object, parts: list[str]) -> None:
        if isinstance(element, LTTextContainer):
            parts.append(element.get_text())
        elif isinstance(element, LTContainer):
            for child in element:
                collect(child, parts)

    texts: list[str] = []
    try:
        for layout in extract_pages(str(path), laparams=LAParams(all_texts=True)):
            parts: list[str] = []
            collect(layout, parts)
            texts.append("".join(parts))
    except Exception as exc:  # pdfminer raises many kinds on damaged files
        raise ScanError(CORRUPT_PDF, f"Textul PDF-ului nu poate fi citit: {exc}") from exc
    return texts


def _read_plugin_pages(output: Path) -> dict[int, tuple[str, float | None]]:
    from ghiseu.archive.services.ocr_plugin import pages_dir_for

    found: dict[int, tuple[str, float | None]] = {}
    directory = pages_dir_for(output)
    if directory.is_dir():
        for path in directory.glob("*.json"):
            record = json.loads(path.read_text(encoding="utf-8"))
            found[int(record["page"])] = (str(record.get("text") or ""), record.get("confidence"))
    return found


def _run_ocrmypdf(input_pdf: Path, output: Path, *, mode: str, output_type: str, pdfa_backend: str) -> None:
    import ocrmypdf

    ocrmypdf.ocr(
        input_pdf,
        output,
        language=ocr_languages(),
        output_type=output_type,
        pdfa_backend=pdfa_backend,
        mode=mode,
        rotate_pages=True,
        deskew=True,
        jobs=1,  # one page at a time, and so one Tesseract thread (OCRmyPDF: jobs // pages, at least 1)
        use_threads=True,
        progress_bar=False,
        pdf_renderer="sandwich",
        tesseract_config=["hocr"],  # the same Tesseract pass also writes hOCR: word confidences
        invalidate_digital_signatures=True,  # only the copy: the signed original is kept as it is
        plugins=[PLUGIN],
    )


@functools.cache
def ghostscript_keeps_text() -> bool:
    """False for Ghostscript 10.0.0–10.02.0 (Debian 12 has 10.0.0), which corrupts existing text."""
    from ocrmypdf._exec import ghostscript
    from packaging.version import Version

    try:
        version = Version(str(ghostscript.version()))
    except Exception:  # no Ghostscript at all: OCRmyPDF's own PDF/A writer only
        return False
    return not Version("10.0.0") <= version < Version("10.02.1")


def _convert(input_pdf: Path, output: Path, *, force_ocr: bool, keeps_text: bool) -> tuple[str, str]:
    """Run OCRmyPDF; returns the archival copy's format and a note when it could not be PDF/A.

    Pages with a text layer are kept (`skip`). Their PDF/A conversion uses Ghostscript only
    where it does not corrupt existing text (`ghostscript_keeps_text`; OCRmyPDF refuses the
    others for this mode), else OCRmyPDF's own PDF/A writer, which cannot confirm every file
    (e.g. some embedded fonts): then the copy is a plain PDF and the note says so. The
    original is kept unaltered either way.
    """
    from ocrmypdf import exceptions as ocr_errors

    from ghiseu.archive.services.ocr_plugin import pages_dir_for

    if not force_ocr and not keeps_text:
        try:
            _run_ocrmypdf(input_pdf, output, mode="default", output_type="pdfa-2", pdfa_backend="auto")
            return ARCHIVAL_FORMAT, ""
        except ocr_errors.PriorOcrFoundError:
            pass  # text pdfminer did not see: keep it, as below
    if force_ocr:
        _run_ocrmypdf(input_pdf, output, mode="force", output_type="pdfa-2", pdfa_backend="auto")
        return ARCHIVAL_FORMAT, ""
    backend = "auto" if ghostscript_keeps_text() else "internal"
    try:
        _run_ocrmypdf(input_pdf, output, mode="skip", output_type="pdfa-2", pdfa_backend=backend)
        return ARCHIVAL_FORMAT, ""
    except ocr_errors.PdfaConversionFailedError as exc:
        log.warning("PDF/A conversion of %s failed, keeping a plain PDF copy: %s", input_pdf.name, exc)
    for stale in pages_dir_for(output).glob("*.json"):
        stale.unlink()
    _run_ocrmypdf(input_pdf, output, mode="skip", output_type="pdf", pdfa_backend="internal")
    return "PDF", "copia de arhivare nu a putut fi făcută PDF/A (textul existent al PDF-ului a fost păstrat)"


def ocr_scan(source: Path, *, content_type: str, workdir: Path, force_ocr: bool = False) -> OcrResult:
    """OCR one scan file into `workdir`; ScanError (with a reason code) when it cannot be done."""
    from ocrmypdf import exceptions as ocr_errors

    started = time.monotonic()
    workdir.mkdir(parents=True, exist_ok=True)
    output = workdir / "archival.pdf"
    if ocr_engine() != "ocrmypdf":
        # A scan made of page images (no text: a text operator makes it "not simple") goes the fast way.
        fast = _try_fast(source, content_type=content_type, workdir=workdir / "fast", output=output)
        if fast is not None:
            return OcrResult(pdf=output, pages=fast, seconds=time.monotonic() - started, engine="fast")
    if content_type == "application/pdf":
        input_pdf = source
        existing = pdf_page_texts(source)
    else:
        input_pdf = workdir / "input.pdf"
        image_to_pdf(source, input_pdf)
        existing = []
    has_layer = [bool(text.strip()) and not force_ocr for text in existing]
    try:
        archival_format, note = _convert(input_pdf, output, force_ocr=force_ocr, keeps_text=any(has_layer))
    except ocr_errors.EncryptedPdfError as exc:
        raise ScanError(ENCRYPTED_PDF, "PDF-ul este criptat.") from exc
    except (ocr_errors.InputFileError, ocr_errors.UnsupportedImageFormatError, ocr_errors.DpiError) as exc:
        raise ScanError(CORRUPT_PDF, f"OCRmyPDF nu poate citi fișierul: {exc}") from exc
    except ocr_errors.ExitCodeException as exc:
        raise ScanError(OCR_FAILED, f"OCR eșuat ({type(exc).__name__}): {exc}") from exc
    recognized = _read_plugin_pages(output)
    page_count = max(len(existing), max(recognized, default=0), _pdf_page_count(output))
    pages = []
    for number in range(1, page_count + 1):
        layer = number <= len(has_layer) and has_layer[number - 1]
        if layer:
            pages.append(PageText(number, _clean(existing[number - 1]), None, True))
        else:
            text, confidence = recognized.get(number, ("", None))
            pages.append(PageText(number, _clean(text), confidence, False))
    return OcrResult(pdf=output, pages=pages, seconds=time.monotonic() - started, format=archival_format, note=note)


def _try_fast(source: Path, *, content_type: str, workdir: Path, output: Path) -> list[PageText] | None:
    """The fast path (ocr_fast.py), PDF/A-2b included; None when it does not apply."""
    import pikepdf
    from pikepdf.pdfa import PdfaError

    from ghiseu.archive.services.ocr_fast import NotSimple, fast_ocr

    try:
        reads = fast_ocr(source, content_type=content_type, workdir=workdir, languages=ocr_languages(), output=output)
    except NotSimple as exc:
        log.info("%s: OCRmyPDF pipeline (%s)", source.name, exc)
        return None
    except (pikepdf.PdfError, OSError, ValueError) as exc:  # OCRmyPDF's pipeline says what is wrong with it
        log.info("%s: OCRmyPDF pipeline (%s: %s)", source.name, type(exc).__name__, exc)
        return None
    except PdfaError as exc:
        log.warning("%s: the fast path could not make PDF/A (%s); OCRmyPDF pipeline", source.name, exc)
        return None
    return [PageText(number, _clean(read.text), read.confidence, False) for number, read in enumerate(reads, start=1)]


def _pdf_page_count(path: Path) -> int:
    import pikepdf

    with pikepdf.open(path) as pdf:
        return len(pdf.pages)
