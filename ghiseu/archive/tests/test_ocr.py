"""Real OCR (OCRmyPDF + Tesseract ron) on small rendered Romanian pages: few tests, 1–2 pages each."""

from __future__ import annotations

import math
from pathlib import Path

import pikepdf
import pytest

from ghiseu.archive.models import Document, ItemStatus, VersionKind
from ghiseu.archive.services import imports
from ghiseu.archive.services.ocr import ghostscript_keeps_text, ocr_scan
from ghiseu.archive.services.ocr_fast import NotSimple, pdf_pages, skew_from_hocr
from ghiseu.archive.services.ocr_plugin import mean_word_confidence
from ghiseu.archive.tests.helpers import (
    ROMANIAN_LINES,
    jpeg_bytes,
    manifest_row,
    png_bytes,
    render_text_image,
    scanned_pdf,
    text_pdf,
    write_batch,
)
from ghiseu.core.files import open_stored
from ghiseu.core.text import fold

CEDILLA = set("şţŞŢ")


def _is_pdfa_2b(path_or_bytes: Path | bytes) -> bool:
    source = path_or_bytes if isinstance(path_or_bytes, Path) else __import__("io").BytesIO(path_or_bytes)
    with pikepdf.open(source) as pdf, pdf.open_metadata() as meta:
        return str(meta.get("pdfaid:part")) == "2" and str(meta.get("pdfaid:conformance")) == "B"


@pytest.mark.parametrize(("engine", "used"), [("auto", "fast"), ("ocrmypdf", "ocrmypdf")])
def test_ocr_of_a_rendered_romanian_page_finds_its_words(tmp_path, settings, engine, used):
    settings.GHISEU_ARCHIVE_OCR_ENGINE = engine
    scan = tmp_path / "page.png"
    scan.write_bytes(png_bytes(render_text_image([*ROMANIAN_LINES, "Județul Hunedoara, secțiunea întâi."])))

    result = ocr_scan(scan, content_type="image/png", workdir=tmp_path / "work")

    assert result.engine == used
    (page,) = result.pages
    words = fold(page.text).split()
    for expected in ("primaria", "municipiului", "lupeni", "registratura", "certificatului", "judetul"):
        assert expected in words
    assert not CEDILLA & set(page.text)  # Tesseract's cedilla ş ţ are stored as comma-below ș ț
    assert "ț" in page.text or "ș" in page.text
    assert page.has_text_layer is False
    assert page.confidence is not None and page.confidence > 70
    assert _is_pdfa_2b(result.pdf)
    assert result.format == "PDF/A-2b"


@pytest.mark.parametrize(("engine", "used"), [("auto", "fast"), ("ocrmypdf", "ocrmypdf")])
def test_a_page_scanned_sideways_is_turned_and_read(tmp_path, settings, engine, used):
    settings.GHISEU_ARCHIVE_OCR_ENGINE = engine
    scan = tmp_path / "sideways.pdf"
    lines = ["Primăria Municipiului Lupeni", "Registratura generală", "Dispoziția primarului", "Consiliul Local"]
    scan.write_bytes(scanned_pdf([render_text_image(lines * 3, angle=90)]))

    result = ocr_scan(scan, content_type="application/pdf", workdir=tmp_path / "work")

    assert result.engine == used
    words = fold(result.pages[0].text).split()
    assert "registratura" in words and "primaria" in words
    with pikepdf.open(result.pdf) as pdf:  # the archival copy shows the page upright: wider than tall
        page = pdf.pages[0]
        width, height = float(page.mediabox[2] - page.mediabox[0]), float(page.mediabox[3] - page.mediabox[1])
        if int(page.obj.get("/Rotate", 0)) % 180 == 90:
            width, height = height, width
        assert width > height


def test_a_pdf_with_a_text_layer_is_not_ocrd_again_unless_forced(tmp_path):
    scan = tmp_path / "digital.pdf"
    scan.write_bytes(text_pdf(["Registratura Primăriei Municipiului Lupeni: adresă către Instituția Prefectului."]))

    kept = ocr_scan(scan, content_type="application/pdf", workdir=tmp_path / "kept")
    assert kept.engine == "ocrmypdf"  # a page with text is never "plain page images"
    assert kept.pages[0].has_text_layer is True
    assert kept.pages[0].confidence is None
    assert "Instituția Prefectului" in kept.pages[0].text  # the PDF's own text, exactly
    with pikepdf.open(kept.pdf) as pdf:
        assert len(pdf.pages) == 1
    if ghostscript_keeps_text():
        assert kept.format == "PDF/A-2b" and _is_pdfa_2b(kept.pdf)
    else:  # Debian 12's Ghostscript 10.0.0 may not touch it, OCRmyPDF's own writer cannot confirm it
        assert kept.format == "PDF" and "PDF/A" in kept.note

    forced = ocr_scan(scan, content_type="application/pdf", workdir=tmp_path / "forced", force_ocr=True)
    assert forced.pages[0].has_text_layer is False
    assert forced.pages[0].confidence is not None
    assert "registratura" in fold(forced.pages[0].text).split()


