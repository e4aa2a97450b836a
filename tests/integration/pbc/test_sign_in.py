import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def sign_in(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_sign_in_page_uses_the_nhs_layout_and_labels_its_fields(client):
    page = client.get(reverse("login")).content.decode()

    assert 'class="nhsuk-header"' in page
    assert '<label class="nhsuk-label" for="id_username">Email address</label>' in page
    assert 'class="nhsuk-input' in page


def test_signing_in_reaches_the_home_page(client):
    user = UserFactory()

    response = sign_in(client, user.email, PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert user.full_name in client.get(reverse("home")).content.decode()


def test_wrong_password_shows_an_error_summary_linked_to_the_form(client):
    user = UserFactory()

    page = sign_in(client, user.email, "not-the-password").content.decode()

    assert "There is a problem" in page
    assert "Enter a correct email address and password" in page


def test_an_address_typed_with_capitals_signs_in_to_its_account(client):
    UserFactory(email="editor.banes@example.org")

    response = sign_in(client, "Editor.Banes@Example.org", PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_wrong_passwords_typed_with_capitals_count_against_the_same_account(client, settings):
    user = UserFactory(email="chair.red-house@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "Chair.Red-House@example.org", "wrong")

    response = sign_in(client, user.email, PASSWORD)

    assert response.status_code == 429


def test_a_wrong_password_is_not_blamed_on_the_case_of_the_address(client):
    user = UserFactory()

    page = sign_in(client, user.email, "not-the-password").content.decode()

    assert "Both are case-sensitive" not in page
    assert "The password is case-sensitive" in page


def test_home_page_needs_a_signed_in_user(client):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, settings):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, user.email, "wrong")

    response = sign_in(client, user.email, PASSWORD)

    assert response.status_code == 429
    assert "You cannot sign in for now" in response.content.decode()


def test_sign_out_ends_the_session_on_the_server(client):
    user = UserFactory()
    sign_in(client, user.email, PASSWORD)
    session_key = client.session.session_key
    assert Session.objects.filter(session_key=session_key).exists()

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert not Session.objects.filter(session_key=session_key).exists()
    assert client.get(reverse("home")).status_code == 302


def test_sessions_expire_when_the_browser_closes_or_after_a_working_day(client, settings):
    user = UserFactory()
    sign_in(client, user.email, PASSWORD)

    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert client.session.get_expiry_age() <= 8 * 60 * 60


def test_password_reset_emails_a_link_that_sets_a_new_password(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": user.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url
    response = client.post(
        form_url, {"new_password1": "A-new-passw0rd!", "new_password2": "A-new-passw0rd!"}
    )
    assert response.status_code == 302
    assert sign_in(client, user.email, "A-new-passw0rd!").status_code == 302


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert mail.outbox == []


def test_signing_in_with_nothing_typed_says_what_to_enter_in_each_field(client):
    page = sign_in(client, "", "").content.decode()

    assert '<a href="#id_username">Enter your email address</a>' in page
    assert '<a href="#id_password">Enter your password</a>' in page
    assert "This field is required" not in page
