"""Small scans made on the fly: Romanian text rendered with DejaVu, as images and PDFs."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import img2pdf
import pikepdf
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
DPI = 300


def render_text_image(lines: list[str], *, width: int = 1500, font_size: int = 44, angle: float = 0.0) -> Image.Image:
    """A small greyscale "scan" (300 dpi) of a few lines of text: quick to OCR."""
    face = ImageFont.truetype(FONT, font_size)
    line_height = int(font_size * 1.6)
    image = Image.new("L", (width, 140 + line_height * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(lines):
        draw.text((70, 70 + index * line_height), line, font=face, fill=0)
    if angle:
        image = image.rotate(angle, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    return image


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(DPI, DPI))
    return buffer.getvalue()


def jpeg_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80, dpi=(DPI, DPI))
    return buffer.getvalue()


def tiff_bytes(images: list[Image.Image]) -> bytes:
    buffer = io.BytesIO()
    first, *rest = images
    first.save(buffer, format="TIFF", save_all=True, append_images=rest, compression="tiff_lzw", dpi=(DPI, DPI))
    return buffer.getvalue()


def scanned_pdf(images: list[Image.Image]) -> bytes:
    """An image-only PDF, as a scanner writes it."""
    return bytes(img2pdf.convert([png_bytes(image) for image in images]))


def text_pdf(texts: list[str]) -> bytes:
    """A born-digital PDF: one page per text, real text (a text layer), DejaVu embedded."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", fname=FONT)
    pdf.set_font("DejaVu", size=12)
    for text in texts:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def encrypted_pdf(images: list[Image.Image]) -> bytes:
    buffer = io.BytesIO()
    with pikepdf.open(io.BytesIO(scanned_pdf(images))) as pdf:
        pdf.save(buffer, encryption=pikepdf.Encryption(owner="secret", user="parola", R=6))
    return buffer.getvalue()


MANIFEST_COLUMNS = [
    "file",
    "dossier_code",
    "dossier_year",
    "dossier_title",
    "department",
    "document_title",
    "document_date",
    "pages",
    "physical_location",
    "document_number",
    "keywords",
    "access_class",
]


def manifest_row(file: str, pages: int, **overrides: Any) -> dict[str, Any]:
    row = {
        "file": file,
        "dossier_code": "III/B/4",
        "dossier_year": "2021",
        "dossier_title": "Certificate de atestare fiscală, 2021",
        "department": "TAX",
        "document_title": f"Certificat de atestare fiscală — {file}",
        "document_date": "2021-03-15",
        "pages": str(pages),
        "physical_location": "Depozit, raft 3, cutia 7",
        "document_number": "123",
        "keywords": "certificat fiscal",
        "access_class": "internal",
    }
    row.update(overrides)
    return row


def write_batch(folder: Path, files: dict[str, bytes], rows: list[dict[str, Any]], *, delimiter: str = ",") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    with (folder / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=MANIFEST_COLUMNS, delimiter=delimiter, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return folder


ROMANIAN_LINES = [
    "Primăria Municipiului Lupeni",
    "Registratura generală a primit cererea",
    "privind eliberarea certificatului fiscal.",
]
