"""plans.finance reproduces every figure of the seed documents (shared/seeds/README.md)
and refuses bad input with a message fit to show the user."""

import ast
from decimal import Decimal as D
from pathlib import Path

import pytest

from plans.finance import (
    FinanceInputError,
    HoursLine,
    Outcome,
    OutcomeArea,
    SavingsProject,
    SavingsTarget,
    ScaleRow,
    allocate_hours,
    des_funding,
    format_compact_money,
    format_money,
    format_percentage,
    framework_level_funding,
    freed_up_resources_split,
    incentive_pot,
    line_hours,
    outcome_payment,
    outcome_weighting_mismatches,
    percentage_of,
    round_money,
    round_pounds,
    savings_totals,
    scheme_return,
    split_payment,
    summarise_self_assessment,
    validate_outcome_weightings,
    validate_sliding_scale,
)

# --------------------------------------------------------------------------------------------
# Seed data
# --------------------------------------------------------------------------------------------

# DacCom plan (004) 4.2: projects, targets and FRP savings
DACCOM_PROJECTS = (
    SavingsProject(
        title="Improving Outpatient Efficiency",
        targets=(
            SavingsTarget(key="1.1", title="Clinical Assessment Service", amount=D(153_000)),
            SavingsTarget(key="1.3", title="Referrals Management", amount=D(335_000)),
            SavingsTarget(key="1.5", title="GI and Endoscopy Referrals", amount=D(68_000)),
            SavingsTarget(key="1.7", title="Outpatient Follow-ups", amount=D(625_000)),
            SavingsTarget(key="1.8", title="COPD", amount=D(91_000)),
            SavingsTarget(key="1.9", title="Heart Failure", amount=D(15_000)),
        ),
    ),
    SavingsProject(
        title="Reducing A&E Attendances",
        targets=(SavingsTarget(key="2.1", title="Urgent Care Centre", amount=D(499_000)),),
    ),
    SavingsProject(
        title="Frequent Fliers Management",
        targets=(SavingsTarget(key="2.3", title="Frequent Fliers Management", amount=D(34_000)),),
    ),
    SavingsProject(
        title="Prescribing",
        targets=(SavingsTarget(key="8.1", title="Prescribing", amount=D(856_000)),),
    ),
    SavingsProject(title="Create a robust PBC Business Plan for 2007/8 and beyond"),
)
DACCOM_TOTAL_IDENTIFIED_SAVINGS = D(6_106_000)


def scale_of(*rows: tuple[int, int]) -> tuple[ScaleRow, ...]:
    """A sliding scale from (freed up, returned) pairs in pounds."""
    return tuple(
        ScaleRow(freed_up=D(freed_up), returned=D(returned)) for freed_up, returned in rows
    )


# BANES plan (002) Appendix 2: (freed up, return to PBC and incentive scheme)
BANES_SCALE = scale_of(
    (100_000, 0),
    (200_000, 0),
    (300_000, 20_000),
    (400_000, 50_000),
    (500_000, 80_000),
    (600_000, 100_000),
    (700_000, 150_000),
    (800_000, 200_000),
    (900_000, 250_000),
    (1_000_000, 300_000),
    (1_100_000, 350_000),
    (1_200_000, 400_000),
)
BANES_PRACTICES_SHARE = D(70)


def outcome_area(key: str, title: str, weighting: int, *outcomes: tuple[str, int]) -> OutcomeArea:
    return OutcomeArea(
        key=key,
        title=title,
        weighting=D(weighting),
        outcomes=tuple(Outcome(key=part, weighting=D(share)) for part, share in outcomes),
    )


