from django import forms
from django_prose_editor.fields import ProseEditorFormField

from consortia import plain_forms

from .headings import EDITOR_TOP_HEADING, renumbered
from .models import TemplateQuestion
from .plan_years import PlanYearField
from .sanitise import MAX_ANSWER_CHARACTERS, answer_too_long
from .table_import import MAX_CSV_BYTES
from .template_files import MAX_FILE_BYTES as MAX_DEFINITION_BYTES

# The editor offers exactly what the server keeps (plans/sanitise.py).
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Heading": {"levels": [3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "HardBreak": True,
    "History": True,
}


class PlanCreateForm(plain_forms.Form):
    template = forms.ModelChoiceField(
        queryset=None, label="Form", empty_label=None, help_text="The PCT's published plan form."
    )
    period = PlanYearField()
    title = forms.CharField(max_length=300, label="Title")

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates


def _within_answer_limit(text: str) -> None:
    if len(text) > MAX_ANSWER_CHARACTERS:
        raise forms.ValidationError(answer_too_long(text), code="answer_too_long")


class AnswerForm(plain_forms.Form):
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
                validators=[_within_answer_limit],
            )
            # The limit for the character count only: Django's own check would word its
            # refusal with the figures unformatted.
            self.fields["text"].max_length = MAX_ANSWER_CHARACTERS
            # The design system's box where the page's script does not replace it with the
            # editor: full width, so a phone does not scroll sideways for it.
            self.fields["text"].widget.attrs["class"] = "nhsuk-textarea app-answer-text"
            if self.initial.get("text"):
                # The editor offers h3 and h4 under the question's h2: text written with other
                # levels opens with the same outline, shifted to fit (saved so if edited).
                self.initial["text"] = renumbered(self.initial["text"], EDITOR_TOP_HEADING)


class UploadField(forms.FileField):
    """One file to upload, refused in the user's words when none is chosen, it is empty or it
    is larger than ``max_bytes`` (``size_label`` says how large, as the user reads it)."""

    def __init__(self, *, what: str, accept: str, max_bytes: int, size_label: str, **kwargs):
        self.max_bytes, self.size_label = max_bytes, size_label
        choose = f"Select {what}"
        super().__init__(
            widget=forms.FileInput(attrs={"accept": accept}),
            error_messages={
                "required": choose,
                "empty": "The selected file is empty",
                "invalid": choose,
            },
            **kwargs,
        )

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload.size > self.max_bytes:
            raise forms.ValidationError(f"The selected file must be smaller than {self.size_label}")
        return upload


class TableImportForm(plain_forms.Form):
    """A CSV file of a table question's rows (plans/table_import.py)."""

    prefix = "table-import"
    base_version = forms.IntegerField(widget=forms.HiddenInput)
    file = UploadField(
        label="Import rows from a CSV file",
        help_text=(
            f"A CSV file of up to {MAX_CSV_BYTES // 1024} KB whose first line names the columns, "
            "by their headings or keys. Its rows replace the table's rows; nothing changes if "
            "any cell is refused."
        ),
        what="the CSV file of the table's rows",
        accept=".csv,text/csv",
        max_bytes=MAX_CSV_BYTES,
        size_label=f"{MAX_CSV_BYTES // 1024} KB",
    )


class DefinitionFileForm(plain_forms.Form):
    """A PCT's plan form as a definition file (docs/definition-files.md)."""

    file = UploadField(
        label="Upload the form's definition file",
        help_text=(
            "A YAML file of up to 1 MB, saved as UTF-8. Nothing is stored until you have "
            "checked what loading it will do."
        ),
        what="the form's definition file",
        accept=".yaml,.yml,application/yaml,text/yaml",
        max_bytes=MAX_DEFINITION_BYTES,
        size_label="1 MB",
    )

    def refuse(self, error) -> None:
        """Every problem of a refused file, each where the file has it, on the file's field."""
        for problem in error.problems:
            self.add_error("file", str(problem))
