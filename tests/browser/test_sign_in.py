"""The sign-in page: NHS-styled and accessible, its errors in a summary, and what it says to
someone sent to it by a post made after their session ended (docs/decisions/0504)."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from consortia.demo import DEMO_PASSWORD, load_organisations
from consortia.models import User
from plans.models import Answer, Plan
from tests import demo_data
from tests.browser.conftest import assert_accessible, current_code, give_code, screenshot, sign_in
from tests.browser.test_answers_script import EDITOR, writing_4_1_as_the_session_ends
from tests.plan_factories import demo_daccom_plan
from tests.two_factor import authenticator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BANES_EDITOR = "editor.banes@example.org"


def test_a_demo_user_signs_in_on_the_nhs_styled_page_and_reaches_home(page, live_server):
    load_organisations()
    page.goto(f"{live_server.url}/sign-in/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to PBC Plans")
    assert page.locator("header.nhsuk-header").is_visible()
    assert_accessible(page)
    screenshot(page, "sign-in")

    sign_in(page, live_server, "editor.daccom@example.org", DEMO_PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text("DacCom Practice Manager (demo)")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "home-signed-in")


def test_a_wrong_password_shows_the_error_summary_accessibly(page, live_server):
    load_organisations()

    sign_in(page, live_server, "editor.daccom@example.org", "not-the-password")

    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter a correct email")
    assert_accessible(page)
    screenshot(page, "sign-in-error")


def test_a_row_button_pressed_after_the_session_ended_is_kept_and_sent_again_after_signing_in(
    page, live_server
):
    """BANES's editor types into the pathway table and presses "Add a row" after the session
    ended: the sign-in page says it was kept; signed in, they read it and send it again, and
    the row is added with what they typed (docs/decisions/0507)."""
    demo_data.load_organisations_and_plans()
    plan = Plan.objects.get(consortium__slug="banes")
    sign_in(page, live_server, BANES_EDITOR, DEMO_PASSWORD)
    key = "pathway-development"
    page.goto(live_server.url + reverse("answer_edit", args=[plan.pk, key]))
    before = Answer.objects.get(plan=plan, question__key=key).rows
    page.get_by_label("Development area", exact=False).first.fill("Typed after the session ended")
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)

    page.get_by_role("button", name=re.compile("Add a row")).first.click()

    callout = page.locator(".nhsuk-warning-callout")
    expect(callout.get_by_role("heading", level=2)).to_have_text(
        "Important: You were signed out, so what you sent was not saved"
    )
    expect(callout).to_contain_text("It has been kept. Sign in, and you can send it again.")
    assert_accessible(page)
    screenshot(page, "sign-in-after-an-unsaved-post")
    assert Answer.objects.get(plan=plan, question__key=key).rows == before

    page.get_by_label("Email address").fill(BANES_EDITOR)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What you sent was not saved")
    page.get_by_text("See what was sent").click()
    typed = page.locator(".nhsuk-summary-list__row", has_text="Typed after the session ended")
    expect(typed).to_be_visible()
    # Under the words the table's column has on the page, with the row it was typed in.
    expect(typed.locator("dt")).to_have_text("Development area, row 1")
    assert_accessible(page)
    screenshot(page, "unsent-after-signing-in")

    page.get_by_role("button", name="Send it again").click()

    expect(page).to_have_url(re.compile(reverse("answer_edit", args=[plan.pk, key])))
    rows = Answer.objects.get(plan=plan, question__key=key).rows
    assert len(rows) == len(before) + 1
    assert "Typed after the session ended" in rows[0].values()
    assert "was not saved" not in page.content()


def test_a_save_while_signing_in_again_waits_at_the_code_step_says_to_give_the_code(
    page, live_server
):
    """An editor who added an authenticator signs in again in another tab after the session
    ended, and stops before giving the code: the save says so and keeps the text; once the code
    is given the same press saves it."""
    plan = demo_daccom_plan()
    authenticator(User.objects.get(email=EDITOR))
    status, text = writing_4_1_as_the_session_ends(page, live_server, plan)
    other_tab = page.context.new_page()
    sign_in(other_tab, live_server, EDITOR, DEMO_PASSWORD, give_the_code=False)
    expect(other_tab).to_have_url(re.compile("/sign-in/code/"))

    page.keyboard.type(" Reviewed in May.")
    page.get_by_role("button", name="Save 4.1").click()

    expect(status).to_have_text(re.compile(r"^Not saved: you have not finished signing in\. "))
    expect(status.get_by_role("link", name="Open the sign-in page in a new tab")).to_be_visible()
    expect(text).to_contain_text("Reviewed in May.")
    assert_accessible(page)

    give_code(other_tab, current_code(EDITOR))
    page.get_by_role("button", name="Save 4.1").click()

    expect(status).to_have_text(re.compile(r"^Saved at"))
    answer = Answer.objects.get(plan=plan, question__key="access-and-quality-targets")
    assert "Reviewed in May." in answer.text
