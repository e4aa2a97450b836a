"""The form of a person's email settings (the service checks the choice again)."""

from django import forms

from consortia.models import User


class NotificationPreferenceForm(forms.Form):
    notify = forms.ChoiceField(
        label="How should we email you about your plans?",
        help_text="We email you when a plan is submitted, changes are asked for, someone "
        "comments on a question you complete or replies to you, a plan is approved and when it "
        "is your turn to sign.",
        choices=User.Notify.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how often we email you"},
    )
