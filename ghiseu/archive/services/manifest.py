"""The manifest of a batch: `manifest.csv` (UTF-8, comma or semicolon) or `manifest.xlsx` (first sheet).

One line per file. Required columns: file, dossier_code, dossier_year, dossier_title,
department, document_title, document_date, pages. Optional: physical_location,
document_number, keywords, access_class, issuer, document_type, dossier_volume,
dossier_access_class. docs/archive-import.md describes each.

`read_manifest` checks the header (a manifest without the required columns stops the import
before anything is written); `validate_row` checks one line against the nomenclator and the
departments and returns either the clean values or a reason — a bad line never stops the rest.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from ghiseu.accounts.models import Department, NomenclatorEntry
from ghiseu.archive.models import AccessClass
from ghiseu.archive.services.scans import ScanError, safe_relative_path
from ghiseu.core.text import normalize_romanian

REQUIRED_COLUMNS = (
    "file",
    "dossier_code",
    "dossier_year",
    "dossier_title",
    "department",
    "document_title",
    "document_date",
    "pages",
)
OPTIONAL_COLUMNS = (
    "physical_location",
    "document_number",
    "keywords",
    "access_class",
    "issuer",
    "document_type",
    "dossier_volume",
    "dossier_access_class",
)
# Romanian spellings accepted for the access class, beside the codes themselves.
ACCESS_ALIASES = {
    "public": AccessClass.PUBLIC,
    "intern": AccessClass.INTERNAL,
    "internal": AccessClass.INTERNAL,
    "confidential": AccessClass.CONFIDENTIAL,
    "confidențial": AccessClass.CONFIDENTIAL,
    "personal_data": AccessClass.PERSONAL_DATA,
    "personal": AccessClass.PERSONAL_DATA,
    "date personale": AccessClass.PERSONAL_DATA,
    "date cu caracter personal": AccessClass.PERSONAL_DATA,
}
MAX_LINES = 200_000


@dataclass(frozen=True)
class ManifestLine:
    line: int  # the line number in the file (the header is line 1)
    values: dict[str, str]


@dataclass
class Manifest:
    name: str
    columns: list[str]
    lines: list[ManifestLine] = field(default_factory=list)


class LineError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _column_name(raw: Any) -> str:
    return "_".join(str(raw or "").strip().lower().replace("-", " ").split())


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return normalize_romanian(str(value)).strip()


def _rows_from_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScanError("bad_manifest", f"Manifestul CSV nu este UTF-8 ({exc}).") from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _rows_from_xlsx(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise ScanError("bad_manifest", f"Manifestul XLSX nu poate fi citit: {exc}") from exc
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_manifest(name: str, data: bytes) -> Manifest:
    rows: list[list[Any]] = _rows_from_xlsx(data) if name.lower().endswith(".xlsx") else _rows_from_csv(data)
    if not rows:
        raise ScanError("bad_manifest", "Manifestul este gol.")
    columns = [_column_name(c) for c in rows[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ScanError("bad_manifest", f"Manifestului îi lipsesc coloanele: {', '.join(missing)}.")
    if len(rows) - 1 > MAX_LINES:
        raise ScanError("bad_manifest", f"Manifestul are peste {MAX_LINES} linii; împărțiți lotul.")
    manifest = Manifest(name=name, columns=columns)
    for number, row in enumerate(rows[1:], start=2):
        cells = [_cell(v) for v in row]
        if not any(cells):
            continue  # blank lines (and Excel's trailing empty rows) are not lines
        values = {col: (cells[i] if i < len(cells) else "") for i, col in enumerate(columns) if col}
        manifest.lines.append(ManifestLine(line=number, values=values))
    return manifest


@dataclass(frozen=True)
class CleanLine:
    """A manifest line checked against the nomenclator and the departments (JSON-able via `as_row`)."""

    file: str
    dossier_code: str
    file_code_id: int
    dossier_year: int
    dossier_volume: int
    dossier_title: str
    department_id: int
    department_code: str
    document_title: str
    document_date: dt.date | None
    pages: int
    physical_location: str = ""
    document_number: str = ""
    keywords: str = ""
    access_class: str = ""
    dossier_access_class: str = ""
    issuer: str = ""
    document_type: str = ""
    note: str = ""

    def as_row(self) -> dict[str, Any]:
        row = dict(self.__dict__)
        row["document_date"] = self.document_date.isoformat() if self.document_date else ""
        return row

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> CleanLine:
        values = dict(row)
        values["document_date"] = dt.date.fromisoformat(row["document_date"]) if row.get("document_date") else None
        return cls(**values)


def _required(values: dict[str, str], column: str, label: str, max_length: int = 500) -> str:
    value = values.get(column, "").strip()
    if not value:
        raise LineError(f"lipsește {label} (coloana {column})")
    if len(value) > max_length:
        raise LineError(f"{label} are peste {max_length} caractere")
    return value


def _optional(values: dict[str, str], column: str, max_length: int) -> str:
    value = values.get(column, "").strip()
    if len(value) > max_length:
        raise LineError(f"coloana {column} are peste {max_length} caractere")
    return value


def _integer(value: str, column: str, *, low: int, high: int) -> int:
    try:
        number = int(value.strip())
    except ValueError as exc:
        raise LineError(f"{column} trebuie să fie un număr întreg, nu „{value}”") from exc
    if not low <= number <= high:
        raise LineError(f"{column} trebuie să fie între {low} și {high}, nu {number}")
    return number


def _access(value: str, column: str) -> str:
    if not value:
        return ""
    access = ACCESS_ALIASES.get(value.strip().lower())
    if access is None:
        choices = ", ".join(AccessClass.values)
        raise LineError(f"{column} „{value}” nu este una dintre: {choices}")
    return str(access)


def validate_row(values: dict[str, str]) -> CleanLine:
    """The clean values of one line; LineError says what is wrong with it."""
    raw_file = _required(values, "file", "fișierul")
    file = safe_relative_path(raw_file)
    if file is None:
        raise LineError(f"calea fișierului „{raw_file}” nu este o cale relativă în lot")
    code = _required(values, "dossier_code", "indicativul dosarului", 30)
    entry = NomenclatorEntry.objects.filter(code__iexact=code.replace(" ", "")).first()
    if entry is None:
        raise LineError(f"indicativul „{code}” nu este în nomenclatorul arhivistic")
    year = _integer(values.get("dossier_year", ""), "dossier_year", low=1800, high=timezone.localdate().year + 1)
    department_code = _required(values, "department", "compartimentul", 20)
    department = Department.objects.filter(code__iexact=department_code).first()
    if department is None:
        raise LineError(f"compartimentul „{department_code}” nu există")
    raw_date = values.get("document_date", "").strip()
    document_date = None
    if raw_date:
        try:
            document_date = dt.date.fromisoformat(raw_date)
        except ValueError as exc:
            raise LineError(f"data documentului „{raw_date}” nu este o dată ISO (AAAA-LL-ZZ)") from exc
    volume_raw = values.get("dossier_volume", "").strip()
    note = ""
    if department.pk != entry.department_id:
        note = (
            f"indicativul {entry.code} este al compartimentului {entry.department.code}, linia spune {department.code}"
        )
    return CleanLine(
        file=file,
        dossier_code=entry.code,
        file_code_id=entry.pk,
        dossier_year=year,
        dossier_volume=_integer(volume_raw, "dossier_volume", low=1, high=999) if volume_raw else 1,
        dossier_title=_required(values, "dossier_title", "titlul dosarului"),
        department_id=department.pk,
        department_code=department.code,
        document_title=_required(values, "document_title", "titlul documentului"),
        document_date=document_date,
        pages=_integer(values.get("pages", ""), "pages", low=1, high=100_000),
        physical_location=_optional(values, "physical_location", 300),
        document_number=_optional(values, "document_number", 60),
        keywords=_optional(values, "keywords", 500),
        access_class=_access(values.get("access_class", ""), "access_class"),
        dossier_access_class=_access(values.get("dossier_access_class", ""), "dossier_access_class"),
        issuer=_optional(values, "issuer", 300),
        document_type=_optional(values, "document_type", 120),
        note=note,
    )
