"""Review comments: on a question or a quoted passage, in threads, shared or PCT-only."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from consortia.models import User
from plans import services as plan_services
from plans.models import Answer, PlanEvent
from signoff import demo as signoff_demo
from signoff import services
from signoff.errors import Refused
from signoff.models import Comment
from signoff.presenters.comments import comment_threads
from signoff.selectors import comment_of
from tests.plan_factories import demo_daccom_plan_with_comments, plan_with_questions
from tests.queries import page_queries
from tests.review_factories import person

Role = User.Role
Kind = PlanEvent.Kind
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
ANSWER = "<p>We will cut <strong>outpatient</strong> follow-ups by 10% through the CAS.</p>"


@pytest.fixture
def plan():
    return plan_with_questions(questions=10)


def answered(plan, editor, key="question-1", text=ANSWER) -> Answer:
    answer = plan.answers.get(question__key=key)
    return plan_services.answer_save(
        answer=answer, user=editor, base_version=answer.version, text=text
    )


def practice_listed(plan, editor, *, name: str, code: str) -> Answer:
    """The practices table answered with one row: the practice ``name`` and its ``code``."""
    answer = plan.answers.get(question__key="practices")
    return plan_services.answer_save(
        answer=answer, user=editor, base_version=answer.version, rows=[{"name": name, "code": code}]
    )


def question(plan, key="question-1"):
    return plan.template.questions.get(key=key)


def new_thread(plan, user, body: str, key: str = "question-1", **extra) -> Comment:
    """``user`` starts a thread on question ``key`` (``extra``: its quote or visibility)."""
    return services.comment_add(
        plan=plan, user=user, body=body, question=question(plan, key), **extra
    )


def part_url(plan, part="two"):
    return reverse("part_detail", args=[plan.pk, part])


def part_page(client, user, plan, part="two") -> str:
    client.force_login(user)
    response = client.get(part_url(plan, part))
    assert response.status_code == 200
    return response.content.decode()


def thread_html(page: str, comment: Comment) -> str:
    match = re.search(rf'<article [^>]*id="comment-{comment.pk}".*?</article>', page, re.S)
    assert match, f"comment {comment.pk} is not on the page"
    return match.group(0)


def _task_hint(page: str, key: str) -> str:
    return re.search(rf'id="task-{key}-hint">(.*?)</div>', page).group(1)


def post_comment(client, plan, key, *, body, quote="", visibility=None, target="question"):
    prefix = f"comment-{'q' if target == 'question' else 'p'}-{key}"
    data = {target: key, f"{prefix}-body": body, f"{prefix}-quote": quote}
    if visibility:
        data[f"{prefix}-visibility"] = visibility
    return client.post(reverse("comment_add", args=[plan.pk]), data)


# --- Adding, replying, resolving, reopening -----------------------------------------------------


def test_a_pct_lead_comments_on_a_passage_and_the_editor_sees_it_with_its_quote(
    client, plan, editor, lead
):
    answer = answered(plan, editor)
    client.force_login(lead)

    response = post_comment(
        client, plan, "question-1", body="Which follow-ups?", quote="outpatient follow-ups by 10%"
    )

    assert response.status_code == 302
    assert response["Location"] == part_url(plan) + "#question-question-1"
    comment = Comment.objects.get()
    assert (comment.author, comment.question.key, comment.quote) == (
        lead,
        "question-1",
        "outpatient follow-ups by 10%",
    )
    assert comment.answer_version == answer.version
    assert comment.visibility == Comment.Visibility.SHARED
    event = plan.events.get(kind=Kind.COMMENT)
    assert (event.actor, event.question, event.comment, comment_of(event)) == (
        lead,
        comment.question,
        "Which follow-ups?",
        comment,
    )
    thread = thread_html(part_page(client, editor, plan), comment)
    assert "Which follow-ups?" in thread
    assert '<span class="app-comment-quote__text">outpatient follow-ups by 10%</span>' in thread
    assert "PCT lead (reviewer)" in thread
    assert "Outdated" not in thread


def test_a_null_character_in_a_comment_is_refused_on_its_form_keeping_what_was_typed(
    client, plan, editor, lead
):
    answered(plan, editor)
    client.force_login(lead)

    response = post_comment(client, plan, "question-1", body="Which\x00 follow-ups?")

    page = response.content.decode()
    assert response.status_code == 400
    assert (
        '<a href="#id_comment-q-question-1-body">Your comment holds a character that cannot be '
        "stored" in page
    )
    assert "Which\x00 follow-ups?</textarea>" in page
    assert not Comment.objects.exists()


def test_replies_resolve_and_reopen_each_recorded_for_the_question(client, plan, editor, lead):
    answered(plan, editor)
    thread = new_thread(plan, lead, "Evidence?")
    client.force_login(editor)

    replied = client.post(
        reverse("comment_reply", args=[thread.pk]), {f"reply-{thread.pk}-body": "See 4.3."}
    )
    client.force_login(lead)
    resolved = client.post(reverse("comment_resolve", args=[thread.pk]))
    thread.refresh_from_db()
    resolved_by = thread.resolved_by
    reopened = client.post(reverse("comment_reopen", args=[thread.pk]))

    for response in (replied, resolved, reopened):
        assert response.status_code == 302
        assert response["Location"].endswith("#question-question-1")
    reply = thread.replies.get()
    assert (reply.author, reply.body, reply.question_id) == (editor, "See 4.3.", thread.question_id)
    assert resolved_by == lead
    thread.refresh_from_db()
    assert thread.resolved_at is None and thread.resolved_by is None
    events = list(plan.events.order_by("created_at", "pk"))
    assert [e.kind for e in events if e.kind != Kind.TRANSITION] == [
        Kind.COMMENT,
        Kind.REPLY,
        Kind.COMMENT_RESOLVED,
        Kind.COMMENT_REOPENED,
    ]
    assert all(e.question_id == thread.question_id for e in events)


def test_a_resolved_thread_shows_who_resolved_it_and_offers_reopen_not_reply(
    client, plan, editor, lead
):
    thread = new_thread(plan, lead, "Typo.")
    services.comment_resolve(thread=thread, user=editor)

    html = thread_html(part_page(client, lead, plan), thread)

    assert "Resolved</strong>" in html
    assert f"Resolved by {editor.full_name} on" in html
    assert reverse("comment_reopen", args=[thread.pk]) in html
    assert reverse("comment_reply", args=[thread.pk]) not in html
    with pytest.raises(Refused, match=f"{editor.full_name} resolved this comment on"):
        services.comment_resolve(thread=thread, user=lead)
    with pytest.raises(Refused, match="Reopen it to reply"):
        services.comment_reply(thread=thread, user=lead, body="More.")


def test_a_pct_lead_comments_on_the_forms_guidance(client):
    plan = demo_daccom_plan_with_comments()
    lead = User.objects.get(email=signoff_demo.DEMO_REVIEWER)
    client.force_login(lead)

    response = post_comment(
        client,
        plan,
        "introduction",
        target="part",
        body="Agreed.",
        quote="this document does not represent a legally binding agreement",
    )

    assert response.status_code == 302
    assert response["Location"].endswith("/parts/introduction/#comments-introduction")
    comment = Comment.objects.get(body="Agreed.")
    assert comment.part.key == "introduction" and comment.question is None


# --- Who may comment, and who sees what ---------------------------------------------------------


def test_people_without_the_comment_permission_are_refused(plan, editor):
    admin = person(Role.SITE_ADMIN, plan)
    elsewhere = plan_with_questions(questions=4)
    outsider = person(Role.CONSORTIUM_EDITOR, elsewhere)
    thread = new_thread(plan, editor, "Check.")

    for user in (admin, outsider):
        with pytest.raises(Refused, match="can comment on this plan"):
            new_thread(plan, user, "Hello")
        with pytest.raises(Refused, match="can comment on this plan"):
            services.comment_reply(thread=thread, user=user, body="Hello")
        with pytest.raises(Refused, match="can comment on this plan"):
            services.comment_resolve(thread=thread, user=user)
    assert Comment.objects.count() == 1


def test_comments_on_a_plan_outside_the_users_scope_are_404(client, plan, editor):
    thread = new_thread(plan, editor, "Ours.")
    outsider = person(Role.PCT_LEAD, plan_with_questions(questions=4))
    client.force_login(outsider)

    responses = [
        post_comment(client, plan, "question-1", body="Theirs."),
        client.post(reverse("comment_reply", args=[thread.pk]), {f"reply-{thread.pk}-body": "x"}),
        client.post(reverse("comment_resolve", args=[thread.pk])),
        client.post(reverse("comment_reopen", args=[thread.pk])),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert Comment.objects.count() == 1


def test_the_site_administrator_reads_comments_but_may_not_write_them(client, plan, editor):
    new_thread(plan, editor, "Visible to all.")
    admin = person(Role.SITE_ADMIN, plan)

    page = part_page(client, admin, plan)
    response = post_comment(client, plan, "question-1", body="Admin here.")

    assert "Visible to all." in page
    assert "Comment on this question" not in page
    assert response.status_code == 403


def test_pct_only_threads_are_never_shown_to_the_consortium(client, plan, editor, lead):
    shared = new_thread(plan, lead, "For all.")
    internal = new_thread(
        plan, lead, "Between us: the figures look thin.", visibility=Comment.Visibility.INTERNAL
    )
    services.comment_reply(thread=internal, user=lead, body="Agreed, ask finance.")
    chief = person(Role.PCT_CHIEF_EXECUTIVE, plan)

    editor_page = part_page(client, editor, plan)
    editor_tasks = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    editor_activity = client.get(reverse("plan_activity", args=[plan.pk])).content.decode()
    editor_reply = client.post(
        reverse("comment_reply", args=[internal.pk]), {f"reply-{internal.pk}-body": "Hi"}
    )
    chief_page = part_page(client, chief, plan)
    lead_tasks = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()

    assert "For all." in editor_page
    assert "figures look thin" not in editor_page and "ask finance" not in editor_page
    assert "PCT only" not in editor_page  # not even the choice: consortium comments are shared
    assert _task_hint(editor_tasks, "question-1").endswith("· 1 open comment")
    assert "figures look thin" not in editor_activity
    assert editor_reply.status_code == 404
    assert "figures look thin" in thread_html(chief_page, internal)
    assert "PCT only</strong>" in thread_html(chief_page, internal)
    assert "PCT only</strong>" not in thread_html(chief_page, shared)
    assert _task_hint(lead_tasks, "question-1").endswith("· 2 open comments")
    assert internal.replies.get().visibility == Comment.Visibility.INTERNAL


def test_consortium_people_cannot_keep_a_comment_from_the_consortium(client, plan, editor):
    with pytest.raises(Refused, match="Only PCT staff"):
        new_thread(plan, editor, "Secret?", visibility=Comment.Visibility.INTERNAL)
    client.force_login(editor)

    post_comment(client, plan, "question-1", body="Posted.", visibility="internal")

    assert Comment.objects.get().visibility == Comment.Visibility.SHARED


def test_pct_people_choose_who_sees_their_comment(client, plan, lead):
    page = part_page(client, lead, plan)

    assert 'name="comment-q-question-1-visibility" type="radio" value="internal"' in page
    response = post_comment(
        client, plan, "question-1", body="Internal note.", visibility="internal"
    )

    assert response.status_code == 302
    assert Comment.objects.get().visibility == Comment.Visibility.INTERNAL
    assert comment_of(plan.events.get(kind=Kind.COMMENT)) == Comment.objects.get()


# --- Quotes and outdated passages ---------------------------------------------------------------


def test_a_quote_not_in_the_answer_is_refused_below_the_answer_to_quote_from_with_the_text_kept(
    client, plan, editor, lead
):
    answered(plan, editor)
    client.force_login(lead)

    response = post_comment(
        client, plan, "question-1", body="My careful remark.", quote="cut inpatient stays"
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert 'href="#id_comment-q-question-1-quote"' in page
    assert "The words you quoted are not in the answer to 2.1 as it stands now" in page
    assert "or press Quote a passage" in page, "the way to quote from the keyboard is named"
    assert "cut inpatient stays</textarea>" in page
    assert not Comment.objects.exists()
    heading = page.index("The answer to 2.1 as it stands now</h2>")
    passage = page.index("We will cut <strong>outpatient</strong> follow-ups by 10%")
    form = page.index("My careful remark.</textarea>")
    assert heading < passage < form


def test_a_refused_quote_from_a_table_shows_its_cells(client, plan, editor, lead):
    practice_listed(plan, editor, name="Gade House Surgery", code="E82031")
    client.force_login(lead)

    response = post_comment(client, plan, "practices", body="Which code?", quote="E99999")

    page = response.content.decode()
    assert response.status_code == 400
    assert '<th scope="col" class="nhsuk-table__header">Practice</th>' in page
    assert '<td class="nhsuk-table__cell">Gade House Surgery</td>' in page
    assert "Which code?</textarea>" in page


def test_quotes_are_matched_as_the_reader_sees_the_text(plan, editor, lead):
    answered(
        plan,
        editor,
        text="<p>The PCT\u2019s \u201cplan\u201d  is <em>ours</em>&nbsp;too &amp; more.</p>"
        "<ul><li>One</li><li>Two</li></ul>",
    )

    comment = new_thread(
        plan, lead, "Fine.", quote=' The PCT\'s "plan" is ours too & more. One\nTwo '
    )

    assert comment.quote == 'The PCT\'s "plan" is ours too & more. One Two'


def test_a_quote_from_a_table_answer_is_found_in_its_cells(plan, editor, lead):
    practice_listed(plan, editor, name="Boxwell Road Surgery", code="E82001")

    comment = new_thread(
        plan, lead, "Is this the main site?", "practices", quote="Boxwell Road Surgery"
    )

    assert comment.quote == "Boxwell Road Surgery"


#: A PCT's typed table (not DacCom's form): its cells print as "£15,000", "1 April 2007", "Yes".
SCHEMES = [
    {"key": "scheme", "label": "Scheme"},
    {"key": "starts", "label": "Start date", "type": "date"},
    {"key": "budget", "label": "Budget (£)", "type": "money", "total": "sum"},
    {"key": "funded", "label": "Funded", "type": "yes_no"},
    {"key": "share", "label": "Practices' share", "type": "percent"},
]
FALLS = {"scheme": "Falls prevention", "starts": "2007-04-01", "budget": "15000",
         "funded": "yes", "share": "70"}  # fmt: skip


def schemes_listed(plan, editor) -> Answer:
    """Question 1.1 made the typed schemes table and answered with the falls scheme."""
    answer = plan.answers.select_related("question").get(question__key="practices")
    answer.question.columns = SCHEMES
    answer.question.save(update_fields=["columns"])
    return plan_services.answer_save(
        answer=answer, user=editor, base_version=answer.version, rows=[FALLS]
    )


@pytest.mark.parametrize(
    "quote",
    ["1 April 2007", "£15,000", "Yes", "70%", "Falls prevention 1 April 2007", " Yes\n70% "],
)
def test_a_typed_tables_cells_are_quoted_as_the_page_shows_them(client, plan, editor, lead, quote):
    schemes_listed(plan, editor)
    client.force_login(lead)

    response = post_comment(client, plan, "practices", body="Is this funded?", quote=quote)

    assert response.status_code == 302
    assert Comment.objects.get().quote == " ".join(quote.split())


def test_a_typed_tables_cells_are_still_quoted_as_stored_but_not_across_both_readings(
    plan, editor, lead
):
    schemes_listed(plan, editor)

    comment = new_thread(plan, lead, "Whole pounds?", "practices", quote="15000")

    assert comment.quote == "15000"
    with pytest.raises(Refused, match="The words you quoted are not in the answer to 1"):
        new_thread(plan, lead, "Across?", "practices", quote="£15,000 Falls prevention 2007-04-01")


def test_a_quote_of_a_typed_cell_as_shown_is_not_outdated_on_the_part_page(
    client, plan, editor, lead
):
    schemes_listed(plan, editor)
    thread = new_thread(plan, lead, "Is 70% agreed?", "practices", quote="70%")

    assert "Outdated" not in thread_html(part_page(client, editor, plan, "one"), thread)


def test_a_comment_is_outdated_when_its_passage_changes_and_keeps_its_original_quote(
    client, plan, editor, lead
):
    answer = answered(plan, editor)
    thread = new_thread(plan, lead, "Why 10%?", quote="by 10%")
    before = thread_html(part_page(client, editor, plan), thread)

    plan_services.answer_save(
        answer=answer,
        user=editor,
        base_version=answer.version,
        text="<p>We will cut outpatient follow-ups by 15% through the CAS.</p>",
    )
    after = thread_html(part_page(client, editor, plan), thread)

    assert "Outdated" not in before
    assert "Outdated: the passage has changed" in after
    assert '<span class="app-comment-quote__text">by 10%</span>' in after
    assert "Why 10%?" in after
    thread.refresh_from_db()
    assert thread.quote == "by 10%"
    assert thread.answer_version == answer.version


# --- What is typed --------------------------------------------------------------------------------


def test_an_over_long_comment_is_refused_with_the_text_kept(client, plan, lead):
    client.force_login(lead)
    body = "Too long. " * 1_005

    response = post_comment(client, plan, "question-1", body=body)

    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert 'href="#id_comment-q-question-1-body"' in page
    assert "a comment can have at most 10,000" in page
    assert body.strip() in page
    assert not Comment.objects.exists()


def test_an_empty_reply_is_refused_on_its_own_page_with_the_thread_shown(client, plan, lead):
    thread = new_thread(plan, lead, "First.")
    client.force_login(lead)

    response = client.post(
        reverse("comment_reply", args=[thread.pk]), {f"reply-{thread.pk}-body": "   "}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and "Enter your reply" in page
    assert "First." in page
    assert f'href="#id_reply-{thread.pk}-body"' in page


def test_a_refused_reply_shows_a_thread_whose_passage_still_stands_as_current(
    client, plan, editor, lead
):
    answered(plan, editor)
    thread = new_thread(plan, lead, "Which ones?", quote="outpatient follow-ups by 10%")
    client.force_login(lead)

    response = client.post(
        reverse("comment_reply", args=[thread.pk]), {f"reply-{thread.pk}-body": ""}
    )

    assert response.status_code == 400
    assert "outpatient follow-ups by 10%" in response.content.decode()
    assert "Outdated" not in response.content.decode()


def test_html_in_a_comment_is_shown_as_text_with_its_line_breaks(client, plan, editor, lead):
    body = '<script>alert("x")</script><img src=x onerror=alert(1)>\nSecond line'
    thread = new_thread(plan, lead, body)

    html = thread_html(part_page(client, editor, plan), thread)

    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x" in html
    assert "<br>Second line" in html
    assert thread.body == body


# --- Page cost ----------------------------------------------------------------------------------


def _threads(plan, lead, editor, count: int) -> None:
    questions = list(plan.template.questions.filter(part__key="two"))
    for n in range(count):
        thread = Comment.objects.create(
            plan=plan, question=questions[n % len(questions)], author=lead, body=f"Thread {n}"
        )
        for m in range(2):
            Comment.objects.create(
                plan=plan,
                question=thread.question,
                parent=thread,
                author=editor if m else lead,
                body=f"Reply {n}.{m}",
            )


def test_the_part_page_reads_the_same_number_of_queries_for_1_or_50_threads(
    client, plan, editor, lead
):
    other = plan_with_questions(questions=10)
    other_lead = person(Role.PCT_LEAD, other)
    other_editor = person(Role.CONSORTIUM_EDITOR, other)
    _threads(plan, lead, editor, 1)
    _threads(other, other_lead, other_editor, 50)
    client.force_login(lead)
    page_queries(client, part_url(plan))  # the form's parts are read once per process
    cache.clear()  # the page is built afresh each time: a cached one reads no threads
    one = page_queries(client, part_url(plan))
    client.force_login(other_lead)
    page_queries(client, part_url(other))
    cache.clear()
    fifty = page_queries(client, part_url(other))

    page = client.get(part_url(other)).content.decode()
    assert page.count('class="app-comment-thread') == 50
    assert page.count('class="app-comment-reply"') == 100
    assert fifty == one


def test_the_task_list_counts_open_comments_per_question(client, plan, editor, lead):
    for body in ("One", "Two"):
        new_thread(plan, lead, body)
    done = new_thread(plan, lead, "Done")
    services.comment_resolve(thread=done, user=lead)
    client.force_login(editor)

    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()

    assert _task_hint(page, "question-1").endswith("· 2 open comments")


# --- The demo's seed comments -------------------------------------------------------------------


def test_every_seed_comment_is_anchored_on_its_passage_in_the_demo_plan(client):
    plan = demo_daccom_plan_with_comments()
    editor = User.objects.get(email="editor.daccom@example.org")
    comments = list(Comment.objects.filter(plan=plan).select_related("question", "part"))

    assert len(comments) == 8
    assert {c.author.email for c in comments} == {signoff_demo.DEMO_REVIEWER}
    pages = {}
    for comment in comments:
        part = comment.part or comment.question.part
        if part.key not in pages:
            pages[part.key] = part_page(client, editor, plan, part.key)
        html = thread_html(pages[part.key], comment)
        assert "Outdated" not in html
        assert comment.quote in html
    intro = pages["introduction"]
    quote = intro.index('quote__text">To ensure that only those patients that need it are')
    remark = intro.index("Whose definition of")
    assert 0 < remark - quote < 600
    assert intro.index('id="comments-introduction"') < quote
    services_page = pages["commissioning-objectives"]
    section = services_page[services_page.index('id="question-services-to-be-commissioned"') :]
    assert section.index("YES strongly agree with this.") < section.index("</section>")


def test_loading_the_seed_comments_again_adds_nothing(client):
    plan = demo_daccom_plan_with_comments()
    events = plan.events.filter(kind=Kind.COMMENT).count()

    signoff_demo.load_demo_comments()

    assert Comment.objects.filter(plan=plan).count() == 8
    assert plan.events.filter(kind=Kind.COMMENT).count() == events == 8


def test_a_seed_comment_whose_quote_is_not_in_the_text_stops_the_load(client):
    plan = demo_daccom_plan_with_comments()
    lead = User.objects.get(email=signoff_demo.DEMO_REVIEWER)
    definition = {
        "comments": [
            {"question": "financial-targets", "quote": "words nobody wrote", "body": "Hmm."}
        ]
    }

    with pytest.raises(signoff_demo.SeedCommentNotAnchored, match="financial-targets"):
        signoff_demo.load_comments(plan, definition, lead)
    assert not Comment.objects.filter(body="Hmm.").exists()


def test_the_presenter_marks_outdated_pct_only_and_permitted_actions(plan, editor, lead):
    answer = answered(plan, editor)
    thread = new_thread(
        plan, lead, "Internal.", quote="through the CAS", visibility=Comment.Visibility.INTERNAL
    )
    answer.text = "<p>Rewritten.</p>"
    part = plan.template.parts.get(key="two")

    view = comment_threads(plan, lead, {answer.question_id: answer}, part)

    block = view.for_question(answer.question_id)
    (shown,) = block.threads
    assert (shown.pk, shown.outdated, shown.internal, shown.resolved) == (
        thread.pk,
        True,
        True,
        False,
    )
    assert (shown.may_reply, shown.may_resolve, shown.may_reopen) == (True, True, False)
    assert block.open_count == 1
    assert comment_threads(plan, editor, {}, part).for_question(answer.question_id).threads == []
