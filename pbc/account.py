"""The person's own account: changing their password and signing out on their other devices.

The rules are consortia/credentials.py's; the pages of the second factor are two_factor.py's.
"""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from consortia import credentials
from consortia.plain_forms import reads_forms

from .forms import ChangePasswordForm
from .two_factor import locked_out


@reads_forms(ChangePasswordForm)
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    posted = request.method == "POST"
    form = ChangePasswordForm(request.user, request.POST if posted else None, request=request)
    if posted:
        if form.is_valid():
            # The new password ends every session of the account; this one is given the new
            # hash, so only the others end.
            user = form.save()
            update_session_auth_hash(request, user)
            messages.success(
                request,
                "Your password is changed. You are signed out on every other device.",
            )
            return redirect("account_security")
        if form.locked:
            return locked_out(request)
    return render(
        request, "registration/password_change.html", {"form": form}, status=400 if posted else 200
    )


@require_POST
@login_required
def sessions_end_others(request):
    credentials.sessions_end(user=request.user)
    update_session_auth_hash(request, request.user)
    messages.success(
        request, "You are signed out on every other device. You are still signed in here."
    )
    return redirect("account_security")
