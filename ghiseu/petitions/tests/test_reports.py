"""The semiannual petitions report and the yearly Law 544 report, on a generated history whose
counts are known; as CSV and PDF."""

from __future__ import annotations

import csv
import io

import pytest
from pdfminer.high_level import extract_text

from ghiseu.core.errors import DomainError
from ghiseu.petitions import reports
from ghiseu.petitions.models import Kind
from ghiseu.petitions.services import (
    petition_answer,
    petition_extend,
    petition_file_away_repeated,
    petition_forward,
    petition_information_extend,
    petition_join,
)

pytestmark = pytest.mark.django_db

COMPANY = {
    "petitioner_type": "company",
    "petitioner_name": "SC Construct Lupeni SRL",
    "petitioner_email": "office@construct.example.ro",
}
INSTITUTION = {"petitioner_type": "institution", "petitioner_name": "Școala Gimnazială nr. 1"}


def answer(actor, petition, outcome="favorable"):
    return petition_answer(actor=actor, petition=petition, text="Răspuns.", legal_basis="OG 27/2002", outcome=outcome)


@pytest.fixture
def petitions_history(clock, file_petition, clerk, mayor, roads, urbanism):
    at = clock.set
    at("2026-12-20")
    file_petition(category=roads)  # the previous semester: not counted
    at("2027-01-11")
    p1 = file_petition(category=roads)
    at("2027-01-20")
    answer(clerk, p1)  # on time
    at("2027-02-01")
    p2 = file_petition(category=roads)
    at("2027-02-10")
    p8 = file_petition(description="Aceeași groapă ca data trecută.")
    petition_file_away_repeated(actor=clerk, petition=p8, earlier=p1)  # repeated
    at("2027-03-01")
    p3 = file_petition(department=urbanism, **COMPANY)
    at("2027-03-05")
    p9 = file_petition(department=urbanism, **COMPANY)
    petition_join(actor=clerk, petition=p9, to=p3)
    at("2027-03-10")
    answer(clerk, p3)  # on time, with p9
    at("2027-03-15")
    answer(clerk, p2)  # late: due 3 Mar
    at("2027-04-01")
    p12 = file_petition(department=urbanism)
    at("2027-04-05")
    p10 = file_petition()  # not routed
    at("2027-04-07")
    petition_forward(actor=clerk, petition=p10, authority="Garda Națională de Mediu")
    at("2027-04-20")
    petition_extend(actor=mayor, petition=p12, days=15, reason="Verificare pe teren")
    at("2027-05-03")
    file_petition(department=urbanism)  # p5: due 2 Jun, never answered: overdue at the end of June
    at("2027-05-10")
    answer(clerk, p12)  # due 17 May after the extension: on time
    at("2027-05-20")
    file_petition(anonymous=True)  # p7
    at("2027-06-20")
    file_petition(department=urbanism, **INSTITUTION)  # p4: pending, in its term
    at("2027-06-25")
    p6 = file_petition(department=urbanism)
    at("2027-07-05")
    answer(clerk, p6)  # after the semester: pending in it
    file_petition(kind=Kind.PUBLIC_INFORMATION)  # another law, another report
    at("2027-07-15")


def test_semiannual_petitions_report_counts(petitions_history):
    report = reports.petitions_report(reports.Period.semester(2027, 1))
    assert report.as_of.isoformat() == "2027-06-30"
    assert report.total == 11
    assert report.by_source == {"person": 7, "company": 2, "institution": 1, "anonymous": 1}
    assert report.by_kind == {"request": 0, "complaint": 11, "report": 0, "proposal": 0}
    assert (report.answered_on_time, report.answered_late) == (4, 1)
    assert (report.pending, report.pending_overdue) == (2, 1)
    assert report.forwarded == 1
    assert (report.filed_anonymous, report.filed_repeated) == (1, 1)
    assert report.joined == 1 and report.extended == 1
    rows = {r.department: r for r in report.by_department}
    assert list(rows) == ["Drumuri și infrastructură", "Urbanism și amenajarea teritoriului", "Nerepartizate"]
    roads = rows["Drumuri și infrastructură"]
    assert (roads.total, roads.answered_on_time, roads.answered_late, roads.pending) == (2, 1, 1, 0)
    urb = rows["Urbanism și amenajarea teritoriului"]
    assert (urb.total, urb.answered_on_time, urb.answered_late, urb.pending, urb.pending_overdue) == (6, 3, 0, 2, 1)
    assert (rows["Nerepartizate"].total, rows["Nerepartizate"].forwarded) == (1, 1)


def test_the_second_semester_sees_what_happened_after(petitions_history, clock):
    clock.set("2028-01-10")
    report = reports.petitions_report(reports.Period.semester(2027, 2))
    assert report.total == 0  # the July public-information request is not a petition
    year = reports.petitions_report(reports.Period.year(2027))
    assert year.total == 11
    # by 31 Dec p6 was answered (5 Jul, on time) and p4 (due 20 Jul) was overdue like p5
    assert (year.answered_on_time, year.answered_late) == (5, 1)
    assert (year.pending, year.pending_overdue) == (0, 2)


