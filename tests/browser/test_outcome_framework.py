"""BANES's editor adds an outcome to Appendix 1 (the outcome framework) and lands on it, as
DacCom's editor does on a new target: no refusal of the blank row, focus on its first input."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from plans.models import Plan
from tests import demo_data
from tests.browser.conftest import assert_accessible, start_session
from tests.browser.test_keyboard import by_id_attribute

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PREFIX = "q-incentive-outcome-framework"


def test_banes_editor_adds_an_outcome_to_area_1_and_lands_on_its_number(live_server, page):
    demo_data.load_organisations_and_plans()
    plan = Plan.objects.get(consortium__slug="banes")
    start_session(page, live_server, "editor.banes@example.org")
    page.goto(live_server.url + reverse("part_detail", args=[plan.pk, "appendix-1"]))

    page.get_by_role("button", name="Add an outcome to area 1").click()
    page.wait_for_load_state()

    new_number = f"{PREFIX}-areas[0].outcomes[3].number"
    assert page.url.endswith(f"/parts/appendix-1/#{new_number}")
    expect(by_id_attribute(page, new_number)).to_be_focused()
    expect(page.get_by_label("Number, outcome 4 of area 1")).to_be_focused()
    expect(page.get_by_text("There is a problem")).to_have_count(0)
    expect(page.get_by_text("Enter the outcome.")).to_have_count(0)
    assert_accessible(page)


def test_outcomes_not_adding_up_to_their_area_are_saved_and_said_so_then_shown_on_the_area(
    live_server, page
):
    demo_data.load_organisations_and_plans()
    plan = Plan.objects.get(consortium__slug="banes")
    start_session(page, live_server, "editor.banes@example.org")
    part = live_server.url + reverse("part_detail", args=[plan.pk, "appendix-1"])
    page.goto(part)
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    for j, weighting in enumerate("141"):
        by_id_attribute(page, f"{PREFIX}-areas[0].outcomes[{j}].weighting_percent").fill(weighting)
    section = page.locator("#question-incentive-outcome-framework")
    section.locator(".app-answer-actions button").click()

    warning = "The outcomes of area 1 add up to 6%, but the area's weighting is 5%."
    expect(section.get_by_role("status")).to_contain_text(
        f"but fix this before the plan is submitted: {warning}"
    )
    page.goto(part)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(by_id_attribute(page, f"{PREFIX}-areas[0]-warnings")).to_contain_text(warning)
    assert_accessible(page)
