"""What the second-factor middleware costs a signed-in request: the session and the account read
once each, no device, and ``request.user`` one proxy away from the account."""

import pytest
from django.http import HttpResponse
from django.urls import path

from consortia.models import User
from tests.factories import UserFactory
from tests.queries import page_queries

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

seen = []


def _reads_the_user(request):
    """Reads the account as a page does, more than once and through django-otp's question."""
    assert request.user.is_authenticated and request.user.email and request.user.role
    seen.append((request.user, request.user.is_verified()))
    return HttpResponse()


urlpatterns = [path("reads-the-user/", _reads_the_user, name="reads_the_user")]


@pytest.fixture(autouse=True)
def _forget_what_was_seen():
    seen.clear()


@pytest.mark.parametrize("role", [User.Role.CONSORTIUM_EDITOR, User.Role.PCT_LEAD])
def test_a_signed_in_request_reads_the_session_and_the_account_once_each_and_no_device(
    client, role
):
    client.force_login(UserFactory(role=role))

    assert page_queries(client, "/reads-the-user/") == 2


def test_a_lead_past_the_second_step_is_verified_from_the_session(client):
    client.force_login(UserFactory(role=User.Role.PCT_LEAD))

    client.get("/reads-the-user/")

    assert seen[0][1] is True


def test_request_user_is_one_proxy_away_from_the_account(client):
    client.force_login(UserFactory())

    client.get("/reads-the-user/")

    user, _ = seen[0]
    # type(), not isinstance(): a lazy object answers isinstance for what it wraps.
    assert type(user._wrapped) is User
