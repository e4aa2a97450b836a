"""The PCT lead opens a quarterly return on the signed DacCom plan, the practice manager fills
it, the lead accepts it with the keyboard and reads the delivery dashboard. Every page
axe-clean; the chart has a text alternative."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from consortia.dates import long_moment
from monitoring import services
from monitoring.models import MonitoringReturn, ReturnLine
from monitoring.services import LineInput
from signoff.canonical import content_sha256
from tests.browser.conftest import (
    assert_accessible,
    follow_from_the_plan,
    screenshot,
    start_session,
)
from tests.browser.test_keyboard_walk import NARROW
from tests.browser.test_long_names import scrolls_sideways
from tests.monitoring_factories import (
    accepted,
    editor_of,
    lead_of,
    open_quarter,
    signed_demo_daccom,
)
from tests.plan_factories import demo_daccom_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def everything_but_the_first_of_each(item: MonitoringReturn, editor) -> None:
    """What the practice manager saved earlier: every line but target 1.1, milestone 6.2a
    and criterion (b), which the test fills on the page."""
    typed = {}
    for line in item.lines.exclude(reference__in=["1.1", "6.2a", "(b)"]):
        if line.kind == ReturnLine.Kind.TARGET:
            typed[line.pk] = LineInput(
                actual_to_date=f"{line.planned_saving / 4:f}",
                forecast_for_year=f"{line.planned_saving:f}",
            )
        elif line.kind == ReturnLine.Kind.MILESTONE:
            typed[line.pk] = LineInput(status="at_risk", note="Waiting on the acute trust.")
        else:
            typed[line.pk] = LineInput(status="partly_met")
    services.return_save(
        monitoring_return=item, user=editor, base_version=item.version, commentary="", lines=typed
    )


def test_a_quarterly_return_is_opened_filled_accepted_and_shown_on_the_dashboard(
    signed_in_page, live_server
):
    plan = signed_demo_daccom()
    signed_hash = content_sha256(plan)
    lead, editor = lead_of(plan), editor_of(plan)

    page = signed_in_page(lead.email)
    follow_from_the_plan(
        page, live_server, plan, "Monitor the plan's delivery", "Monitoring delivery"
    )
    page.get_by_text("Open a return").click()
    page.get_by_label("Period", exact=True).fill("Q1 2006/07")
    page.get_by_label("The period ends on").fill("2006-06-30")
    page.get_by_label("The return is due on").fill("2006-07-31")
    page.get_by_role("button", name="Open the return").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Return for Q1 2006/07")
    item = MonitoringReturn.objects.get(plan=plan)
    everything_but_the_first_of_each(item, editor)

    manager = signed_in_page(editor.email)
    manager.get_by_role("link", name="Monitoring").click()
    expect(manager.locator("main")).to_contain_text("1 return waiting, 1 late")
    assert_accessible(manager)
    manager.get_by_role("link", name="Q1 2006/07").click()
    target = manager.get_by_role("group", name=re.compile(r"Savings target 1\.1"))
    target.get_by_label("Actual savings to date, in pounds").fill("40000")
    target.get_by_label("Forecast savings for the year, in pounds").fill("150000")
    milestone = manager.get_by_role("group", name=re.compile(r"Milestone 6\.2a"))
    milestone.get_by_label("Status").select_option("done")
    milestone.get_by_label("Date done").fill("2006-06-20")
    criterion = manager.get_by_role("group", name=re.compile(r"Success criterion \(b\)"))
    criterion.get_by_label("Status").select_option("met")
    criterion.get_by_label("Evidence").fill("Minutes of the 19 practices' meeting.")
    assert_accessible(manager)
    screenshot(manager, "monitoring-return-form")
    manager.get_by_role("button", name="Submit the return").click()
    expect(manager.locator("main")).to_contain_text("Return submitted to the PCT.")

    page.reload()
    page.get_by_label("Comment").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Accept the return")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Return accepted.")
    page.get_by_role("link", name="Back to monitoring").click()

    chart = page.get_by_role("img", name="Planned against actual savings by target")
    expect(chart).to_be_visible()
    expect(page.locator("#chart-desc")).to_contain_text("Planned savings £2.68m")
    table = page.get_by_role("table").filter(has_text="The chart's figures, by target")
    expect(table.get_by_role("row", name=re.compile(r"^1\.1 "))).to_contain_text("£40,000")
    expect(table).to_contain_text("£2,676,000")
    expect(page.locator("main")).to_contain_text("1 of 4 criteria met in full")
    assert_accessible(page)
    screenshot(page, "monitoring-delivery-dashboard")

    page.goto(f"{live_server.url}/monitoring/")
    expect(page).to_have_title(re.compile(r"^Monitoring"))
    expect(page).not_to_have_title(re.compile(r"token"))
    delivered = page.get_by_role("table").filter(has_text="Reward due")
    expect(delivered).to_contain_text("£17,812.50 of £71,250")
    assert_accessible(page)
    screenshot(page, "monitoring-pct-dashboard")
    page.get_by_role("link", name="make an API token").click()
    page.get_by_label("Name the token").fill("Finance spreadsheet")
    page.get_by_role("button", name="Make the token").click()
    expect(page.locator("#new-token")).not_to_be_empty()
    expect(page.get_by_role("alert").filter(has=page.locator("#new-token"))).to_be_focused()
    assert_accessible(page)
    screenshot(page, "monitoring-api-tokens")

    plan.refresh_from_db()
    assert content_sha256(plan) == signed_hash
    assert not plan.signatures.exclude(voided_at=None).exists()


def test_with_returns_waiting_and_accepted_the_leads_pages_do_not_scroll_sideways_at_375_px(
    page, live_server
):
    plan = signed_demo_daccom()
    accepted(open_quarter(plan))
    open_quarter(plan, "Q2 2006/07", date(2006, 9, 30), date(2006, 10, 31))
    page.set_viewport_size(NARROW)
    start_session(page, live_server, lead_of(plan).email)

    page.goto(f"{live_server.url}/plans/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=plan.title)).to_be_visible()
    assert not scrolls_sideways(page), "the plans list scrolls sideways at 375 px"

    page.goto(f"{live_server.url}/monitoring/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Monitoring")
    expect(page.get_by_role("table").filter(has_text="Q2 2006/07")).to_be_visible()
    delivery = page.get_by_role("region", name="Delivery of signed plans")
    expect(delivery.get_by_role("table")).to_contain_text("Q1 2006/07")
    assert not scrolls_sideways(page), "the monitoring page scrolls sideways at 375 px"
    assert_accessible(page)


def test_the_token_pages_wrap_a_long_name_at_375_px_ask_before_revoking_and_the_api_docs_render(
    page, live_server
):
    editor = editor_of(demo_daccom_plan())
    long_name = "Financespreadsheet" * 5 + "Xy"  # 92 letters, no space
    refused = []
    page.on("console", lambda message: message.type == "error" and refused.append(message.text))
    page.set_viewport_size(NARROW)
    start_session(page, live_server, editor.email)

    page.goto(f"{live_server.url}/account/api-tokens/")
    page.get_by_label("Name the token").fill(long_name)
    page.get_by_role("button", name="Make the token").click()
    expect(page.locator("#new-token")).not_to_be_empty()
    expect(page.get_by_role("alert").filter(has=page.locator("#new-token"))).to_be_focused()
    row = page.get_by_role("row", name=re.compile(long_name))
    expect(row).to_contain_text("Active")
    expect(row).to_contain_text("Never used")
    key = page.locator("#new-token").inner_text()
    used = page.request.get(
        f"{live_server.url}/api/v1/plans", headers={"Authorization": f"Bearer {key}"}
    )
    assert used.status == 200
    last_used = f"Last used {long_moment(editor.api_tokens.get().last_used_at)}"
    page.goto(f"{live_server.url}/account/api-tokens/")
    expect(row).to_contain_text(last_used)
    assert not scrolls_sideways(page)
    assert_accessible(page)

    row.get_by_role("link", name=f"Revoke {long_name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Revoke {long_name}?")
    expect(page.locator("main")).to_contain_text("Scripts using it will stop working")
    expect(page.locator("main")).to_contain_text(last_used)
    assert not scrolls_sideways(page)
    assert_accessible(page)
    page.get_by_role("button", name="Revoke the token").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    expect(row).to_contain_text("Revoked")
    expect(row).to_contain_text(last_used)
    assert not scrolls_sideways(page)

    page.get_by_role("link", name="Read the API's documentation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The API's documentation")
    expect(page.get_by_role("heading", name="GET /api/v1/plans/{plan_id}/returns")).to_be_visible()
    returns = page.get_by_role("table", name="ReturnOut", exact=True)
    expect(returns).to_contain_text("list of LineOut")
    expect(page.get_by_role("link", name=re.compile("OpenAPI description"))).to_have_attribute(
        "href", "/api/v1/openapi.json"
    )
    assert not scrolls_sideways(page)
    assert_accessible(page)
    screenshot(page, "monitoring-api-docs")
    assert refused == []


def test_a_period_named_in_one_long_word_wraps_on_the_monitoring_pages_at_375_px(page, live_server):
    plan = signed_demo_daccom()
    accepted(open_quarter(plan, "x" * 100))
    waiting = open_quarter(plan, "y" * 100, date(2006, 9, 30), date(2006, 10, 31))
    page.set_viewport_size(NARROW)
    start_session(page, live_server, lead_of(plan).email)

    for path, heading in (
        (f"/plans/{plan.pk}/monitoring/", "Monitoring"),
        ("/monitoring/", "Monitoring"),
        (f"/monitoring/returns/{waiting.pk}/", "Return for"),
    ):
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        assert not scrolls_sideways(page), f"{path} scrolls sideways at 375 px"


def test_two_tabs_on_one_return_the_second_save_shows_both_and_loses_nothing(page, live_server):
    plan = signed_demo_daccom()
    item = open_quarter(plan)
    start_session(page, live_server, editor_of(plan).email)
    url = f"{live_server.url}/monitoring/returns/{item.pk}/"
    tab_a, tab_b = page, page.context.new_page()
    for tab in (tab_a, tab_b):
        tab.goto(url)
        expect(tab.get_by_role("heading", level=1)).to_have_text("Return for Q1 2006/07")

    def actual(tab, reference):
        target = tab.get_by_role(
            "group", name=re.compile(rf"Savings target {re.escape(reference)}")
        )
        return target.get_by_label("Actual savings to date, in pounds")

    actual(tab_a, "1.1").fill("40000")
    tab_a.get_by_role("button", name="Save and come back later").click()
    expect(tab_a.locator("main")).to_contain_text("Return saved.")
    tab_b.get_by_label("Commentary").fill("Typed in tab B.")
    actual(tab_b, "1.3").fill("100000")
    tab_b.get_by_role("button", name="Save and come back later").click()

    callout = tab_b.get_by_role("alert").filter(has_text="while you were editing")
    expect(callout).to_contain_text("You saved this return in another window or tab at")
    expect(callout.get_by_role("row").filter(has_text="Savings target 1.1")).to_contain_text(
        "£40,000"
    )
    expect(actual(tab_b, "1.3")).to_have_value("100000")
    expect(tab_b.get_by_label("Commentary")).to_have_value("Typed in tab B.")
    expect(tab_b.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(tab_b)
    screenshot(tab_b, "monitoring-return-clash")
    line = item.lines.get(reference="1.1")
    assert line.actual_to_date == 40000

    actual(tab_b, "1.1").fill("40000")
    tab_b.get_by_role("button", name="Save and come back later").click()
    expect(tab_b.locator("main")).to_contain_text("Return saved.")
    item.refresh_from_db()
    assert item.commentary == "Typed in tab B."
    assert [item.lines.get(reference=reference).actual_to_date for reference in ("1.1", "1.3")] == [
        40000,
        100000,
    ]
