"""Optional single sign-on by OpenID Connect (docs/decisions/0343-optional-oidc-sign-in.md).

Off unless OIDC_RP_CLIENT_ID is set. The identity provider vouches for an email address; the
account with that address signs in, with the role an administrator gave it. Nobody is created
and no role is taken from the provider. Those whose role needs a second factor still give ours.
"""

from django.conf import settings
from django.http import Http404
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView


class MatchByEmailBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims):
        return bool(claims.get("email")) and claims.get("email_verified", True) is not False

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(email__iexact=claims["email"], is_active=True)

    def create_user(self, claims):
        raise AssertionError("OIDC_CREATE_USER is off: single sign-on never creates accounts")


def _configured(view):
    def guarded(request, *args, **kwargs):
        if not settings.OIDC_RP_CLIENT_ID:
            raise Http404("Single sign-on is not set up here")
        return view(request, *args, **kwargs)

    return guarded


sign_in = _configured(OIDCAuthenticationRequestView.as_view())
callback = _configured(OIDCAuthenticationCallbackView.as_view())