def test_a_skewed_scan_is_straightened_by_turning_its_page_not_its_pixels(tmp_path):
    scan = tmp_path / "skewed.jpg"
    image = render_text_image([*ROMANIAN_LINES, "Consiliul Local al Municipiului Lupeni"] * 2, angle=2.0)
    scan.write_bytes(jpeg_bytes(image))

    result = ocr_scan(scan, content_type="image/jpeg", workdir=tmp_path / "work")

    assert result.engine == "fast"
    assert {"primaria", "registratura"} <= set(fold(result.pages[0].text).split())
    with pikepdf.open(result.pdf) as pdf:
        instructions = pikepdf.parse_content_stream(pdf.pages[0])
        operands = next(
            i.operands
            for i in instructions
            if isinstance(i, pikepdf.ContentStreamInstruction) and str(i.operator) == "cm"
        )
        a, b = float(operands[0]), float(operands[1])
        assert abs(math.degrees(math.atan2(b, a)) + 2.0) < 0.4  # turned back by about 2 degrees
        (embedded,) = pdf.pages[0].get_images(recursive=True).values()
        assert embedded.read_raw_bytes() == scan.read_bytes()  # the scan's JPEG, not re-encoded


@pytest.mark.parametrize("kind", ["png", "pdf"])
def test_the_text_layer_lies_over_the_words_and_the_scan_is_kept_as_it_is(tmp_path, kind):
    import pypdfium2

    image = render_text_image(ROMANIAN_LINES)
    scan = tmp_path / f"scan.{kind}"
    scan.write_bytes(png_bytes(image) if kind == "png" else scanned_pdf([image]))

    result = ocr_scan(scan, content_type="image/png" if kind == "png" else "application/pdf", workdir=tmp_path / "w")

    assert result.engine == "fast" and _is_pdfa_2b(result.pdf)
    document = pypdfium2.PdfDocument(str(result.pdf))
    page = document[0]
    width, height = page.get_size()
    assert abs(width - image.width * 72 / 300) < 0.5 and abs(height - image.height * 72 / 300) < 0.5
    text_page = page.get_textpage()
    found = text_page.get_text_range()
    assert "Lupeni" in found or "LUPENI" in found.upper()
    # The first line is drawn 70 px (16.8 pt at 300 dpi) from the left and the top of the image.
    left, _bottom, _right, top = text_page.get_charbox(0)
    assert abs(left - 16.8) < 3
    assert abs((height - top) - 16.8) < 6
    document.close()
    with pikepdf.open(result.pdf) as pdf:
        (embedded,) = pdf.pages[0].get_images(recursive=True).values()
        assert isinstance(embedded, pikepdf.Stream)
        assert pikepdf.PdfImage(embedded).as_pil_image().convert("L").tobytes() == image.tobytes()
        if kind == "pdf":
            with pikepdf.open(scan) as original:
                (source,) = original.pages[0].get_images(recursive=False).values()
                assert embedded.read_raw_bytes() == source.read_raw_bytes()  # the scan's own image stream


def test_a_scan_whose_pixels_are_not_square_goes_through_ocrmypdf(tmp_path):
    import io

    buffer = io.BytesIO()
    render_text_image(ROMANIAN_LINES).save(buffer, format="PNG", dpi=(300, 150))
    scan = tmp_path / "fax.png"
    scan.write_bytes(buffer.getvalue())

    result = ocr_scan(scan, content_type="image/png", workdir=tmp_path / "w")

    assert result.engine == "ocrmypdf" and result.format == "PDF/A-2b"
    assert {"primaria", "registratura"} <= set(fold(result.pages[0].text).split())


def test_skew_comes_from_the_median_baseline_of_the_long_lines():
    line = "<span class='ocr_line' id='l{n}' title=\"bbox 10 {y} {x2} {y2}; baseline {slope} -5; x_size 40\">"
    hocr = "".join(
        [
            line.format(n=1, y=10, x2=1000, y2=50, slope="-0.035"),
            line.format(n=2, y=60, x2=1000, y2=100, slope="-0.035"),
            line.format(n=3, y=110, x2=980, y2=150, slope="-0.030"),
            line.format(n=4, y=160, x2=60, y2=200, slope="0.5"),  # a short line (a signature) is ignored
        ]
    )
    assert abs(skew_from_hocr(hocr) - math.degrees(math.atan(-0.035))) < 1e-9
    assert skew_from_hocr("<p>nothing</p>") == 0.0