def test_petitions_report_as_csv_and_pdf(petitions_history):
    report = reports.petitions_report(reports.Period.semester(2027, 1))
    content = reports.petitions_report_csv(report)
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Raport semestrial privind petițiile", "01.01.2027 – 30.06.2027"]
    table = {(r[0], r[1]): r[2] for r in rows[2:]}
    assert table[("Total", "Petiții înregistrate")] == "11"
    assert table[("După sursă", "persoană juridică")] == "2"
    assert table[("Soluționare", "clasate: anonime sau fără date de identificare")] == "1"
    assert table[("Compartiment: Urbanism și amenajarea teritoriului", "în curs, termen depășit")] == "1"
    pdf = reports.petitions_report_pdf(report)
    assert pdf.startswith(b"%PDF")
    text = " ".join(extract_text(io.BytesIO(pdf)).split())
    assert "Raport semestrial" in text and "Primăria Municipiului Lupeni" in text
    assert "Urbanism și amenajarea teritoriului" in text and "01.01.2027 – 30.06.2027" in text


@pytest.fixture
def information_history(clock, file_petition, clerk):
    at = clock.set
    info = Kind.PUBLIC_INFORMATION
    at("2027-02-01")
    i1 = file_petition(kind=info, channel="portal")
    at("2027-02-05")
    answer(clerk, i1)  # within 10 days
    at("2027-02-20")
    file_petition(kind=Kind.ADMINISTRATIVE_COMPLAINT, original_request=i1)  # c3: never answered
    at("2027-03-01")
    i2 = file_petition(kind=info, channel="email", **COMPANY)
    at("2027-03-05")
    petition_information_extend(actor=clerk, petition=i2, reason="Documente multe în arhivă")
    at("2027-03-25")
    answer(clerk, i2)  # within the 30 days
    at("2027-04-05")
    i3 = file_petition(kind=info, channel="counter")
    at("2027-04-08")
    answer(clerk, i3, outcome="refused_exempt")  # refusal within 5 days (due 12 Apr)
    at("2027-04-20")
    c1 = file_petition(kind=Kind.ADMINISTRATIVE_COMPLAINT, original_request=i3)
    at("2027-04-28")
    answer(clerk, c1, outcome="favorable")
    at("2027-05-10")
    i4 = file_petition(kind=info, channel="post")
    at("2027-05-25")
    i5 = file_petition(kind=info, channel="counter")
    at("2027-05-27")
    petition_forward(actor=clerk, petition=i5, authority="Consiliul Județean Hunedoara")
    file_petition(kind=info, channel="email", anonymous=True)  # i6
    at("2027-06-01")
    answer(clerk, i4, outcome="partial")  # late: due 20 May
    at("2027-06-05")
    c2 = file_petition(kind=Kind.ADMINISTRATIVE_COMPLAINT, original_request=i4)
    at("2027-06-10")
    answer(clerk, c2, outcome="unfavorable")
    at("2027-11-01")
    file_petition(kind=info, channel="counter")  # i8: never answered, overdue at the end of the year
    at("2027-12-28")
    file_petition(kind=info, channel="email")  # i7: due in January
    file_petition(kind=Kind.REQUEST)  # a petition: the other report
    at("2028-01-10")


def test_yearly_public_information_report_counts(information_history):
    report = reports.information_report(reports.Period.year(2027))
    assert report.total == 8
    assert report.by_source == {"person": 6, "company": 1, "institution": 0, "anonymous": 1}
    assert (report.paper, report.electronic) == (4, 4)
    assert report.by_outcome == {
        "favorable": 2,
        "unfavorable": 0,
        "partial": 1,
        "refused_exempt": 1,
        "refused_missing": 0,
    }
    assert (report.answered_within_10, report.answered_within_30, report.refusals_on_time) == (1, 1, 1)
    assert report.answered_late == 1 and report.extended == 1 and report.forwarded == 1
    assert (report.pending, report.pending_overdue, report.filed_anonymous) == (1, 1, 1)
    assert (report.complaints_total, report.complaints_favorable, report.complaints_rejected) == (3, 1, 1)
    assert report.complaints_pending == 1


def test_information_report_as_csv_and_pdf(information_history):
    report = reports.information_report(reports.Period.year(2027))
    rows = list(csv.reader(io.StringIO(reports.information_report_csv(report).decode("utf-8-sig"))))
    table = {(r[0], r[1]): r[2] for r in rows[2:]}
    assert table[("Solicitări", "total")] == "8"
    assert table[("Solicitări", "pe suport de hârtie")] == "4"
    assert table[("Soluționare", "refuz: informație exceptată")] == "1"
    assert table[("Reclamații administrative", "respinse")] == "1"
    text = " ".join(extract_text(io.BytesIO(reports.information_report_pdf(report))).split())
    assert "Legea 544/2001" in text and "Reclamații administrative" in text


def test_a_period_must_run_forwards():
    with pytest.raises(DomainError):
        reports.Period(reports.Period.year(2027).date_to, reports.Period.year(2027).date_from)
    with pytest.raises(DomainError):
        reports.Period.semester(2027, 3)
