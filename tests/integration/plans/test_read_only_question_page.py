"""A question's page offers an editor only where the save would keep what is typed: the rule
the save service applies (plans/workflow.py may_edit_answer), asked by the page."""

import pytest
from django.urls import reverse

from consortia.models import User
from plans import services
from plans.models import Plan
from tests.factories import UserFactory
from tests.plan_factories import pct_lead, plan_with_questions

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def plan():
    plan = plan_with_questions(questions=6)
    editor = UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium)
    for key, words in (("question-1", "<p>Our intentions</p>"), ("practices", None)):
        answer = plan.answers.get(question__key=key)
        services.answer_save(
            answer=answer,
            user=editor,
            base_version=answer.version,
            text=words,
            rows=[{"name": "Archway Surgery", "code": "E82005"}] if words is None else None,
        )
    return plan


def with_status(plan, status) -> Plan:
    Plan.objects.filter(pk=plan.pk).update(status=status)
    plan.refresh_from_db()
    return plan


def page(client, plan, key) -> str:
    response = client.get(reverse("answer_edit", args=[plan.pk, key]))
    assert response.status_code == 200
    return response.content.decode()


def assert_read_only(html: str, number: str, reason: str):
    assert f"Edit {number}" not in html
    assert f"Save {number}" not in html
    assert "<textarea" not in html
    assert 'name="row-action"' not in html
    assert 'class="app-answer-form"' not in html
    assert reason in html


@pytest.mark.parametrize("status", [Plan.Status.DRAFT, Plan.Status.SUBMITTED])
def test_the_pct_lead_reads_a_pct_question_before_the_review_with_when_they_can_complete_it(
    client, plan, status
):
    client.force_login(pct_lead(plan.consortium.commissioner))

    html = page(client, with_status(plan, status), "fair-shares")

    assert_read_only(
        html, "1.2", "PCT-completed questions can be changed only while it is in review."
    )
    assert "<h1>" in html and "1.2 Fair shares weighting</h1>" in html


def test_the_pct_lead_gets_the_editor_once_the_review_has_started(client, plan):
    client.force_login(pct_lead(plan.consortium.commissioner))

    html = page(client, with_status(plan, Plan.Status.IN_REVIEW), "fair-shares")

    assert "Edit 1.2" in html
    assert "Save 1.2" in html


@pytest.mark.parametrize("key, number", [("question-1", "2.1"), ("practices", "1.1")])
def test_the_editor_reads_a_signed_plans_answer_and_table_without_inputs(client, plan, key, number):
    editor = UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium)
    client.force_login(editor)

    html = page(client, with_status(plan, Plan.Status.SIGNED), key)

    assert_read_only(html, number, "The plan is signed: its content is frozen for signature.")
    assert f'name="q-{key}-' not in html  # no input of the answer's form at all
    assert "Archway Surgery" in html or key != "practices"
    assert "Our intentions" in html or key != "question-1"


def test_the_editor_still_gets_the_editor_on_a_draft(client, plan):
    client.force_login(UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium))

    html = page(client, plan, "question-1")

    assert "Edit 2.1" in html
    assert "Save 2.1" in html
    assert "app-not-editable" not in html
