"""A question's title is printed whole wherever the pages name the question: a form's long
title cut at a number of letters lost the words that told two questions apart."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from consortia.models import User
from tests.factories import UserFactory
from tests.plan_factories import plan_with_questions

pytestmark = pytest.mark.django_db

LONG_TITLE = (
    "How the consortium will involve patients, carers and the local community in choosing, "
    "designing and reviewing the services it commissions this year, and how it will report "
    "back to them on what changed as a result"
)


@pytest.fixture
def editor_and_question(client):
    plan = plan_with_questions(questions=4)
    question = plan.template.questions.get(key="practices")
    question.title = LONG_TITLE
    question.save(update_fields=["title"])
    editor = UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium)
    client.force_login(editor)
    plan.answers.filter(question=question).update(text="", rows=[])
    return plan, question


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(lambda plan, key: reverse("plan_detail", args=[plan.pk]), id="task list"),
        pytest.param(
            lambda plan, key: reverse("answer_edit", args=[plan.pk, key]), id="question page"
        ),
        pytest.param(
            lambda plan, key: reverse("question_history", args=[plan.pk, key]),
            id="question history",
        ),
        pytest.param(
            lambda plan, key: reverse("plan_action", args=[plan.pk, "submit"]),
            id="submit page listing what is missing",
        ),
    ],
)
def test_a_long_question_title_is_shown_whole(client, editor_and_question, page):
    plan, question = editor_and_question

    response = client.get(page(plan, question.key))

    html = response.content.decode()
    main = html.split("<main", 1)[1].split("</main>")[0]
    assert escape(LONG_TITLE) in main and "…" not in main
    assert "…" not in html.split("<title>", 1)[1].split("</title>")[0]
