"""A plan's activity feed: what happened, who did it and when, newest first."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from consortia.models import User
from plans import history
from plans import services as plan_services
from plans.models import Plan, PlanEvent
from signoff import services
from signoff.models import Comment
from tests.factories import UserFactory
from tests.limits import bulk_revisions
from tests.review_factories import pct_only_comment, person, put_in_state, three_signatory_plan

Role = User.Role
Status = Plan.Status
pytestmark = pytest.mark.django_db
# session, user, plan, count, one page of lines (events and saves), its events, the header's link
QUERY_BUDGET = 7


def feed(client, plan, user, **params) -> str:
    client.force_login(user)
    response = client.get(reverse("plan_activity", args=[plan.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_feed_says_who_did_what_and_when_newest_first(client):
    plan = put_in_state(three_signatory_plan(), Status.IN_REVIEW)
    lead = person(Role.PCT_LEAD, plan, full_name="Jo Bloggs")
    editor = person(Role.CONSORTIUM_EDITOR, plan, full_name="Pat Manager")
    services.plan_request_changes(plan=plan, user=lead, summary="Section 4.2 needs figures.")
    services.plan_submit(plan=plan, user=editor)

    page = feed(client, plan, editor)

    asked = page.index("Jo Bloggs</strong> (PCT lead) asked for changes")
    submitted = page.index("Pat Manager</strong> (consortium editor) submitted the plan")
    assert submitted < asked
    assert "Section 4.2 needs figures." in page
    assert "Status: In review to Changes requested" in page
    event = PlanEvent.objects.filter(plan=plan).last()
    assert f"{event.created_at:%Y}" in page and " at " in page


def test_a_restore_in_the_feed_names_the_question_and_whose_version_came_back(client):
    plan = three_signatory_plan()
    editor = person(Role.CONSORTIUM_EDITOR, plan, full_name="Pat Manager")
    answer = plan.answers.select_related("question").get(question__key="question-1")
    first = plan_services.answer_save(
        answer=answer, user=editor, base_version=answer.version, text="<p>A</p>"
    )
    good = history.answer_revisions(first).first()
    second = plan_services.answer_save(
        answer=first, user=editor, base_version=first.version, text="<p>B</p>"
    )
    plan_services.answer_restore(
        answer=second, user=editor, history_id=good.history_id, base_version=second.version
    )
    label = f"{answer.question.number} {answer.question.title}"

    page = feed(client, plan, editor)

    assert f"restored an earlier version of {escape(label)}" in page
    assert "saved by Pat Manager" in page


def saved(answer, user, times: int = 1):
    for n in range(times):
        answer = plan_services.answer_save(
            answer=answer, user=user, base_version=answer.version, text=f"<p>Draft {n}</p>"
        )
    return answer


def test_the_feed_says_who_changed_which_answer_once_a_day_however_often_they_saved(client):
    plan = three_signatory_plan()
    editor = person(Role.CONSORTIUM_EDITOR, plan, full_name="Pat Manager")
    chair = person(Role.CONSORTIUM_EXECUTIVE_CHAIR, plan, full_name="Sam Chair")
    first, second = (
        plan.answers.select_related("question").get(question__key=key)
        for key in ("question-1", "question-2")
    )
    first = saved(first, editor, times=3)
    saved(second, editor)
    yesterday = timezone.now() - timedelta(days=1)
    history.answer_revisions(second).update(history_date=yesterday)
    saved(plan.answers.get(pk=second.pk), editor)
    saved(first, chair)

    page = feed(client, plan, person(Role.PCT_LEAD, plan))

    one, two = (f"{q.number} {q.title}" for q in (first.question, second.question))
    history_of = reverse("question_history", args=[plan.pk, "question-1"])
    assert (
        f'Pat Manager</strong> (consortium editor) <a href="{history_of}">'
        f"changed {one} (3 saves that day)</a>"
    ) in page
    assert f'Sam Chair</strong> (consortium executive chair) <a href="{history_of}">' in page
    assert page.count(f"changed {two}</a>") == 2  # one line for each day
    assert page.count("<li>") == 4
    sam, pat = page.index("Sam Chair</strong>"), page.index("Pat Manager</strong>")
    assert sam < pat  # newest first


def test_answer_saves_and_events_share_the_feeds_pages(client):
    plan = three_signatory_plan()
    editor = person(Role.CONSORTIUM_EDITOR, plan, full_name="Pat Manager")
    many_events(plan, editor, 49)
    for key in ("question-1", "question-2"):
        saved(plan.answers.get(question__key=key), editor)

    first, second = feed(client, plan, editor), feed(client, plan, editor, page=2)

    assert first.count("<li>") == 50 and second.count("<li>") == 1
    assert first.count("changed ") == 2
    assert "Event number 48" in first and "Event number 0" in second


def test_pct_only_comments_are_left_out_for_the_consortium_and_marked_for_the_pct(client):
    plan = put_in_state(three_signatory_plan(), Status.IN_REVIEW)
    lead = person(Role.PCT_LEAD, plan)
    editor = person(Role.CONSORTIUM_EDITOR, plan)
    asked = plan.template.questions.get(key="question-2")
    pct_only_comment(plan, lead, "Between us: their list sizes look old.", question=asked)
    services.comment_add(plan=plan, user=lead, body="Which year is this?", question=asked)

    consortium_sees = feed(client, plan, editor)
    pct_sees = feed(client, plan, person(Role.PCT_LEAD, plan))

    assert "Which year is this?" in consortium_sees
    assert "Between us" not in consortium_sees
    assert "Between us: their list sizes look old." in pct_sees
    assert "PCT only</strong>" in pct_sees
    assert f'href="/plans/{plan.pk}/questions/question-2/"' in pct_sees


def test_someone_outside_the_plan_cannot_see_its_feed(client):
    plan = three_signatory_plan()
    client.force_login(UserFactory(role=Role.CONSORTIUM_EDITOR))

    response = client.get(reverse("plan_activity", args=[plan.pk]))

    assert response.status_code == 404


def many_events(plan, actor, count: int) -> None:
    PlanEvent.objects.bulk_create(
        PlanEvent(
            plan=plan,
            kind=PlanEvent.Kind.COMMENT if n % 2 else PlanEvent.Kind.SNAPSHOT,
            action=Comment.Visibility.SHARED,
            actor=actor,
            question=plan.template.questions.get(key="question-1") if n % 2 else None,
            comment=f"Event number {n}",
        )
        for n in range(count)
    )


def test_the_feed_shows_fifty_a_page_for_a_fixed_number_of_queries(client):
    small, large = three_signatory_plan(), three_signatory_plan()
    many_events(small, person(Role.PCT_LEAD, small), 3)
    many_events(large, person(Role.PCT_LEAD, large), 130)
    writer = person(Role.CONSORTIUM_EDITOR, large)
    for answer in large.answers.all():
        bulk_revisions(answer, writer, 200)
    small_viewer, large_viewer = (person(Role.CONSORTIUM_EDITOR, p) for p in (small, large))

    def queries_for_feed(plan, viewer) -> int:
        feed(client, plan, viewer)  # Signs in and warms up; then count one request.
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("plan_activity", args=[plan.pk]))
        return len(queries)

    few, many = queries_for_feed(small, small_viewer), queries_for_feed(large, large_viewer)
    page = feed(client, large, large_viewer)
    last_page = feed(client, large, large_viewer, page=3)

    assert many == few <= QUERY_BUDGET
    assert page.count("<li>") == 50
    assert "Event number 129" in page and "Event number 79" not in page
    assert "Event number 0" in last_page and "Event number 30" not in last_page


HOSTILE_MARKUP = '<![><img src="]><img src=x onerror=alert(1)//">'


@pytest.mark.parametrize(
    "words",
    [f"Odd {HOSTILE_MARKUP} text", "Keep savings under £100k for 1.1, a<b>c; see <Appendix 2>"],
)
def test_a_comments_words_show_in_the_feed_as_written_with_markup_as_text(client, words):
    plan = put_in_state(three_signatory_plan(), Status.IN_REVIEW)
    lead = person(Role.PCT_LEAD, plan)
    asked = plan.template.questions.get(key="question-2")
    services.comment_add(plan=plan, user=lead, body=words, question=asked)

    page = feed(client, plan, lead)

    assert "commented on" in page
    assert escape(words) in page
    assert "<img" not in page
