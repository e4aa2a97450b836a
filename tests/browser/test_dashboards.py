"""The home dashboards, a plan's activity and the email settings, in the browser: axe clean."""

import pytest
from playwright.sync_api import expect

from consortia.demo import DEMO_PASSWORD
from consortia.models import User
from signoff import services
from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.plan_factories import demo_daccom_plan
from tests.review_factories import pct_only_comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def submitted_plan():
    plan = demo_daccom_plan()
    editor = User.objects.get(email="editor.daccom@example.org")
    lead = User.objects.get(email="lead.dacorum-pct@example.org")
    plan.answers.filter(question__required=True, text="").update(text="<p>Demo answer.</p>")
    services.plan_submit(plan=plan, user=editor)
    services.plan_start_review(plan=plan, user=lead)
    question = plan.template.questions.filter(required=True).order_by("position").first()
    services.comment_add(plan=plan, user=lead, body="Which year are these for?", question=question)
    pct_only_comment(plan, lead, "Between us: check the list sizes.", question=question)
    services.plan_request_changes(plan=plan, user=lead, summary="Section 2 needs this year.")
    return plan


def test_the_pct_lead_sees_the_plans_by_state_and_a_plans_activity(
    new_page, live_server, submitted_plan
):
    page = new_page()
    sign_in(page, live_server, "lead.dacorum-pct@example.org", DEMO_PASSWORD)

    expect(page.get_by_role("link", name="Changes requested: 1")).to_be_visible()
    expect(page.locator("table#state-changes_requested")).to_contain_text("DacCom")
    assert_accessible(page)
    screenshot(page, "home-pct-lead")

    # The filter, from the keyboard: one state, then every state again.
    page.get_by_label("Show the plans in").select_option(
        label="Changes requested (1)"
    )  # one: the count shows
    page.get_by_role("button", name="Show").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Changes requested plans")).to_be_visible()
    expect(page.get_by_label("Show the plans in")).to_have_value("changes_requested")
    assert_accessible(page)
    page.get_by_label("Show the plans in").select_option(value="")
    page.get_by_role("button", name="Show").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Plans of your consortia")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/plans/{submitted_plan.pk}/activity/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Activity")
    expect(page.locator("main")).to_contain_text("asked for changes")
    expect(page.locator("main")).to_contain_text("Between us: check the list sizes.")
    assert_accessible(page)
    screenshot(page, "plan-activity-pct")


def test_the_consortium_sees_what_next_and_chooses_a_daily_email(
    new_page, live_server, submitted_plan
):
    page = new_page()
    sign_in(page, live_server, "editor.daccom@example.org", DEMO_PASSWORD)

    expect(page.locator("main")).to_contain_text("Make the changes the PCT asked for")
    assert_accessible(page)
    screenshot(page, "home-consortium-editor")

    page.goto(f"{live_server.url}/plans/{submitted_plan.pk}/activity/")
    expect(page.locator("main")).to_contain_text("Which year are these for?")
    expect(page.locator("main")).not_to_contain_text("Between us")

    page.get_by_role("link", name="Email settings").click()
    page.get_by_label("Once a day, in one email").check()
    assert_accessible(page)
    screenshot(page, "email-settings")
    page.get_by_role("button", name="Save your email settings").click()

    expect(page.locator("main")).to_contain_text("Your email settings have been saved.")
    expect(page.get_by_label("Once a day, in one email")).to_be_checked()
    assert User.objects.get(email="editor.daccom@example.org").notify == User.Notify.DAILY
