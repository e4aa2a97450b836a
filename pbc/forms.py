from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.views.decorators.debug import sensitive_variables

from consortia import credentials, plain_forms

from . import tasks


class SignInForm(plain_forms.PlainMessages, auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": "Enter your email address"},
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password. The password is "
        "case-sensitive.",
        "inactive": "This account has been switched off. Ask your administrator.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].error_messages["required"] = "Enter your password"


class PasswordResetRequestForm(plain_forms.PlainMessages, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def save(self, *, domain_override=None, use_https=False, request=None, **kwargs):
        """Enqueue one email per matching account; the worker renders it with a fresh token."""
        domain = domain_override or request.get_host()
        for user in self.get_users(self.cleaned_data["email"]):
            tasks.send_password_reset_email.delay_on_commit(
                user_id=user.pk, domain=domain, use_https=use_https
            )


class NewPasswordForm(plain_forms.PlainMessages, auth_forms.SetPasswordForm):
    error_messages = {
        "password_mismatch": "The two passwords do not match: type the same new password twice"
    }


class ChangePasswordForm(plain_forms.PlainMessages, auth_forms.PasswordChangeForm):
    """Django's form and password validators; the current password is checked as every password
    is (credentials.identity_confirm), so a wrong one counts towards the lockout. ``locked``:
    that check found the account locked."""

    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        **NewPasswordForm.error_messages,
    }

    def __init__(self, user, *args, request, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.request = request
        self.locked = False
        self.fields["old_password"].label = "Your current password"
        # A page of three questions: nothing is focused for the person (NHS.UK guidance).
        self.fields["old_password"].widget.attrs.pop("autofocus", None)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password2"].label = "Type the new password again"

    @sensitive_variables("password")
    def clean_old_password(self):
        password = self.cleaned_data["old_password"]
        try:
            credentials.identity_confirm(request=self.request, user=self.user, password=password)
        except credentials.NotConfirmed as refusal:
            self.locked = refusal.locked
            raise ValidationError(refusal.message, code="password_incorrect") from refusal
        return password


APP_CODE_HINT = "The 6-digit code your authenticator app shows now"


class CodeForm(plain_forms.Form):
    """The second step of signing in: a code from the authenticator app or a recovery code."""

    code = forms.CharField(
        label="Code",
        help_text=f"{APP_CODE_HINT}, or one of your recovery codes.",
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "class": "nhsuk-input nhsuk-input--width-10",
            }
        ),
        error_messages={"required": "Enter the code from your authenticator app"},
    )


class NewAppCodeForm(CodeForm):
    """Setting up an authenticator app: only the new app's own code confirms it, so the hint
    offers no recovery code."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = f"{APP_CODE_HINT}."
