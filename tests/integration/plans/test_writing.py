import html
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consortia.models import User
from plans import services
from plans.models import Answer
from tests.factories import UserFactory
from tests.plan_factories import demo_daccom_plan, plan_with_questions
from tests.queries import page_queries, post_queries

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
JSON = {"HTTP_ACCEPT": "application/json"}
# The session, the user, the answer with its plan, then in one transaction (its start and end
# are two more) the answer and plan locked, the revision and the answer written; an autosave
# that starts a revision first looks for one of the editor's own to join.
AUTOSAVE_QUERY_BUDGETS = {"coalesced": 8, "new revision": 9}


@pytest.fixture
def plan():
    return plan_with_questions(questions=10)


@pytest.fixture
def editor(plan, client):
    user = UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium)
    client.force_login(user)
    return user


def answer_url(plan, key):
    return reverse("answer_edit", args=[plan.pk, key])


def post_answer(client, plan, key, *, text, base_version, json_reply=True, **extra):
    data = {f"q-{key}-base_version": base_version, f"q-{key}-text": text, **extra}
    return client.post(answer_url(plan, key), data, **(JSON if json_reply else {}))


def test_autosave_answers_with_the_new_version_and_time(client, plan, editor):
    response = post_answer(client, plan, "question-1", text="<p>Draft</p>", base_version=0,
                           autosave="1")  # fmt: skip

    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert response.json()["saved_at"]


@pytest.mark.parametrize("revision", AUTOSAVE_QUERY_BUDGETS)
def test_an_autosave_costs_a_fixed_small_number_of_queries(client, plan, editor, revision):
    version = 0
    if revision == "coalesced":
        post_answer(client, plan, "question-1", text="<p>D</p>", base_version=0, autosave="1")
        version = 1
    data = {"q-question-1-base_version": version, "q-question-1-text": "<p>Draft</p>"}

    queries = post_queries(
        client, answer_url(plan, "question-1"), {**data, "autosave": "1"}, **JSON
    )

    assert queries <= AUTOSAVE_QUERY_BUDGETS[revision]


def test_a_stale_save_answers_409_with_the_current_version_and_text(client, plan, editor):
    post_answer(client, plan, "question-1", text="<p>First</p>", base_version=0)

    response = post_answer(client, plan, "question-1", text="<p>Second</p>", base_version=0)

    assert response.status_code == 409
    assert response.json()["conflict"]["version"] == 1
    assert response.json()["conflict"]["text"] == "<p>First</p>"


def test_the_conflict_page_shows_both_texts_and_keeps_the_editors_own(client, plan, editor):
    post_answer(client, plan, "question-1", text="<p>Their words</p>", base_version=0)

    response = post_answer(
        client, plan, "question-1", text="<p>My words</p>", base_version=0, json_reply=False
    )

    page = response.content.decode()
    assert response.status_code == 409
    # The same editor saved both: their other window, not someone else.
    assert "You saved this answer in another window or tab" in page
    assert "<p>Their words</p>" in page
    assert "&lt;p&gt;My words&lt;/p&gt;" in page  # still in the editor's textarea
    assert 'name="q-question-1-base_version" value="1"' in page


def test_an_over_long_answer_is_refused_on_the_field_and_the_text_kept(client, plan, editor):
    text = "<p>" + "x" * 100_010 + "</p>"

    response = post_answer(client, plan, "question-1", text=text, base_version=0,
                           json_reply=False)  # fmt: skip

    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert (
        "This answer is 100,017 characters long with its formatting (the hidden codes for "
        "paragraphs, headings, lists and links); the most an answer can hold is 100,000."
    ) in html.unescape(page)
    assert "x" * 1000 in page


def test_editing_a_question_you_do_not_own_is_refused_with_the_reason(client, plan, editor):
    response = post_answer(client, plan, "fair-shares", text="<p>No</p>", base_version=0)

    assert response.status_code == 403
    assert "completed by the PCT" in response.json()["refused"]


@pytest.mark.parametrize("json_reply", [True, False], ids=["json", "page"])
def test_a_forged_post_missing_its_version_to_a_question_you_do_not_own_says_why_not(
    client, plan, editor, json_reply
):
    # Not the form's "enter a whole number" on a page that shows the answer read-only, without
    # a field to put the message on.
    response = post_answer(client, plan, "fair-shares", text="<p>No</p>", base_version="",
                           json_reply=json_reply)  # fmt: skip

    assert response.status_code == 403
    refusal = response.json()["refused"] if json_reply else html.unescape(response.text)
    assert "completed by the PCT" in refusal


def test_table_rows_can_be_added_moved_and_removed(client, plan, editor):
    url = answer_url(plan, "practices")
    base = {"q-practices-base_version": 0, "q-practices-rows": 2}
    rows = {
        "q-practices-rows[0].name": "A",
        "q-practices-rows[0].code": "",
        "q-practices-rows[1].name": "B",
    }

    client.post(url, {**base, **rows, "row-action": "move-down-0"})
    client.post(url, {"q-practices-base_version": 1, "q-practices-rows": 2,
                      "q-practices-rows[0].name": "B", "q-practices-rows[1].name": "A",
                      "row-action": "add-row"})  # fmt: skip

    answer = plan.answers.get(question__key="practices")
    assert [row["name"] for row in answer.rows] == ["B", "A", ""]
    client.post(url, {"q-practices-base_version": 2, "q-practices-rows": 3,
                      "q-practices-rows[0].name": "B", "q-practices-rows[1].name": "A",
                      "q-practices-rows[2].name": "C", "row-action": "remove-row-0"})  # fmt: skip
    answer.refresh_from_db()
    assert [row["name"] for row in answer.rows] == ["A", "C"]


