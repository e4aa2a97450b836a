"""An editor adds a target to a DacCom project and sees the computed totals change; the
projects, funding and self-assessment pages pass axe."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from plans.models import Plan
from tests import demo_data
from tests.browser.conftest import assert_accessible, screenshot, start_session
from tests.limits import projects_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_daccom_editor_adds_a_target_and_the_totals_follow(live_server, page):
    demo_data.load_organisations_and_plans()
    plan = Plan.objects.get(consortium__slug="daccom", template__slug="daccom-locality-plan-2006")
    assessment = Plan.objects.get(
        consortium__slug="daccom", template__family__endswith="self-assessment"
    )
    start_session(page, live_server, "editor.daccom@example.org")

    page.goto(live_server.url + reverse("part_detail", args=[plan.pk, "commissioning-objectives"]))
    projects = page.locator("#question-services-to-be-commissioned")
    assert "£2.68m (44%) of £6.106m" in projects.locator("[data-figure=share]").inner_text()
    targets = page.locator("#question-financial-targets")
    assert "£2.68m (44%) of £6.106m" in targets.locator("[data-figure=share]").inner_text()
    assert_accessible(page)
    screenshot(page, "projects-daccom-4")

    page.get_by_role("button", name="Add a target to project 2").click()
    page.wait_for_load_state()
    page.get_by_label("Number, target 2 of project 2").fill("2.2")
    page.get_by_label("Title, target 2 of project 2").fill("Minor injuries unit")
    page.get_by_label("Planned saving in pounds, target 2 of project 2").fill("1000000")
    page.get_by_role("button", name="Save 4.2").click()
    page.locator(".app-save-status").filter(has_text=re.compile("Saved at")).wait_for()
    screenshot(page, "projects-daccom-4-2-edit")

    page.goto(live_server.url + reverse("part_detail", args=[plan.pk, "commissioning-objectives"]))
    share = page.locator("#question-services-to-be-commissioned [data-figure=share]")
    assert "£3.68m (60%) of £6.106m" in share.inner_text()
    assert (
        "£3,676,000"
        in page.locator(
            "#question-services-to-be-commissioned [data-figure=plan-total]"
        ).inner_text()
    )
    assert (
        "£3.68m (60%) of £6.106m"
        in page.locator("#question-financial-targets [data-figure=share]").inner_text()
    )
    assert page.get_by_label("Planned saving in pounds, target 2 of project 2").input_value() == (
        "1,000,000.00"
    )

    page.goto(live_server.url + reverse("part_detail", args=[plan.pk, "budget-setting"]))
    funding = page.locator("#question-resource-identification")
    assert "£285k" in funding.locator("[data-figure=des-total]").inner_text()
    assert "£214k" in funding.locator("[data-figure=des-practices]").inner_text()
    assert "£71k" in funding.locator("[data-figure=des-pct]").inner_text()
    assert_accessible(page)
    screenshot(page, "funding-daccom-5")

    page.goto(live_server.url + reverse("part_detail", args=[assessment.pk, "self-assessment"]))
    summary = page.get_by_role("table", name="Summary: targets at each level by rating")
    assert summary.locator("tbody tr").nth(2).locator("th").inner_text() == "Level 3"
    assert summary.locator("tbody tr").nth(2).locator("td").first.inner_text() == "23"
    assert_accessible(page)
    screenshot(page, "self-assessment-daccom")


def test_an_editor_pages_through_45_projects_changes_one_on_page_2_and_the_total_follows(
    live_server, page
):
    demo_data.load_organisations_and_plans()
    plan = Plan.objects.get(consortium__slug="daccom", template__slug="daccom-locality-plan-2006")
    plan.answers.filter(question__key="services-to-be-commissioned").update(
        data={"projects": projects_of(45, targets_each=3)}
    )
    start_session(page, live_server, "editor.daccom@example.org")
    page.goto(live_server.url + reverse("part_detail", args=[plan.pk, "commissioning-objectives"]))
    projects = page.locator("#question-services-to-be-commissioned")
    assert "Projects 1 to 20 of 45 (page 1 of 3)" in projects.inner_text()
    assert "£135,000" in projects.locator("[data-figure=plan-total]").inner_text()

    projects.get_by_role("navigation", name="Pages of projects", exact=True).get_by_role(
        "link", name="Next page of projects"
    ).click()
    expect(page.locator("body")).to_contain_text("Projects 21 to 40 of 45 (page 2 of 3)")
    assert_accessible(page)
    screenshot(page, "projects-page-2-of-3")
    saving = page.get_by_label("Planned saving in pounds, target 2 of project 30")
    saving.fill("2500")
    page.get_by_role("button", name="Save 4.2").click()
    page.locator(".app-save-status").filter(has_text=re.compile("Saved at")).wait_for()

    page.goto(live_server.url + reverse("part_detail", args=[plan.pk, "commissioning-objectives"]))
    total = page.locator("#question-services-to-be-commissioned [data-figure=plan-total]")
    assert "£136,500" in total.inner_text()