# BANES plan (002) Appendix 1: outcome areas and the weightings of their outcomes
BANES_AREAS = (
    outcome_area("1", "Communication with practices", 5, ("1.1", 1), ("1.2", 3), ("1.4", 1)),
    outcome_area("2", "Commissioning Plan", 5, ("2.1", 5)),
    outcome_area("4", "Public and Patient Involvement", 20, ("4.1", 5), ("4.2", 10), ("4.3", 5)),
    outcome_area("5", "Develop alternative pathways of care", 40, ("5.1", 20), ("5.2", 20)),
    outcome_area(
        "6", "Managing demand, activity and budget", 30, ("6.1", 0), ("6.2", 15), ("6.3", 15)
    ),
)
BANES_CONSORTIUM_OUTCOMES = ("1.1", "1.2", "1.4", "2.1", "4.1", "4.2", "4.3", "5.1", "5.2")

# DacCom plan (004) 6.1: hours allocation
DACCOM_HOURS = (
    HoursLine(
        label="Programme management / Executive Committee meetings",
        meetings=16,
        hours_each=D("1.25"),
        attendees=10,
    ),
    HoursLine(label="Improving Outpatient Efficiency", hours=D(400)),
    HoursLine(label="Reducing A&E Attendances", hours=D(250)),
    HoursLine(label="Frequent Fliers Management", hours=D(100)),
    HoursLine(label="Develop the Business Plan for 2007/8 and beyond", hours=D(50)),
)

# PBC Framework (003) per 100,000 population per week; session rate and weeks derived (see
# framework_level_funding): the document states neither, £300 over 50 weeks gives its figures.
FRAMEWORK_STAFF_HOURLY_RATE = D(30)
DERIVED_GP_SESSION_RATE = D(300)
DERIVED_WEEKS_PER_YEAR = D(50)


def level_funding(sessions, hours, **overrides):
    arguments = {
        "population": 150_000,
        "gp_sessions_per_100k_per_week": D(sessions),
        "staff_hours_per_100k_per_week": D(hours),
        "gp_session_rate": DERIVED_GP_SESSION_RATE,
        "staff_hourly_rate": FRAMEWORK_STAFF_HOURLY_RATE,
        "weeks_per_year": DERIVED_WEEKS_PER_YEAR,
    }
    arguments.update(overrides)
    return framework_level_funding(**arguments)


def split_parts(split) -> tuple[D, D, D]:
    return (split.returned_to_scheme, split.to_practices, split.to_pct)


def banes_split(amount):
    return freed_up_resources_split(
        amount=D(amount), scale=BANES_SCALE, practices_share_percent=BANES_PRACTICES_SHARE
    )


# --------------------------------------------------------------------------------------------
# Savings (DacCom 4.2 and 4.4)
# --------------------------------------------------------------------------------------------


def test_daccom_nine_targets_add_up_to_2_676_000():
    totals = savings_totals(projects=DACCOM_PROJECTS)

    assert totals.total == D(2_676_000)


def test_daccom_plan_total_displays_as_2_68m():
    totals = savings_totals(projects=DACCOM_PROJECTS)

    assert format_compact_money(totals.total) == "£2.68m"


def test_each_project_totals_its_targets():
    totals = savings_totals(projects=DACCOM_PROJECTS)

    assert [p.total for p in totals.projects] == [
        D(1_287_000),
        D(499_000),
        D(34_000),
        D(856_000),
        D(0),
    ]


def test_daccom_total_is_44_percent_of_total_identified_savings():
    totals = savings_totals(
        projects=DACCOM_PROJECTS, total_identified_savings=DACCOM_TOTAL_IDENTIFIED_SAVINGS
    )

    assert format_percentage(totals.share_percent) == "44%"


def test_total_identified_savings_displays_as_6_106m_to_the_thousand():
    assert format_compact_money(DACCOM_TOTAL_IDENTIFIED_SAVINGS, millions_places=3) == "£6.106m"


def test_share_is_none_without_total_identified_savings():
    assert savings_totals(projects=DACCOM_PROJECTS).share_percent is None


def test_negative_saving_is_refused():
    project = SavingsProject(title="P", targets=(SavingsTarget(key="1", title="T", amount=D(-1)),))

    with pytest.raises(FinanceInputError, match="cannot be negative") as refused:
        savings_totals(projects=[project])

    assert refused.value.field == "projects[0].targets[0].planned_saving"


