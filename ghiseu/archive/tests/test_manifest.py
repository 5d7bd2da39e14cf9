"""The manifest: CSV (comma or semicolon, BOM) or XLSX; each line checked against the nomenclator."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from ghiseu.archive.services.manifest import LineError, read_manifest, validate_row
from ghiseu.archive.services.scans import ScanError, safe_relative_path

pytestmark = pytest.mark.django_db

HEADER = "file;dossier_code;dossier_year;dossier_title;department;document_title;document_date;pages;access_class"


def test_a_semicolon_csv_with_bom_is_read_with_its_line_numbers():
    data = (
        "\ufeff" + HEADER + "\na.pdf;III/B/4;2021;Certificate;TAX;Certificat;2021-03-01;2;intern\n\n"
        "b.tif;III/B/4;2021;Certificate;TAX;Altul;;1;\n"
    ).encode()

    manifest = read_manifest("manifest.csv", data)

    assert [line.line for line in manifest.lines] == [2, 4]  # the blank line is skipped, not renumbered
    assert manifest.lines[0].values["file"] == "a.pdf"
    assert manifest.lines[0].values["access_class"] == "intern"


def test_an_xlsx_manifest_with_date_and_number_cells_is_read(nomenclator):
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "File",
            "Dossier code",
            "dossier_year",
            "dossier_title",
            "department",
            "document_title",
            "document_date",
            "pages",
            "keywords",
        ]
    )
    sheet.append(
        [
            "x.png",
            "III/B/4",
            2021,
            "Certificate 2021",
            "TAX",
            "Certificat fiscal",
            dt.datetime(2021, 5, 4),
            1.0,
            "taxe, şcoală",
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)

    manifest = read_manifest("MANIFEST.xlsx", buffer.getvalue())
    clean = validate_row(manifest.lines[0].values)

    assert clean.document_date == dt.date(2021, 5, 4) and clean.pages == 1 and clean.dossier_year == 2021
    assert clean.keywords == "taxe, școală"  # cedilla normalized
    assert clean.file_code_id == nomenclator["III/B/4"].pk and clean.access_class == ""


def test_a_manifest_without_the_required_columns_is_refused():
    with pytest.raises(ScanError, match="dossier_year"):
        read_manifest("manifest.csv", b"file,dossier_code,pages\na.pdf,III/B/4,1\n")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"dossier_code": "IX/Z/1"}, "nomenclator"),
        ({"department": "NOPE"}, "compartimentul"),
        ({"document_date": "01.03.2021"}, "ISO"),
        ({"pages": "două"}, "pages"),
        ({"pages": "0"}, "pages"),
        ({"dossier_year": "1066"}, "dossier_year"),
        ({"access_class": "secret"}, "access_class"),
        ({"file": "../../etc/passwd"}, "cale"),
        ({"file": "/abs/a.pdf"}, "cale"),
        ({"document_title": ""}, "titlul documentului"),
    ],
)
def test_a_bad_line_says_what_is_wrong(nomenclator, change, message):
    values = {
        "file": "a.pdf",
        "dossier_code": "III/B/4",
        "dossier_year": "2021",
        "dossier_title": "Certificate",
        "department": "TAX",
        "document_title": "Certificat",
        "document_date": "2021-03-01",
        "pages": "2",
    }
    values.update(change)
    with pytest.raises(LineError, match=message):
        validate_row(values)


def test_access_class_aliases_and_a_department_other_than_the_nomenclators(nomenclator, archive_dept):
    values = {
        "file": "dir\\a.pdf",
        "dossier_code": "iii/b/4",
        "dossier_year": "2021",
        "dossier_title": "Certificate",
        "department": "arh",
        "document_title": "Certificat",
        "document_date": "",
        "pages": "2",
        "access_class": "date personale",
    }
    clean = validate_row(values)
    assert clean.file == "dir/a.pdf" and clean.dossier_code == "III/B/4"
    assert clean.access_class == "personal_data" and clean.document_date is None
    assert "TAX" in clean.note and "ARH" in clean.note  # accepted, but noted in the report


def test_safe_relative_paths():
    assert safe_relative_path("a/./b.pdf") == "a/b.pdf"
    assert safe_relative_path("a/../b.pdf") == "b.pdf"
    assert safe_relative_path("a/../../b.pdf") is None
    assert safe_relative_path("C:/x.pdf") is None
    assert safe_relative_path("  ") is None
