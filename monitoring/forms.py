"""The forms of monitoring. Each only carries what was typed: the services check it again and
say what is wrong, so nothing typed is lost on a refusal."""

from django import forms

from .models import ReturnLine
from .services import CRITERION_STATUSES, MAX_LABEL_CHARACTERS, MILESTONE_STATUSES, LineInput

Kind = ReturnLine.Kind
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label: str, *, required: str = "", initial=None) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=bool(required),
        initial=initial,
        widget=DATE,
        error_messages={"required": required, "invalid": "Enter a real date."},
    )


class OpenReturnForm(forms.Form):
    label = forms.CharField(
        label="Period",
        help_text="Such as Q1 2006/07.",
        max_length=MAX_LABEL_CHARACTERS,
        error_messages={"required": "Enter the period the return covers, like Q1 2006/07."},
    )
    period_end = _date("The period ends on", required="Enter the date the period ends.")
    due_on = _date("The return is due on", required="Enter the date the return is due.")


def _choices(statuses: dict[str, str]) -> list[tuple[str, str]]:
    return [("", "Choose a status"), *statuses.items()]


def _note(label: str, initial: str) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, initial=initial, widget=forms.Textarea(attrs={"rows": 2})
    )


def _money(label: str, initial) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        initial="" if initial is None else f"{initial:f}",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-10"}),
    )


class ReturnForm(forms.Form):
    """The commentary and, for each line, the fields its kind reports."""

    commentary = forms.CharField(
        label="Commentary", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, lines: list[ReturnLine], **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            p = f"line-{line.pk}"
            if line.kind == Kind.TARGET:
                self.fields[f"{p}-actual"] = _money(
                    "Actual savings to date, in pounds", line.actual_to_date
                )
                self.fields[f"{p}-forecast"] = _money(
                    "Forecast savings for the year, in pounds", line.forecast_for_year
                )
                self.fields[f"{p}-note"] = _note("Note", line.note)
                continue
            statuses = MILESTONE_STATUSES if line.kind == Kind.MILESTONE else CRITERION_STATUSES
            self.fields[f"{p}-status"] = forms.ChoiceField(
                label="Status", required=False, choices=_choices(statuses), initial=line.status
            )
            if line.kind == Kind.MILESTONE:
                self.fields[f"{p}-done_on"] = _date("Date done", initial=line.done_on)
                self.fields[f"{p}-note"] = _note("Note", line.note)
            else:
                self.fields[f"{p}-note"] = _note("Evidence", line.note)

    def groups(self) -> list[tuple[ReturnLine, list]]:
        """Each line with its bound fields, for a fieldset each."""
        return [
            (line, [self[name] for name in self.fields if name.startswith(f"line-{line.pk}-")])
            for line in self.lines
        ]

    def line_inputs(self) -> dict[int, LineInput]:
        data = self.cleaned_data
        return {
            line.pk: LineInput(
                status=data.get(f"line-{line.pk}-status", ""),
                note=data.get(f"line-{line.pk}-note", ""),
                done_on=data.get(f"line-{line.pk}-done_on"),
                actual_to_date=data.get(f"line-{line.pk}-actual", ""),
                forecast_for_year=data.get(f"line-{line.pk}-forecast", ""),
            )
            for line in self.lines
        }


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label="Comment",
        help_text="Needed when you send the return back: say what should change.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name the token",
        help_text="Say what will use it, like Finance spreadsheet.",
        max_length=MAX_LABEL_CHARACTERS,
        error_messages={"required": "Name the token, like Finance spreadsheet."},
    )