def test_target_listed_twice_is_refused():
    target = SavingsTarget(key="1.1", title="T", amount=D(1))
    projects = [
        SavingsProject(title="A", targets=(target,)),
        SavingsProject(title="B", targets=(target,)),
    ]

    with pytest.raises(FinanceInputError, match="more than once"):
        savings_totals(projects=projects)


@pytest.mark.parametrize("identified", [D(0), D(-6_106_000)])
def test_total_identified_savings_of_zero_or_less_is_refused(identified):
    with pytest.raises(FinanceInputError) as refused:
        savings_totals(projects=DACCOM_PROJECTS, total_identified_savings=identified)

    assert refused.value.field == "total_identified_savings"


# --------------------------------------------------------------------------------------------
# DES funding split (DacCom 5.4) and incentive per patient (BANES part 2)
# --------------------------------------------------------------------------------------------


def daccom_des():
    return des_funding(
        population=150_000, rate_per_patient=D("1.90"), practices_share_percent=D(75)
    )


def test_des_funding_is_population_times_rate_285_000():
    funding = daccom_des()

    assert funding.total == D(285_000)
    assert format_money(funding.total) == "£285,000"
    assert format_compact_money(funding.total) == "£285k"


def test_des_funding_pays_75_percent_213_750_to_practices_shown_as_214k():
    funding = daccom_des()

    assert funding.to_practices == D(213_750)
    assert format_compact_money(funding.to_practices) == "£214k"


def test_des_funding_holds_25_percent_71_250_at_the_pct_shown_as_71k():
    funding = daccom_des()

    assert funding.held_by_pct == D(71_250)
    assert format_compact_money(funding.held_by_pct) == "£71k"


def test_aspiration_and_reward_payments_split_the_same_way_as_the_total():
    total = daccom_des()
    aspiration = split_payment(amount=D(142_500), practices_share_percent=D(75))
    reward = split_payment(amount=D(142_500), practices_share_percent=D(75))

    assert aspiration.to_practices + reward.to_practices == total.to_practices
    assert aspiration.held_by_pct + reward.held_by_pct == total.held_by_pct


def test_payment_split_parts_add_up_to_the_payment_exactly():
    split = split_payment(amount=D("1000.01"), practices_share_percent=D(75))

    assert split.to_practices + split.held_by_pct == D("1000.01")


def test_banes_incentive_is_95p_per_registered_patient():
    assert incentive_pot(registered_patients=12_000, rate_per_patient=D("0.95")) == D(11_400)


@pytest.mark.parametrize("population", [0, -150_000])
def test_zero_or_negative_population_is_refused(population):
    with pytest.raises(FinanceInputError, match="at least 1") as refused:
        des_funding(
            population=population, rate_per_patient=D("1.90"), practices_share_percent=D(75)
        )

    assert refused.value.field == "population"


def test_zero_registered_patients_is_refused_for_an_incentive():
    with pytest.raises(FinanceInputError):
        incentive_pot(registered_patients=0, rate_per_patient=D("0.95"))


def test_negative_rate_per_patient_is_refused():
    with pytest.raises(FinanceInputError, match="cannot be negative") as refused:
        incentive_pot(registered_patients=100, rate_per_patient=D("-0.95"))

    assert refused.value.field == "rate_per_patient"


def test_negative_payment_is_refused():
    with pytest.raises(FinanceInputError, match="cannot be negative"):
        split_payment(amount=D(-1), practices_share_percent=D(75))


@pytest.mark.parametrize("share", [D(-1), D("100.01")])
def test_share_outside_0_to_100_percent_is_refused(share):
    with pytest.raises(FinanceInputError, match="between 0% and 100%") as refused:
        split_payment(amount=D(285_000), practices_share_percent=share)

    assert refused.value.field == "practices_share_percent"


def test_float_is_a_programming_error_not_user_input():
    with pytest.raises(TypeError):
        split_payment(amount=285000.0, practices_share_percent=D(75))


