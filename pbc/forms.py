from django import forms
from django.contrib.auth import forms as auth_forms

from consortia import plain_forms

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
