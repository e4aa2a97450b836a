"""The pages of sections assigned to people: "Your tasks" and the chair's overdue sections on
the home page, who holds what on the task list, and the assign form with its refusals."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from plans import round_selectors
from plans.models import Assignment, TemplatePart
from tests.factories import ConsortiumFactory, UserFactory
from tests.integration.plans.test_assignments import answer_all, assign, setup, soon
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


class TestHome:
    def test_the_manager_sees_the_part_under_your_tasks_with_its_date_and_state(self, client):
        plan, chair, manager = setup()
        part = plan.template.parts.all()[1]
        assign(plan, chair, manager, part=part, days=3)
        content = home(client, manager)
        assert "Your tasks" in content
        assert f"Part {part.number} {part.title}".replace("  ", " ") in content
        assert plan.title in content and "Due in 3 days" in content
        assert "Not answered yet" in content
        assert reverse("part_detail", args=[plan.pk, part.key]) in content

    def test_the_chair_sees_overdue_sections_in_red(self, client, monkeypatch):
        plan, chair, manager = setup()
        assign(plan, chair, manager, days=1)
        later = soon(3)
        monkeypatch.setattr(round_selectors, "today", lambda: later)
        content = home(client, chair)
        assert "Overdue sections" in content and "2 days overdue</strong>.</li>" in content
        assert "Practice Manager" in content and "nhsuk-tag--red" in content

    def test_the_chair_sees_every_section_assigned_and_which_are_answered(self, client):
        plan, chair, manager = setup()
        first, second = plan.template.parts.all()[:2]
        assign(plan, chair, manager, part=first)
        assign(plan, chair, manager, part=second)
        answer_all(plan, second, manager)
        content = home(client, chair)
        assert f"Sections assigned in {plan.consortium.name}" in content
        assert content.count("Not answered yet") == 1 and content.count("Answered<") == 1

    def test_the_home_page_costs_the_same_for_one_task_or_many(self, client):
        plan, chair, manager = setup(questions=12)
        questions = list(
            plan.template.questions.exclude(completed_by="pct").exclude(kind="signoff")
        )
        assign(plan, chair, manager, question=questions[0])
        client.force_login(manager)
        page_queries(client, reverse("home"))
        one = page_queries(client, reverse("home"))
        for question in questions[1:]:
            assign(plan, chair, manager, question=question)
        assert page_queries(client, reverse("home")) == one


def post_assign(client, plan, user, **fields):
    client.force_login(user)
    part = plan.template.parts.all()[1]
    answers = {"section": f"part-{part.pk}", "due_on": soon(5).isoformat()}
    return client.post(reverse("plan_assign", args=[plan.pk]), answers | fields)


class TestAssignPage:
    def test_the_chair_assigns_a_part_and_the_task_list_shows_who_holds_it(self, client):
        plan, chair, manager = setup()
        response = post_assign(client, plan, chair, assignee=manager.pk)
        assert response.status_code == 302
        assert response.url == reverse("plan_detail", args=[plan.pk])
        assignment = Assignment.objects.get()
        assert assignment.assignee == manager and assignment.due_on == soon(5)
        content = client.get(response.url).content.decode()
        assert "Assigned to Practice Manager, due" in content
        assert "Reassign" in content
        part = assignment.part
        part_page = client.get(reverse("part_detail", args=[plan.pk, part.key])).content.decode()
        assert "Assigned to Practice Manager, due" in part_page

    def test_a_single_question_shows_its_holder_in_the_task_list(self, client):
        plan, chair, manager = setup()
        question = (
            plan.template.questions.exclude(completed_by="pct").exclude(kind="signoff").last()
        )
        post_assign(client, plan, chair, assignee=manager.pk, section=f"question-{question.pk}")
        content = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
        assert "assigned to Practice Manager, due" in content

    def test_someone_of_another_consortium_is_refused_with_a_clear_message(self, client):
        plan, chair, _ = setup()
        stranger = UserFactory(consortium=ConsortiumFactory(), full_name="Stranger")
        response = post_assign(client, plan, chair, assignee=stranger.pk)
        assert response.status_code == 200
        assert "Stranger is not one of" in response.content.decode()
        assert not Assignment.objects.exists()

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"due_on": "soon"}, "Enter the due date as a date"),
            ({"due_on": "9999-12-31"}, "Choose a due date by 31 December"),
            ({"section": "part-999999"}, "Choose a part or question from the list"),
            ({"section": "chapter-1"}, "Choose a part or question from the list"),
            ({"assignee": "999999"}, "Choose a person from the list"),
            ({"assignee": "x"}, "Choose a person from the list"),
            ({"assignee": "9" * 30}, "Choose a person from the list"),
            ({"section": "question-" + "9" * 30}, "Choose a part or question from the list"),
        ],
    )
    def test_mistakes_are_shown_beside_their_field(self, client, fields, message):
        plan, chair, manager = setup()
        response = post_assign(client, plan, chair, **({"assignee": manager.pk} | fields))
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Assignment.objects.exists()

    def test_the_pct_cannot_open_the_assign_page(self, client):
        plan, _, _ = setup()
        lead = UserFactory(
            role="pct_lead", consortium=None, commissioner=plan.consortium.commissioner
        )
        client.force_login(lead)
        assert client.get(reverse("plan_assign", args=[plan.pk])).status_code == 403

    def test_the_assign_page_offers_only_the_consortiums_people(self, client):
        plan, chair, _ = setup()
        stranger = UserFactory(consortium=ConsortiumFactory(), full_name="Stranger")
        client.force_login(chair)
        url = reverse("plan_assign", args=[plan.pk])
        part = plan.template.parts.first()
        content = client.get(url, {"section": f"part-{part.pk}"}).content.decode()
        assert "Practice Manager" in content and stranger.full_name not in content
        assert f'value="part-{part.pk}" selected' in content

    def test_the_assign_page_offers_only_parts_and_questions_the_consortium_answers(self, client):
        plan, chair, _ = setup()
        guidance = TemplatePart.objects.create(
            template=plan.template, key="guidance", number="0", title="About this form", position=0
        )
        pct_question = plan.template.questions.get(completed_by="pct")
        both = plan.template.questions.filter(completed_by="both").first()
        sign_off = plan.template.parts.get(key="sign-off")
        client.force_login(chair)

        content = client.get(reverse("plan_assign", args=[plan.pk])).content.decode()

        assert f'value="part-{guidance.pk}"' not in content
        assert f'value="part-{sign_off.pk}"' not in content
        assert f'value="question-{pct_question.pk}"' not in content
        assert f'value="question-{both.pk}"' in content
        assert f'value="part-{pct_question.part_id}"' in content

    def test_the_task_list_offers_to_assign_only_parts_the_consortium_answers(self, client):
        plan, chair, _ = setup()
        sign_off = plan.template.parts.get(key="sign-off")
        client.force_login(chair)

        content = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()

        assign_url = reverse("plan_assign", args=[plan.pk])
        assert f"{assign_url}?section=part-{sign_off.pk}" not in content
        for part in plan.template.parts.exclude(pk=sign_off.pk):
            assert f"{assign_url}?section=part-{part.pk}" in content

    def test_assigning_a_pct_question_is_refused_saying_why(self, client):
        plan, chair, manager = setup()
        pct_question = plan.template.questions.get(completed_by="pct")

        response = post_assign(
            client, plan, chair, assignee=manager.pk, section=f"question-{pct_question.pk}"
        )

        assert response.status_code == 200
        assert (
            f"{pct_question.number} {pct_question.title} is answered by the PCT, not the consortium"
        ) in response.content.decode()
        assert not Assignment.objects.exists()


def test_the_assign_page_costs_the_same_queries_for_a_short_or_a_long_form(client):
    def queries(questions: int) -> int:
        plan, chair, _ = setup(questions=questions)
        client.force_login(chair)
        url = reverse("plan_assign", args=[plan.pk])
        page_queries(client, url)
        return page_queries(client, url)

    assert queries(4) == queries(30)


def test_the_due_dates_example_is_written_as_its_date_box_shows_it_and_so_is_read(client):
    plan, chair, manager = setup()
    example = (timezone.localdate() + timedelta(weeks=2)).strftime("%d/%m/%Y")
    client.force_login(chair)

    page = client.get(reverse("plan_assign", args=[plan.pk])).content.decode()
    response = post_assign(
        client, plan, chair, assignee=manager.pk, due_on=soon(5).strftime("%d/%m/%Y")
    )

    assert f"For example, {example}" in page
    assert response.status_code == 302
    assert Assignment.objects.get().due_on == soon(5)