def test_not_a_number_is_refused():
    with pytest.raises(FinanceInputError, match="Enter a number"):
        split_payment(amount=D("NaN"), practices_share_percent=D(75))


def test_finance_input_error_is_a_value_error():
    assert issubclass(FinanceInputError, ValueError)


# --------------------------------------------------------------------------------------------
# Outcome framework (BANES Appendix 1)
# --------------------------------------------------------------------------------------------


def test_banes_weightings_5_5_20_40_30_total_100():
    assert validate_outcome_weightings(areas=BANES_AREAS) == D(100)


@pytest.mark.parametrize(
    ("areas", "message"),
    [
        pytest.param(
            BANES_AREAS[:-1],  # 70%
            "add up to 70%; they must add up to exactly 100%",
            id="weightings_short_of_100_are_refused",
        ),
        pytest.param(
            (*BANES_AREAS, OutcomeArea(key="7", title="Extra", weighting=D(1))),
            "101%",
            id="weightings_over_100_are_refused",
        ),
        pytest.param(
            (
                OutcomeArea(key="1", title="A", weighting=D(110)),
                OutcomeArea(key="2", title="B", weighting=D(-10)),
            ),
            "between 0% and 100%",
            id="negative_weighting_is_refused",
        ),
        pytest.param(
            (outcome_area("1", "A", 100, ("1.1", 60), ("1.2", 30)),),
            "add up to 90%, but the area's weighting is 100%",
            id="area_whose_outcomes_do_not_add_up_to_its_weighting_is_refused",
        ),
        pytest.param(
            (outcome_area("1", "A", 100, ("1.1", 50), ("1.1", 50)),),
            "more than once",
            id="outcome_key_used_twice_is_refused",
        ),
    ],
)
def test_inconsistent_outcome_weightings_are_refused(areas, message):
    with pytest.raises(FinanceInputError, match=message):
        validate_outcome_weightings(areas=areas)


def test_practice_achieving_everything_is_paid_its_whole_pot():
    pot = incentive_pot(registered_patients=12_000, rate_per_patient=D("0.95"))
    achieved = (*BANES_CONSORTIUM_OUTCOMES, "6.1", "6.2", "6.3")

    paid = outcome_payment(incentive_pot=pot, areas=BANES_AREAS, achieved=achieved)

    assert paid.achieved_weighting == D(100)
    assert paid.payment == D(11_400)
    assert paid.withheld == D(0)


def test_practice_is_paid_for_consortium_outcomes_and_its_own_partial_area():
    pot = D(11_400)
    achieved = (*BANES_CONSORTIUM_OUTCOMES, "6.2")  # practice did 6.2 but not 6.3

    paid = outcome_payment(incentive_pot=pot, areas=BANES_AREAS, achieved=achieved)

    assert paid.achieved_weighting == D(85)
    assert paid.payment == D(9_690)
    assert paid.withheld == D(1_710)


def test_outcome_partly_achieved_area_earns_only_its_achieved_outcomes():
    paid = outcome_payment(incentive_pot=D(1_000), areas=BANES_AREAS, achieved=["4.1", "4.3"])

    assert paid.achieved_weighting == D(10)
    assert paid.payment == D(100)


def test_area_key_counts_the_whole_area_once():
    paid = outcome_payment(incentive_pot=D(1_000), areas=BANES_AREAS, achieved=["5", "5.1"])

    assert paid.achieved_weighting == D(40)


def test_unknown_outcome_is_refused():
    with pytest.raises(FinanceInputError, match=r"Unknown outcome: 3\.1"):
        outcome_payment(incentive_pot=D(1_000), areas=BANES_AREAS, achieved=["3.1"])


def test_payment_against_weightings_not_totalling_100_is_refused():
    with pytest.raises(FinanceInputError, match="exactly 100%"):
        outcome_payment(incentive_pot=D(1_000), areas=BANES_AREAS[:2], achieved=["1"])


