"""The second PCT's four signatories sign by keyboard alone (no mouse): the consortium's chair,
then the Director of Finance and the Chief Executive, then the PEC chair; each page axe clean.
The signed PDF's pages are saved as images under artifacts/pdf/ to be looked at."""

import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from plans.models import Plan
from tests.browser.conftest import assert_accessible, current_code
from tests.factories import PASSWORD
from tests.northbrook import TITLES, appoint_finance, approved_plan, organisation, signed_pdf
from tests.two_factor import authenticator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "pdf"
# The form's steps, with the middle step signed Chief Executive first.
ORDER = ("chair", "chief", "finance", "pec")
FOCUSED_NAME = """() => {
    const element = document.activeElement;
    if (!element) return "";
    const label = element.labels && element.labels.length ? element.labels[0].innerText : "";
    return (label || element.getAttribute("aria-label") || element.innerText || element.value
        || "").trim();
}"""


def tab_to(page, name: str, *, limit: int = 250) -> None:
    """Presses Tab until the focused element's label or text starts with ``name``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_NAME).startswith(name):
            return
    raise AssertionError(f"Tab never reached {name!r} on {page.url}")


def sign_in_by_keyboard(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    tab_to(page, "Email address")
    page.keyboard.type(user.email)
    tab_to(page, "Password")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "Code")
    page.keyboard.type(current_code(user.email))
    with page.expect_navigation():
        page.keyboard.press("Enter")


def sign_by_keyboard(page, live_server, plan: Plan, user, title: str) -> None:
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    tab_to(page, "Sign the plan")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign the plan")
    assert_accessible(page)
    tab_to(page, "Your full name")
    page.keyboard.type(user.full_name)
    tab_to(page, "Your password")
    page.keyboard.type(PASSWORD)
    tab_to(page, "Code from your authenticator app")
    page.keyboard.type(current_code(user.email))
    tab_to(page, "I have read the plan")
    page.keyboard.press("Space")
    tab_to(page, "Sign the plan")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text(f"You have signed the plan as {title}")).to_be_visible()
    assert_accessible(page)


def test_four_signatories_of_a_second_pcts_form_sign_by_keyboard_alone(new_page, live_server):
    northbrook = organisation()
    appoint_finance(northbrook)
    plan = approved_plan(northbrook)

    for key in ORDER:
        user = northbrook.signatories[key]
        authenticator(user)
        page = new_page()
        sign_in_by_keyboard(page, live_server, user)
        sign_by_keyboard(page, live_server, plan, user, TITLES[key])

    plan.refresh_from_db()
    assert plan.status == Plan.Status.SIGNED
    pdf = signed_pdf(plan)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf_path = ARTIFACTS / "northbrook-signed.pdf"
    pdf_path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(pdf_path), str(ARTIFACTS / "northbrook-signed")],
        check=True,
    )
