"""The plan's content read model: built in a fixed number of queries, the one thing the JSON
export, the PDF and the signed hash read."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans import exports
from plans.content import PlanContent
from plans.models import Plan
from tests.plan_factories import plan_with_every_kind, plan_with_questions

pytestmark = pytest.mark.django_db


def queries_to_build(plan: Plan) -> int:
    fresh = Plan.objects.select_related("consortium__commissioner", "template").get(pk=plan.pk)
    with CaptureQueriesContext(connection) as captured:
        content = PlanContent.of(fresh)
        list(content.questions())
    return len(captured)


def test_plan_content_is_built_in_the_same_number_of_queries_for_10_and_150_questions():
    small = queries_to_build(plan_with_questions(questions=10))
    large = queries_to_build(plan_with_questions(questions=150))

    # parts, their questions, the answers and the consortium's practices
    assert small == large == 4


def test_plan_content_lists_every_question_in_form_order():
    plan = plan_with_questions(questions=12)

    content = PlanContent.of(plan)

    keys = [item.question.key for item in content.questions()]
    assert keys == list(plan.template.questions.order_by("position").values_list("key", flat=True))


def test_structured_figures_in_plan_content_are_domain_values_not_display_strings():
    plan = plan_with_every_kind()
    plan.answers.filter(question__kind="savings_target").update(
        data={"total_identified_savings": "6106000.00"}
    )

    content = PlanContent.of(plan)

    figures = {item.question.kind: item.figures for item in content.questions() if item.figures}
    assert figures
    values = [value for found in figures.values() for value in found.values()]
    assert any(isinstance(value, Decimal) for value in values)
    assert not any(isinstance(value, str) and "£" in value for value in values)


def test_the_json_export_and_the_hash_read_the_content_they_are_given():
    plan = plan_with_questions(questions=10)
    content = PlanContent.of(plan)

    with CaptureQueriesContext(connection) as captured:
        exports.plan_record(plan, content=content)
        exports.content_sha256(plan, content=content)

    assert len(captured) == 0


def test_the_json_export_gives_computed_figures_as_plain_decimal_strings():
    plan = plan_with_every_kind()
    plan.answers.filter(question__kind="savings_target").update(
        data={"total_identified_savings": "6106000.00"}
    )

    record = exports.plan_record(plan)

    question = next(
        q for p in record["parts"] for q in p["questions"] if q["kind"] == "savings_target"
    )
    computed = json.dumps(question["computed"])
    assert "6106000" in computed
    assert "£" not in computed
