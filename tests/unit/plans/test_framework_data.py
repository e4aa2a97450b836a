"""The PCT's PBC Framework and DacCom's self-assessment, as data, give the counts and funding
of seed 003 through plans.finance."""

from decimal import Decimal as D
from pathlib import Path

import pytest
import yaml

from plans.finance import framework_level_funding, summarise_self_assessment

ROOT = Path(__file__).resolve().parents[3]
FRAMEWORK = ROOT / "plans" / "definitions" / "frameworks" / "dacorum-pbc-framework.yaml"
ASSESSMENT = ROOT / "plans" / "demo" / "daccom-self-assessment.yaml"


@pytest.fixture(scope="module")
def framework():
    return yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def assessment():
    return yaml.safe_load(ASSESSMENT.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def summary(framework, assessment):
    target_levels = {t["key"]: lv["number"] for lv in framework["levels"] for t in lv["targets"]}
    ratings = {key: entry["rating"] for key, entry in assessment["ratings"].items()}
    scale = [r["rating"] for r in framework["rating_scale"]]
    return summarise_self_assessment(
        target_levels=target_levels, ratings=ratings, rating_scale=scale
    )


def test_framework_has_56_targets_with_unique_keys(framework):
    keys = [t["key"] for lv in framework["levels"] for t in lv["targets"]]

    assert len(keys) == 56
    assert len(set(keys)) == 56


def test_target_keys_are_level_objective_position(framework):
    objectives = {o["number"] for o in framework["objectives"]}
    for level in framework["levels"]:
        for target in level["targets"]:
            lv, objective, _position = target["key"].split(".")
            assert int(lv) == level["number"]
            assert int(objective) == target["objective"]
            assert target["objective"] in objectives
            assert target["text"].strip()


def test_assessment_rates_every_target_of_its_framework(framework, assessment):
    keys = {t["key"] for lv in framework["levels"] for t in lv["targets"]}

    assert assessment["framework"] == FRAMEWORK.stem
    assert set(assessment["ratings"]) == keys
    assert all(entry["action"].strip() for entry in assessment["ratings"].values())


@pytest.mark.parametrize(
    ("level", "total", "counts"),
    [
        (1, 14, {"OK": 1, "Low": 8, "Med": 5, "High": 0, "Critical": 0}),
        (2, 19, {"OK": 1, "Low": 5, "Med": 9, "High": 3, "Critical": 1}),
        (3, 23, {"OK": 1, "Low": 5, "Med": 10, "High": 5, "Critical": 2}),
    ],
)
def test_daccom_self_assessment_counts_per_level(summary, level, total, counts):
    assert summary.level(level).total == total
    assert dict(summary.level(level).counts) == counts
    assert summary.level(level).unrated == 0


def test_daccom_self_assessment_has_56_rated_targets(summary):
    assert summary.total == 56
    assert summary.rated == 56
    assert [lv.level for lv in summary.levels] == [1, 2, 3]


@pytest.mark.parametrize(("level", "expected"), [(1, D(0)), (2, D(90_000)), (3, D(180_000))])
def test_framework_level_funding_for_daccom_150_000(framework, level, expected):
    """003: approximately £90k at Level 2, £180k at Level 3. The framework gives no session rate
    or weeks; the file's derived assumptions (£300 a session, 50 weeks) reproduce both."""
    terms = framework["levels"][level - 1]["funding"]
    assumptions = framework["funding_assumptions"]

    funding = framework_level_funding(
        population=150_000,
        gp_sessions_per_100k_per_week=D(terms["gp_sessions_per_100k_per_week"]),
        staff_hours_per_100k_per_week=D(terms["staff_hours_per_100k_per_week"]),
        gp_session_rate=D(assumptions["gp_session_rate"]),
        staff_hourly_rate=D(terms["staff_hourly_rate"] or "0"),
        weeks_per_year=D(assumptions["weeks_per_year"]),
    )

    assert funding.total == expected


def test_framework_staff_hourly_rate_is_30_pounds(framework):
    rates = {lv["number"]: lv["funding"]["staff_hourly_rate"] for lv in framework["levels"]}

    assert rates == {1: None, 2: "30", 3: "30"}
