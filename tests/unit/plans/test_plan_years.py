"""The plan year: one reading of "2007/08" for every form and service that takes one."""

from datetime import date

import pytest
from django import forms

from plans.plan_years import PlanYearField, plan_period, plan_year_refused, titled_with_year


def test_a_plan_year_is_the_financial_year_from_april_to_march():
    assert plan_period("2006/07") == (date(2006, 4, 1), date(2007, 3, 31))
    assert plan_period("2099/00") == (date(2099, 4, 1), date(2100, 3, 31))


@pytest.mark.parametrize("typed", ["2008/10", "2008/07", "2008/08", "2008", "08/09", "", None])
def test_what_is_not_two_years_one_after_the_other_is_no_plan_year(typed):
    assert plan_period(typed) is None
    assert plan_year_refused(typed) == (
        "Enter the plan year as two years one after the other, such as 2007/08."
    )


def test_the_plan_year_box_reads_a_year_typed_with_spaces_and_refuses_an_impossible_one():
    field = PlanYearField()

    assert field.clean(" 2007/08 ") == "2007/08"
    with pytest.raises(forms.ValidationError, match="two years one after the other"):
        field.clean("2008/10")


@pytest.mark.parametrize(
    ("title", "period", "named"),
    [
        ("DacCom Locality Plan", "2006/07", "DacCom Locality Plan 2006/07"),
        ("DacCom Locality Plan 2006/07", "2006/07", "DacCom Locality Plan 2006/07"),
        (
            "Bath & North East Somerset Plan for 07/08",
            "2007/08",
            "Bath & North East Somerset Plan for 07/08",
        ),
        # The short year inside another year or a date is not this year.
        ("Plan following 2007/08", "2008/09", "Plan following 2007/08 2008/09"),
        ("Review of 107/08", "2007/08", "Review of 107/08 2007/08"),
        ("Plan", "next year", "Plan next year"),
    ],
)
def test_a_plans_title_gets_its_year_unless_it_names_it_in_full_or_short(title, period, named):
    assert titled_with_year(title, period) == named
