"""The pages of sections assigned to people: "Your tasks" and the chair's overdue sections on
the home page, who holds what on the task list, and the assign form with its refusals."""

import pytest
from django.urls import reverse

from plans import round_selectors
from tests.integration.plans.test_assignments import assign, setup, soon
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
        assert "Overdue sections" in content and "2 days overdue" in content
        assert "Practice Manager" in content and "nhsuk-tag--red" in content

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