def test_an_area_and_an_outcome_may_share_a_number_and_a_message_names_the_area_once():
    areas = (
        outcome_area("1", "A", 50, ("1", 20), ("2", 20)),
        outcome_area("2", "B", 50, ("3", 50)),
    )

    mismatches = outcome_weighting_mismatches(areas=areas)

    assert [error.message for error in mismatches] == [
        "The outcomes of area 1 add up to 40%, but the area's weighting is 50%."
    ]


def test_payment_refuses_an_area_and_an_outcome_sharing_a_number_as_achieved_would_be_unclear():
    areas = (outcome_area("1", "A", 100, ("1", 60), ("2", 40)),)

    with pytest.raises(FinanceInputError, match="Both an area and an outcome are numbered 1"):
        outcome_payment(incentive_pot=D(1_000), areas=areas, achieved=["1"])


def test_rows_not_filled_in_yet_count_for_nothing_and_messages_keep_the_rows_places():
    blank = OutcomeArea(key="2", title="", weighting=None)
    area = OutcomeArea(
        key="3",
        title="C",
        weighting=D(100),
        outcomes=(Outcome(key="3.1", weighting=None), Outcome(key="3.1", weighting=D(90))),
    )

    mismatches = outcome_weighting_mismatches(areas=(blank, area))

    assert [(error.field, error.message) for error in mismatches] == [
        (
            "areas[1].weighting_percent",
            "The outcomes of area 3 add up to 90%, but the area's weighting is 100%.",
        )
    ]


# --------------------------------------------------------------------------------------------
# Freed-up resources and the sliding scale (BANES Appendix 2)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("freed_up", "to_practices", "to_pct", "returned"),
    [
        (100_000, 70_000, 30_000, 0),
        (200_000, 140_000, 60_000, 0),
        (300_000, 196_000, 84_000, 20_000),
        (400_000, 245_000, 105_000, 50_000),
        (500_000, 294_000, 126_000, 80_000),
        (600_000, 350_000, 150_000, 100_000),
        (700_000, 385_000, 165_000, 150_000),
        (800_000, 420_000, 180_000, 200_000),
        (900_000, 455_000, 195_000, 250_000),
        (1_000_000, 490_000, 210_000, 300_000),
        (1_100_000, 525_000, 225_000, 350_000),
        (1_200_000, 560_000, 240_000, 400_000),
    ],
)
def test_banes_sliding_scale_row(freed_up, to_practices, to_pct, returned):
    split = banes_split(freed_up)

    assert split_parts(split) == (D(returned), D(to_practices), D(to_pct))


def test_between_rows_the_return_is_interpolated_linearly():
    assert scheme_return(amount=D(250_000), scale=BANES_SCALE) == D(10_000)
    assert scheme_return(amount=D(650_000), scale=BANES_SCALE) == D(125_000)


def test_between_rows_the_remainder_is_split_70_30():
    split = banes_split(250_000)

    assert split_parts(split) == (D(10_000), D(168_000), D(72_000))


def test_practices_never_get_less_for_freeing_up_more():
    just_below = banes_split(D("299999"))
    on_the_row = banes_split(300_000)

    assert just_below.to_practices < on_the_row.to_practices


def test_below_the_first_row_nothing_is_returned():
    split = banes_split(50_000)

    assert split_parts(split) == (D(0), D(35_000), D(15_000))


def test_below_the_first_row_the_return_slides_from_zero():
    scale = scale_of((100_000, 20_000))

    assert scheme_return(amount=D(50_000), scale=scale) == D(10_000)


def test_beyond_1_2m_the_return_stays_400k_and_the_rest_is_split_70_30():
    split = banes_split(1_500_000)

    assert split_parts(split) == (D(400_000), D(770_000), D(330_000))


def test_nothing_freed_up_splits_nothing():
    split = banes_split(0)

    assert split_parts(split) == (D(0), D(0), D(0))


def test_freed_up_parts_add_up_to_the_amount_exactly():
    split = banes_split(D("333333.33"))

    assert split.returned_to_scheme + split.to_practices + split.to_pct == D("333333.33")


