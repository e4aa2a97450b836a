"""Signing in with a second factor, and one lockout for every password and code check."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from consortia.models import User
from plans.models import Plan
from tests.factories import PASSWORD, UserFactory
from tests.pages import announced
from tests.review_factories import person, put_in_state, three_signatory_plan
from tests.two_factor import authenticator, next_code, recovery_code

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
Role = User.Role
PROXY = "10.0.0.2"
OWNER_ADDRESS = "198.51.100.7"
STRANGER_ADDRESS = "203.0.113.9"


def sign_in(client, email, password, **extra):
    return client.post(reverse("login"), {"username": email, "password": password}, **extra)


def enter_code(client, code, **extra):
    return client.post(reverse("two_factor_verify"), {"code": code, "next": "/"}, **extra)


def test_a_reviewer_gives_a_code_after_the_password_before_reaching_any_page(client):
    lead = UserFactory(role=Role.PCT_LEAD)
    device = authenticator(lead)

    assert sign_in(client, lead.email, PASSWORD).status_code == 302
    asked = client.get(reverse("home"))
    assert asked.status_code == 302
    assert asked.url.startswith(reverse("two_factor_verify"))
    page = client.get(asked.url).content.decode()
    assert "Enter your code" in page

    response = enter_code(client, next_code(device))

    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_code_is_marked_on_an_nhs_styled_code_input(client):
    lead = UserFactory(role=Role.PCT_LEAD)
    authenticator(lead)
    sign_in(client, lead.email, PASSWORD)

    page = enter_code(client, "000000").content.decode()

    code_input = re.search(r'<input[^>]*name="code"[^>]*>', page)[0]
    classes = re.search(r'class="([^"]*)"', code_input)[1].split()
    assert {"nhsuk-input", "nhsuk-input--width-10", "nhsuk-input--error"} <= set(classes)


def test_a_recovery_code_works_once_in_place_of_the_app(client):
    lead = UserFactory(role=Role.PCT_LEAD)
    authenticator(lead)
    code = recovery_code(lead)
    sign_in(client, lead.email, PASSWORD)

    assert enter_code(client, code.upper()).status_code == 302
    client.post(reverse("logout"))
    sign_in(client, lead.email, PASSWORD)
    again = enter_code(client, code)

    assert again.status_code == 400
    assert "That code is not right" in again.content.decode()


def test_a_signatory_sets_up_an_app_asked_only_for_its_code_told_it_is_set_up_and_given_codes(
    client,
):
    chair = UserFactory(role=Role.CONSORTIUM_EXECUTIVE_CHAIR)
    sign_in(client, chair.email, PASSWORD)

    sent = client.get(reverse("home"))
    assert sent.url.startswith(reverse("two_factor_set_up"))
    page = client.get(sent.url).content.decode()
    assert "Set up your authenticator app" in page
    assert 'src="data:image/svg+xml;base64,' in page
    hint = re.search(r'<div class="nhsuk-hint" id="id_code-hint">(.*?)</div>', page, re.S)[1]
    assert hint.strip() == "The 6-digit code your authenticator app shows now."
    pending = TOTPDevice.objects.get(user=chair, confirmed=False)

    wrong = client.post(sent.url, {"code": "000000"})
    confirmed = client.post(sent.url, {"code": next_code(pending)}, follow=True)

    assert "That code is not right" in wrong.content.decode()
    assert announced(confirmed) == ["Your authenticator app is set up."]
    codes_page = confirmed.content.decode()
    assert "They are shown only now" in codes_page
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes_page)
    assert len(codes) == 10
    later = client.get(reverse("two_factor_recovery_codes")).content.decode()
    assert codes[0] not in later and "10 recovery codes left" in later
    assert client.get(reverse("home")).status_code == 200

    renewed = client.post(reverse("two_factor_recovery_codes"))

    assert announced(renewed) == ["You have new recovery codes. Your earlier ones no longer work."]
    assert codes[0] not in renewed.content.decode()


def test_an_editor_is_asked_for_a_code_only_once_they_have_added_an_app(client):
    editor = UserFactory(role=Role.CONSORTIUM_EDITOR)
    sign_in(client, editor.email, PASSWORD)
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))

    device = authenticator(editor)
    sign_in(client, editor.email, PASSWORD)
    assert client.get(reverse("home")).url.startswith(reverse("two_factor_verify"))
    enter_code(client, next_code(device))
    assert client.get(reverse("home")).status_code == 200


def test_someone_who_has_an_app_cannot_replace_it_without_giving_a_code_first(client):
    lead = UserFactory(role=Role.PCT_LEAD)
    authenticator(lead)
    sign_in(client, lead.email, PASSWORD)

    response = client.get(reverse("two_factor_set_up"))

    assert response.url.startswith(reverse("two_factor_verify"))
    assert not TOTPDevice.objects.filter(user=lead, confirmed=False).exists()


def test_wrong_codes_lock_the_account_and_the_owner_is_emailed_a_single_use_unlock_link(
    client, settings, django_capture_on_commit_callbacks
):
    lead = UserFactory(role=Role.PCT_LEAD)
    authenticator(lead)
    sign_in(client, lead.email, PASSWORD)

    with django_capture_on_commit_callbacks(execute=True):
        responses = [enter_code(client, "000000") for _ in range(settings.AXES_FAILURE_LIMIT)]

    assert [r.status_code for r in responses[:-1]] == [400] * (settings.AXES_FAILURE_LIMIT - 1)
    assert responses[-1].status_code == 429
    assert "You cannot sign in for now" in responses[-1].content.decode()
    assert sign_in(client, lead.email, PASSWORD).status_code == 429
    (email,) = mail.outbox
    assert email.to == [lead.email]
    link = re.search(r"https?://[^/\s]+(/unlock/\S+/)", email.body).group(1)

    assert "Unlock my account" in client.get(link).content.decode()
    assert client.post(link).url == reverse("login")
    assert sign_in(client, lead.email, PASSWORD).status_code == 302
    assert client.post(link).status_code == 400, "the link works once"


def test_more_failures_during_a_lockout_send_no_more_emails(
    client, settings, django_capture_on_commit_callbacks
):
    lead = UserFactory(role=Role.PCT_LEAD)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(settings.AXES_FAILURE_LIMIT + 3):
            sign_in(client, lead.email, "wrong")

    assert len(mail.outbox) == 1


def sign_page_post(client, plan, **data):
    fields = {"typed_name": "Dr Alice Chair", "confirmed": "on", **data}
    return client.post(reverse("plan_sign", args=[plan.pk]), fields)


def test_wrong_passwords_on_the_sign_page_count_towards_the_sign_in_lockout(client, settings):
    plan = put_in_state(three_signatory_plan(), Plan.Status.APPROVED)
    chair = person(Role.CONSORTIUM_EXECUTIVE_CHAIR, plan)
    client.force_login(chair)

    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_page_post(client, plan, password="guess", code=recovery_code(chair))
    refused = sign_page_post(client, plan, password=PASSWORD, code=recovery_code(chair))

    assert refused.status_code in (400, 429)
    assert not plan.signatures.exists()
    client.post(reverse("logout"))
    assert sign_in(client, chair.email, PASSWORD).status_code == 429


def test_a_wrong_code_on_the_sign_page_is_refused_and_counted(client):
    plan = put_in_state(three_signatory_plan(), Plan.Status.APPROVED)
    chair = person(Role.CONSORTIUM_EXECUTIVE_CHAIR, plan)
    client.force_login(chair)

    missing = sign_page_post(client, plan, password=PASSWORD)
    wrong = sign_page_post(client, plan, password=PASSWORD, code="123456")

    assert "Enter the code from your authenticator app" in missing.content.decode()
    assert "That code is not right" in wrong.content.decode()
    assert AccessAttempt.objects.get(username=chair.email).failures_since_start == 1
    assert not plan.signatures.exists()


def test_behind_the_proxy_a_strangers_wrong_passwords_do_not_lock_the_owner_out(client, settings):
    settings.PBC_TRUSTED_PROXY_COUNT = 1
    owner = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        sign_in(
            client,
            owner.email,
            "guess",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"{OWNER_ADDRESS}, {STRANGER_ADDRESS}",
        )

    stranger = sign_in(
        client, owner.email, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=STRANGER_ADDRESS
    )
    owner_at_their_desk = sign_in(
        client, owner.email, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OWNER_ADDRESS
    )

    assert stranger.status_code == 429
    assert owner_at_their_desk.status_code == 302


def test_half_signed_in_the_code_page_offers_no_menu_only_sign_out_and_focuses_the_code(client):
    lead = UserFactory(role=Role.PCT_LEAD)
    authenticator(lead)
    sign_in(client, lead.email, PASSWORD)

    page = client.get(reverse("two_factor_verify")).content.decode()

    assert 'aria-label="Menu"' not in page
    assert "Your PCT" not in page and reverse("account_security") not in page
    assert ">Sign out</button>" in page
    code_input = re.search(r'<input[^>]*name="code"[^>]*>', page)[0]
    assert " autofocus" in code_input


def test_past_the_second_step_the_menu_is_back(client):
    lead = UserFactory(role=Role.PCT_LEAD)
    device = authenticator(lead)
    sign_in(client, lead.email, PASSWORD)
    enter_code(client, next_code(device))

    page = client.get(reverse("home")).content.decode()

    assert 'aria-label="Menu"' in page
    assert reverse("account_security") in page