def test_a_plan_outside_your_consortium_answers_404(client, editor):
    other = plan_with_questions(questions=10)

    assert client.get(reverse("plan_detail", args=[other.pk])).status_code == 404
    assert client.get(answer_url(other, "question-1")).status_code == 404


def test_the_task_list_shows_numbers_owners_states_and_progress(client, plan, editor):
    post_answer(client, plan, "question-1", text="<p>Done</p>", base_version=0)

    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()

    assert "1 of 9 required questions completed." in page
    assert "2.1 Question 1" in page
    assert "For completion by the PCT" in page
    assert "Not started" in page


def test_the_task_list_says_whom_a_question_is_for_not_that_it_was_completed(client, plan, editor):
    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    hint = page.split('id="task-question-1-hint">')[1].split("</div>")[0]

    assert hint.startswith(f"For completion by {plan.consortium.name}")
    assert "Completed by" not in page


def test_demo_daccom_export_has_every_question_number_from_1_1_to_10(client):
    plan = demo_daccom_plan()
    client.force_login(User.objects.get(email="editor.daccom@example.org"))

    record = json.loads(client.get(reverse("plan_export_json", args=[plan.pk])).content)

    numbers = {q["number"] for part in record["parts"] for q in part["questions"]}
    numbers |= {s["number"] for part in record["parts"] for s in part["guidance_sections"]}
    expected = {"1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "10"}
    expected |= {f"4.{n}" for n in range(1, 6)} | {f"5.{n}" for n in range(1, 6)}
    expected |= {"6.1", "6.2"} | {f"7.{n}" for n in range(1, 10)}
    expected |= {f"8.{n}" for n in range(1, 5)} | {f"9.{n}" for n in range(1, 4)}
    assert expected <= numbers
    services_answer = next(
        q for part in record["parts"] for q in part["questions"] if q["number"] == "4.2"
    )
    assert "Clinical Assessment Service" in services_answer["answer"]["text"]
    assert services_answer["completed_by"] == "consortium"


@pytest.mark.parametrize("page", ["plan_detail", "part_detail"])
def test_page_queries_do_not_grow_with_questions_or_revisions(client, page):
    small = plan_with_questions(questions=10)
    large = plan_with_questions(questions=150)
    editor = UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=small.consortium)
    large.consortium = small.consortium
    large.save()
    client.force_login(editor)
    answer = large.answers.get(question__key="question-1")
    for version in range(1000):
        answer = services.answer_save(
            answer=answer, user=editor, base_version=version, text=f"<p>{version}</p>"
        )

    def url(plan):
        args = [plan.pk] if page == "plan_detail" else [plan.pk, "two"]
        return reverse(page, args=args)

    small_count, large_count = page_queries(client, url(small)), page_queries(client, url(large))

    assert small_count == large_count
    assert large_count <= 25


def test_starting_a_plan_costs_the_same_queries_however_long_its_form(monkeypatch):
    counted = []
    plan_create = services.plan_create

    def counting(**arguments):
        with CaptureQueriesContext(connection) as captured:
            plan = plan_create(**arguments)
        counted.append(len(captured))
        return plan

    monkeypatch.setattr(services, "plan_create", counting)
    short, long = plan_with_questions(questions=5), plan_with_questions(questions=40)

    assert counted[0] == counted[1]
    for plan, questions in ((short, 5), (long, 40)):
        assert plan.answers.count() == questions
        assert Answer.history.filter(plan=plan, history_type="+").count() == questions
        practices = plan.answers.get(question__key="practices")
        assert practices.prefilled == bool(practices.rows)


def test_the_new_plan_page_asks_for_the_form_and_shows_what_is_missing(client, plan, editor):
    page = client.get(reverse("plan_create")).content.decode()
    refused = client.post(reverse("plan_create"), {"title": ""})

    assert "<h1>Start a new plan</h1>" in page
    assert "filled in from your consortium's records" in page
    assert ">Create the plan</button>" in page
    assert refused.status_code == 200
    assert "There is a problem" in refused.content.decode()


@pytest.mark.parametrize("period", ["2008/10", "2008/07"])
def test_the_new_plan_page_refuses_what_is_no_plan_year_as_the_round_does(
    client, plan, editor, period
):
    refused = client.post(
        reverse("plan_create"), {"template": plan.template.pk, "period": period, "title": "Odd"}
    )

    assert refused.status_code == 200
    assert refused.context["form"].errors == {
        "period": ["Enter the plan year as two years one after the other, such as 2007/08."]
    }
    assert plan.consortium.plans.count() == 1


def test_a_refused_answer_without_script_starts_the_page_title_with_error(client, plan, editor):
    text = "<p>" + "x" * 100_010 + "</p>"

    response = post_answer(client, plan, "question-1", text=text, base_version=0,
                           json_reply=False)  # fmt: skip

    title = response.content.decode().split("<title>")[1]
    assert title.startswith("Error: ")


def test_an_answers_page_title_names_its_plan_as_the_plans_other_pages_do(client, plan, editor):
    # Two plans open in two tabs, a lead reviewing one year beside the last, tell apart.
    response = client.get(answer_url(plan, "question-1"))

    title = html.unescape(response.content.decode().split("<title>")[1].split("</title>")[0])
    assert title.startswith(f"2.1 Question 1 \u2013 {plan.title} \u2013 ")
