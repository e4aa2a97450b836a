"""Who someone is: their password, a code from their authenticator app, a recovery code.

Every check of a password or a code, on any page (signing in, its second step, setting up an
authenticator, signing a plan), goes through django-axes: a wrong one is a failed sign-in, so
they all count towards one lockout per account and client address, and a locked account is
refused everywhere (docs/decisions/0340 and 0341).
"""

import secrets

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from .models import User

Role = User.Role
# Those who sign, approve or administer must have a second factor; editors may add one.
SECOND_FACTOR_ROLES = frozenset(
    {
        Role.CONSORTIUM_EXECUTIVE_CHAIR,
        Role.PCT_LEAD,
        Role.PEC_COMMITTEE_CHAIR,
        Role.PCT_CHIEF_EXECUTIVE,
        Role.PCT_OFFICER,
        Role.SITE_ADMIN,
    }
)
RECOVERY_CODES = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
LOCKED = (
    "There have been too many wrong attempts for your account from this connection, so it is "
    "locked for now. We have emailed you a link to unlock it."
)


class NotConfirmed(Exception):
    """A password or code was wrong, or the account is locked; ``field`` names the input."""

    def __init__(self, message: str, *, field: str = "", locked: bool = False):
        self.message = message
        self.field = field
        self.locked = locked
        super().__init__(message)


def second_factor_required(user) -> bool:
    return user.role in SECOND_FACTOR_ROLES


def has_second_factor(user) -> bool:
    return any(devices_for_user(user, confirmed=True))


def second_factor_expected(user) -> bool:
    """Whether signing in, and signing, ask this user for a second factor."""
    return second_factor_required(user) or has_second_factor(user)


def authenticator_of(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _code_devices(user) -> list:
    return [
        device
        for device in devices_for_user(user, confirmed=True)
        if isinstance(device, TOTPDevice | StaticDevice)
    ]


def _normalised(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def is_locked(request, user) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": user.email})


def _failed(request, user) -> None:
    """Tells django-axes (as Django tells it of a failed sign-in), which counts it."""
    user_login_failed.send(sender=__name__, credentials={"username": user.email}, request=request)


def _refuse(request, user, message: str, *, field: str) -> None:
    if request is not None:
        _failed(request, user)
        if getattr(request, "axes_locked_out", False):
            raise NotConfirmed(LOCKED, field=field, locked=True)
    raise NotConfirmed(message, field=field)


def identity_confirm(*, request, user, password: str | None = None, code: str | None = None):
    """Checks the password and the second-factor code given (None: not asked); returns the
    device the code matched, if one. A wrong one counts towards the lockout.

    ``request`` is the request they came in, which the lockout is keyed on; None outside a
    request (a shell, a test of the rules), where nothing is counted.
    """
    if request is not None and is_locked(request, user):
        raise NotConfirmed(LOCKED, locked=True)
    if password is not None and not user.check_password(password):
        _refuse(
            request,
            user,
            "That is not your password. Enter the password you sign in with.",
            field="password",
        )
    if code is None:
        return None
    typed = _normalised(code)
    if not typed:
        raise NotConfirmed("Enter the code from your authenticator app", field="code")
    for device in _code_devices(user):
        if device.verify_token(typed):
            return device
    _refuse(
        request,
        user,
        "That code is not right. Enter the 6-digit code your authenticator app shows now, "
        "or one of your recovery codes.",
        field="code",
    )
    return None


@transaction.atomic
def authenticator_start(*, user) -> TOTPDevice:
    """An authenticator key for the user to add to their app, not in use until confirmed."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


@transaction.atomic
def authenticator_confirm(*, request, user, device: TOTPDevice, code: str) -> list[str]:
    """Puts the new authenticator in use once its first code is right, in place of any
    earlier one, and issues fresh recovery codes (returned, to be shown once)."""
    if request is not None and is_locked(request, user):
        raise NotConfirmed(LOCKED, locked=True)
    if not device.verify_token(_normalised(code)):
        _refuse(
            request,
            user,
            "That code is not right. Check the key in your app and enter the code it shows now.",
            field="code",
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_issue(user=user)


@transaction.atomic
def recovery_codes_issue(*, user) -> list[str]:
    """New single-use recovery codes; the earlier ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def authenticator_pending(user, device_id) -> TOTPDevice | None:
    """The authenticator key being set up in this session, while it is still unconfirmed."""
    if not device_id:
        return None
    return TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()


def sessions_end(*, user) -> None:
    """Ends every session of ``user`` at its next request, wherever the sessions are stored: each
    holds a hash of the password and ``session_salt``, and the salt is new. A page that ends the
    others keeps its own with Django's ``update_session_auth_hash``."""
    user.session_salt = secrets.token_hex(16)
    user.save(update_fields=["session_salt"])


def passkeys_of(user) -> list:
    return list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("pk"))