def test_empty_scale_returns_nothing():
    split = freed_up_resources_split(
        amount=D(100_000), scale=(), practices_share_percent=BANES_PRACTICES_SHARE
    )

    assert split_parts(split) == (D(0), D(70_000), D(30_000))


def test_negative_freed_up_amount_is_refused():
    with pytest.raises(FinanceInputError, match="cannot be negative") as refused:
        banes_split(-1)

    assert refused.value.field == "amount"


def test_unsorted_scale_is_refused():
    scale = (BANES_SCALE[1], BANES_SCALE[0], *BANES_SCALE[2:])

    with pytest.raises(FinanceInputError, match="increasing order") as refused:
        validate_sliding_scale(scale=scale)

    assert refused.value.field == "scale[1].freed_up"


@pytest.mark.parametrize(
    ("scale", "message"),
    [
        pytest.param(
            (BANES_SCALE[0], BANES_SCALE[0]),
            "increasing order",
            id="scale_with_a_repeated_freed_up_amount_is_refused",
        ),
        pytest.param(
            scale_of((100_000, 20_000), (200_000, 10_000)),
            "smaller than the return on the row before",
            id="scale_with_a_falling_return_is_refused",
        ),
        pytest.param(
            scale_of((100_000, 100_001)),
            "cannot be more than the resources freed up",
            id="scale_returning_more_than_was_freed_up_is_refused",
        ),
        pytest.param(
            scale_of((100_000, 0), (200_000, 150_000)),
            "cannot rise by more",
            id="scale_whose_return_rises_faster_than_the_amount_is_refused",
        ),
        pytest.param(
            scale_of((-100_000, 0)),
            "cannot be negative",
            id="negative_scale_amount_is_refused",
        ),
    ],
)
def test_inconsistent_sliding_scale_is_refused(scale, message):
    with pytest.raises(FinanceInputError, match=message):
        validate_sliding_scale(scale=scale)


@pytest.mark.parametrize(
    ("share", "bounds", "message"),
    [
        pytest.param(
            70,
            {"minimum_practices_share_percent": D(80), "maximum_practices_share_percent": D(60)},
            r"minimum share .* cannot be above the maximum",
            id="share_bounds_with_minimum_above_maximum_are_refused",
        ),
        pytest.param(
            60,
            {"minimum_practices_share_percent": D(70)},
            "below the minimum of 70%",
            id="share_below_the_guidance_minimum_of_70_percent_is_refused",
        ),
        pytest.param(
            95,
            {"maximum_practices_share_percent": D(90)},
            "above the maximum of 90%",
            id="share_above_the_maximum_is_refused",
        ),
    ],
)
def test_practices_share_outside_its_bounds_is_refused(share, bounds, message):
    with pytest.raises(FinanceInputError, match=message):
        freed_up_resources_split(
            amount=D(300_000), scale=BANES_SCALE, practices_share_percent=D(share), **bounds
        )


def test_share_within_bounds_is_accepted():
    split = freed_up_resources_split(
        amount=D(300_000),
        scale=BANES_SCALE,
        practices_share_percent=D(70),
        minimum_practices_share_percent=D(70),
        maximum_practices_share_percent=D(100),
    )

    assert split.to_practices == D(196_000)


# --------------------------------------------------------------------------------------------
# Hours allocation (DacCom 6.1)
# --------------------------------------------------------------------------------------------


def test_meetings_line_is_16_meetings_x_1_25_hours_x_10_attendees_200_hours():
    assert line_hours(line=DACCOM_HOURS[0]) == D(200)


def test_daccom_hours_total_1000_all_of_the_funded_hours():
    allocation = allocate_hours(lines=DACCOM_HOURS, funded_hours=D(1_000))

    assert [line.hours for line in allocation.lines] == [
        D(200),
        D(400),
        D(250),
        D(100),
        D(50),
    ]
    assert allocation.total == D(1_000)
    assert allocation.unallocated == D(0)
    assert not allocation.over_allocated


