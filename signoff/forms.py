"""The forms of review and sign-off. Each only carries what was typed: the services check
it again and say what is wrong in the user's words, so nothing is lost on a refusal."""

from django import forms
from django.conf import settings

from consortia import credentials, plain_forms
from consortia.models import User
from consortia.names import validate_shown_as_stored

from .models import Comment
from .services.review import MAX_COMMENT_CHARACTERS
from .services.signatures import MAX_TYPED_NAME_CHARACTERS


class ActionForm(plain_forms.Form):
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
            field.label = "Note for the consortium"
        else:
            del self.fields["comment"]


class SignatureForm(plain_forms.Form):
    """The signatory's own name as their signature, their password and, where their account has
    a second factor, a code (``signer``: who signs, to name their account beside the box and ask
    for what their account has)."""

    typed_name = forms.CharField(
        label="Your full name",
        max_length=MAX_TYPED_NAME_CHARACTERS,
        validators=[validate_shown_as_stored],
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
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
        error_messages={"required": "Enter the code from your authenticator app"},
    )
    confirmed = forms.BooleanField(
        label="I have read the plan and sign it as it stands",
        error_messages={"required": "Confirm that you are signing the plan as it stands"},
    )

    def __init__(self, *args, signer, **kwargs):
        # The name box starts empty: a signature is typed, and text typed into a filled box
        # joined the account's name and was printed on the sealed plan so.
        super().__init__(*args, **kwargs)
        self.fields["typed_name"].help_text = (
            "Type your own full name: it is your signature, in place of a handwritten one. The "
            f"signed plan prints it beside the name on your account, {signer.full_name}."
        )
        if not credentials.second_factor_expected(signer):
            del self.fields["code"]  # signing asks only for what signing in asks for
            return
        ways = ["The 6-digit code your app shows now."]
        if credentials.recovery_codes_left(signer):
            ways.append("Without your app, use one of your recovery codes.")
        if credentials.passkeys_of(signer):
            ways.append("A passkey cannot sign a plan: signing needs a code.")
        self.fields["code"].help_text = " ".join(ways)


def _written(*, label: str, rows: int, required: str) -> forms.CharField:
    """A comment's or reply's text, kept as typed (not stripped) and required."""
    return forms.CharField(
        label=label,
        strip=False,
        widget=forms.Textarea(attrs={"rows": rows, "class": "nhsuk-textarea"}),
        error_messages={"required": required},
    )


class CommentForm(plain_forms.Form):
    # The quote comes first: "Quote a passage" fills it, and Tab goes on to the comment box.
    quote = forms.CharField(
        label="Quote the passage you mean",
        required=False,
        help_text="Copy the words exactly as they appear above, or leave this empty to comment "
        "on the whole answer. From the keyboard, the Quote a passage button puts the whole text "
        "here: delete the words your comment is not about.",
        widget=forms.Textarea(attrs={"rows": 2, "class": "nhsuk-textarea app-comment-quote-input"}),
    )
    body = _written(label="Your comment", rows=4, required="Enter your comment")
    visibility = forms.ChoiceField(
        label="Who can see this comment",
        choices=Comment.Visibility.choices,
        initial=Comment.Visibility.SHARED,
        widget=forms.RadioSelect,
        required=False,  # shared unless chosen otherwise
    )

    def __init__(self, *args, may_keep_internal: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if may_keep_internal:
            pct = settings.COMMISSIONER_WORD
            self.fields["visibility"].choices = [
                (Comment.Visibility.SHARED, "Shared with the consortium"),
                (Comment.Visibility.INTERNAL, f"{pct} only: the consortium does not see it"),
            ]
        else:
            del self.fields["visibility"]

    @property
    def chosen_visibility(self) -> str:
        return self.cleaned_data.get("visibility") or Comment.Visibility.SHARED


class ReplyForm(plain_forms.Form):
    body = _written(label="Your reply", rows=3, required="Enter your reply")


def comment_prefix(*, question=None, part=None) -> str:
    """Unique on the page: one comment form per question and per part's guidance."""
    return f"comment-q-{question.key}" if question is not None else f"comment-p-{part.key}"


def reply_prefix(thread) -> str:
    return f"reply-{thread.pk}"


class NotificationPreferenceForm(plain_forms.Form):
    notify = forms.ChoiceField(
        label="How should we email you about your plans?",
        help_text="We email you when a plan is submitted, changes are asked for, someone "
        "comments on a question you complete or replies to you, a plan is approved and when it "
        "is your turn to sign.",
        choices=User.Notify.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how often we email you"},
    )


MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UPLOAD_LABEL = "20 MB"
# A PDF starts with "%PDF-", possibly after a little junk that readers tolerate.
PDF_MARKER_WITHIN = 1024
TOO_LARGE = f"The selected file must be smaller than {MAX_UPLOAD_LABEL}"


class VerifyForm(plain_forms.Form):
    file = forms.FileField(
        label="Upload the plan's PDF",
        help_text=f"A PDF of up to {MAX_UPLOAD_LABEL}. It is checked and not kept.",
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={
            "required": "Select the PDF you want to check",
            "empty": "The selected file is empty",
            "invalid": "Select the PDF you want to check",
        },
    )

    @classmethod
    def too_large(cls) -> "VerifyForm":
        """The form as shown when the upload was refused unread, for its size."""
        form = cls(data={}, files={})
        form.is_valid()
        form.errors["file"] = form.error_class([TOO_LARGE])
        return form

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The selected file must be smaller than {MAX_UPLOAD_LABEL}"
            )
        head = upload.read(PDF_MARKER_WITHIN)
        upload.seek(0)
        if b"%PDF-" not in head:
            raise forms.ValidationError("The selected file must be a PDF")
        return upload
