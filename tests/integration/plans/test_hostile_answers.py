"""Answers posted by a hostile client (crafted hidden fields, absurd numbers) are refused on
the page with a message, never with a server error; what the fuzz test found, one case each."""

import pytest
from django.urls import reverse

from consortia.models import User
from plans.models import Answer
from tests.factories import UserFactory
from tests.plan_factories import plan_with_every_kind

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def plan(client):
    plan = plan_with_every_kind()
    client.force_login(UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium))
    return plan


def post(client, plan, key, fields, **extra):
    data = {f"q-{key}-base_version": 0, **{f"q-{key}-{name}": v for name, v in fields.items()}}
    return client.post(reverse("answer_edit", args=[plan.pk, key]), data, **extra)


@pytest.mark.parametrize("framework", ["no-such-framework", "x" * 5000, "../../settings"])
def test_a_self_assessment_posted_against_an_unknown_framework_is_refused_with_400(
    client, plan, framework
):
    response = post(client, plan, "self-assessment", {"framework": framework}, **JSON)

    assert response.status_code == 400
    (messages,) = response.json()["errors"].values()
    assert "There is no PBC Framework called" in messages[0]["message"]
    answer = Answer.objects.get(plan=plan, question__key="self-assessment")
    assert answer.version == 0


def test_the_refusal_of_an_unknown_framework_is_shown_on_the_answer_page(client, plan):
    response = post(client, plan, "self-assessment", {"framework": "no-such-framework"})

    assert response.status_code == 400
    assert "There is no PBC Framework called" in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("9" * 400, "must be less than 1,000,000,000,000."),
        ("0." + "0" * 400 + "1", "Enter an amount in pounds and pence, like 1,500.25."),
        ("1e999999999", "must be a number"),
    ],
)
def test_a_number_beyond_decimal_arithmetic_is_refused_on_its_field(client, plan, typed, message):
    fields = {
        "projects": "1",
        "projects[0].number": "1",
        "projects[0].title": "Falls",
        "projects[0].targets": "1",
        "projects[0].targets[0].code": "A",
        "projects[0].targets[0].title": "Fewer falls",
        "projects[0].targets[0].planned_saving": typed,
    }

    response = post(client, plan, "projects", fields)

    assert response.status_code == 400
    assert message in response.content.decode()
