"""Archive test fixtures: stored files under a temporary MEDIA_ROOT, the nomenclator, a fake OCR."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ghiseu.accounts.models import Role
from ghiseu.accounts.tests.factories import DepartmentFactory, NomenclatorEntryFactory, StaffFactory
from ghiseu.archive.services import imports
from ghiseu.archive.services.ocr import OcrResult, PageText
from ghiseu.archive.tests.helpers import text_pdf


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "search", "ocr"]}}
    return settings.MEDIA_ROOT


@pytest.fixture
def archive_dept(db: Any) -> Any:
    return DepartmentFactory(code="ARH", name="Arhivă")


@pytest.fixture
def taxes_dept(db: Any) -> Any:
    return DepartmentFactory(code="TAX", name="Taxe și impozite locale")


@pytest.fixture
def nomenclator(db: Any, taxes_dept: Any) -> dict[str, Any]:
    """Two file codes of the taxes department: one kept 5 years, one permanently."""
    return {
        "III/B/4": NomenclatorEntryFactory(
            code="III/B/4", name="Certificate de atestare fiscală", department=taxes_dept, retention_years=5
        ),
        "III/B/1": NomenclatorEntryFactory(
            code="III/B/1", name="Dosare fiscale ale contribuabililor", department=taxes_dept, retention_years=None
        ),
    }


@pytest.fixture
def archivist(db: Any, archive_dept: Any) -> Any:
    return StaffFactory(username="arhivar", role=Role.ARCHIVIST, department=archive_dept, email="arhiva@example.ro")


class FakeOcr:
    """Stands in for OCRmyPDF in the import tests that are about the import, not about OCR.

    It reads the page count the way the real one does (pikepdf / Pillow) and writes a small
    PDF with one line of text per page, so that everything after OCR runs for real.
    """

    def __init__(self) -> None:
        self.calls: list[Path] = []
        self.fail_on: Callable[[Path], Exception | None] = lambda path: None

    def __call__(self, source: Path, *, content_type: str, workdir: Path, force_ocr: bool = False) -> OcrResult:
        from ghiseu.archive.services.scans import inspect_scan

        self.calls.append(source)
        error = self.fail_on(source)
        if error is not None:
            raise error
        pages = inspect_scan(source).pages
        workdir.mkdir(parents=True, exist_ok=True)
        output = workdir / "archival.pdf"
        texts = [f"Pagina {n} a documentului scanat; registratura Primăriei, cu ţ şi ş" for n in range(1, pages + 1)]
        output.write_bytes(text_pdf(texts))
        return OcrResult(
            pdf=output,
            pages=[PageText(n, text, 90.0, False) for n, text in enumerate(texts, start=1)],
            seconds=0.01,
        )


@pytest.fixture
def fake_ocr(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOcr]:
    fake = FakeOcr()
    monkeypatch.setattr(imports, "ocr_scan", fake)
    yield fake
