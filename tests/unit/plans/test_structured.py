"""Every figure of the seeds README, reproduced from the demo files through the structured
kinds' own clean() and present(), and the bad input each kind refuses on its field."""

import pytest
from django.http import QueryDict

from plans.demo import read_demo_plan
from plans.errors import AnswerInvalid, refusals_of
from plans.kinds.base import KindContext
from plans.kinds.rows import all_fields
from plans.structured import KINDS

DACCOM = read_demo_plan("daccom-2006-07.yaml")["structured"]
DRAFT = read_demo_plan("daccom-2006-draft.yaml")["structured"]
BANES = read_demo_plan("banes-2007-08.yaml")["structured"]
ASSESSMENT = read_demo_plan("daccom-self-assessment.yaml")


def plan(period="2006/07", population=150000, pct="dacorum-pct", **siblings):
    """A plan as the kinds see it, with its other answers' figures already read."""
    return KindContext(
        period=period, declared_population=population, commissioner=pct, siblings=siblings
    )


def daccom_plan():
    return plan(
        projects=DACCOM["services-to-be-commissioned"],
        savings_target=DACCOM["financial-targets"],
        milestones=DACCOM["contract-monitoring"],
    )


def figures(kind, data, on=None):
    on = on or daccom_plan()
    return KINDS[kind].present(KINDS[kind].clean(data, context=on), context=on)


def refusal(kind, data, on=None) -> AnswerInvalid:
    with pytest.raises(AnswerInvalid) as refused:
        KINDS[kind].clean(data, context=on or daccom_plan())
    return refused.value


# ---- DacCom 4.2 / 4.4 -------------------------------------------------------------------


def test_daccom_targets_total_2_68m_which_is_44_percent_of_6_106m():
    shown = figures("projects", DACCOM["services-to-be-commissioned"])

    amounts = [t["amount"] for p in shown["projects"] for t in p["targets"]]
    assert amounts == [
        "£153,000", "£335,000", "£68,000", "£625,000", "£91,000", "£15,000",
        "£499,000", "£34,000", "£856,000",
    ]  # fmt: skip
    assert [p["total_display"] for p in shown["projects"]] == [
        "£1,287,000", "£499,000", "£34,000", "£856,000", "£0",
    ]  # fmt: skip
    assert shown["total_display"] == "£2,676,000"
    assert shown["summary"] == "£2.68m (44%) of £6.106m"
    assert shown["target_count"] == 9


def test_4_4_shows_the_share_computed_from_the_4_2_targets():
    shown = figures("savings_target", DACCOM["financial-targets"])

    assert shown["identified_compact"] == "£6.106m"
    assert shown["summary"] == "£2.68m (44%) of £6.106m"


def test_a_target_added_on_4_2_moves_the_share_on_4_4():
    projects = KINDS["projects"].clean(DACCOM["services-to-be-commissioned"])
    projects["projects"][1]["targets"].append(
        {"code": "2.2", "title": "Minor injuries", "planned_saving": "1000000"}
    )
    on = plan(projects=projects, savings_target=DACCOM["financial-targets"])

    assert figures("savings_target", DACCOM["financial-targets"], on)["summary"] == (
        "£3.68m (60%) of £6.106m"
    )


def test_a_negative_saving_is_refused_on_its_field():
    data = KINDS["projects"].clean(DACCOM["services-to-be-commissioned"])
    data["projects"][0]["targets"][2]["planned_saving"] = "-68000"

    refused = refusal("projects", data)

    assert (refused.field, refused.message) == (
        "projects[0].targets[2].planned_saving",
        "The planned saving cannot be negative.",
    )
    shown = KINDS["projects"].present(data, context=daccom_plan())
    field = shown["projects"][0]["targets"][2]["fields"]["planned_saving"]
    assert (field.value, field.error) == ("-68000", "The planned saving cannot be negative.")
    assert shown["computed"] is False


def test_a_target_listed_twice_and_a_zero_total_identified_savings_are_refused():
    data = KINDS["projects"].clean(DACCOM["services-to-be-commissioned"])
    data["projects"][1]["targets"][0]["code"] = "1.1"
    assert refusal("projects", data).field == "projects[1].targets[0].code"
    zero = refusal("savings_target", {"total_identified_savings": "0"})
    assert zero.field == "total_identified_savings"


