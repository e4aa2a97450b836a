"""A PCT's lead loads their own PCT's form in the browser, by keyboard: from the PCT's page to
its forms, a file of another PCT refused on its field, then their own file checked and loaded;
every page passes axe (plans/template_views.py, docs/decisions/0469)."""

import pytest
import yaml
from playwright.sync_api import expect

from plans.models import PlanTemplate
from tests import northbrook, riverside
from tests.browser.conftest import assert_accessible, screenshot, start_session
from tests.browser.test_keyboard import by_id, by_text, tab_to
from tests.factories import CommissionerFactory
from tests.two_factor import authenticator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def press(page, text: str) -> None:
    tab_to(page, by_text(text), what=text)
    page.keyboard.press("Enter")


def choose_file(page, name: str, content: bytes) -> None:
    tab_to(page, by_id("id_file"), what="the file field")
    page.locator("#id_file").set_input_files(
        {"name": name, "mimeType": "application/yaml", "buffer": content}
    )


def test_a_lead_loads_their_pcts_form_by_keyboard_after_a_file_of_another_pct_is_refused(
    page, live_server
):
    pct = northbrook.organisation()
    CommissionerFactory(slug="riverside-pct", name="Riverside PCT")
    authenticator(pct.lead)
    start_session(page, live_server, pct.lead.email)

    page.goto(f"{live_server.url}/pcts/northbrook-pct/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Northbrook PCT")
    press(page, "Load a new version of your form")
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan forms")
    expect(page.get_by_text("Northbrook PCT has no plan forms yet.")).to_be_visible()
    assert_accessible(page)

    choose_file(page, "riverside.yaml", yaml.safe_dump(riverside.RETURN).encode())
    press(page, "Check the file")
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.locator("#id_file-error")).to_contain_text(
        "issuer 'riverside-pct' is not Northbrook PCT"
    )
    assert_accessible(page)
    screenshot(page, "pct-forms-refused")

    choose_file(page, "northbrook-2007.yaml", northbrook.FORM.read_bytes())
    press(page, "Check the file")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the form before loading it")
    expect(page.get_by_text("Importing this file creates Northbrook PCT")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "pct-forms-check")
    assert not PlanTemplate.objects.exists()

    press(page, "Load this form")
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan forms")
    expect(page.get_by_text("From northbrook-2007.yaml: created Northbrook PCT")).to_be_visible()
    expect(page.get_by_role("table", name="Plan forms of Northbrook PCT")).to_contain_text(
        "2007/08 v1.2"
    )
    assert_accessible(page)
    assert PlanTemplate.objects.get().issuer == pct.pct


def test_a_lead_reaches_their_pcts_forms_from_their_home_page_by_keyboard(page, live_server):
    pct = northbrook.organisation()
    authenticator(pct.lead)
    start_session(page, live_server, pct.lead.email)
    page.goto(f"{live_server.url}/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Lena Lead")
    card = page.locator("#plan-forms")
    expect(card).to_contain_text("Northbrook PCT has no plan forms yet.")
    expect(page.get_by_role("navigation").get_by_role("link", name="Plan forms")).to_have_count(1)
    assert_accessible(page)
    screenshot(page, "pct-forms-home")

    press(page, "Your PCT's plan forms")
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan forms")
    assert page.url == f"{live_server.url}/pcts/northbrook-pct/forms/"
    assert_accessible(page)
