"""The interim dates the PCT types when it opens a round, one a line."""

from datetime import date

import pytest
from django import forms

from consortia.models import Consortium
from plans.models import PlanTemplate
from plans.round_forms import RoundOpenForm, interim_dates_from


def test_interim_dates_are_one_a_line_date_first_blank_lines_ignored():
    assert interim_dates_from("2007-02-01 First  draft\n\n2007-03-01 Final draft\n") == [
        {"date": date(2007, 2, 1), "label": "First draft", "line": 1},
        {"date": date(2007, 3, 1), "label": "Final draft", "line": 3},
    ]


@pytest.mark.parametrize("typed", ["01/02/2007", "1/2/2007", "2007-02-01"])
def test_an_interim_date_is_read_as_the_deadlines_box_shows_a_day_or_as_a_date_box_sends_it(typed):
    assert interim_dates_from(f"{typed} First draft") == [
        {"date": date(2007, 2, 1), "label": "First draft", "line": 1}
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1st February First draft", "Line 1 does not start with a date"),
        ("2007-02-01 ok\n30/02/2007 Bad day", "Line 2: 30/02/2007 is not a date in the calendar"),
        ("2007-02-01", "Line 1 needs what is due"),
        ("2007-02-01 ok\n2007-02-30 Bad day", "Line 2: 2007-02-30 is not a date in the calendar"),
        ("2007-02-01 " + "x" * 201, "at most 200 characters"),
    ],
)
def test_an_interim_line_that_cannot_be_read_is_refused_with_its_line(text, message):
    with pytest.raises(forms.ValidationError, match=message):
        interim_dates_from(text)


def test_every_bad_interim_line_is_refused_at_once_each_with_its_line_and_the_hints_example():
    text = "February First draft\n2027-01-15 Ok\n2020-01-01 Old plan\n2027-04-02 Late\n2027-02-30 X"
    with pytest.raises(forms.ValidationError) as refused:
        interim_dates_from(text, deadline=date(2027, 3, 31), today=date(2026, 11, 27))
    assert refused.value.messages == [
        "Line 1 does not start with a date such as 01/02/2027.",
        "Line 3: “Old plan” is due on 1 January 2020: an interim date must be after today "
        "(27 November 2026).",
        "Line 4: “Late” falls after the deadline (31 March 2027).",
        "Line 5: 2027-02-30 is not a date in the calendar.",
    ]


def round_form(data=None, *, today: date) -> RoundOpenForm:
    return RoundOpenForm(
        data,
        templates=PlanTemplate.objects.none(),
        consortia=Consortium.objects.none(),
        today=today,
    )


def test_each_empty_field_of_the_round_says_what_to_enter():
    form = round_form({}, today=date(2026, 11, 27))

    assert not form.is_valid()
    assert form.errors == {
        "period": ["Enter the plan year, such as 2027/28"],
        "template": ["Choose the form the plans use"],
        "deadline": ["Enter the submission deadline, such as 31/03/2027"],
        "consortia": ["Choose at least one consortium to take part"],
    }


@pytest.mark.parametrize(
    ("today", "period", "deadline", "interim"),
    [
        (date(2026, 11, 27), "2027/28", "31/03/2027", "01/02/2027"),
        (date(2027, 1, 31), "2027/28", "31/03/2027", "01/02/2027"),
        (date(2027, 2, 1), "2028/29", "31/03/2028", "01/02/2028"),
        (date(2099, 6, 1), "2100/01", "31/03/2100", "01/02/2100"),
    ],
)
def test_the_examples_are_of_a_round_that_could_be_opened_today_each_day_as_the_box_shows_it(
    today, period, deadline, interim
):
    form = round_form(today=today)

    assert form.fields["period"].help_text == f"For example, {period}"
    assert form.fields["deadline"].help_text == f"For example, {deadline}"
    assert form.fields["interim_dates"].help_text.endswith(f"For example, {interim} First draft")


def test_the_interim_hint_and_its_refusal_give_the_same_example():
    today = date(2026, 11, 27)
    form = round_form({"interim_dates": "1 Feb First draft"}, today=today)

    form.is_valid()

    example = form.fields["interim_dates"].help_text.split("For example, ")[1].split()[0]
    assert form.errors["interim_dates"] == [f"Line 1 does not start with a date such as {example}."]


@pytest.mark.parametrize("typed", ["2008/10", ""])
def test_the_plan_year_hint_and_its_refusals_give_the_same_example(typed):
    form = round_form({"period": typed}, today=date(2026, 11, 27))

    form.is_valid()

    example = form.fields["period"].help_text.removeprefix("For example, ")
    assert example == "2027/28"
    assert form.errors["period"][0].removesuffix(".").endswith(f"such as {example}")


@pytest.mark.parametrize("typed", ["31/03/2027", "2027-03-31"])
def test_the_deadline_is_read_as_the_hint_shows_it_or_as_a_date_box_sends_it(typed):
    form = round_form({"deadline": typed}, today=date(2026, 11, 27))

    form.is_valid()

    assert form.cleaned_data["deadline"] == date(2027, 3, 31)


def test_a_bad_plan_year_is_refused_with_the_bad_deadline_and_interim_lines_at_once():
    form = round_form(
        {"period": "2008/10", "deadline": "01/01/2020", "interim_dates": "1 Feb First draft"},
        today=date(2026, 11, 27),
    )

    assert not form.is_valid()
    assert form.errors["period"] == [
        "Enter the plan year as two years one after the other, such as 2027/28."
    ]
    assert form.errors["deadline"] == [
        "The submission deadline must be after today (27 November 2026)."
    ]
    assert form.errors["interim_dates"] == ["Line 1 does not start with a date such as 01/02/2027."]
