"""People come and go, in the browser: the Dacorum PCT's lead invites a new DacCom chair, who
joins, sets up a second factor and invites a practice manager; the manager joins (by keyboard)
and edits the plan; the chair deactivates them, asked first, and their open session is refused
at once; then reactivates them, asked first, by keyboard."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from consortia.models import User
from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.test_keyboard import accessible, by_text, tab_to
from tests.browser.test_two_factor import code_from_key
from tests.browser.test_writing import editor_for, open_part, type_at_end
from tests.plan_factories import demo_daccom_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LEAD = "lead.dacorum-pct@example.org"
NEW_CHAIR = "new.chair@example.org"
NEW_MANAGER = "new.manager@example.org"
CHAIR_PASSWORD = "the new chair's long passphrase"
MANAGER_PASSWORD = "the practice manager's passphrase"


def people_page(page, live_server):
    page.goto(f"{live_server.url}/consortia/daccom/people/")
    expect(page.get_by_role("heading", level=1)).to_have_text("People of DacCom")


def invite(page, *, name: str, email: str, role: str) -> str:
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label(role, exact=True).check()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text(f"We have emailed an invitation to {email}.")).to_be_visible()
    message = mail.outbox[-1]
    assert message.to == [email]
    return re.search(r"https?://\S+/join/\S+/", message.body).group(0)


def test_a_pct_lead_invites_a_chair_who_invites_a_practice_manager_who_edits_then_leaves(
    new_page, signed_in_page, live_server
):
    plan = demo_daccom_plan()
    mail.outbox = []

    lead = signed_in_page(LEAD)
    people_page(lead, live_server)
    assert_accessible(lead)
    chair_link = invite(
        lead, name="Dr New Chair", email=NEW_CHAIR, role="Consortium executive chair"
    )
    expect(lead.get_by_role("table", name="Invitations to DacCom")).to_contain_text("Waiting")
    assert_accessible(lead)
    screenshot(lead, "people-invited")

    chair = new_page()
    chair.goto(chair_link)
    expect(chair.get_by_role("heading", level=1)).to_have_text("Join DacCom")
    assert_accessible(chair)
    chair.get_by_label("Choose a password").fill(CHAIR_PASSWORD)
    chair.get_by_label("Type the password again").fill(CHAIR_PASSWORD)
    chair.get_by_role("button", name="Create my account").click()
    expect(chair.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    code = code_from_key(chair.locator("#authenticator-key").inner_text())
    chair.get_by_label("Code", exact=True).fill(code)
    chair.get_by_role("button", name="Confirm and continue").click()
    chair.get_by_role("link", name="I have kept my codes: continue").click()
    expect(chair.get_by_role("button", name="Sign out")).to_be_visible()

    people_page(chair, live_server)
    manager_link = invite(
        chair,
        name="Pat Manager",
        email=NEW_MANAGER,
        role="Practice manager (consortium editor)",
    )

    manager = new_page()
    manager.goto(manager_link)
    expect(manager.get_by_role("heading", level=1)).to_have_text("Join DacCom")
    manager.get_by_label("Choose a password").focus()
    manager.keyboard.type(MANAGER_PASSWORD)
    manager.keyboard.press("Tab")
    manager.keyboard.type(MANAGER_PASSWORD)
    manager.keyboard.press("Enter")
    expect(manager.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(manager)
    open_part(manager, live_server, plan)
    type_at_end(editor_for(manager, "services-to-be-commissioned"), " Added by Pat.")
    expect(manager.locator("#question-services-to-be-commissioned .app-save-status")).to_have_text(
        re.compile(r"Saved at \d\d:\d\d"), timeout=15_000
    )

    people_page(chair, live_server)
    chair.get_by_role("link", name="Pat Manager", exact=True).click()
    expect(chair.get_by_role("heading", level=1)).to_have_text("Pat Manager")
    assert_accessible(chair)
    tab_to(chair, by_text("Deactivate Pat Manager"), what="the link to deactivate Pat")
    chair.keyboard.press("Enter")
    expect(chair.get_by_role("heading", level=1)).to_have_text("Deactivate Pat Manager?")
    expect(chair.get_by_text("They are signed out at their next click")).to_be_visible()
    accessible(chair)
    screenshot(chair, "people-deactivate-asked")
    assert User.objects.get(email=NEW_MANAGER).is_active, "asking changes nothing"
    tab_to(chair, by_text("Yes, deactivate Pat Manager"), what="the button that deactivates")
    chair.keyboard.press("Enter")
    expect(chair.get_by_text("Pat Manager can no longer sign in.")).to_be_visible()
    expect(chair.get_by_role("table", name="Accounts of DacCom")).to_contain_text("Left")
    assert_accessible(chair)
    screenshot(chair, "people-deactivated")

    manager.reload()
    expect(manager).to_have_url(re.compile(r"/sign-in/"))
    answer = plan.answers.get(question__key="services-to-be-commissioned")
    assert "Added by Pat." in answer.text
    assert not User.objects.get(email=NEW_MANAGER).is_active

    # Pat comes back, by keyboard from the people page, asked first again.
    tab_to(chair, by_text("Reactivate Pat Manager"), what="Pat's Reactivate link")
    chair.keyboard.press("Enter")
    expect(chair.get_by_role("heading", level=1)).to_have_text("Reactivate Pat Manager?")
    accessible(chair)
    screenshot(chair, "people-reactivate-asked")
    assert not User.objects.get(email=NEW_MANAGER).is_active, "asking changes nothing"
    tab_to(chair, by_text("Yes, reactivate Pat Manager"), what="the button that reactivates")
    chair.keyboard.press("Enter")
    expect(chair.get_by_text("Pat Manager can sign in again once they choose")).to_be_visible()
    assert_accessible(chair)
    assert User.objects.get(email=NEW_MANAGER).is_active
    assert mail.outbox[-1].to == [NEW_MANAGER]
