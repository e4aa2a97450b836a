"""What counts as answered and as done, worked out in SQL for the dashboards and the round
page, agrees with Answer.is_empty and Answer.is_done (the task list's "Completed")."""

from itertools import product

import pytest

from plans.models import Answer
from plans.selectors import answered_answers, done_answers
from tests.plan_factories import plan_with_questions

pytestmark = pytest.mark.django_db

# (text, rows, data): the shapes an answer takes, empty or not.
CASES = [
    ("", [], {}),
    ("<p></p>", [], {}),
    ("<p><br></p>", [], {}),
    ("<p> </p>\n<p>\t</p>", [], {}),
    ("<ul><li></li></ul>", [], {}),
    ("<p><strong></strong></p>", [], {}),
    ("Plain words", [], {}),
    ("<p>Answered.</p>", [], {}),
    ("<p><strong>Bold</strong></p>", [], {}),
    ("<p>&nbsp;</p>", [], {}),
    ("<h2>Heading only</h2>", [], {}),
    ("", [{"name": "", "code": ""}], {}),
    ("", [{"name": "", "code": ""}, {"name": "", "code": ""}], {}),
    ("", [{"name": "Dale Surgery", "code": ""}], {}),
    ("", [{"name": "", "code": "E82001"}], {}),
    ("", [{"name": "", "code": ""}, {"name": "x", "code": ""}], {}),
    ("", [{"name": 'He said "yes"', "code": ""}], {}),
    ("", [], {"projects": []}),
    ("", [], {"target": "1000"}),
]


def test_answered_in_sql_is_exactly_not_is_empty_for_every_shape_of_answer():
    plan = plan_with_questions(questions=len(CASES) + 2)
    answers = list(plan.answers.order_by("question__position"))[: len(CASES)]
    for answer, (text, rows, data) in zip(answers, CASES, strict=True):
        Answer.objects.filter(pk=answer.pk).update(text=text, rows=rows, data=data)

    in_sql = set(answered_answers().filter(plan=plan).values_list("pk", flat=True))
    in_python = {
        answer.pk
        for answer in Answer.objects.filter(pk__in=[a.pk for a in answers])
        if not answer.is_empty
    }

    assert in_sql == in_python
    assert len(in_python) == 11


def test_done_in_sql_is_exactly_is_done_so_only_typed_carried_or_prefilled_are_not_done():
    shapes = list(product(["", "<p>Written.</p>"], [False, True], [False, True], [False, True]))
    plan = plan_with_questions(questions=len(shapes) + 2)
    answers = list(plan.answers.order_by("question__position"))[: len(shapes)]
    for answer, (text, autosaved, carried_forward, prefilled) in zip(answers, shapes, strict=True):
        Answer.objects.filter(pk=answer.pk).update(
            text=text, autosaved=autosaved, carried_forward=carried_forward, prefilled=prefilled
        )

    in_sql = set(done_answers().filter(plan=plan).values_list("pk", flat=True))
    stored = Answer.objects.filter(pk__in=[answer.pk for answer in answers])
    in_python = {answer.pk for answer in stored if answer.is_done}

    written_and_saved = answers[shapes.index(("<p>Written.</p>", False, False, False))]
    assert in_sql == in_python == {written_and_saved.pk}
