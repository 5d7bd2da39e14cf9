"""The whole journey in a real browser: a citizen signs up (the address confirmed from the mail),
requests a certificat de atestare fiscală with an attachment (the upload's progress shown by
htmx), receives the number and the tracking link by e-mail (read from a real SMTP server); the
officer works the case on the staff pages and asks for a completion, the citizen answers in "my
file", the head approves, the mayor signs, the act is issued and the citizen downloads the PDF
from "my file".

axe-core finds no serious or critical problem on any page visited; every portal page is
photographed at 360 px and 1280 px (under the test's tmp dir) and has no horizontal scroll at 360 px.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from ghiseu.accounts.models import Role, User
from ghiseu.accounts.tests.conftest import link_in, mail_text
from ghiseu.core.tests.browser import PASSWORD, assert_accessible, sign_in
from ghiseu.eservices.models import RequestState, Service, ServiceRequest
from ghiseu.eservices.tests.conftest import PDF_BYTES
from ghiseu.notifications.tests.helpers import run_worker
from ghiseu.procedures.models import CaseStatus, TaskKind, TaskStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Portal:
    """Checks every portal page at both widths: axe-core, screenshots, no horizontal scroll at 360 px."""

    def __init__(self, wide: Any, narrow: Any, shots: Path) -> None:
        self.wide, self.narrow, self.shots = wide, narrow, shots
        self.seen: list[str] = []

    def check(self, name: str) -> None:
        url = self.wide.url
        assert_accessible(self.wide, name)
        self.wide.screenshot(path=str(self.shots / f"{len(self.seen):02d}-{name}-1280.png"), full_page=True)
        self.narrow.goto(url)
        assert self.narrow.url == url, (name, self.narrow.url)
        width = self.narrow.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{name}: {width} px wide at 360 px"
        assert_accessible(self.narrow, f"{name} (360 px)")
        self.narrow.screenshot(path=str(self.shots / f"{len(self.seen):02d}-{name}-360.png"), full_page=True)
        self.seen.append(name)


def staff_page(chromium: Any, base: str, user: Any) -> Any:
    context = chromium.new_context(
        locale="ro-RO", timezone_id="Europe/Bucharest", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    sign_in(page, base, user.username)
    return page


def open_case(page: Any, base: str, number: str, name: str) -> None:
    page.goto(f"{base}{reverse('procedures:my_tasks')}")
    assert_accessible(page, f"{name}: my tasks")
    with page.expect_navigation():
        page.click(f"a:has-text('{number}')")
    assert re.search(r"/lucrari/dosare/\d+/$", page.url)
    assert_accessible(page, f"{name}: case page")


def test_citizen_requests_staff_work_the_case_citizen_downloads_the_act(
    chromium,
    browser_page,
    narrow_page,
    live_server,
    smtp_server,
    fiscal: Service,
    tax_officer,
    tax_head,
    mayor,
    tmp_path,
):
    base = live_server.url
    shots = tmp_path / "screenshots"
    shots.mkdir()
    page = browser_page
    portal = Portal(page, narrow_page, shots)

    # --- The citizen signs up and confirms the address from the mail ----------------------------
    page.goto(f"{base}/cont/autentificare/")
    with page.expect_navigation():
        page.click("text=Nu aveți cont? Creați unul (cetățeni)")
    portal.check("signup")
    page.fill("#id_last_name", "Mureșan")
    page.fill("#id_first_name", "Dorina")
    page.fill("#id_email", "dorina.muresan@example.ro")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    with page.expect_navigation():
        page.click("button:has-text('Creează contul')")
    [confirmation] = smtp_server.messages
    confirm = link_in(mail_text(confirmation), "/cont/confirm-email/")
    page.goto(f"{base}{confirm}")
    with page.expect_navigation():
        page.click("button:has-text('Confirm adresa')")
    citizen = User.objects.get(email="dorina.muresan@example.ro")
    assert citizen.role == Role.CITIZEN
    assert page.locator("button:has-text('Ieșire')").count() == 1, "not signed in after confirming"
    sign_in(narrow_page, base, citizen.email)

    # --- The citizen requests the certificate, with an attachment -------------------------------
    page.goto(f"{base}/servicii/")
    portal.check("catalogue")
    with page.expect_navigation():
        page.click(f"a[href='/servicii/{fiscal.code}/']")
    portal.check("service")
    with page.expect_navigation():
        page.click("text=Depune cererea online")
    portal.check("step-values")
    page.select_option("#id_f_scop", "Înstrăinare imobil")
    with page.expect_navigation():
        page.click("button:has-text('Salvează și continuă')")
    assert "/documente/" in page.url
    portal.check("step-documents")

    # With JavaScript, htmx posts the file and its progress fills the <progress> bar.
    page.evaluate(
        "window.__progress = []; document.addEventListener('htmx:xhr:progress', function (e) {"
        " var bar = e.target.querySelector('progress.upload-progress');"
        " window.__progress.push([e.detail.loaded, e.detail.total,"
        " bar ? bar.value : null, bar ? bar.hidden : null]); });"
    )
    upload = tmp_path / "act-proprietate.pdf"
    upload.write_bytes(PDF_BYTES + b"%" + b"0" * 300_000 + b"\n")
    form = page.locator("form.upload-form").first
    form.locator("input[type=file]").set_input_files(str(upload))
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=act-proprietate.pdf")
    progress = page.evaluate("window.__progress")
    assert progress, "no htmx:xhr:progress event"
    assert progress[-1][0] == progress[-1][1] and progress[-1][2] == 100 and progress[-1][3] is False
    portal.check("step-documents-attached")
    with page.expect_navigation():
        page.click("text=Continuă la verificare")
    portal.check("step-review")
    page.check("#id_confirm")
    with page.expect_navigation():
        page.click("button:has-text('Trimite cererea')")
    request = ServiceRequest.objects.select_related("entry", "case").get(applicant=citizen)
    assert request.entry is not None and request.case is not None
    work = request.case
    number = request.number
    assert number and number in page.content()
    portal.check("done")

    # The e-mail with the number and the tracking link, through the SMTP server.
    run_worker()
    mails = [m for m in smtp_server.messages if citizen.email in m["To"] and number in m["Subject"]]
    assert mails, "no e-mail to the citizen"
    body = mails[0].get_body(preferencelist=("plain",)).get_content()
    assert number in body and request.entry.tracking_code in body
    tracking = re.search(r"https?://\S+/stare/\S*", body)
    assert tracking, body
    page.goto(tracking.group(0))
    assert page.locator("h1").count() == 1
    portal.check("tracking")

    # --- The officer works the case and asks for a completion ----------------------------------
    officer = staff_page(chromium, base, tax_officer)
    officer.goto(f"{base}/lucrari/")
    assert_accessible(officer, "officer: dashboard")
    assert officer.locator("#count-my-tasks").inner_text().strip() == "1"
    open_case(officer, base, number, "officer")
    assert "Înstrăinare imobil" in officer.content() and citizen.email in officer.content()
    officer.click("summary:has-text('Cere completări petentului')")
    officer.fill("#id_message", "Atașați extrasul de carte funciară al imobilului.")
    with officer.expect_navigation():
        officer.click("button:has-text('Trimite cererea de completare')")
    assert "Petentul a fost anunțat" in officer.locator(".message.success").inner_text()
    assert_accessible(officer, "officer: completion asked")
    work.refresh_from_db()
    assert work.status == CaseStatus.WAITING_CITIZEN

    # --- The citizen answers in "my file" -------------------------------------------------------
    page.goto(f"{base}/dosarul-meu/")
    portal.check("my-file")
    with page.expect_navigation():
        page.click(f"a[href='/dosarul-meu/cereri/{request.pk}/']")
    assert "Atașați extrasul de carte funciară al imobilului." in page.content()
    portal.check("my-file-request-asked")
    extract = tmp_path / "extras-cf.pdf"
    extract.write_bytes(PDF_BYTES + b"% extras\n")
    page.set_input_files("#id_documents", str(extract))
    page.fill("#id_text", "Am atașat extrasul.")
    page.click("button:has-text('Trimite completarea')")
    page.wait_for_selector(".message.success")
    assert "Completarea a fost trimisă" in page.locator(".message.success").inner_text()
    portal.check("my-file-request-answered")
    work.refresh_from_db()
    assert work.status == CaseStatus.OPEN

    # --- Officer, head, mayor ------------------------------------------------------------------
    officer.reload()
    assert "extras-cf.pdf" in officer.content()
    with officer.expect_download() as download:
        officer.click("a:has-text('extras-cf.pdf')")
    assert Path(download.value.path()).read_bytes() == extract.read_bytes()
    officer.screenshot(path=str(shots / "staff-case-1280.png"), full_page=True)
    officer.fill("textarea[name$='-comment']", "Nu există datorii la bugetul local.")
    with officer.expect_navigation():
        officer.click("button:has-text('Marchează îndeplinită')")
    assert_accessible(officer, "officer: task done")

    head = staff_page(chromium, base, tax_head)
    open_case(head, base, number, "head")
    with head.expect_navigation():
        head.click("button:has-text('Aprobă')")
    assert_accessible(head, "head: approved")

    signer = staff_page(chromium, base, mayor)
    open_case(signer, base, number, "mayor")
    with signer.expect_navigation():
        signer.click("button:has-text('Semnează')")
    assert_accessible(signer, "mayor: signed")
    with signer.expect_navigation():
        signer.click("#issue-button")
    assert "Actul a fost emis" in signer.locator(".message.success").inner_text()
    request.refresh_from_db()
    assert request.state == RequestState.ISSUED
    case = request.case
    assert case is not None
    assert not case.tasks.filter(status=TaskStatus.OPEN).exclude(kind=TaskKind.INFORM).exists()

    # --- The citizen downloads the act from "my file" -------------------------------------------
    page.goto(f"{base}/dosarul-meu/cereri/{request.pk}/")
    portal.check("my-file-request-issued")
    with page.expect_download() as download:
        page.click("text=Descarcă documentul emis (PDF)")
    pdf = Path(download.value.path())
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    assert number in text and "Primăria Municipiului Lupeni" in text

    assert len(list(shots.glob("*-360.png"))) == len(portal.seen) == len(list(shots.glob("[0-9]*-1280.png")))
    for context_page in (officer, head, signer):
        context_page.context.close()
