"""Where a batch's files come from (a folder or a ZIP) and what a scan file holds.

A batch source lists the scan files it holds (by extension: .pdf .tif .tiff .jpg .jpeg .png;
anything else beside them, such as a README or the manifest, is not a scan) and opens them
by their path relative to the batch root, as the manifest names them.
`inspect_scan` looks inside one file cheaply — before it is stored or sent to OCR — and
raises `ScanError` with a reason code for every kind of bad file the import reports.
"""

from __future__ import annotations

import posixpath
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

import pikepdf
from PIL import Image, ImageFile, UnidentifiedImageError

from ghiseu.core.files import sniff_content_type

SCAN_EXTENSIONS = frozenset({".pdf", ".tif", ".tiff", ".jpg", ".jpeg", ".png"})
MANIFEST_NAMES = ("manifest.csv", "manifest.xlsx")
IMAGE_TYPES = frozenset({"image/tiff", "image/jpeg", "image/png"})
PDF_TYPE = "application/pdf"
IMAGE_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")

# Reason codes of the import report (docs/archive-import.md lists them with their meaning).
UNSUPPORTED_TYPE = "unsupported_type"
CORRUPT_PDF = "corrupt_pdf"
ENCRYPTED_PDF = "encrypted_pdf"
UNREADABLE_IMAGE = "unreadable_image"
PAGE_MISMATCH = "page_mismatch"
MISSING_FILE = "missing_file"
NOT_IN_MANIFEST = "not_in_manifest"
BAD_LINE = "bad_manifest_line"
DUPLICATE_LINE = "duplicate_line"
TOO_LARGE = "too_large"
OCR_FAILED = "ocr_failed"


class ScanError(Exception):
    """A file that cannot be imported; `code` is the reason code, `message` says why in Romanian."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ScanInfo:
    content_type: str
    pages: int

    @property
    def is_pdf(self) -> bool:
        return self.content_type == PDF_TYPE


def safe_relative_path(name: str) -> str | None:
    """The manifest's file name as a clean relative POSIX path, or None if it leaves the batch."""
    cleaned = name.strip().replace("\\", "/")
    if not cleaned or cleaned.startswith("/") or (len(cleaned) > 1 and cleaned[1] == ":"):
        return None
    normalized = posixpath.normpath(cleaned)
    if normalized in (".", "") or normalized.startswith("../") or normalized == "..":
        return None
    return normalized


def is_scan_name(name: str) -> bool:
    pure = PurePosixPath(name)
    return pure.suffix.lower() in SCAN_EXTENSIONS and not any(part.startswith(".") for part in pure.parts)


class BatchSource:
    """A batch's files: `names()` of scans, `manifest()`, `open(name)`, `size(name)`."""

    root: str

    def names(self) -> list[str]:
        raise NotImplementedError

    def has(self, name: str) -> bool:
        raise NotImplementedError

    def size(self, name: str) -> int:
        raise NotImplementedError

    def open(self, name: str) -> IO[bytes]:
        raise NotImplementedError

    def manifest(self) -> tuple[str, bytes]:
        """The manifest's name and bytes; raises ScanError when there is none or more than one."""
        found = [name for name in self._top_level_names() if name.lower() in MANIFEST_NAMES]
        if not found:
            raise ScanError("no_manifest", f"Lotul {self.root} nu are manifest.csv sau manifest.xlsx.")
        if len(found) > 1:
            raise ScanError("two_manifests", f"Lotul {self.root} are mai multe manifeste: {', '.join(sorted(found))}.")
        with self.open(found[0]) as fh:
            return found[0], fh.read()

    def _top_level_names(self) -> list[str]:
        raise NotImplementedError

    def close(self) -> None:
        return None


class FolderSource(BatchSource):
    def __init__(self, path: Path) -> None:
        self.path = path.resolve()
        self.root = str(self.path)

    def _resolve(self, name: str) -> Path:
        target = (self.path / name).resolve()
        if not target.is_relative_to(self.path):
            raise ScanError(MISSING_FILE, f"Calea „{name}” iese din dosarul lotului.")
        return target

    def names(self) -> list[str]:
        found = []
        for path in self.path.rglob("*"):
            if path.is_file():
                rel = path.relative_to(self.path).as_posix()
                if is_scan_name(rel):
                    found.append(rel)
        return sorted(found)

    def has(self, name: str) -> bool:
        try:
            return self._resolve(name).is_file()
        except ScanError:
            return False

    def size(self, name: str) -> int:
        return self._resolve(name).stat().st_size

    def open(self, name: str) -> IO[bytes]:
        return self._resolve(name).open("rb")

    def _top_level_names(self) -> list[str]:
        return [p.name for p in self.path.iterdir() if p.is_file()]


