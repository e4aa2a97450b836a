"""The pages of two-factor authentication: the second step of signing in, setting up an
authenticator app, recovery codes, passkeys, and unlocking a locked account.

The rules (whose code is right, what counts towards the lockout) are in consortia/credentials.py.
"""

from base64 import b32encode, b64encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from consortia import credentials
from consortia.plain_forms import reads_forms

from .forms import CodeForm, NewAppCodeForm
from .security import lockout
from .security.second_factor import EXPECTED_KEY

PENDING_KEY = "pbc_authenticator_pending"
NEW_CODES_KEY = "pbc_new_recovery_codes"


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else reverse("home")


def _with_next(name: str, request) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next(request)})}"


def locked_out(request):
    """Signed out, told why: a locked account keeps no half-finished session."""
    logout(request)
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


def _status(form) -> int:
    return 400 if form.errors else 200


def _code_checked(request, form, check):
    """Runs ``check`` on the typed code: (its result, None), or (None, the page to answer with)
    when the account is now locked, or (None, None) with the reason on the code field."""
    try:
        return check(form.cleaned_data["code"]), None
    except credentials.NotConfirmed as refusal:
        if refusal.locked:
            return None, locked_out(request)
        form.add_error("code", refusal.message)
        return None, None


@reads_forms(CodeForm)
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    user = request.user
    if user.is_verified() or not credentials.has_second_factor(user):
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    # The page asks for this one thing (NHS.UK allows autofocus on a single-question page).
    form.fields["code"].widget.attrs["autofocus"] = True
    if request.method == "POST" and form.is_valid():
        device, refused = _code_checked(
            request,
            form,
            lambda code: credentials.identity_confirm(request=request, user=user, code=code),
        )
        if refused:
            return refused
        if device:
            otp_login(request, device)
            return redirect(_next(request))
    context = {
        "form": form,
        "next": _next(request),
        "passkeys": credentials.passkeys_of(user),
        "authenticator": credentials.authenticator_of(user),
    }
    return render(request, "registration/two_factor_verify.html", context, status=_status(form))


def _qr_code(url: str) -> str:
    """The set-up link as an SVG QR code in a data: URL (the page's policy allows those)."""
    svg = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2).to_string()
    return "data:image/svg+xml;base64," + b64encode(svg).decode()


def _key_for_typing(device) -> str:
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@reads_forms(NewAppCodeForm)
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_set_up(request):
    user = request.user
    if credentials.has_second_factor(user) and not user.is_verified():
        # Replacing an authenticator needs the current one first.
        return redirect(_with_next("two_factor_verify", request))
    device = credentials.authenticator_pending(user, request.session.get(PENDING_KEY))
    if device is None:
        device = credentials.authenticator_start(user=user)
        request.session[PENDING_KEY] = device.pk
    form = NewAppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes, refused = _code_checked(
            request,
            form,
            lambda code: credentials.authenticator_confirm(
                request=request, user=user, device=device, code=code
            ),
        )
        if refused:
            return refused
        if codes:
            otp_login(request, device)
            request.session.pop(PENDING_KEY, None)
            request.session[EXPECTED_KEY] = True
            request.session[NEW_CODES_KEY] = codes
            messages.success(request, "Your authenticator app is set up.")
            return redirect(_with_next("two_factor_recovery_codes", request))
    context = {
        "form": form,
        "next": _next(request),
        "qr_code": _qr_code(device.config_url),
        "key": _key_for_typing(device),
        "required": credentials.second_factor_required(user),
        "replacing": credentials.authenticator_of(user) is not None,
    }
    return render(request, "registration/two_factor_set_up.html", context, status=_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_recovery_codes(request):
    """New codes are shown once, straight after they are made; afterwards, only how many are
    left."""
    user = request.user
    if request.method == "POST" and credentials.has_second_factor(user):
        codes = credentials.recovery_codes_issue(user=user)
        messages.success(request, "You have new recovery codes. Your earlier ones no longer work.")
    else:
        codes = request.session.pop(NEW_CODES_KEY, None)
    context = {
        "codes": codes,
        "left": credentials.recovery_codes_left(user),
        "next": _next(request),
        "has_second_factor": credentials.has_second_factor(user),
    }
    return render(request, "registration/two_factor_recovery_codes.html", context)


@login_required
def account_security(request):
    user = request.user
    context = {
        "authenticator": credentials.authenticator_of(user),
        "passkeys": credentials.passkeys_of(user),
        "recovery_codes_left": credentials.recovery_codes_left(user),
        "required": credentials.second_factor_required(user),
    }
    return render(request, "registration/account_security.html", context)


@require_http_methods(["GET", "POST"])
def account_unlock(request, token: str):
    """The link emailed on a lockout: a button, so a mail scanner opening links unlocks nothing."""
    if request.method == "POST":
        user = lockout.account_unlock(token=token)
        if user is not None:
            messages.success(request, "Your account is unlocked. You can sign in again.")
            return redirect("login")
        return render(request, "registration/unlock.html", {"spent": True}, status=400)
    return render(request, "registration/unlock.html", {"spent": False})
