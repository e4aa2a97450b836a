"""Single sign-on by OpenID Connect, with the identity provider stubbed at the HTTP boundary."""

from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import responses
from django.urls import reverse

from consortia.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
IDP = "https://idp.example.org"
SECRET = "a-client-secret-for-tests-only-0123456789"


@pytest.fixture
def single_sign_on(settings):
    settings.OIDC_RP_CLIENT_ID = "pbc-plans"
    settings.OIDC_RP_CLIENT_SECRET = SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{IDP}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{IDP}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{IDP}/userinfo"
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_RP_SCOPES = "openid email profile"
    settings.OIDC_CREATE_USER = False
    settings.OIDC_PROVIDER_NAME = "NHS Trust account"
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "pbc.oidc.MatchByEmailBackend",
        "rules.permissions.ObjectPermissionBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]


def sign_in_through_the_provider(client, email: str):
    """Follows the code flow, the provider answering as the account ``email``."""
    to_provider = client.get(reverse("oidc_authentication_init"))
    asked = parse_qs(urlsplit(to_provider.url).query)
    id_token = jwt.encode(
        {"sub": "someone", "email": email, "nonce": asked["nonce"][0], "aud": "pbc-plans"},
        SECRET,
        algorithm="HS256",
    )
    with responses.RequestsMock() as provider:
        provider.post(f"{IDP}/token", json={"id_token": id_token, "access_token": "at"})
        provider.get(f"{IDP}/userinfo", json={"sub": "someone", "email": email})
        return client.get(
            reverse("oidc_authentication_callback"),
            {"code": "the-code", "state": asked["state"][0]},
        )


def test_it_is_off_unless_configured(client):
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert "Sign in with" not in client.get(reverse("login")).content.decode()


def test_the_sign_in_page_offers_the_provider_when_configured(client, single_sign_on):
    page = client.get(reverse("login")).content.decode()

    assert "Sign in with NHS Trust account" in page


def test_an_existing_account_signs_in_by_its_email_address(client, single_sign_on):
    editor = UserFactory(email="pat.manager@example.org")

    response = sign_in_through_the_provider(client, "Pat.Manager@example.org")

    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert int(client.session["_auth_user_id"]) == editor.pk


def test_an_unknown_address_is_not_given_an_account(client, single_sign_on):
    sign_in_through_the_provider(client, "stranger@example.org")

    assert not User.objects.filter(email="stranger@example.org").exists()
    assert "_auth_user_id" not in client.session


def test_a_reviewer_signing_in_this_way_still_gives_our_second_factor(client, single_sign_on):
    lead = UserFactory(role=User.Role.PCT_LEAD)

    sign_in_through_the_provider(client, lead.email)

    assert client.get(reverse("home")).url.startswith(reverse("two_factor_set_up"))
    assert User.objects.get(pk=lead.pk).role == User.Role.PCT_LEAD
