"""An editor moves a plan to a newer version of its form that drops a column and changes a rate,
and reads a signed plan's answer without an editor."""

import pytest
from playwright.sync_api import expect

from plans.models import Plan
from tests.browser.conftest import assert_accessible, start_session
from tests.integration.plans.test_moving_forms import moving  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_editor_confirms_what_the_newer_version_will_not_keep_then_moves(
    page,
    live_server,
    moving,  # noqa: F811
):
    plan, newer, editor = moving
    start_session(page, live_server, editor.email)
    page.goto(f"{live_server.url}/plans/{plan.pk}/move/{newer.pk}/")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Move the plan to")
    expect(page.get_by_text("1 row holds a figure in it")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Move the plan").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    expect(heading).to_contain_text("Move the plan to")
    assert_accessible(page)

    page.get_by_label("I understand these answers, figures and rates will not be kept").check()
    page.get_by_role("button", name="Move the plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(plan.title)
    expect(page.get_by_text("The plan now uses")).to_be_visible()

    page.get_by_role("link", name="See the plan's activity").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Activity")
    expect(page.get_by_text("moved the plan to a newer version of its form")).to_be_visible()
    expect(page.get_by_text("- row 1 (Hospital at home): 1500")).to_be_visible()
    assert_accessible(page)


def test_a_signed_plans_answer_is_shown_to_read_with_why(page, live_server, moving):  # noqa: F811
    plan, _newer, editor = moving
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.SIGNED)
    start_session(page, live_server, editor.email)

    page.goto(f"{live_server.url}/plans/{plan.pk}/questions/schemes/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("2.9 Schemes and their budgets")
    expect(page.get_by_text("The plan is signed: its content is frozen")).to_be_visible()
    expect(page.get_by_role("button", name="Save 2.9")).to_have_count(0)
    assert_accessible(page)
