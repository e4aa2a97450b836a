"""Practices confirming participation in the browser: in the demo, 12 of DacCom's 19 practices
have confirmed; the practice manager, lead of the 13th, signs in and confirms it, and the PCT's
lead records a 14th's letter. The payment direct to practices moves each time; axe clean."""

import pytest
from playwright.sync_api import expect

from plans import participation_demo, round_selectors
from tests.browser.conftest import assert_accessible, follow_from_the_plan, screenshot
from tests.plan_factories import demo_daccom_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = "Practices taking part: who has confirmed participation"


def test_a_practice_lead_confirms_and_the_pct_records_a_letter(signed_in_page, live_server):
    plan = demo_daccom_plan()
    participation_demo.load_demo_participation()
    practices = list(plan.consortium.practices.all())
    thirteenth, fourteenth = practices[12], practices[13]

    manager = signed_in_page("editor.daccom@example.org")
    follow_from_the_plan(manager, live_server, plan, LINK, "Practices taking part")
    table = manager.locator("table.app-participation")
    expect(table).to_contain_text("12 of 19 confirmed, a registered population of 99,000")
    expect(table).to_contain_text("£141,075")
    manager.get_by_role("button", name=f"Confirm {thirteenth.name} takes part").click()
    expect(manager.locator("main")).to_contain_text(
        f"{thirteenth.name}'s participation is confirmed"
    )
    expect(table).to_contain_text("13 of 19 confirmed, a registered population of 104,600")
    expect(table.locator(f"tr[data-practice='{thirteenth.code}']")).to_contain_text("Confirmed on")
    expect(manager.get_by_role("button", name=f"Withdraw {thirteenth.name}")).to_be_visible()
    assert_accessible(manager)

    pct = signed_in_page("lead.dacorum-pct@example.org")
    pct.goto(f"{live_server.url}/plans/{plan.pk}/participation/")
    pct.get_by_label("Practice", exact=True).select_option(
        label=f"{fourteenth.name} ({fourteenth.code})"
    )
    pct.get_by_label("Confirms participation").check()
    today = round_selectors.today()
    pct.get_by_label("Date of the letter").fill(today.isoformat())
    pct.get_by_role("button", name="Record the letter").click()
    expect(pct.locator("main")).to_contain_text(
        f"{fourteenth.name}'s written confirmation is recorded"
    )
    row = pct.locator(f"tr[data-practice='{fourteenth.code}']")
    expect(row).to_contain_text(f"Confirmed on {today:%-d %B %Y} in writing, recorded by")
    expect(pct.locator("table.app-participation")).to_contain_text("14 of 19 confirmed")
    assert_accessible(pct)
    screenshot(pct, "participation")