def test_projects_from_post_adds_and_removes_targets_and_drops_empty_rows_on_save():
    prefix = "q-x"
    post = QueryDict(mutable=True)
    post.update({f"{prefix}-projects": "1", f"{prefix}-projects[0].title": "Outpatients",
                 f"{prefix}-projects[0].leads": "Dr A, Dr B",
                 f"{prefix}-projects[0].targets": "2",
                 f"{prefix}-projects[0].targets[0].code": "1.1",
                 f"{prefix}-projects[0].targets[0].planned_saving": "£153,000",
                 f"{prefix}-projects[0].targets[1].code": "",
                 f"{prefix}-projects[0].targets[1].planned_saving": ""})  # fmt: skip
    kind = KINDS["projects"]

    saved, action = kind.value_from_post(post, prefix=prefix, current={})
    assert action == ""
    assert saved["projects"][0]["leads"] == ["Dr A", "Dr B"]
    assert len(saved["projects"][0]["targets"]) == 1
    assert kind.clean(saved)["projects"][0]["targets"][0]["planned_saving"] == "153000"

    post["row-action"] = "add-target-0"
    added, action = kind.value_from_post(post, prefix=prefix, current={})
    assert action == "add-target-0"
    assert len(added["projects"][0]["targets"]) == 3
    kind.clean(added)  # a row just added may be empty

    post["row-action"] = "remove-target-0-0"
    removed, _ = kind.value_from_post(post, prefix=prefix, current={})
    assert [t["code"] for t in removed["projects"][0]["targets"]] == [""]


def test_a_post_without_the_figures_keeps_the_saved_ones():
    current = {"projects": [{"title": "Kept"}]}
    assert KINDS["projects"].value_from_post(QueryDict(), prefix="q-x", current=current) == (
        current,
        "",
    )


# ---- DacCom 5.4 DES funding ------------------------------------------------------------------


def test_daccom_des_funding_is_285k_split_214k_to_practices_and_71k_held_by_the_pct():
    shown = figures("des_funding", DACCOM["resource-identification"])

    assert (shown["total_compact"], shown["practices_compact"], shown["pct_compact"]) == (
        "£285k",
        "£214k",
        "£71k",
    )
    assert (shown["total_display"], shown["practices_display"], shown["pct_display"]) == (
        "£285,000",
        "£213,750",
        "£71,250",
    )
    assert (shown["practices_share"], shown["pct_share"]) == ("75%", "25%")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"population": "0"}, "population", "The population must be at least 1."),
        ({"population": "-5"}, "population", "The population cannot be negative."),
        ({"practices_share_percent": "120"}, "practices_share_percent", "between 0% and 100%"),
        ({"rate_per_patient": "abc"}, "rate_per_patient", "must be a number"),
    ],
)
def test_bad_des_figures_are_refused_on_their_field(change, field, message):
    refused = refusal("des_funding", {**DACCOM["resource-identification"], **change})
    assert refused.field == field
    assert message in refused.message


# ---- DacCom 6.1 hours ----------------------------------------------------------------------


def test_daccom_hours_are_200_400_250_100_50_making_1000_of_1000_funded():
    shown = figures("hours", DACCOM["capacity-planning"])

    assert [line["hours"] for line in shown["lines"]] == ["200", "400", "250", "100", "50"]
    assert (
        shown["lines"][0]["working"]
        == "16 meetings \N{MULTIPLICATION SIGN} 1.25 hours \N{MULTIPLICATION SIGN} 10 attendees"
    )
    assert (shown["total_display"], shown["funded_display"]) == ("1,000", "1,000")
    assert shown["unallocated_display"] == "0" and not shown["over_allocated"]


def test_hours_typed_finer_than_a_hundredth_are_shown_as_typed_not_rounded():
    data = {
        "funded_hours": "20.125",
        "lines": [
            {"activity": "Clinics", "hours": "12.345"},
            {"activity": "Meetings", "meetings": "3", "hours_each": "0.333", "attendees": "2"},
        ],
    }

    shown = figures("hours", data)

    assert [line["hours"] for line in shown["lines"]] == ["12.345", "1.998"]
    assert "0.333 hours" in shown["lines"][1]["working"]
    assert (shown["total_display"], shown["funded_display"]) == ("14.343", "20.125")
    assert shown["unallocated_display"] == "5.782"


def test_negative_hours_and_half_given_meetings_are_refused_on_the_field():
    data = {"funded_hours": "1000", "lines": [{"activity": "Meetings", "hours": "-4"}]}
    assert refusal("hours", data).field == "lines[0].hours"
    data = {"lines": [{"activity": "Meetings", "meetings": "4", "hours_each": "1"}]}
    assert refusal("hours", data).field == "lines[0]"
    data = {"lines": [{"activity": "A", "meetings": "4", "hours_each": "-1", "attendees": "2"}]}
    assert refusal("hours", data).field == "lines[0].hours_each"


