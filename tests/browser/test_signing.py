"""The three demo signatories sign in turn; the chair downloads the sealed PDF and records
the submission. The PDF's pages are saved as images under artifacts/pdf/ to be looked at."""

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from consortia.demo import DEMO_PASSWORD
from consortia.models import User
from plans.models import Plan
from signoff import seal, services
from tests.browser.conftest import assert_accessible, current_code, screenshot, sign_in
from tests.plan_factories import demo_daccom_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "pdf"
SIGNATORIES = [
    ("chair.daccom@example.org", "DacCom Executive Chair"),
    ("pec-chair.dacorum-pct@example.org", "Joint PEC Commissioning Committee Chair"),
    ("chief-executive.dacorum-pct@example.org", "PCT Chief Executive"),
]


def approved_demo_plan() -> Plan:
    plan = demo_daccom_plan()
    people = {u.email: u for u in User.objects.filter(email__contains="example.org")}
    services.plan_submit(plan=plan, user=people["editor.daccom@example.org"])
    lead = people["lead.dacorum-pct@example.org"]
    services.plan_start_review(plan=plan, user=lead)
    services.plan_approve(plan=plan, user=lead)
    return plan


def sign(page, live_server, plan, title: str, email: str) -> None:
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.get_by_role("link", name="Sign the plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign the plan")
    assert_accessible(page)
    page.get_by_label("Your full name").fill(User.objects.get(email=email).full_name)
    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(current_code(email))
    page.get_by_label("I have read the plan and sign it as it stands").check()
    # The last signature renders and seals the PDF in the same process (Celery eager): on a
    # loaded two-core machine that takes longer than a page's usual wait.
    page.get_by_role("button", name="Sign the plan").click(timeout=90_000)
    expect(page.get_by_text(f"You have signed the plan as {title}")).to_be_visible()


def test_three_signatories_sign_and_the_chair_downloads_the_sealed_pdf(new_page, live_server):
    plan = approved_demo_plan()
    pages = {}
    for email, title in SIGNATORIES:
        page = pages[email] = new_page()
        sign_in(page, live_server, email, DEMO_PASSWORD)
        sign(page, live_server, plan, title, email)
    chair = pages[SIGNATORIES[0][0]]

    chair.goto(f"{live_server.url}/plans/{plan.pk}/")
    download_link = chair.get_by_role("link", name="Download the signed PDF")
    expect(download_link).to_be_visible(timeout=60_000)
    assert_accessible(chair)
    screenshot(chair, "signed-plan-page")
    with chair.expect_download() as download:
        download_link.click()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf_path = ARTIFACTS / "signed-journey.pdf"
    download.value.save_as(pdf_path)
    assert download.value.suggested_filename.endswith(".pdf")

    chair.get_by_role("link", name="Record the submission to the PCT").first.click()
    chair.get_by_role("button", name="Record the submission to the PCT").click()
    expect(chair.get_by_text("The plan is recorded as submitted to the PCT")).to_be_visible()
    assert_accessible(chair)

    plan.refresh_from_db()
    assert plan.status == Plan.Status.SUBMITTED_TO_PCT
    text = "\n".join(page.extract_text() for page in PdfReader(pdf_path).pages)
    signature = plan.signatures.get(role="pct-chief-executive")
    for _email, title in SIGNATORIES:
        assert title in text
    assert signature.content_sha256 in text.replace("\n", "").replace(" ", "")
    for number in ("4.2", "5.3", "9.3"):
        assert number in text
    assert "Audit chain head" in text
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(pdf_path), str(ARTIFACTS / "signed-journey")],
        check=True,
    )

    anyone = new_page()
    check_pdf(anyone, live_server, pdf_path)
    expect(anyone.get_by_role("heading", level=1)).to_have_text(
        "This is a plan this service sealed"
    )
    expect(anyone.get_by_text(signature.typed_name).first).to_be_visible()
    expect(anyone.locator("#seal-certificate")).to_contain_text(
        seal.fingerprint(seal.our_certificate())
    )
    assert_accessible(anyone)
    screenshot(anyone, "verify-sealed")
    altered = bytearray(pdf_path.read_bytes())
    altered[len(altered) // 3] ^= 0x01
    altered_path = ARTIFACTS / "signed-journey-altered.pdf"
    altered_path.write_bytes(bytes(altered))
    check_pdf(anyone, live_server, altered_path)
    expect(anyone.get_by_role("heading", level=1)).to_contain_text(
        "This file has been altered since it was sealed"
    )
    assert_accessible(anyone)


def check_pdf(page, live_server, path: Path) -> None:
    """Anyone, signed in or not, uploads a PDF on the verification page."""
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Check a signed plan's PDF").click()
    page.get_by_label("Upload the plan's PDF").set_input_files(str(path))
    page.get_by_role("button", name=re.compile("Check")).click()
