"""The forms of review comments: start a thread on a question or on guidance, reply to one.

Lengths and quotes are checked by the services (signoff/services.py), which say what is wrong
in the user's words; these forms only carry what was typed, so nothing is lost on a refusal.
"""

from django import forms
from django.conf import settings

from .models import Comment


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "nhsuk-textarea"}),
        error_messages={"required": "Enter your comment"},
    )
    quote = forms.CharField(
        label="Quote the passage you mean",
        required=False,
        help_text="Copy the words exactly as they appear above, or leave this empty to comment "
        "on the whole answer.",
        widget=forms.Textarea(attrs={"rows": 2, "class": "nhsuk-textarea app-comment-quote-input"}),
    )
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


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Your reply",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "nhsuk-textarea"}),
        error_messages={"required": "Enter your reply"},
    )


def comment_prefix(*, question=None, part=None) -> str:
    """Unique on the page: one comment form per question and per part's guidance."""
    return f"comment-q-{question.key}" if question is not None else f"comment-p-{part.key}"


def reply_prefix(thread) -> str:
    return f"reply-{thread.pk}"
