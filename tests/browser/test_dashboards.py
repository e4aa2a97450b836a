"""The home dashboards, a plan's activity and the email settings, in the browser: axe clean."""

import re

import pytest
from playwright.sync_api import expect

from consortia.models import User
from plans.models import QuestionKind
from signoff import services
from tests.browser.conftest import assert_accessible, screenshot
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
    signed_in_page, live_server, submitted_plan
):
    page = signed_in_page("lead.dacorum-pct@example.org")

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
    signed_in_page, live_server, submitted_plan
):
    page = signed_in_page("editor.daccom@example.org")

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


def answered_on_home(page, live_server, plan) -> str:
    """The home page's "N of M" required questions answered for ``plan``."""
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    row = page.locator(f'tr:has(a[href="/plans/{plan.pk}/"])').first
    return re.search(r"\d+ of \d+", row.inner_text()).group()


def task_state(page, live_server, plan, key: str):
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    return page.locator(f"#task-{key}-status")


def test_an_answer_typed_but_not_saved_counts_on_no_dashboard_until_saved(
    signed_in_page, live_server
):
    plan = demo_daccom_plan()
    question = (
        plan.template.questions.filter(
            required=True, kind=QuestionKind.RICH_TEXT, completed_by="consortium"
        )
        .select_related("part")
        .order_by("position")
        .first()
    )
    plan.answers.filter(question=question).update(text="")  # not yet written
    editor = signed_in_page("editor.daccom@example.org")
    lead = signed_in_page("lead.dacorum-pct@example.org")
    before = answered_on_home(editor, live_server, plan)
    assert answered_on_home(lead, live_server, plan) == before

    editor.goto(f"{live_server.url}/plans/{plan.pk}/parts/{question.part.key}/")
    block = editor.locator(f"#question-{question.key}")
    block.locator('.ProseMirror[contenteditable="true"]').click()
    editor.keyboard.type("Typed, not yet saved.")
    expect(block.locator(".app-save-status")).to_have_text(re.compile("Saved at"), timeout=15_000)

    expect(task_state(editor, live_server, plan, question.key)).to_have_text("In progress")
    assert answered_on_home(editor, live_server, plan) == before
    assert answered_on_home(lead, live_server, plan) == before
    assert_accessible(lead)

    editor.goto(f"{live_server.url}/plans/{plan.pk}/parts/{question.part.key}/")
    with editor.expect_response(lambda response: response.request.method == "POST"):
        block.get_by_role("button", name=re.compile(r"^Save ")).click()

    expect(task_state(editor, live_server, plan, question.key)).to_have_text("Completed")
    answered, required = (int(n) for n in before.split(" of "))
    assert answered_on_home(editor, live_server, plan) == f"{answered + 1} of {required}"
    assert answered_on_home(lead, live_server, plan) == f"{answered + 1} of {required}"
