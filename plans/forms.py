from django import forms
from django_prose_editor.fields import ProseEditorFormField

from .models import TemplateQuestion
from .sanitise import MAX_ANSWER_CHARACTERS

# The editor offers exactly what the server keeps (plans/sanitise.py).
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "HardBreak": True,
    "History": True,
}


class PlanCreateForm(forms.Form):
    template = forms.ModelChoiceField(
        queryset=None, label="Form", empty_label=None, help_text="The PCT's published plan form."
    )
    period = forms.RegexField(
        regex=r"^\d{4}/\d{2}$",
        label="Plan year",
        help_text="For example, 2007/08",
        error_messages={"invalid": "Enter the plan year like 2007/08"},
    )
    title = forms.CharField(max_length=300, label="Title")

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates


class AnswerForm(forms.Form):
    """One question's answer; which fields it has depends on the question's kind."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, question: TemplateQuestion, **kwargs):
        self.question = question
        kwargs.setdefault("prefix", f"q-{question.key}")
        super().__init__(*args, **kwargs)
        if question.has_text:
            self.fields["text"] = ProseEditorFormField(
                label=f"{question.number} {question.title}".strip(),
                required=False,
                config={"extensions": EDITOR_EXTENSIONS},
                max_length=MAX_ANSWER_CHARACTERS,
                error_messages={
                    "max_length": "This answer is %(show_value)s characters long; the most an "
                    "answer can hold is %(limit_value)s. Shorten it or move detail into an "
                    "appendix."
                },
            )
            self.fields["text"].widget.attrs["class"] = "app-answer-text"
