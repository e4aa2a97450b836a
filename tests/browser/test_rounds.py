"""The planning year in the browser: the PCT opens the 2007/08 round, DacCom starts its plan
from 2006/07 and checks what was carried forward, the PCT follows the round. axe clean."""

import re

import pytest
from playwright.sync_api import expect

from plans.models import PlanningRound
from tests.browser.conftest import assert_accessible, screenshot
from tests.plan_factories import demo_daccom_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_round_opened_started_from_last_year_and_followed(signed_in_page, live_server):
    demo_daccom_plan()
    lead = signed_in_page("lead.dacorum-pct@example.org")
    lead.get_by_role("link", name="Planning rounds").click()
    lead.get_by_role("link", name="Open a planning round").click()
    expect(lead.get_by_role("heading", level=1)).to_have_text("Open a planning round")
    assert_accessible(lead)
    lead.get_by_label("Plan year").fill("2007/08")
    lead.get_by_label("Form").select_option(
        label="DacCom Locality Commissioning Plan [2006/07 revision]"
    )
    lead.get_by_label("Submission deadline").fill("2099-03-31")
    lead.get_by_label("Interim dates (optional)", exact=True).fill("2099-02-01 First draft")
    # Submitted from the keyboard.
    lead.get_by_role("button", name="Open the round").focus()
    lead.keyboard.press("Enter")
    expect(lead.get_by_role("heading", level=1)).to_have_text("Planning round 2007/08")
    expect(lead.locator("main")).to_contain_text("Not started")
    assert_accessible(lead)
    planning_round = PlanningRound.objects.get()

    editor = signed_in_page("editor.daccom@example.org")
    expect(editor.locator("main")).to_contain_text("wants the 2007/08 plan by 31 March 2099")
    assert_accessible(editor)
    editor.get_by_role("link", name="Start your 2007/08 plan").click()
    expect(editor.get_by_role("heading", level=1)).to_have_text("Start your 2007/08 plan")
    assert_accessible(editor)
    editor.get_by_label("DacCom Practice Based Commissioning Plan 2006/07").check()
    editor.get_by_role("button", name="Start the plan").click()
    expect(editor.get_by_role("heading", level=1)).to_have_text("Carried forward from 2006/07")
    expect(editor.locator("main")).to_contain_text("Answers to check")
    assert_accessible(editor)
    screenshot(editor, "round-carried-forward")
    editor.get_by_role("button", name=re.compile(r"^Confirm 4\.2 .+ still holds$")).click()
    expect(editor.locator("main")).to_contain_text("4.2 is confirmed")
    editor.get_by_role("link", name="Compare 2007/08 with 2006/07").click()
    expect(editor.get_by_role("heading", level=1)).to_have_text("2007/08 compared with 2006/07")
    assert_accessible(editor)

    # The plan, carried forward and partly checked, reads the same on its page and the round's.
    editor.goto(f"{live_server.url}/")
    editor.get_by_role("link", name="Your 2007/08 plan").click()
    said = editor.locator("#progress").inner_text()
    assert re.fullmatch(r"1 of 37 required questions completed, \d+ started\.", said)
    lead.goto(f"{live_server.url}/rounds/{planning_round.pk}/")
    expect(lead.locator("main")).to_contain_text("Draft")
    expect(lead.get_by_role("row", name=re.compile("DacCom"))).to_contain_text(said)
    assert_accessible(lead)
    screenshot(lead, "round-dashboard")