# ---- Milestones and success criteria ----------------------------------------------------------


def test_a_milestone_date_outside_the_plan_year_is_refused():
    data = {"milestones": [{"item": "Referral system", "due": {"day": "1", "month": "4",
                                                                 "year": "2007"}}]}  # fmt: skip
    refused = refusal("milestones", data)
    assert refused.field == "milestones[0].due"
    assert "1 April 2006 to 31 March 2007" in refused.message
    inside = KINDS["milestones"].clean(
        {"milestones": [{"item": "x", "due": {"day": "31", "month": "3", "year": "2007"}}]},
        context=daccom_plan(),
    )
    assert inside["milestones"][0]["due"] == "2007-03-31"
    assert inside["milestones"][0]["key"] == "m1"


def test_success_criteria_show_the_milestones_that_evidence_them():
    shown = figures("success_criteria", DACCOM["measuring-quality-of-care"])

    assert [c["value"]["letter"] for c in shown["criteria"]] == ["a", "b", "c", "d"]
    assert shown["criteria"][3]["linked"][0]["item"] == (
        "An agreed business plan is in place for 2007/8 and beyond."
    )
    unknown = {"criteria": [{"letter": "e", "text": "x", "milestones": ["m9"]}]}
    assert refusal("success_criteria", unknown).field == "criteria[0].milestones"


# ---- Business cases ----------------------------------------------------------------------------


def test_daccom_draft_has_three_business_cases_of_ten_questions():
    shown = figures("business_cases", DRAFT["business-cases"])

    assert len(shown["cases"]) == 3
    assert all(len(case["questions"]) == 10 for case in shown["cases"])
    assert shown["cases"][0]["value"]["project"] == "Reducing A&E attendances"


def test_minimum_patients_above_the_maximum_is_refused_on_the_minimum():
    case = {"project": "Outpatients", "patients_min": "500", "patients_max": "200"}
    refused = refusal("business_cases", {"cases": [case]})
    assert refused.field == "cases[0].patients_min"
    assert refused.message == "The minimum (500) cannot be more than the maximum (200)."
    ok = figures("business_cases", {"cases": [{**case, "patients_min": "100"}]})
    assert ok["cases"][0]["patients"] == "100 to 200 patients"


# ---- BANES --------------------------------------------------------------------------------------


def test_banes_weightings_are_5_5_20_40_30_totalling_100():
    shown = figures("outcome_framework", BANES["incentive-outcome-framework"])

    assert shown["sum_display"] == "5% + 5% + 20% + 40% + 30%"
    assert shown["total_display"] == "100%"
    assert shown["rate_display"] == "95p"


def test_weightings_not_totalling_100_are_kept_with_a_warning_on_the_total():
    kind = KINDS["outcome_framework"]
    data = kind.clean(BANES["incentive-outcome-framework"])
    data["areas"][4]["weighting_percent"] = "35"
    data["areas"][4]["outcomes"][2]["weighting_percent"] = "20"

    kept = kind.clean(data)
    (warning,) = kind.warnings(kept, context=KindContext())

    assert kept["areas"][4]["weighting_percent"] == "35"
    assert warning.field == "areas"
    assert warning.message == "The weightings add up to 105%; they must add up to exactly 100%."
    data["areas"][4]["outcomes"][2]["weighting_percent"] = "15"
    fields = [w.field for w in kind.warnings(kind.clean(data), context=KindContext())]
    assert fields == ["areas[4].weighting_percent", "areas"]
    as_printed = kind.clean(BANES["incentive-outcome-framework"])
    assert kind.warnings(as_printed, context=KindContext()) == []


def test_every_weighting_that_cannot_be_read_is_refused_at_once_each_on_its_input():
    kind = KINDS["outcome_framework"]
    data = kind.clean(BANES["incentive-outcome-framework"])
    data["areas"][0]["outcomes"][0]["weighting_percent"] = "1e3"
    data["areas"][0]["outcomes"][1]["weighting_percent"] = "-5"
    data["areas"][2]["weighting_percent"] = "abc"

    with pytest.raises(AnswerInvalid) as refused:
        kind.clean(data)

    not_a_number = "A weighting must be a number, like 1500 or 1.25."
    assert [(r.field, r.message) for r in refusals_of(refused.value)] == [
        ("areas[0].outcomes[0].weighting_percent", not_a_number),
        ("areas[0].outcomes[1].weighting_percent", "A weighting cannot be negative."),
        ("areas[2].weighting_percent", not_a_number),
    ]
    screen = kind.present(data, context=KindContext())
    errors = [f.name for area in screen["areas"] for f in all_fields([area]) if f.error]
    assert len(errors) == 3 and screen["error"] == ""


