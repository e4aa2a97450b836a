import re
from datetime import date, datetime

from django import forms
from django.utils import timezone

from consortia import plain_forms
from consortia.dates import as_typed

from . import rounds
from .plan_years import PlanYearField, plan_year

LABEL_MAX = 200
# A day as the deadline's box shows it (31/03/2027), or as a date box sends it (2027-03-31).
_DATE_SHAPE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}")


class RoundOpenForm(plain_forms.Form):
    period = PlanYearField()
    template = forms.ModelChoiceField(
        queryset=None,
        label="Form",
        empty_label=None,
        help_text="The version the plans use.",
        error_messages={"required": "Choose the form the plans use"},
    )
    # The hints and messages, with examples of a round that could be opened today: __init__.
    deadline = forms.DateField(
        label="Submission deadline", widget=forms.DateInput(attrs={"type": "date"})
    )
    interim_dates = forms.CharField(
        required=False, label="Interim dates", widget=forms.Textarea(attrs={"rows": 3})
    )
    consortia = forms.ModelMultipleChoiceField(
        queryset=None,
        label="Consortia taking part",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one consortium to take part"},
    )

    def __init__(self, *args, templates, consortia, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        year = _example_year(today)
        self.fields["period"].give_example(plan_year(year))
        # As the date box shows it (31/03/2027), not as the browser sends it.
        deadline = as_typed(date(year, 3, 31))
        self.fields["deadline"].help_text = f"For example, {deadline}"
        self.fields["deadline"].error_messages.update(
            required=f"Enter the submission deadline, such as {deadline}",
            invalid=f"Enter the deadline as a date, such as {deadline}",
        )
        self.fields["interim_dates"].help_text = (
            "One a line: the date, then what is due. For example, "
            f"{_interim_example(today)} First draft"
        )
        self.fields["template"].queryset = templates
        self.fields["consortia"].queryset = consortia
        self.fields["consortia"].initial = list(consortia)

    def clean_deadline(self) -> date:
        deadline = self.cleaned_data["deadline"]
        if problem := rounds.deadline_refused(deadline, today=self.today):
            raise forms.ValidationError(problem)
        return deadline

    def clean_interim_dates(self) -> list[dict]:
        return interim_dates_from(
            self.cleaned_data["interim_dates"],
            deadline=self.cleaned_data.get("deadline"),
            today=self.today,
        )


def _example_year(today: date) -> int:
    """The year of a round's deadline in the examples: one that could be opened ``today``,
    which refuses past dates."""
    return today.year + (today >= date(today.year, 2, 1))


def _interim_example(today: date) -> str:
    return as_typed(date(_example_year(today), 2, 1))


def interim_dates_from(
    text: str, *, deadline: date | None = None, today: date | None = None
) -> list[dict]:
    """[{date, label, line}] from the lines "01/02/2007 First draft" (or "2007-02-01 First
    draft", as a date box sends a day). Every line that cannot be read, and with ``today`` every
    date the round would refuse, is refused with its number, all at once, so a second look does
    not find more. The refusals' example is the form's hint's."""
    example = _interim_example(today or timezone.localdate())
    dates, refusals = [], []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        try:
            item = _interim_line(number, line, example=example)
        except forms.ValidationError as refused:
            refusals.append(refused)
            continue
        problem = rounds.interim_date_refused(item, deadline=deadline, today=today) if today else ""
        if problem:
            refusals.append(forms.ValidationError(problem))
        else:
            dates.append(item)
    if refusals:
        raise forms.ValidationError(refusals)
    return dates


def _day(when: str) -> date:
    """The day as the deadline's box shows it, or as a date box sends it; ValueError if not."""
    if "/" in when and _DATE_SHAPE.fullmatch(when):
        return datetime.strptime(when, "%d/%m/%Y").date()
    return date.fromisoformat(when)


def _interim_line(number: int, line: str, *, example: str) -> dict:
    when, _, label = line.partition(" ")
    try:
        day = _day(when)
    except ValueError:
        if _DATE_SHAPE.fullmatch(when):
            raise forms.ValidationError(
                f"Line {number}: {when} is not a date in the calendar."
            ) from None
        raise forms.ValidationError(
            f"Line {number} does not start with a date such as {example}."
        ) from None
    label = " ".join(label.split())
    if not label:
        raise forms.ValidationError(f"Line {number} needs what is due after the date.")
    if len(label) > LABEL_MAX:
        raise forms.ValidationError(
            f"Line {number}: say what is due in at most {LABEL_MAX} characters."
        )
    return {"date": day, "label": label, "line": number}
