"""The forms of monitoring. Each only carries what was typed: the services check it and say what
is wrong, so nothing typed is lost on a refusal. The return's form and the open form ask the
service's checks (services.checked, services.open_problems) for every problem at once and put
each beside its field; a refused submit's lines still to fill are put beside theirs the same way."""

from functools import partial

from django import forms

from consortia import plain_forms
from consortia.numbers import NotANumber, pounds_and_pence, read_number
from plans.models import Plan

from .models import MonitoringReturn, ReturnLine
from .services import (
    CRITERION_STATUSES,
    MAX_LABEL_CHARACTERS,
    MILESTONE_STATUSES,
    LineInput,
    ReturnRefused,
    checked,
    open_problems,
)

Kind = ReturnLine.Kind
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The return form's short names for the LineInput fields it does not name as LineInput does.
FORM_NAMES = {"actual_to_date": "actual", "forecast_for_year": "forecast"}
# The fields a line needs before the return can be submitted (services.missing_in); a draft is
# saved without them, so the form does not require them, and the page does not call them
# optional.
NEEDED_TO_SUBMIT = frozenset({"status", "actual"})


def _date(label: str, *, required: str = "", initial=None) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=bool(required),
        initial=initial,
        widget=DATE,
        error_messages={"required": required, "invalid": "Enter a real date."},
    )


def _label(label: str, *, help_text: str, required: str) -> forms.CharField:
    """A short name the service keeps to MAX_LABEL_CHARACTERS: a return's period, a token's."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=MAX_LABEL_CHARACTERS,
        error_messages={"required": required},
    )


class OpenReturnForm(plain_forms.Form):
    label = _label(
        "Period",
        help_text="Such as Q1 2006/07.",
        required="Enter the period the return covers, like Q1 2006/07.",
    )
    period_end = _date("The period ends on", required="Enter the date the period ends.")
    due_on = _date("The return is due on", required="Enter the date the return is due.")

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan

    def clean(self):
        """The service's checks of what was typed (services.open_problems), run here too so
        that a date out of the plan's year shows with a blank field or the due date's fault."""
        cleaned = super().clean()
        problems = open_problems(
            self.plan,
            label=cleaned.get("label", ""),
            period_end=cleaned.get("period_end"),
            due_on=cleaned.get("due_on"),
        )
        for field, problem in problems.items():
            if field not in self.errors:
                self.add_error(field, problem)
        return cleaned


def _field_name(line_id: int, field: str) -> str:
    """The return form's name for a line's LineInput ``field``."""
    return f"line-{line_id}-{FORM_NAMES.get(field, field)}"


def _choices(statuses: dict[str, str]) -> list[tuple[str, str]]:
    return [("", "Choose a status"), *statuses.items()]


def _note(label: str, initial: str) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, initial=initial, widget=forms.Textarea(attrs={"rows": 2})
    )


class MoneyField(forms.CharField):
    """An amount as typed; "40000" is no change from a saved 40000.00, shown as "40,000.00"."""

    def has_changed(self, initial, data):
        try:
            return read_number(initial or "") != read_number(data or "")
        except NotANumber:
            return True


def _money(label: str, initial) -> MoneyField:
    return MoneyField(
        label=label,
        required=False,
        initial="" if initial is None else pounds_and_pence(initial),
        # The base class named too: crispy adds it only when no class contains its name.
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "class": "nhsuk-input nhsuk-input--width-10"}
        ),
    )


class ReturnForm(plain_forms.Form):
    """The commentary and, for each line, the fields its kind reports."""

    commentary = forms.CharField(
        label="Commentary", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    # The return's version the page was loaded at, so that a save cannot overwrite unseen what
    # someone saved since (services.return_save).
    base_version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={
            "required": "The page is out of date: reload it.",
            "invalid": "The page is out of date: reload it.",
            "min_value": "The page is out of date: reload it.",
        },
    )

    def __init__(self, *args, item: MonitoringReturn, **kwargs):
        initial = {"base_version": item.version, "commentary": item.commentary}
        super().__init__(*args, initial=initial, **kwargs)
        self.lines = lines = list(item.lines.all())
        for line in lines:
            name = partial(_field_name, line.pk)
            if line.kind == Kind.TARGET:
                self.fields[name("actual_to_date")] = _money(
                    "Actual savings to date, in pounds", line.actual_to_date
                )
                self.fields[name("forecast_for_year")] = _money(
                    "Forecast savings for the year, in pounds", line.forecast_for_year
                )
                self.fields[name("note")] = _note("Note", line.note)
                continue
            statuses = MILESTONE_STATUSES if line.kind == Kind.MILESTONE else CRITERION_STATUSES
            self.fields[name("status")] = forms.ChoiceField(
                label="Status", required=False, choices=_choices(statuses), initial=line.status
            )
            if line.kind == Kind.MILESTONE:
                self.fields[name("done_on")] = _date("Date done", initial=line.done_on)
                self.fields[name("note")] = _note("Note", line.note)
            else:
                self.fields[name("note")] = _note("Evidence", line.note)

    def groups(self) -> list[tuple[ReturnLine, list]]:
        """Each line with its bound fields, for a fieldset each."""
        return [
            (line, [self[name] for name in self.fields if name.startswith(f"line-{line.pk}-")])
            for line in self.lines
        ]

    def fieldsets(self) -> list[tuple[ReturnLine, list[tuple[forms.BoundField, bool]]]]:
        """Each line with its bound fields, each with whether submitting needs it."""
        return [
            (line, [(field, field.name.rpartition("-")[2] in NEEDED_TO_SUBMIT) for field in fields])
            for line, fields in self.groups()
        ]

    def line_inputs(self) -> dict[int, LineInput]:
        """What was typed for each line; a field the form could not read counts as blank."""
        data = self.cleaned_data
        typed = {}
        for line in self.lines:
            name = partial(_field_name, line.pk)
            typed[line.pk] = LineInput(
                status=data.get(name("status"), ""),
                note=data.get(name("note"), ""),
                done_on=data.get(name("done_on")),
                actual_to_date=data.get(name("actual_to_date"), ""),
                forecast_for_year=data.get(name("forecast_for_year"), ""),
            )
        return typed

    def clean(self):
        """The service's checks of what was typed, run here too so that its refusals show
        with the form's own (a date it cannot read), all at once."""
        cleaned = super().clean()
        try:
            checked(self.lines, self.line_inputs(), cleaned.get("commentary", ""))
        except ReturnRefused as refusal:
            self.refused(refusal)
        return cleaned

    def refused(self, refusal: ReturnRefused) -> None:
        """Each of the service's problems beside the field it is about; call after is_valid."""
        for problem in refusal.problems:
            self.add_error(
                "commentary"
                if problem.line_id is None
                else _field_name(problem.line_id, problem.field),
                problem.message,
            )


class ReviewForm(plain_forms.Form):
    comment = forms.CharField(
        label="Comment",
        help_text="Needed when you send the return back: say what should change.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class TokenForm(plain_forms.Form):
    name = _label(
        "Name the token",
        help_text="Say what will use it, like Finance spreadsheet.",
        required="Name the token, like Finance spreadsheet.",
    )
