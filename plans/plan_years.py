"""The plan year, typed as two years one after the other ("2007/08"): the one reading of it for
every form that takes one, the services that check one and the kinds that date within one."""

import re
from datetime import date

from django import forms

PLAN_YEAR = re.compile(r"^(\d{4})/(\d{2})$")
#: the example a message gives where nothing suggests a nearer year
PLAN_YEAR_EXAMPLE = "2007/08"


def plan_period(period: str) -> tuple[date, date] | None:
    """The financial year a plan covers: "2006/07" is 1 April 2006 to 31 March 2007; None for
    anything that is not a plan year ("2008/10")."""
    match = PLAN_YEAR.match(period or "")
    if not match:
        return None
    start = int(match.group(1))
    if (start + 1) % 100 != int(match.group(2)):
        return None
    return date(start, 4, 1), date(start + 1, 3, 31)


def plan_year(start: int) -> str:
    """The plan year that starts in April of ``start``, as it is typed: 2007 is "2007/08"."""
    return f"{start}/{(start + 1) % 100:02d}"


def titled_with_year(title: str, period: str) -> str:
    """The plan's title with its year after it, unless the title names the year already, in
    full ("2007/08") or as forms often write it ("for 07/08")."""
    short = period[2:] if PLAN_YEAR.match(period or "") else ""
    if period in title or (short and re.search(rf"(?<![\d/]){re.escape(short)}(?![\d/])", title)):
        return title
    return f"{title} {period}"


def plan_year_refused(period: str, *, example: str = PLAN_YEAR_EXAMPLE) -> str:
    """Why ``period`` is not a plan year, with ``example`` of one; "" when it is."""
    if plan_period(period):
        return ""
    return f"Enter the plan year as two years one after the other, such as {example}."


class PlanYearField(forms.CharField):
    """The plan year's box, refusing what is no plan year as the services do."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("label", "Plan year")
        super().__init__(**kwargs)
        self.give_example(PLAN_YEAR_EXAMPLE)

    def give_example(self, example: str) -> None:
        """Show ``example`` in the hint and in the messages, so that they never disagree."""
        self.example = example
        self.help_text = f"For example, {example}"
        self.error_messages["required"] = f"Enter the plan year, such as {example}"

    def validate(self, value):
        super().validate(value)
        if value and (problem := plan_year_refused(value, example=self.example)):
            raise forms.ValidationError(problem, code="plan_year")