def test_hours_beyond_the_funded_hours_are_over_allocated():
    allocation = allocate_hours(lines=DACCOM_HOURS, funded_hours=D(900))

    assert allocation.unallocated == D(-100)
    assert allocation.over_allocated


def test_allocation_without_funded_hours_has_no_unallocated_figure():
    allocation = allocate_hours(lines=DACCOM_HOURS)

    assert allocation.unallocated is None
    assert not allocation.over_allocated


def test_negative_fixed_hours_are_refused():
    with pytest.raises(FinanceInputError, match="cannot be negative") as refused:
        allocate_hours(lines=[HoursLine(label="X", hours=D(-1))])

    assert refused.value.field == "lines[0].hours"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        pytest.param(
            HoursLine(label="X", meetings=16, hours_each=D("-1.25"), attendees=10),
            "cannot be negative",
            id="negative_hours_each_are_refused",
        ),
        pytest.param(
            HoursLine(label="X", meetings=16, hours_each=D("1.25"), attendees=-10),
            "cannot be negative",
            id="negative_attendees_are_refused",
        ),
        pytest.param(
            HoursLine(label="X", hours=D(10), meetings=1, hours_each=D(1), attendees=1),
            "not both",
            id="line_with_both_fixed_hours_and_meetings_is_refused",
        ),
        pytest.param(
            HoursLine(label="X", meetings=16, hours_each=D("1.25")),
            "all of the meetings",
            id="line_with_meetings_but_no_attendees_is_refused",
        ),
    ],
)
def test_inconsistent_hours_line_is_refused(line, message):
    with pytest.raises(FinanceInputError, match=message):
        line_hours(line=line)


def test_negative_funded_hours_are_refused():
    with pytest.raises(FinanceInputError, match="cannot be negative"):
        allocate_hours(lines=DACCOM_HOURS, funded_hours=D(-1))


# --------------------------------------------------------------------------------------------
# Funding by framework level (003)
# --------------------------------------------------------------------------------------------


def test_level_2_funds_3_sessions_and_10_hours_per_100k_about_90k_for_150_000():
    funding = level_funding(3, 10)

    assert funding.gp_sessions_per_week == D("4.5")
    assert funding.staff_hours_per_week == D(15)
    assert funding.total == D(90_000)
    assert format_compact_money(funding.total) == "£90k"


def test_level_3_funds_6_sessions_and_20_hours_per_100k_about_180k_for_150_000():
    funding = level_funding(6, 20)

    assert funding.total == D(180_000)
    assert format_compact_money(funding.total) == "£180k"


def test_level_funding_costs_staff_hours_at_30_pounds():
    funding = level_funding(3, 10)

    assert funding.staff_hours_cost == D(22_500)  # 15 h x £30 x 50 weeks
    assert funding.gp_sessions_cost == D(67_500)  # 4.5 sessions x £300 x 50 weeks


def test_level_1_without_sessions_or_hours_funds_nothing():
    assert level_funding(0, 0).total == D(0)


@pytest.mark.parametrize("weeks", [D(0), D(-1), D(54)])
def test_weeks_per_year_outside_1_to_53_are_refused(weeks):
    with pytest.raises(FinanceInputError, match="weeks") as refused:
        level_funding(3, 10, weeks_per_year=weeks)

    assert refused.value.field == "weeks_per_year"


def test_zero_population_is_refused_for_level_funding():
    with pytest.raises(FinanceInputError, match="population"):
        level_funding(3, 10, population=0)


def test_negative_session_rate_is_refused():
    with pytest.raises(FinanceInputError, match="cannot be negative"):
        level_funding(3, 10, gp_session_rate=D(-300))


def test_negative_staff_hours_are_refused():
    with pytest.raises(FinanceInputError, match="cannot be negative"):
        level_funding(3, -10)


# --------------------------------------------------------------------------------------------
# Self-assessment summary
# --------------------------------------------------------------------------------------------

LEVELS = {"1.1.1": 1, "1.1.2": 1, "2.1.1": 2, "2.1.2": 2, "2.1.3": 2}


