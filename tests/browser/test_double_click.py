"""A button pressed twice in quick succession sends its form once (nhsuk-frontend's
prevent-double-click), so a second click never lands on a refusal of what the first did."""

import pytest
from playwright.sync_api import expect

from plans.models import Plan, PlanEvent
from tests.plan_factories import demo_daccom_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_double_click_on_submit_sends_the_plan_once_and_lands_on_the_plan(
    live_server, signed_in_page
):
    plan = demo_daccom_plan()
    page = signed_in_page("editor.daccom@example.org")
    page.goto(f"{live_server.url}/plans/{plan.pk}/review/submit/")
    posts = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))
    button = page.get_by_role("button", name="Submit the plan to the PCT")

    # The second click comes while the first post is on its way, as a double click does.
    button.evaluate("button => { button.click(); setTimeout(() => button.click(), 150); }")

    expect(page.get_by_text("The plan has been submitted to the PCT")).to_be_visible()
    assert page.url.endswith(f"/plans/{plan.pk}/")
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.SUBMITTED
    assert PlanEvent.objects.filter(plan=plan, action="submit").count() == 1
    assert len(posts) == 1
