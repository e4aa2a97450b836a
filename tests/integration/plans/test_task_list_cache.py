"""The plan's task list, cached under everything it shows (plans.task_list_cache,
docs/decisions/0425): no one is shown another reader's view or a stale version."""

import re

import pytest
from django.urls import reverse

from consortia.models import User
from plans import presenters, services
from plans.models import Answer, TemplateQuestion
from signoff import services as review_services
from tests import services as test_services
from tests.pages import without_tokens
from tests.plan_factories import assign, plan_with_questions
from tests.review_factories import person
from tests.two_factor import signed_in

Role = User.Role
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def plan():
    return plan_with_questions(questions=4)


@pytest.fixture
def editor(plan):
    return person(Role.CONSORTIUM_EDITOR, plan, full_name="Ed Itor")


def task_list(client, plan) -> str:
    response = client.get(reverse("plan_detail", args=[plan.pk]))
    assert response.status_code == 200
    return response.content.decode()


def status_of(page: str, key: str) -> str:
    found = re.search(rf'id="task-{key}-status">\s*(.*?)\s*</div>', page, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def save(plan, user, text, key="question-1"):
    answer = Answer.objects.get(plan=plan, question__key=key)
    return services.answer_save(answer=answer, user=user, text=text, base_version=answer.version)


def test_a_task_list_found_in_the_cache_is_shown_without_working_it_out(plan, editor, monkeypatch):
    client = signed_in(editor)
    first = task_list(client, plan)

    def refused(*args, **kwargs):
        raise AssertionError("a cached task list was worked out again")

    monkeypatch.setattr(presenters, "task_list", refused)

    assert without_tokens(task_list(client, plan)) == without_tokens(first)


def test_an_edit_shows_at_once(plan, editor):
    client = signed_in(editor)
    assert status_of(task_list(client, plan), "question-1") == "Not started"

    save(plan, editor, "<p>Written just now</p>")

    page = task_list(client, plan)
    assert status_of(page, "question-1") == "Completed"
    assert '<p class="nhsuk-body-l" id="progress">1 of ' in page


def test_an_edit_through_the_admin_shows_at_once(plan, editor):
    admin = signed_in(person(Role.SITE_ADMIN, plan, is_staff=True))
    client = signed_in(editor)
    assert status_of(task_list(client, plan), "question-1") == "Not started"
    answer = Answer.objects.get(plan=plan, question__key="question-1")

    response = admin.post(
        reverse("admin:plans_answer_change", args=[answer.pk]),
        {"text": "<p>Put right by the administrator.</p>", "rows": "[]", "data": "{}"},
    )

    assert response.status_code == 302
    assert status_of(task_list(client, plan), "question-1") == "Completed"


def test_a_state_change_shows_at_once(plan, editor):
    chair = person(Role.CONSORTIUM_EXECUTIVE_CHAIR, plan)
    plan.answers.update(text="<p>Answered.</p>", version=1)  # ready to submit
    client = signed_in(chair)
    assert "to someone</a>" in task_list(client, plan)

    review_services.plan_submit(plan=plan, user=chair)

    assert "to someone</a>" not in task_list(client, plan)


def test_an_assignment_shows_at_once(plan, editor):
    client = signed_in(editor)
    task_list(client, plan)

    assign(plan, editor, editor, days=0)

    assert "Assigned to Ed Itor" in task_list(client, plan)


def test_a_permission_change_shows_at_once(plan, editor):
    client = signed_in(editor)
    assert "to someone</a>" in task_list(client, plan)

    editor.role = Role.PCT_LEAD
    editor.commissioner = plan.consortium.commissioner
    editor.consortium = None
    editor.save()
    client.force_login(editor)  # a lead gives the second factor

    assert "to someone</a>" not in task_list(client, plan)


def test_a_change_to_the_form_shows_at_once(plan, editor):
    client = signed_in(editor)
    task_list(client, plan)

    TemplateQuestion.objects.filter(template=plan.template, key="question-1").update(
        title="A question retitled in the draft form"
    )

    assert "A question retitled in the draft form" in task_list(client, plan)


def test_two_readers_with_different_rights_see_each_their_own_task_list(plan, editor):
    lead = person(Role.PCT_LEAD, plan)
    review_services.comment_add(
        plan=plan,
        user=lead,
        body="Kept inside the PCT",
        question=plan.template.questions.get(key="question-1"),
        visibility="internal",
    )
    as_lead = task_list(signed_in(lead), plan)

    as_editor = task_list(signed_in(editor), plan)

    assert "1 open comment" in as_lead and "to someone</a>" not in as_lead
    assert "1 open comment" not in as_editor and "to someone</a>" in as_editor
    assert "1 open comment" in task_list(signed_in(lead), plan)


@pytest.mark.redis
def test_a_change_through_one_process_shows_at_once_through_another(plan, editor):
    """Two clients on one Redis cache stand in for two web processes (as production runs)."""
    with test_services.one_redis_cache(f"test-task-list-{plan.pk}"):
        reader, writer = signed_in(editor), signed_in(editor)
        assert status_of(task_list(reader, plan), "question-1") == "Not started"
        key = "question-1"
        response = test_services.save_as_json(writer, plan, key, "<p>Saved through the other</p>")
        assert response.status_code == 200

        assert status_of(task_list(reader, plan), "question-1") == "Completed"


@pytest.mark.django_db(transaction=True)
def test_a_missing_task_list_is_read_with_its_key_from_one_snapshot(monkeypatch):
    """Outside a test's transaction, as a web request runs: the miss is read in one snapshot."""
    plan = plan_with_questions(questions=4)
    client = signed_in(person(Role.CONSORTIUM_EDITOR, plan))
    snapshots = test_services.snapshots_taken(monkeypatch, "pbc.views")

    assert status_of(task_list(client, plan), "question-1") == "Not started"
    assert status_of(task_list(client, plan), "question-1") == "Not started"
    assert snapshots == [False], "the miss, not the hit"


def test_open_comments_count_each_readers_own_threads_on_one_question(plan, editor):
    lead = person(Role.PCT_LEAD, plan)
    question = plan.template.questions.get(key="question-1")
    for visibility in ("internal", "shared"):
        review_services.comment_add(
            plan=plan, user=lead, body="A thread", question=question, visibility=visibility
        )

    assert "2 open comments" in task_list(signed_in(lead), plan)
    as_editor = task_list(signed_in(editor), plan)
    assert "1 open comment" in as_editor and "2 open comments" not in as_editor