def test_summary_counts_ratings_per_level_and_in_all():
    summary = summarise_self_assessment(
        target_levels=LEVELS,
        ratings={
            "1.1.1": "Low",
            "1.1.2": "OK",
            "2.1.1": "Low",
            "2.1.2": "Critical",
            "2.1.3": "Low",
        },
    )

    assert summary.level(1).counts == (
        ("OK", 1),
        ("Low", 1),
        ("Med", 0),
        ("High", 0),
        ("Critical", 0),
    )
    assert summary.level(2).count("Low") == 2
    assert summary.count("Low") == 3
    assert summary.total == 5


def test_summary_counts_missing_ratings_as_unrated():
    summary = summarise_self_assessment(
        target_levels=LEVELS, ratings={"1.1.1": "Low", "2.1.1": None}
    )

    assert summary.level(1).unrated == 1
    assert summary.level(2).unrated == 3
    assert summary.rated == 1
    assert summary.total == 5


def test_rating_not_on_the_scale_is_refused():
    with pytest.raises(FinanceInputError, match="'Medium' is not a rating") as refused:
        summarise_self_assessment(target_levels=LEVELS, ratings={"1.1.1": "Medium"})

    assert refused.value.field == "ratings.1.1.1"


def test_rating_for_a_target_not_in_the_framework_is_refused():
    with pytest.raises(FinanceInputError, match=r"Not a target of the framework: 9\.9\.9"):
        summarise_self_assessment(target_levels=LEVELS, ratings={"9.9.9": "Low"})


def test_other_rating_scales_can_be_used():
    summary = summarise_self_assessment(
        target_levels=LEVELS, ratings={"1.1.1": "Red"}, rating_scale=("Green", "Amber", "Red")
    )

    assert summary.count("Red") == 1


# --------------------------------------------------------------------------------------------
# Rounding and display
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "kwargs", "shown"),
    [
        (D(2_676_000), {}, "£2.68m"),
        (D(6_106_000), {"millions_places": 3}, "£6.106m"),
        (D(285_000), {}, "£285k"),
        (D(213_750), {}, "£214k"),
        (D(71_250), {}, "£71k"),
        (D(2_000_000), {}, "£2m"),
        (D(999_600), {}, "£1m"),
        (D(950), {}, "£950"),
        (D(-71_250), {}, "-£71k"),
    ],
)
def test_compact_money(amount, kwargs, shown):
    assert format_compact_money(amount, **kwargs) == shown


@pytest.mark.parametrize(
    ("amount", "kwargs", "shown"),
    [
        (D(285_000), {}, "£285,000"),
        (D("213750.00"), {}, "£213,750"),
        (D("0.95"), {}, "£0.95"),
        (D("1234.5"), {}, "£1,234.50"),
        (D("1234.5"), {"pence": False}, "£1,235"),
        (D(10), {"pence": True}, "£10.00"),
        (D(0), {}, "£0"),
    ],
)
def test_full_money(amount, kwargs, shown):
    assert format_money(amount, **kwargs) == shown


def test_percentage_of_and_its_display():
    share = percentage_of(part=D(2_676_000), whole=D(6_106_000))

    assert D("43.8") < share < D("43.9")
    assert format_percentage(share) == "44%"
    assert format_percentage(share, places=1) == "43.8%"


def test_rounding_is_half_up():
    assert round_pounds(D("0.5")) == D(1)
    assert round_pounds(D("2.5")) == D(3)
    assert round_money(D("0.125"), places=2) == D("0.13")


# --------------------------------------------------------------------------------------------
# The module itself
# --------------------------------------------------------------------------------------------


def test_finance_module_has_no_floats_and_no_django():
    import plans.finance

    tree = ast.parse(Path(plans.finance.__file__).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        assert not (isinstance(node, ast.Constant) and isinstance(node.value, float))
        assert not (isinstance(node, ast.Name) and node.id == "float")
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [alias.name for alias in node.names] + [getattr(node, "module", "") or ""]
            assert not any(name.startswith("django") for name in names)
