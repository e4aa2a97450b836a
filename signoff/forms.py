from django import forms

from .services import MAX_COMMENT_CHARACTERS, MAX_TYPED_NAME_CHARACTERS


class ActionForm(forms.Form):
    """Confirms a workflow action; ``comment`` is asked for when the action needs one."""

    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_COMMENT_CHARACTERS,
        required=False,
    )

    def __init__(self, *args, transition, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["comment"]
        if transition.needs_comment:
            field.required = True
            field.label = "Summary" if transition.action == "request_changes" else "Reason"
            field.help_text = transition.needs_comment
            field.error_messages["required"] = transition.needs_comment
        elif transition.action == "approve":
            field.label = "Note for the consortium (optional)"
        else:
            del self.fields["comment"]


class SignatureForm(forms.Form):
    typed_name = forms.CharField(
        label="Your full name",
        help_text="Typed as your signature, as it should appear on the signed plan.",
        max_length=MAX_TYPED_NAME_CHARACTERS,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": "Type your full name as your signature"},
    )
    password = forms.CharField(
        label="Your password",
        help_text="The password you sign in with, to confirm it is you.",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    confirmed = forms.BooleanField(
        label="I have read the plan and sign it as it stands",
        error_messages={"required": "Confirm that you are signing the plan as it stands"},
    )
