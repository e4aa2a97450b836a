"""Each kind's figures are domain values (Decimal, date, int, stored text), never display
strings, and reproduce every figure of the seeds README from the demo files."""

from datetime import date
from decimal import Decimal

from plans.demo import read_demo_plan
from plans.kinds.base import KindContext
from plans.structured import EVERY_KIND, KINDS

DACCOM = read_demo_plan("daccom-2006-07.yaml")["structured"]
DRAFT = read_demo_plan("daccom-2006-draft.yaml")["structured"]
BANES = read_demo_plan("banes-2007-08.yaml")["structured"]
ASSESSMENT = read_demo_plan("daccom-self-assessment.yaml")


def context(population=150000, **siblings):
    return KindContext(
        period="2006/07", declared_population=population, commissioner="dacorum-pct",
        siblings=siblings,
    )  # fmt: skip


DACCOM_CONTEXT = context(
    projects=KINDS["projects"].clean(DACCOM["services-to-be-commissioned"]),
    savings_target=KINDS["savings_target"].clean(DACCOM["financial-targets"]),
    milestones=KINDS["milestones"].clean(DACCOM["contract-monitoring"], context=context()),
)


def figures_of(kind, data, on=DACCOM_CONTEXT):
    return KINDS[kind].figures(KINDS[kind].clean(data, context=on), context=on)


def leaves(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from leaves(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from leaves(item)
    else:
        yield value


def test_every_question_kind_has_figures():
    kinds = {"rich_text", "table", "signoff", *KINDS}
    assert set(EVERY_KIND) == kinds
    assert EVERY_KIND["rich_text"].figures("<p>Text</p>", context=KindContext()) == {}
    table = EVERY_KIND["table"].figures([{"name": "A"}], context=KindContext())
    assert table == {"row_count": 1, "totals": {}}


def test_daccom_savings_are_decimals_totalling_2676000_and_44_percent_of_6106000():
    shown = figures_of("projects", DACCOM["services-to-be-commissioned"])

    savings = [t["planned_saving"] for p in shown["projects"] for t in p["targets"]]
    assert savings == [Decimal(n) for n in ("153000", "335000", "68000", "625000", "91000",
                                            "15000", "499000", "34000", "856000")]  # fmt: skip
    assert [p["total"] for p in shown["projects"]] == [
        Decimal("1287000"), Decimal("499000"), Decimal("34000"), Decimal("856000"), Decimal(0),
    ]  # fmt: skip
    assert shown["total"] == Decimal("2676000")
    assert shown["total_identified_savings"] == Decimal("6106000")
    assert round(shown["share_percent"], 2) == Decimal("43.83")
    assert shown["target_count"] == 9


def test_4_4_figures_take_the_total_from_4_2():
    shown = figures_of("savings_target", DACCOM["financial-targets"])

    assert shown["total"] == Decimal("2676000")
    assert shown["total_identified_savings"] == Decimal("6106000")


def test_daccom_des_funding_is_285000_split_213750_and_71250():
    shown = figures_of("des_funding", DACCOM["resource-identification"])

    assert shown == {
        "population": 150000,
        "rate_per_patient": Decimal("1.90"),
        "total": Decimal("285000"),
        "practices_share_percent": Decimal("75"),
        "to_practices": Decimal("213750"),
        "pct_share_percent": Decimal("25"),
        "held_by_pct": Decimal("71250"),
    }


def test_daccom_hours_are_200_400_250_100_50_of_1000_funded():
    shown = figures_of("hours", DACCOM["capacity-planning"])

    assert [line["hours"] for line in shown["lines"]] == [200, 400, 250, 100, 50]
    assert (shown["total"], shown["funded_hours"], shown["unallocated"]) == (1000, 1000, 0)
    assert shown["over_allocated"] is False


def test_milestone_dates_are_dates_and_criteria_link_their_milestones():
    milestones = figures_of("milestones", DACCOM["contract-monitoring"])
    assert all(isinstance(m["due"], date | None) for m in milestones["milestones"])
    assert (milestones["period_start"], milestones["period_end"]) == (
        date(2006, 4, 1),
        date(2007, 3, 31),
    )
    assert sum(milestones["status_counts"].values()) == len(milestones["milestones"])

    criteria = figures_of("success_criteria", DACCOM["measuring-quality-of-care"])
    assert [c["letter"] for c in criteria["criteria"]] == ["a", "b", "c", "d"]
    assert criteria["criteria"][3]["milestones"][0]["item"] == (
        "An agreed business plan is in place for 2007/8 and beyond."
    )


def test_business_case_patient_numbers_are_whole_numbers():
    shown = figures_of("business_cases", DRAFT["business-cases"])

    assert len(shown["cases"]) == 3
    assert all(isinstance(case["patients_min"], int | None) for case in shown["cases"])


def test_banes_weightings_are_5_5_20_40_30_totalling_100_at_95p():
    shown = figures_of("outcome_framework", BANES["incentive-outcome-framework"])

    assert [a["weighting_percent"] for a in shown["areas"]] == [5, 5, 20, 40, 30]
    assert shown["total_weighting"] == Decimal(100)
    assert shown["rate_per_patient"] == Decimal("0.95")
    assert shown["incentive_pot"] == Decimal("142500.00")


def test_banes_sliding_scale_splits_300000_into_20000_196000_84000():
    shown = figures_of("freed_up_resources", BANES["freed-up-resources-scale"])

    split = shown["splits"][2]
    assert (split["freed_up"], split["returned"], split["practices"], split["pct"]) == (
        Decimal("300000"), Decimal("20000"), Decimal("196000"), Decimal("84000"),
    )  # fmt: skip
    assert [s["returned"] for s in shown["splits"]] == [
        Decimal(n) * 1000 for n in (0, 0, 20, 50, 80, 100, 150, 200, 250, 300, 350, 400)
    ]
    between, beyond = shown["examples"]
    assert (between["position"], between["freed_up"], between["returned"]) == (
        "between_steps", Decimal("250000"), Decimal("10000"),
    )  # fmt: skip
    assert (beyond["position"], beyond["practices"], beyond["pct"]) == (
        "beyond_last_step", Decimal("630000"), Decimal("270000"),
    )  # fmt: skip
    assert shown["pct_share_percent"] == Decimal(30)


def test_daccom_self_assessment_counts_and_level_funding():
    data = {"framework": ASSESSMENT["framework"], "ratings": ASSESSMENT["ratings"]}
    shown = figures_of("self_assessment", data)

    levels = {level["number"]: level for level in shown["levels"]}
    assert levels[1]["counts"] == {"OK": 1, "Low": 8, "Med": 5, "High": 0, "Critical": 0}
    assert levels[3]["total"] == 23
    assert (levels[1]["funding"], levels[2]["funding"], levels[3]["funding"]) == (
        None, Decimal("90000"), Decimal("180000"),
    )  # fmt: skip
    assert shown["total"] == 56


def test_figures_hold_no_display_text():
    contexts = {
        "projects": DACCOM["services-to-be-commissioned"],
        "des_funding": DACCOM["resource-identification"],
        "hours": DACCOM["capacity-planning"],
        "outcome_framework": BANES["incentive-outcome-framework"],
        "freed_up_resources": BANES["freed-up-resources-scale"],
    }
    for kind, data in contexts.items():
        for leaf in leaves(figures_of(kind, data)):
            assert not (isinstance(leaf, str) and ("£" in leaf or "nhsuk-" in leaf)), (kind, leaf)
