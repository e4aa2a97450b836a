"""A person changes their password by keyboard: a wrong current password is summarised and
linked to its field; the change keeps this browser signed in and signs out the other."""

import re

import pytest
from playwright.sync_api import expect

from consortia.models import User
from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_keyboard import accessible, by_label, by_text, focused, tab_to
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEW_PASSWORD = "a long new passphrase 2026"


def test_a_password_changed_by_keyboard_keeps_this_browser_and_signs_out_the_other(
    new_page, live_server
):
    editor = UserFactory(email="pat@example.org", full_name="Pat Manager")
    here, elsewhere = new_page(), new_page()
    sign_in(here, live_server, editor.email, PASSWORD)
    sign_in(elsewhere, live_server, editor.email, PASSWORD)

    here.goto(f"{live_server.url}/account/security/")
    accessible(here)
    tab_to(here, by_text("Change your password"), what="the link to change the password")
    here.keyboard.press("Enter")
    expect(here.get_by_role("heading", level=1)).to_have_text("Change your password")
    tab_to(here, by_label("Your current password"), what="the current password")
    here.keyboard.type("not my password")
    here.keyboard.press("Tab")
    here.keyboard.type(NEW_PASSWORD)
    here.keyboard.press("Tab")
    here.keyboard.type(NEW_PASSWORD)
    here.keyboard.press("Enter")

    summary = here.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("That is not your password.")
    expect(summary).to_be_focused()
    accessible(here)
    screenshot(here, "password-change-refused")
    here.keyboard.press("Tab")
    here.keyboard.press("Enter")
    assert focused(here)["name"] == "old_password", "the summary's link leads to the field"
    here.keyboard.type(PASSWORD)
    here.keyboard.press("Tab")
    here.keyboard.type(NEW_PASSWORD)
    here.keyboard.press("Tab")
    here.keyboard.type(NEW_PASSWORD)
    here.keyboard.press("Enter")

    expect(here.get_by_text("Your password is changed.")).to_be_visible()
    accessible(here)
    assert User.objects.get(pk=editor.pk).check_password(NEW_PASSWORD)
    elsewhere.reload()
    expect(elsewhere).to_have_url(re.compile(r"/sign-in/"))
    here.reload()
    expect(here.get_by_role("heading", level=1)).to_have_text("How you sign in")
