"""A signatory sets up an authenticator app, signs in and signs the plan with password and
code; wrong codes lock the account; a stranger behind the proxy cannot lock the owner out."""

import base64

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from consortia.demo import DEMO_PASSWORD
from tests.browser.conftest import (
    assert_accessible,
    give_code,
    screenshot,
    sign_in,
)
from tests.browser.test_signing import approved_demo_plan, sign
from tests.plan_factories import demo_daccom_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHAIR = "chair.daccom@example.org"
PEC_CHAIR = "pec-chair.dacorum-pct@example.org"


def code_from_key(key_shown: str) -> str:
    """What an authenticator app shows for the key as the page prints it."""
    key = "".join(key_shown.split())
    secret = base64.b32decode(key + "=" * (-len(key) % 8))
    return f"{TOTP(secret).token():06d}"


def test_a_signatory_sets_up_an_app_signs_in_with_it_and_signs_with_password_and_code(
    page, live_server
):
    plan = approved_demo_plan()
    TOTPDevice.objects.filter(user__email=CHAIR).delete()

    sign_in(page, live_server, CHAIR, DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    assert_accessible(page)
    screenshot(page, "two-factor-set-up")
    code = code_from_key(page.locator("#authenticator-key").inner_text())
    page.get_by_label("Code", exact=True).fill(code)
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes")
    expect(page.locator(".app-recovery-codes li")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name="I have kept my codes: continue").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, CHAIR, DEMO_PASSWORD)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    sign(page, live_server, plan, "DacCom Executive Chair", CHAIR)
    assert plan.signatures.get().user.email == CHAIR


def test_five_wrong_codes_lock_the_account(page, live_server, settings):
    approved_demo_plan()
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill(PEC_CHAIR)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    assert_accessible(page)

    for _ in range(settings.AXES_FAILURE_LIMIT):
        give_code(page, "000000")

    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot sign in for now")
    assert_accessible(page)
    screenshot(page, "two-factor-locked")
    sign_in(page, live_server, PEC_CHAIR, DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot sign in for now")


def test_a_strangers_wrong_passwords_through_the_proxy_do_not_lock_the_signatory(
    new_page, live_server, settings
):
    settings.PBC_TRUSTED_PROXY_COUNT = 1
    approved_demo_plan()
    stranger, owner = new_page(), new_page()
    stranger.set_extra_http_headers({"X-Forwarded-For": "203.0.113.9"})
    owner.set_extra_http_headers({"X-Forwarded-For": "198.51.100.7"})

    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        sign_in(stranger, live_server, PEC_CHAIR, "a-guess")
    expect(stranger.get_by_role("heading", level=1)).to_have_text("You cannot sign in for now")

    sign_in(owner, live_server, PEC_CHAIR, DEMO_PASSWORD)
    expect(owner.get_by_role("button", name="Sign out")).to_be_visible()


def test_half_signed_in_the_code_page_has_focus_on_the_code_and_no_menu(page, live_server):
    demo_daccom_plan()
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill(PEC_CHAIR)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    expect(page.get_by_label("Code", exact=True)).to_be_focused()
    expect(page.get_by_role("navigation", name="Menu")).to_have_count(0)
    expect(page.get_by_role("button", name="Sign out").first).to_be_visible()
    assert_accessible(page)