def test_banes_freed_up_scale_reproduces_every_row_of_the_table():
    shown = figures("freed_up_resources", BANES["freed-up-resources-scale"])

    rows = [(r["split"]["freed_up"], r["split"]["practices"], r["split"]["pct"],
             r["split"]["returned"]) for r in shown["rows"]]  # fmt: skip
    assert rows == [
        ("£100,000", "£70,000", "£30,000", "£0"),
        ("£200,000", "£140,000", "£60,000", "£0"),
        ("£300,000", "£196,000", "£84,000", "£20,000"),
        ("£400,000", "£245,000", "£105,000", "£50,000"),
        ("£500,000", "£294,000", "£126,000", "£80,000"),
        ("£600,000", "£350,000", "£150,000", "£100,000"),
        ("£700,000", "£385,000", "£165,000", "£150,000"),
        ("£800,000", "£420,000", "£180,000", "£200,000"),
        ("£900,000", "£455,000", "£195,000", "£250,000"),
        ("£1,000,000", "£490,000", "£210,000", "£300,000"),
        ("£1,100,000", "£525,000", "£225,000", "£350,000"),
        ("£1,200,000", "£560,000", "£240,000", "£400,000"),
    ]
    between, beyond = shown["examples"]
    # Between rows: on the straight line (£250k returns £10k); beyond £1.2m: 70/30.
    assert (between["freed_up"], between["returned"]) == ("£250,000", "£10,000")
    assert (beyond["freed_up"], beyond["returned"], beyond["practices"], beyond["pct"]) == (
        "£1,300,000",
        "£400,000",
        "£630,000",
        "£270,000",
    )


def test_a_scale_out_of_order_is_refused_on_the_row():
    data = {"practices_share_percent": "70",
            "scale": [{"freed_up": "200000", "returned_to_scheme": "0"},
                      {"freed_up": "100000", "returned_to_scheme": "0"}]}  # fmt: skip
    assert refusal("freed_up_resources", data).field == "scale[1].freed_up"


# ---- Self-assessment ------------------------------------------------------------------------


def test_daccom_self_assessment_counts_each_level_under_its_own_number():
    data = {"framework": ASSESSMENT["framework"], "ratings": ASSESSMENT["ratings"],
            "funding_comments": ASSESSMENT["funding_comments"]}  # fmt: skip
    shown = figures("self_assessment", data)

    counts = {lv["number"]: (lv["title"], lv["counts"].total, dict(lv["counts"].counts))
              for lv in shown["levels"]}  # fmt: skip
    assert counts[1] == ("Level 1", 14, {"OK": 1, "Low": 8, "Med": 5, "High": 0, "Critical": 0})
    assert counts[2] == ("Level 2", 19, {"OK": 1, "Low": 5, "Med": 9, "High": 3, "Critical": 1})
    assert counts[3] == ("Level 3", 23, {"OK": 1, "Low": 5, "Med": 10, "High": 5, "Critical": 2})
    assert shown["summary"].total == 56
    funding = {lv["number"]: lv["funding"] and lv["funding"]["total_compact"]
               for lv in shown["levels"]}  # fmt: skip
    assert funding == {1: None, 2: "£90k", 3: "£180k"}


def test_a_rating_off_the_scale_is_refused_on_its_target():
    data = {"framework": "dacorum-pbc-framework", "ratings": {"2.1.1": {"rating": "Medium"}}}
    assert refusal("self_assessment", data).field == "ratings.2.1.1.rating"
    with pytest.raises(AnswerInvalid):
        KINDS["self_assessment"].clean(
            {"framework": "dacorum-pbc-framework", "ratings": {"9.9.9": {"rating": "OK"}}}
        )


# ---- Long text (issue 15, defect 6) -----------------------------------------------------------


def test_a_business_case_text_over_the_limit_is_refused_on_its_field_not_cut():
    long_text = "<p>" + "x" * 20_500 + "</p>"
    case = {"project": "Outpatients", "outline": long_text}

    refused = refusal("business_cases", {"cases": [case]})

    assert refused.field == "cases[0].outline"
    assert "20,000" in refused.message
    shown = KINDS["business_cases"].present({"cases": [case]}, context=daccom_plan())
    assert shown["cases"][0]["fields"]["outline"].error == refused.message


