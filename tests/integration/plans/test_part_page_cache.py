"""The part page's body cached whole (pbc/part_pages.py, docs/decisions/0423): a page found in
the cache is served from its key's few reads alone; whatever it shows changes, the next page
shows it at once; and no reader is ever served a body made for other rights."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from consortia.models import User
from plans import assignments, fragments, rounds, selectors
from plans import pages as plan_pages
from plans import services as plan_services
from plans.models import Answer, Plan, TemplatePart, TemplateQuestion
from signoff import selectors as review_selectors
from signoff import services as review_services
from tests import services as test_services
from tests.plan_factories import plan_with_questions
from tests.queries import page_queries
from tests.review_factories import person as person_in
from tests.review_factories import put_in_state
from tests.two_factor import signed_in

Role = User.Role
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

#: A cached page: the session, the reader, the plan, the key's reads (answers, practices,
#: participation, the part's holder, its comments), the reader's organisation for the menu,
#: and the savepoint of the page's snapshot inside the test's transaction.
HIT_QUERY_BUDGET = 12
DUE = datetime.date.today() + datetime.timedelta(days=30)


@pytest.fixture
def plan():
    return plan_with_questions(questions=4)


def first_question(plan) -> TemplateQuestion:
    return plan.template.questions.get(key="question-1")


def url(plan) -> str:
    return reverse("part_detail", args=[plan.pk, first_question(plan).part.key])


def page(client, plan) -> str:
    response = client.get(url(plan))
    assert response.status_code == 200
    return response.content.decode()


def answer_forms(html: str) -> int:
    return html.count('<form class="app-answer-form"')


def save(plan, user, text):
    answer = Answer.objects.get(plan=plan, question=first_question(plan))
    return plan_services.answer_save(
        answer=answer, user=user, text=text, base_version=answer.version
    )


def comment(plan, user, body, **extra):
    return review_services.comment_add(
        plan=plan, user=user, body=body, question=first_question(plan), **extra
    )


def refuse_building_the_page(monkeypatch):
    """Every read and presenter of a page being built raises: a cached page needs none."""

    def refused(*args, **kwargs):
        raise AssertionError("the page was built again")

    for module, name in (
        (plan_pages, "part_page"),
        (selectors, "parts_with_questions"),
        (selectors, "answers_by_question"),
        (selectors, "kind_context"),
        (assignments, "part_holder"),
        (review_selectors, "comment_threads"),
    ):
        monkeypatch.setattr(module, name, refused)
    monkeypatch.setattr("pbc.views.comment_threads", refused)


# --- A cached page is served from its key's reads -------------------------------------------


def test_a_cached_page_is_served_without_building_it_in_a_few_queries(plan, editor, monkeypatch):
    client = signed_in(editor)
    comment(plan, editor, "A thread to show")
    first = page(client, plan)
    refuse_building_the_page(monkeypatch)

    queries = page_queries(client, url(plan))
    again = page(client, plan)

    assert queries <= HIT_QUERY_BUDGET
    assert "A thread to show" in again and answer_forms(again) == answer_forms(first) > 0


def test_a_reader_with_the_same_rights_is_served_the_page_built_for_another(
    plan, editor, monkeypatch
):
    page(signed_in(editor), plan)
    refuse_building_the_page(monkeypatch)

    other = page(signed_in(person_in(Role.CONSORTIUM_EDITOR, plan)), plan)

    assert answer_forms(other) > 0


def test_a_published_forms_parts_are_read_once_per_process(plan, editor, monkeypatch):
    client = signed_in(editor)
    page(client, plan)
    cache.clear()

    def refused(*args, **kwargs):
        raise AssertionError("a published form's parts were read again")

    monkeypatch.setattr(selectors, "parts_with_questions", refused)

    assert answer_forms(page(client, plan)) > 0


# --- Whatever the page shows changes: the next page shows it ----------------------------------


def test_an_answer_saved_shows_at_once(plan, editor):
    client = signed_in(editor)
    page(client, plan)

    save(plan, editor, "<p>Written a moment ago</p>")

    assert "Written a moment ago" in page(client, plan)


def test_a_comment_a_reply_a_resolve_and_a_reopen_show_at_once(plan, editor, lead):
    client = signed_in(editor)
    page(client, plan)

    thread = comment(plan, lead, "Where does this figure come from?")
    assert "Where does this figure come from?" in page(client, plan)

    review_services.comment_reply(thread=thread, user=editor, body="From the 2005 audit")
    assert "From the 2005 audit" in page(client, plan)

    review_services.comment_resolve(thread=thread, user=lead)
    assert "Resolved by" in page(client, plan)

    review_services.comment_reopen(thread=thread, user=lead)
    assert "Resolved by" not in page(client, plan)


def test_a_pct_only_comment_never_reaches_a_consortium_reader(plan, editor, lead):
    reader = signed_in(editor)
    page(reader, plan)

    comment(plan, lead, "Between ourselves at the PCT", visibility="internal")

    assert "Between ourselves at the PCT" in page(signed_in(lead), plan)
    assert "Between ourselves at the PCT" not in page(reader, plan)
    assert "Between ourselves at the PCT" not in page(signed_in(editor), plan)


def test_a_readers_new_role_shows_at_once(plan, editor):
    client = signed_in(editor)
    assert answer_forms(page(client, plan)) > 0

    editor.role = Role.PCT_LEAD
    editor.commissioner = plan.consortium.commissioner
    editor.consortium = None
    editor.save()
    client.force_login(editor)

    assert answer_forms(page(client, plan)) == 0


def test_a_plan_sent_on_refuses_editing_at_once(plan, editor):
    client = signed_in(editor)
    assert answer_forms(page(client, plan)) > 0

    put_in_state(plan, Plan.Status.SUBMITTED)

    html = page(client, plan)
    assert answer_forms(html) == 0
    assert '<strong class="nhsuk-tag nhsuk-tag--white">Submitted</strong>' in html


def test_a_change_to_a_draft_form_shows_at_once(plan, editor):
    plan.template.status = plan.template.Status.DRAFT
    plan.template.save(update_fields=["status"])
    client = signed_in(editor)
    page(client, plan)

    TemplatePart.objects.filter(pk=first_question(plan).part_id).update(
        guidance="<p>Guidance added to the draft form</p>"
    )

    assert "Guidance added to the draft form" in page(client, plan)


def test_a_carried_answer_confirmed_shows_at_once(plan, editor):
    Answer.objects.filter(plan=plan, question=first_question(plan)).update(carried_forward=True)
    client = signed_in(editor)
    assert "Carried forward: check it" in page(client, plan)

    answer = Answer.objects.select_related("plan", "question").get(
        plan=plan, question=first_question(plan)
    )
    rounds.answer_confirm_carried(answer=answer, user=editor)  # keeps the answer's version

    assert "Carried forward: check it" not in page(client, plan)


def test_the_part_given_to_someone_shows_at_once(plan, editor):
    client = signed_in(editor)
    page(client, plan)

    assignments.assignment_set(
        plan=plan,
        part=first_question(plan).part,
        assignee=editor,
        due_on=DUE,
        user=editor,
    )

    assert f"Assigned to {editor.full_name}, due {DUE:%-d %B %Y}" in page(client, plan)


def test_a_commenters_new_name_shows_at_once(plan, editor, lead):
    comment(plan, lead, "Signed with a name")
    client = signed_in(editor)
    page(client, plan)

    User.objects.filter(pk=lead.pk).update(full_name="Renamed Lead")

    assert "Renamed Lead" in page(client, plan)


# --- Readers with different rights never share a page -----------------------------------------


def test_readers_with_different_rights_are_served_different_pages(plan, editor, lead):
    comment(plan, lead, "Between ourselves at the PCT", visibility="internal")
    as_lead = page(signed_in(lead), plan)

    as_editor = page(signed_in(editor), plan)

    assert answer_forms(as_editor) > 0 and answer_forms(as_lead) == 0
    assert "Between ourselves at the PCT" in as_lead
    assert "Between ourselves at the PCT" not in as_editor


def test_changed_since_your_last_review_is_the_reviewers_own(plan, editor, lead):
    other_lead = person_in(Role.PCT_LEAD, plan)
    put_in_state(plan, Plan.Status.IN_REVIEW)
    review_services.plan_request_changes(plan=plan, user=lead, summary="Please say more")
    save(plan, editor, "<p>More said</p>")
    page(signed_in(other_lead), plan)

    assert "Changed since your last review" in page(signed_in(lead), plan)
    assert "Changed since your last review" not in page(signed_in(other_lead), plan)


@pytest.mark.redis
def test_two_web_processes_on_one_redis_cache_show_each_others_changes_at_once(plan, editor):
    """Two clients on one Redis cache stand in for two web processes (as production runs)."""
    with test_services.one_redis_cache(f"test-part-page-{plan.pk}"):
        reader, writer = signed_in(editor), signed_in(person_in(Role.CONSORTIUM_EDITOR, plan))
        page(reader, plan)
        page(writer, plan)
        question = first_question(plan)
        response = writer.post(
            reverse("comment_add", args=[plan.pk]),
            {
                "question": question.key,
                f"comment-q-{question.key}-body": "Posted through the other",
            },
        )
        assert response.status_code == 302

        assert "Posted through the other" in page(reader, plan)
        cache.clear()


# --- The key's reads ------------------------------------------------------------------------


def test_a_compiled_query_reads_each_calls_own_rows(plan, editor):
    other = plan_with_questions(questions=2)
    versions = fragments.CompiledQuery(
        lambda plan: Answer.objects.filter(plan_id=plan).order_by("pk").values_list("plan_id")
    )

    assert {row[0] for row in versions.rows(plan=plan.pk)} == {plan.pk}
    assert {row[0] for row in versions.rows(plan=other.pk)} == {other.pk}


def test_a_compiled_query_refuses_a_parameter_it_would_not_use():
    everyone = fragments.CompiledQuery(lambda plan: Answer.objects.values_list("pk"))

    with pytest.raises(ValueError, match="every parameter"):
        everyone.rows(plan=1)


@pytest.mark.django_db(transaction=True)
def test_the_key_and_the_page_are_read_in_one_snapshot(monkeypatch):
    """Outside a test's transaction, as a web request runs: the key, and on a miss the page,
    are read inside one snapshot (plans.consistent_reads; its own test checks the isolation)."""
    plan = plan_with_questions(questions=4)
    client = signed_in(person_in(User.Role.CONSORTIUM_EDITOR, plan))
    snapshots = test_services.snapshots_taken(monkeypatch, "pbc.views")

    page(client, plan)
    page(client, plan)

    assert snapshots == [False, False], "each page, miss and hit, from the outermost snapshot"
