"""Drafts may be incomplete, submissions may not (issue 13.4, docs/decisions/0401): BANES's
outcome framework at 90% is saved with a warning beside it, the readiness check lists it and
submitting is refused naming the question until the weightings total 100%."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consortia.models import User
from plans import selectors, services
from plans.models import Answer, Plan
from tests import demo_data
from tests.factories import UserFactory
from tests.integration.plans.test_structured_pages import form_post
from tests.plan_factories import plan_with_questions
from tests.review_factories import person

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

KEY = "incentive-outcome-framework"
AT_90 = "The weightings add up to 90%; they must add up to exactly 100%."


@pytest.fixture
def banes(client):
    demo_data.load_organisations_and_plans()
    client.force_login(User.objects.get(email="editor.banes@example.org"))
    plan = Plan.objects.get(consortium__slug="banes")
    # Every other required question answered, so only the weightings can stop submission.
    for answer in plan.answers.select_related("question").filter(question__required=True):
        if answer.is_empty and answer.question.answerable:
            answer.text = "<p>Answered for the test.</p>"
            answer.save()
    assert selectors.missing_required(plan) == []
    return plan


def save_area_6_outcome_2(client, plan, weighting: str):
    """Area 6 weighs 30% with outcomes of 0 + 15 + 15: 6.2 at 5 and the area at 20 leave one
    thing to fix, the areas' total of 90%."""
    post = form_post(client, plan, KEY)
    post[f"q-{KEY}-areas[4].outcomes[1].weighting_percent"] = [weighting]
    post[f"q-{KEY}-areas[4].weighting_percent"] = [str(15 + int(weighting))]
    return client.post(reverse("answer_edit", args=[plan.pk, KEY]), post)


def submit(client, plan):
    return client.post(reverse("plan_action", args=[plan.pk, "submit"]), {"comment": ""})


def test_weightings_at_90_percent_are_saved_with_the_warning_beside_them(client, banes):
    response = save_area_6_outcome_2(client, banes, "5")

    assert response.status_code == 302
    answer = Answer.objects.get(plan=banes, question__key=KEY)
    assert answer.data["areas"][4]["weighting_percent"] == "20"
    page = client.get(reverse("part_detail", args=[banes.pk, "appendix-1"])).content.decode()
    warnings = page.split(f'id="question-{KEY}-warnings"')[1].split("</div>")[0]
    assert "Saved, but fix this before the plan is submitted" in warnings
    assert AT_90 in warnings
    assert "5% + 5% + 20% + 40% + 20%" in page


def test_the_readiness_check_lists_the_weightings_and_submission_is_refused_naming_them(
    client, banes
):
    save_area_6_outcome_2(client, banes, "5")

    ready = client.get(reverse("plan_ready", args=[banes.pk])).content.decode()
    assert "1 answer does not add up" in ready
    assert AT_90 in ready
    question = banes.template.questions.get(key=KEY)
    assert question.title[:60] in ready.split("Answers to fix before submitting")[1]
    assert "before the plan is submitted has an answer" not in ready

    confirm = client.get(reverse("plan_action", args=[banes.pk, "submit"])).content.decode()
    assert "does not add up" in confirm and AT_90 in confirm
    response = submit(client, banes)

    banes.refresh_from_db()
    assert banes.status == Plan.Status.DRAFT
    refusal = response.content.decode()
    assert "1 answer does not add up and must be fixed first" in refusal
    assert f"{question.number} {question.title}: {AT_90}" in refusal


def test_at_100_percent_the_plan_is_ready_and_submitted(client, banes):
    save_area_6_outcome_2(client, banes, "5")
    response = save_area_6_outcome_2(client, banes, "15")
    assert response.status_code == 302

    assert selectors.unresolved_answers(banes) == []
    ready = client.get(reverse("plan_ready", args=[banes.pk])).content.decode()
    assert "every answer adds up" in ready
    submit_link = reverse("plan_action", args=[banes.pk, "submit"])
    assert f'<a class="nhsuk-button" href="{submit_link}">Submit the plan to the PCT</a>' in ready
    response = submit(client, banes)

    assert response.status_code == 302
    banes.refresh_from_db()
    assert banes.status == Plan.Status.SUBMITTED


def test_the_readiness_check_costs_the_same_queries_however_many_figures_it_checks(client, banes):
    daccom = Plan.objects.get(consortium__slug="daccom", template__slug="daccom-locality-plan-2006")
    save_area_6_outcome_2(client, banes, "5")
    client.force_login(User.objects.get(email="admin@example.org"))

    def queries(plan) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("plan_ready", args=[plan.pk])).status_code == 200
        return len(captured)

    assert queries(banes) == queries(daccom)


def test_an_answer_saved_only_as_it_was_typed_is_listed_as_in_progress(client, banes):
    answer = banes.answers.select_related("question").get(question__key="plan-introduction")
    services.answer_save(
        answer=answer,
        user=User.objects.get(email="editor.banes@example.org"),
        base_version=answer.version,
        text="<p>Half a thought</p>",
        autosave=True,
    )

    page = client.get(reverse("plan_ready", args=[banes.pk])).content.decode()

    in_progress = page.split('<h2 class="nhsuk-heading-m">Answers in progress</h2>')[1]
    assert "1 answer was saved as it was typed, but no one has pressed Save on it" in in_progress
    assert answer.question.title in in_progress


def answered_but_for_the_pcts_question() -> Plan:
    plan = plan_with_questions(questions=4)
    for answer in plan.answers.select_related("question").exclude(question__completed_by="pct"):
        answer.rows = [{"name": "The Surgery", "code": "A81001"}]
        answer.text = "<p>Answered for the test.</p>"
        answer.save()
    return plan


def test_a_question_the_pct_completes_does_not_stop_the_readiness_check(client):
    plan = answered_but_for_the_pcts_question()
    client.force_login(UserFactory(consortium=plan.consortium))

    page = client.get(reverse("plan_ready", args=[plan.pk])).content.decode()

    assert "Not yet" not in page
    assert "before the plan is submitted has an answer" in page
    assert "Fair shares weighting" not in page
    assert submit(client, plan).status_code == 302
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.SUBMITTED


def test_a_ready_plan_is_submitted_from_the_check_only_by_those_who_may_submit_it(client):
    plan = answered_but_for_the_pcts_question()
    submit_link = reverse("plan_action", args=[plan.pk, "submit"])
    pages = {}
    for role in (User.Role.CONSORTIUM_EDITOR, User.Role.PCT_LEAD):
        client.force_login(person(role, plan))
        pages[role] = client.get(reverse("plan_ready", args=[plan.pk])).content.decode()

    assert f'href="{submit_link}">Submit the plan to the PCT</a>' in pages["consortium_editor"]
    assert "before the plan is submitted has an answer" in pages["pct_lead"]
    assert submit_link not in pages["pct_lead"]