class ZipSource(BatchSource):
    """A ZIP read in place: members are streamed, never extracted next to anything."""

    def __init__(self, path: Path) -> None:
        self.path = path.resolve()
        self.root = str(self.path)
        try:
            self.zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise ScanError("bad_zip", f"Arhiva ZIP {self.path} nu poate fi citită: {exc}") from exc
        self._members: dict[str, zipfile.ZipInfo] = {}
        for info in self.zip.infolist():
            if info.is_dir():
                continue
            clean = safe_relative_path(info.filename)
            if clean is not None:
                self._members[clean] = info
        # A ZIP made of one folder (batch/manifest.csv, batch/a.pdf …) is read from inside it.
        self.prefix = ""
        tops = {name.split("/", 1)[0] for name in self._members}
        if len(tops) == 1 and all("/" in name for name in self._members):
            self.prefix = f"{tops.pop()}/"

    def _full(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def names(self) -> list[str]:
        return sorted(
            name[len(self.prefix) :]
            for name in self._members
            if name.startswith(self.prefix) and is_scan_name(name[len(self.prefix) :])
        )

    def has(self, name: str) -> bool:
        return self._full(name) in self._members

    def size(self, name: str) -> int:
        return self._members[self._full(name)].file_size

    def open(self, name: str) -> IO[bytes]:
        info = self._members.get(self._full(name))
        if info is None:
            raise ScanError(MISSING_FILE, f"Fișierul „{name}” nu este în arhivă.")
        return self.zip.open(info)

    def _top_level_names(self) -> list[str]:
        return [
            name[len(self.prefix) :]
            for name in self._members
            if name.startswith(self.prefix) and "/" not in name[len(self.prefix) :]
        ]

    def close(self) -> None:
        self.zip.close()


@contextmanager
def open_source(path: Path) -> Iterator[BatchSource]:
    if path.is_dir():
        source: BatchSource = FolderSource(path)
    elif path.is_file() and zipfile.is_zipfile(path):
        source = ZipSource(path)
    else:
        raise ScanError("bad_source", f"{path} nu este nici un dosar, nici o arhivă ZIP.")
    try:
        yield source
    finally:
        source.close()


def inspect_scan(path: Path) -> ScanInfo:
    """The content type and page count of a scan; ScanError for any file that cannot be imported."""
    with path.open("rb") as fh:
        head = fh.read(8192)
    if not head:
        raise ScanError(UNSUPPORTED_TYPE, "Fișierul este gol.")
    content_type = sniff_content_type(head)
    if content_type == PDF_TYPE:
        return ScanInfo(content_type, _pdf_pages(path))
    if content_type in IMAGE_TYPES:
        return ScanInfo(content_type, _image_pages(path))
    if head.startswith(b"%PDF"):
        raise ScanError(CORRUPT_PDF, "Fișierul pare PDF, dar nu poate fi citit.")
    if head.startswith(IMAGE_SIGNATURES):
        raise ScanError(UNREADABLE_IMAGE, "Fișierul pare o imagine, dar nu poate fi citit.")
    raise ScanError(
        UNSUPPORTED_TYPE,
        f"Tip de fișier neacceptat ({content_type}); se acceptă PDF, TIFF, JPEG și PNG.",
    )


def _pdf_pages(path: Path) -> int:
    try:
        with pikepdf.open(path) as pdf:
            if pdf.is_encrypted:
                raise ScanError(ENCRYPTED_PDF, "PDF-ul este criptat (protejat cu parolă sau restricții).")
            count = len(pdf.pages)
            for page in pdf.pages:  # touch every page: a broken page tree fails here, not in OCR
                _ = page.mediabox
    except pikepdf.PasswordError as exc:
        raise ScanError(ENCRYPTED_PDF, "PDF-ul este criptat (protejat cu parolă).") from exc
    except ScanError:
        raise
    except Exception as exc:  # pikepdf raises PdfError and others on damaged files
        raise ScanError(CORRUPT_PDF, f"PDF deteriorat: {exc}") from exc
    if count == 0:
        raise ScanError(CORRUPT_PDF, "PDF-ul nu are nicio pagină.")
    return count


@contextmanager
def _strict_image_loading() -> Iterator[None]:
    """Decode images strictly whatever the process set: WeasyPrint, once imported (any PDF
    rendered in the same process), sets PIL's `ImageFile.LOAD_TRUNCATED_IMAGES = True`, with
    which a scan cut off mid-transfer would pass as readable."""
    with _STRICT_LOCK:
        saved = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = saved


_STRICT_LOCK = threading.Lock()


def _image_pages(path: Path) -> int:
    """The number of pages (frames) of an image, once every byte of it has been read and checked.

    A PNG is checked chunk by chunk to its end, each against its CRC (`verify`), and a JPEG is
    decoded at 1/8 scale (`draft`): both read the whole file, so a scan cut short or damaged
    fails here, at a small part of the cost of decoding the pixels (the OCR decodes them
    anyway). Other images (TIFF) are decoded frame by frame.
    """
    try:
        with _strict_image_loading(), Image.open(path) as im:
            frames = int(getattr(im, "n_frames", 1))
            if im.format == "PNG":
                im.verify()
                return frames
            if im.format == "JPEG":
                im.draft(im.mode, (max(1, im.width // 8), max(1, im.height // 8)))
            for index in range(frames):
                im.seek(index)
                im.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ScanError(UNREADABLE_IMAGE, f"Imaginea nu poate fi citită: {exc}") from exc
    except Image.DecompressionBombError as exc:
        raise ScanError(UNREADABLE_IMAGE, f"Imaginea este prea mare: {exc}") from exc
    return frames
