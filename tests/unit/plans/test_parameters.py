"""The checks on a definition file's ``parameters`` (plans/parameters.py): each problem a
message fit to show at the question's printed number."""

import pytest

from plans.parameters import parameter_problems


def test_the_demo_figures_pass():
    assert (
        parameter_problems(
            "des_funding", {"rate_per_patient": "1.90", "practices_share_percent": "75"}
        )
        == []
    )
    scale = [{"freed_up": "100000", "returned": "0"}, {"freed_up": "300000", "returned": "20000"}]
    assert (
        parameter_problems(
            "freed_up_resources", {"scale": scale, "investment_to_recover": "400000"}
        )
        == []
    )


def test_a_figure_must_be_a_number_within_its_bounds():
    assert parameter_problems("des_funding", {"rate_per_patient": "-1"}) == [
        "parameter 'rate_per_patient' '-1' cannot be negative"
    ]
    assert parameter_problems("des_funding", {"rate_per_patient": "1.0000001"}) == [
        "parameter 'rate_per_patient' '1.0000001' has more than 6 decimal places"
    ]
    assert parameter_problems("outcome_framework", {"rate_per_patient": "1000000000000"}) == [
        "parameter 'rate_per_patient' '1000000000000' is not a number the form can use"
    ]
    assert parameter_problems("des_funding", {"practices_share_percent": ["60"]}) == [
        "parameter 'practices_share_percent' must be a number written as text, like \"1.50\""
    ]


@pytest.mark.parametrize(
    "written", ["1e3", "1e99", "1_000", "١٢٣", "+5", "1,50", "NaN", " ", "£1.50", "60%"]
)
def test_a_figure_not_written_plain_by_the_one_rule_is_refused_at_its_parameter(written):
    """The rule for numbers (consortia/numbers.py), not Decimal's, which reads "1e3" and "١٢٣"."""
    assert parameter_problems("des_funding", {"rate_per_patient": written}) == [
        f"parameter 'rate_per_patient' '{written}' is not a number; write it like \"1.50\""
    ]


@pytest.mark.parametrize("written", ["1,500.00", "1 500.00", "60", "1.90"])
def test_a_figure_with_commas_or_spaces_between_thousands_passes(written):
    assert parameter_problems("outcome_framework", {"rate_per_patient": written}) == []


def test_a_scale_row_that_is_not_a_number_by_the_rule_is_refused_at_its_row():
    scale = [{"freed_up": "1e5", "returned": "0"}]

    assert parameter_problems("freed_up_resources", {"scale": scale}) == [
        "parameter 'scale', row 1, 'freed_up' '1e5' is not a number; write it like \"1.50\""
    ]


def test_a_scale_that_returns_more_than_was_freed_up_is_refused_at_its_row():
    scale = [{"freed_up": "100000", "returned": "0"}, {"freed_up": "200000", "returned": "250000"}]

    (problem,) = parameter_problems("freed_up_resources", {"scale": scale})

    assert problem.startswith("parameter 'scale', row 2: The return (£250,000) cannot be more")


def test_labels_and_case_questions_are_checked_field_by_field():
    assert parameter_problems("hours", {"labels": ["funded"]}) == [
        "parameter 'labels' must be a mapping of label names to texts"
    ]
    assert parameter_problems(
        "business_cases", {"questions": [{"key": "Need!", "label": "N"}]}
    ) == [
        "parameter 'questions', row 1: key 'Need!' may hold only small letters, digits and '_', "
        "like 'clinical_evidence'"
    ]
    assert parameter_problems("business_cases", {"questions": []}) == [
        "parameter 'questions' must be a list of rows, one '- {key: ..., label: ...}' line each"
    ]


def test_a_template_may_set_the_gp_session_rate_and_weeks_within_a_year():
    assert (
        parameter_problems("self_assessment", {"gp_session_rate": "300", "weeks_per_year": "50"})
        == []
    )
    assert parameter_problems("self_assessment", {"weeks_per_year": "60"}) == [
        "parameter 'weeks_per_year' is 60; it can be at most 53"
    ]
    assert parameter_problems("self_assessment", {"weeks_per_year": "0"}) == [
        "parameter 'weeks_per_year' is 0; it must be at least 1"
    ]
