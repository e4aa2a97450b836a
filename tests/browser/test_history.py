"""The practice manager reads a question's history, compares and restores a version, and
names drafts; the PCT lead sees what changed since their last review. Every page axe-clean."""

import pytest
from playwright.sync_api import expect

from consortia.models import User
from plans import services
from plans.models import Plan, PlanEvent
from tests.browser.conftest import assert_accessible, follow_from_the_plan, screenshot
from tests.demo_data import load_organisations_and_plans
from tests.plan_factories import demo_daccom_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
KEY = "referral-management"


def _save(plan, user, key, **content):
    answer = plan.answers.get(question__key=key)
    return services.answer_save(answer=answer, user=user, base_version=answer.version, **content)


def test_history_compare_restore_and_named_drafts(signed_in_page, live_server):
    plan = demo_daccom_plan()
    editor = User.objects.get(email="editor.daccom@example.org")
    _save(plan, editor, KEY, text="<p>Referrals are audited every month by each practice.</p>")
    services.snapshot_create(plan=plan, user=editor, name="Draft version 1 (22nd June 2007)")
    _save(plan, editor, KEY, text="<p>Referrals are audited every quarter by DacCom.</p>")
    rows = plan.answers.get(question__key="practices").rows
    _save(plan, editor, "practices", rows=[*rows[:-1], {"name": "New Surgery"}])
    page = signed_in_page(editor.email)

    follow_from_the_plan(page, live_server, plan, "See the plan's history", "History of the plan")
    screenshot(page, "history-plan")

    page.goto(f"{live_server.url}/plans/{plan.pk}/parts/commissioning-objectives/")
    page.get_by_role("link", name="History of 4.3").click()
    page.get_by_role("button", name="Show changes between the chosen versions").click()
    changes = page.locator("#changes")
    expect(changes.locator("ins").first).to_contain_text("quarter")
    expect(changes.locator("del").first).to_contain_text("month")
    assert_accessible(page)
    screenshot(page, "history-question-compare")

    page.get_by_role("link", name="Restore this version").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Restore an earlier version of 4.3"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Restore this version").click()
    expect(page.get_by_role("alert").first).to_contain_text("is back")
    assert "every month" in plan.answers.get(question__key=KEY).text

    page.goto(f"{live_server.url}/plans/{plan.pk}/drafts/")
    assert_accessible(page)
    page.get_by_label("Name this draft (optional)").fill("Draft for the board")
    page.get_by_role("button", name="Save the plan as it is now as a named draft").click()
    expect(page.get_by_role("alert").first).to_contain_text("Draft for the board")
    page.get_by_role("button", name="Show changes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Changes from Draft version 1")
    expect(page.locator("ins", has_text="New Surgery")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "drafts-compare")


def test_the_lead_sees_what_changed_since_their_last_review(signed_in_page, live_server):
    plan = demo_daccom_plan()
    editor = User.objects.get(email="editor.daccom@example.org")
    lead = User.objects.get(email="lead.dacorum-pct@example.org")
    _save(plan, editor, KEY, text="<p>Referrals are audited every month.</p>")
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.CHANGES_REQUESTED)
    PlanEvent.objects.create(plan=plan, kind="transition", action="request_changes", actor=lead,
                             from_status="in_review", to_status="changes_requested")  # fmt: skip
    _save(plan, editor, KEY, text="<p>Referrals are audited every week.</p>")
    page = signed_in_page(lead.email)

    page.goto(f"{live_server.url}/plans/{plan.pk}/parts/commissioning-objectives/")
    question = page.locator(f"#question-{KEY}")
    expect(question.get_by_text("Changed since your last review")).to_be_visible()
    question.get_by_text("Show changes since your last review").click()
    expect(question.locator("ins", has_text="week.")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "part-changed-since-review")


def test_a_wide_tables_changed_rows_scroll_in_their_own_region_at_320_px(
    signed_in_page, live_server
):
    """WCAG 1.4.10 (reflow): BANES's five-column pathway table, compared, scrolls in a region
    named by its caption, not the page."""
    load_organisations_and_plans()
    plan = Plan.objects.get(consortium__slug="banes")
    editor = User.objects.get(email="editor.banes@example.org")
    rows = plan.answers.get(question__key="pathway-development").rows
    row = dict.fromkeys(rows[0], "") | {"area": "Falls", "description": "A falls clinic"}
    answer = _save(plan, editor, "pathway-development", rows=[*rows, row])
    latest = answer.history.latest().history_id
    page = signed_in_page(editor.email)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(
        f"{live_server.url}/plans/{plan.pk}/questions/pathway-development/history/?to={latest}"
    )

    region = page.get_by_role("region", name="Rows that changed")
    expect(region.locator("ins").first).to_contain_text("Falls")
    assert region.evaluate("element => element.scrollWidth > element.clientWidth")
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"the page is {widths[0]} px wide at {widths[1]} px"
    assert_accessible(page)
