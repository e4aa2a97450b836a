import pytest
from playwright.sync_api import expect

from consortia.demo import DEMO_PASSWORD, load_organisations
from tests.browser.conftest import assert_accessible, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_demo_user_signs_in_on_the_nhs_styled_page_and_reaches_home(page, live_server):
    load_organisations()
    page.goto(f"{live_server.url}/sign-in/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to PBC Plans")
    assert page.locator("header.nhsuk-header").is_visible()
    assert_accessible(page)
    screenshot(page, "sign-in")

    sign_in(page, live_server, "editor.daccom@example.org", DEMO_PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text("DacCom Practice Manager (demo)")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "home-signed-in")


def test_a_wrong_password_shows_the_error_summary_accessibly(page, live_server):
    load_organisations()

    sign_in(page, live_server, "editor.daccom@example.org", "not-the-password")

    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter a correct email")
    assert_accessible(page)
    screenshot(page, "sign-in-error")
