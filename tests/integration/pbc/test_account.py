"""A person's own account: changing their password, and signing out on their other devices.
Either keeps the session they did it from and ends every other one at its next request."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.base_user import AbstractBaseUser
from django.test import Client
from django.urls import reverse

from consortia import credentials
from consortia.models import User
from tests.factories import PASSWORD, UserFactory
from tests.pages import announced, refused_on

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
Role = User.Role
NEW_PASSWORD = "a long new passphrase 2026"


def signed_in(user) -> Client:
    """A browser of ``user``'s with a session of its own, signed in with the password."""
    browser = Client()
    response = browser.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    return browser


def still_signed_in(browser) -> bool:
    response = browser.get(reverse("account_security"))
    assert response.status_code in (200, 302)
    return response.status_code == 200


def change_password(browser, *, old=PASSWORD, new=NEW_PASSWORD, again=None):
    return browser.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": again or new},
    )


def test_the_account_page_offers_changing_the_password_and_signing_out_elsewhere():
    page = signed_in(UserFactory()).get(reverse("account_security")).content.decode()

    assert f'href="{reverse("password_change")}"' in page
    assert f'action="{reverse("sessions_end_others")}"' in page
    assert "Sign out of every other device" in page


def test_changing_the_password_keeps_this_session_and_ends_the_others():
    editor = UserFactory()
    here, laptop, phone = signed_in(editor), signed_in(editor), signed_in(editor)

    response = change_password(here)

    assert response.status_code == 302 and response.url == reverse("account_security")
    editor.refresh_from_db()
    assert editor.check_password(NEW_PASSWORD)
    assert announced(here.get(reverse("account_security"))) == [
        "Your password is changed. You are signed out on every other device."
    ]
    assert not still_signed_in(laptop) and not still_signed_in(phone)


def test_a_wrong_current_password_is_refused_on_its_field_and_linked_from_the_summary():
    editor = UserFactory()
    browser = signed_in(editor)

    response = change_password(browser, old="not my password")

    assert response.status_code == 400
    assert refused_on(response, "old_password", "That is not your password.")
    assert 'class="nhsuk-error-summary"' in response.content.decode()
    assert 'href="#id_old_password"' in response.content.decode()
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)


def test_wrong_current_passwords_count_towards_the_sign_in_lockout(settings):
    editor = UserFactory()
    browser = signed_in(editor)

    responses = [
        change_password(browser, old="not my password") for _ in range(settings.AXES_FAILURE_LIMIT)
    ]

    assert [r.status_code for r in responses[:-1]] == [400] * (settings.AXES_FAILURE_LIMIT - 1)
    assert responses[-1].status_code == 429
    assert AccessAttempt.objects.filter(username=editor.email).exists()
    assert not still_signed_in(browser), "a locked account keeps no session"


@pytest.mark.parametrize(
    ("new", "again", "field", "message"),
    [
        ("short1", None, "new_password2", "This password is too short."),
        ("password123", None, "new_password2", "This password is too common."),
        (NEW_PASSWORD, "something else 2026", "new_password2", "The two passwords do not match"),
        ("", None, "new_password1", "Enter new password"),
    ],
)
def test_a_new_password_djangos_validators_refuse_is_refused_with_the_reason(
    new, again, field, message
):
    editor = UserFactory()
    browser = signed_in(editor)

    response = change_password(browser, new=new, again=again)

    assert response.status_code == 400
    assert refused_on(response, field, message), response.content.decode()
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)


def test_signing_out_of_every_other_device_keeps_this_session_and_ends_the_others():
    editor = UserFactory()
    here, laptop = signed_in(editor), signed_in(editor)
    someone_else = signed_in(UserFactory())

    response = here.post(reverse("sessions_end_others"))

    assert response.status_code == 302 and response.url == reverse("account_security")
    assert still_signed_in(here)
    assert not still_signed_in(laptop)
    assert still_signed_in(someone_else)
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD), "the password is unchanged"
    assert signed_in(editor), "and signs in again anywhere"


def test_signing_out_elsewhere_is_a_post_and_needs_a_signed_in_person():
    editor = UserFactory()
    browser = signed_in(editor)

    assert browser.get(reverse("sessions_end_others")).status_code == 405
    response = Client().post(reverse("sessions_end_others"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_ending_sessions_ends_every_session_of_that_person_only():
    editor, other = UserFactory(), UserFactory()
    theirs, others = signed_in(editor), signed_in(other)

    credentials.sessions_end(user=editor)

    assert not still_signed_in(theirs)
    assert still_signed_in(others)


def test_sessions_from_before_the_salt_keep_djangos_hash_so_they_stay_signed_in():
    editor = UserFactory()

    assert editor.session_salt == ""
    assert editor.get_session_auth_hash() == AbstractBaseUser.get_session_auth_hash(editor)
    credentials.sessions_end(user=editor)
    assert editor.get_session_auth_hash() != AbstractBaseUser.get_session_auth_hash(editor)


def test_someone_half_signed_in_cannot_change_their_password_before_the_second_step():
    lead = UserFactory(role=Role.PCT_LEAD)
    browser = signed_in(lead)

    response = change_password(browser)

    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_set_up"))
    lead.refresh_from_db()
    assert lead.check_password(PASSWORD)