def test_only_pages_that_are_one_full_page_image_take_the_fast_path(tmp_path):
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(scanned_pdf([render_text_image(["Registratura"]), render_text_image(["Primăria"])]))
    pages = pdf_pages(plain, tmp_path / "plain")
    assert len(pages) == 2 and all(p.path.exists() and 299 <= p.dpi <= 301 for p in pages)

    with pikepdf.open(plain) as pdf:  # a line drawn over the scan: vector content
        pdf.pages[1].contents_add(b"0 0 m 100 100 l S", prepend=False)
        pdf.save(tmp_path / "drawn.pdf")
    with pytest.raises(NotSimple):
        pdf_pages(tmp_path / "drawn.pdf", tmp_path / "drawn")
    digital = tmp_path / "digital.pdf"
    digital.write_bytes(text_pdf(["Registratura"]))
    with pytest.raises(NotSimple):
        pdf_pages(digital, tmp_path / "digital")


def test_word_confidence_is_the_mean_of_hocr_word_confidences():
    hocr = "<span class='ocrx_word' title='bbox 1 2 3 4; x_wconf 90'>a</span><span title='x_wconf 70'>b</span>"
    assert mean_word_confidence(hocr) == 80.0
    assert mean_word_confidence("<p>no words</p>") is None


@pytest.mark.django_db
def test_an_imported_scan_keeps_its_original_and_gets_a_searchable_pdfa_copy(tmp_path, nomenclator):
    from django_tasks_db.models import DBTaskResult

    original = png_bytes(render_text_image(ROMANIAN_LINES))
    folder = write_batch(tmp_path / "batch", {"scan.png": original}, [manifest_row("scan.png", 1)])

    batch = imports.import_register(path=folder)
    (item_id,) = imports.import_pending_ids(batch)
    assert imports.import_process_item(item_id) == ItemStatus.DONE

    document = Document.objects.get()
    with open_stored(document.versions.get(kind=VersionKind.ORIGINAL).file) as fh:
        assert fh.read() == original  # byte-identical
    archival = document.versions.get(kind=VersionKind.ARCHIVAL)
    assert archival.file.content_type == "application/pdf" and archival.format == "PDF/A-2b"
    with open_stored(archival.file) as fh:
        pdf_bytes = fh.read()
    assert _is_pdfa_2b(pdf_bytes)
    page = document.pages.get()
    assert {"primaria", "registratura"} <= set(fold(page.text).split())
    # The page went to the search index through the outbox, in the same transaction.
    indexed = DBTaskResult.objects.filter(queue_name="search")
    assert indexed.count() == 1
    assert str(document.pk) in str(indexed.get().args_kwargs)


@pytest.mark.django_db(transaction=True)
def test_the_command_starts_its_own_workers_and_follows_them_to_the_end(tmp_path, nomenclator, settings, monkeypatch):
    """`archive_import PATH --workers 2`: real worker processes on the OCR queue, started before
    the files are registered and stopped once the batch is done."""
    import io
    import os

    from django.core.management import call_command
    from django.db import connection

    from ghiseu.archive.models import BatchStatus, ImportBatch, ImportItem

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{db['NAME']}"
    else:
        url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    monkeypatch.setenv("DATABASE_URL", url)  # the workers are other processes: they open the test database
    monkeypatch.setenv("GHISEU_MEDIA_ROOT", str(settings.MEDIA_ROOT))
    monkeypatch.setenv("GHISEU_SEARCH_INDEX_DIR", str(tmp_path / "search-index"))
    files = {
        "a.png": png_bytes(render_text_image(ROMANIAN_LINES)),
        "b.jpg": jpeg_bytes(render_text_image(["Registratura generală", "Consiliul Local Lupeni"])),
    }
    folder = write_batch(tmp_path / "batch", files, [manifest_row("a.png", 1), manifest_row("b.jpg", 1)])

    call_command(
        "archive_import", str(folder), "--workers", "2", "--report", str(tmp_path / "r.csv"), stdout=io.StringIO()
    )

    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.FINISHED and batch.counts["done"] == 2
    workers = set(ImportItem.objects.values_list("claimed_by", flat=True))
    assert workers and all(name and not name.endswith(f":{os.getpid()}") for name in workers)  # not this process
    texts = " ".join(page.text for document in Document.objects.all() for page in document.pages.all())
    assert {"registratura", "lupeni"} <= set(fold(texts).split())
