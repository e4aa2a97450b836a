"""Signed in is not enough for those who sign, approve or administer: until they give a second
factor (a code or a passkey) every page but the second step of signing in sends them there.

Whether the session has given one is read from the session, where django-otp's ``login``
records the device, so a page costs no query for it.
"""

from urllib.parse import urlencode

from django.contrib.auth.middleware import get_user
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY

from consortia import credentials
from consortia.negotiation import wants_json

from . import unsent
from .signed_out import KEPT, UNSAVED, sign_in_needed

# Said by a page's script whose save reached a session still at the second step (signed in
# again in another tab, the code not yet given): it keeps the text, as a signed-out save does.
NOT_FINISHED = (
    "you have not finished signing in. Your text is still here: give your code in a new tab, "
    "keeping this one open, then come back to this tab and save."
)

# Set at sign-in for those whose role does not require a second factor: whether they added one.
EXPECTED_KEY = "pbc_second_factor_expected"
# What an account waiting for its second step may still open.
OPEN_PAGES = {
    "logout",
    "two_factor_verify",
    "two_factor_set_up",
    "two_factor_recovery_codes",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "account_unlock",
    "verify",
    "healthz",
}


@receiver(user_logged_in)
def _remember_whether_expected(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[EXPECTED_KEY] = credentials.has_second_factor(user)


def expected(request) -> bool:
    return credentials.second_factor_required(request.user) or bool(
        request.session.get(EXPECTED_KEY)
    )


def waiting_for_second_step(request) -> bool:
    """Signed in with a password, but not yet past the second step the account asks for."""
    # Read from the session as ``is_verified`` is: a request that has just signed in holds the
    # account itself, without this middleware's wrapping.
    return (
        request.user.is_authenticated
        and not request.session.get(DEVICE_ID_SESSION_KEY)
        and expected(request)
    )


def _with_verification(request, user):
    # django-otp's login() records the device in the session after checking it is the user's;
    # signing in as someone else flushes the session.
    user.otp_device = None
    user.is_verified = lambda: bool(
        user.is_authenticated and request.session.get(DEVICE_ID_SESSION_KEY)
    )
    return user


class SecondFactorMiddleware:
    """In place of django-otp's OTPMiddleware: installs ``user.is_verified()`` from the session
    (django-otp and django-otp-webauthn ask it), and sends an unverified user who needs a
    second factor to give one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Over the account itself, not over AuthenticationMiddleware's lazy user: wrapping that
        # would send every read of ``request.user`` through two proxies. ``get_user`` keeps the
        # account on the request, so it is still read once, whoever asks first.
        request.user = SimpleLazyObject(lambda: _with_verification(request, get_user(request)))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not waiting_for_second_step(request):
            return None
        name = request.resolver_match.view_name
        if name in OPEN_PAGES or name.startswith("otp_webauthn:"):
            return None
        step = "two_factor_verify" if credentials.has_second_factor(user) else "two_factor_set_up"
        script = wants_json(request)
        query = {"next": request.get_full_path()}
        if not script and unsent.keep(request):
            # Past the step, the person comes to the post kept to be sent again; the step says so.
            query = {"next": reverse("unsent"), UNSAVED: KEPT}
        address = f"{reverse(step)}?{urlencode(query)}"
        if script:
            # The script's own words and link, not the step's page it cannot read.
            return sign_in_needed(NOT_FINISHED, address)
        return redirect(address)