def test_text_just_within_the_limit_is_kept_whole():
    words = "y" * 19_990
    cleaned = KINDS["business_cases"].clean({"cases": [{"project": "P", "outline": words}]})
    assert cleaned["cases"][0]["outline"] == words


def test_a_long_target_title_is_refused_on_its_field():
    data = {"projects": [{"title": "P", "targets": [
        {"code": "1.1", "title": "t" * 20_001, "planned_saving": "5"}]}]}  # fmt: skip
    assert refusal("projects", data).field == "projects[0].targets[0].title"


# ---- Settings from the template (issue 13.3, docs/decisions/0400-0402) -----------------------


def test_a_form_whose_milestones_run_beyond_the_year_sets_the_window_to_any():
    data = {"milestones": [{"item": "New clinic", "due": {"day": "1", "month": "9",
                                                          "year": "2009"}}]}  # fmt: skip
    anywhere = KINDS["milestones"].configured({"window": "any"})

    kept = anywhere.clean(data, context=daccom_plan())

    assert kept["milestones"][0]["due"] == "2009-09-01"
    assert refusal("milestones", data).field == "milestones[0].due"


def test_the_business_case_questions_are_the_templates_with_the_patients_after_the_last():
    own = KINDS["business_cases"].configured(
        {"questions": [{"key": "need", "label": "Local need"}, {"key": "cost", "label": "Cost"}]}
    )
    case = {"project": "Falls service", "need": "<p>Many falls.</p>", "patients_min": "40"}

    shown = own.present(own.clean({"cases": [case]}), context=daccom_plan())

    questions = shown["cases"][0]["questions"]
    assert [(q["number"], q["label"], q["patients"]) for q in questions] == [
        (1, "Local need", False),
        (2, "Cost", True),
    ]
    assert shown["cases"][0]["patients"] == "At least 40 patients"
    assert "outline" not in shown["cases"][0]["fields"]


def test_the_incentive_rate_a_template_sets_is_used_and_not_asked_for():
    fixed = KINDS["outcome_framework"].configured({"rate_per_patient": "0.95"})
    framework = {key: value for key, value in BANES["incentive-outcome-framework"].items()}
    del framework["rate_per_patient"]

    cleaned = fixed.clean(framework, context=daccom_plan())
    shown = fixed.present(cleaned, context=daccom_plan())

    assert cleaned["rate_per_patient"] == "0.95"
    assert shown["rate_field"] is None
    assert shown["rate_display"] == "95p"
    assert shown["pot_display"] == "£142,500"


@pytest.mark.parametrize(("rate", "boxed"), [("0.955", "0.955"), ("1.9", "1.90")])
def test_an_incentive_rate_typed_finer_than_a_penny_comes_back_whole_never_rounded(rate, boxed):
    framework = {**BANES["incentive-outcome-framework"], "rate_per_patient": rate}

    cleaned = KINDS["outcome_framework"].clean(framework, context=daccom_plan())
    (field,) = KINDS["outcome_framework"].scalar_fields(cleaned)

    assert (cleaned["rate_per_patient"], field.value) == (rate, boxed)


def test_a_calculators_labels_are_the_templates_and_the_defaults_name_no_one():
    own = KINDS["hours"].configured({"labels": {"funded": "Sessions the allowance buys"}})

    (funded,) = own.scalar_fields({})
    (default,) = KINDS["hours"].scalar_fields({})

    assert funded.label == "Sessions the allowance buys"
    assert "DacCom" not in default.hint
    assert "DES" not in " ".join(KINDS["des_funding"].labels().values())


def test_a_template_may_pay_a_gp_session_with_thousands_separated():
    data = {"framework": "dacorum-pbc-framework", "ratings": {}}
    own = KINDS["self_assessment"].configured({"gp_session_rate": "1,000"})

    shown = own.present(own.clean(data, context=daccom_plan()), context=daccom_plan())
    level_2 = next(level for level in shown["levels"] if level["number"] == 2)["funding"]

    assert level_2["session_rate"] == "£1,000"


def test_a_template_may_fund_the_framework_levels_over_its_own_weeks():
    data = {"framework": "dacorum-pbc-framework", "ratings": {}}
    own = KINDS["self_assessment"].configured({"weeks_per_year": "52"})

    shown = own.present(own.clean(data, context=daccom_plan()), context=daccom_plan())
    default = figures("self_assessment", data)

    def level_2(screen):
        return next(level for level in screen["levels"] if level["number"] == 2)["funding"]

    assert level_2(default)["total_display"] == "£90,000"
    assert (level_2(shown)["total_display"], level_2(shown)["weeks"]) == ("£93,600", "52")
