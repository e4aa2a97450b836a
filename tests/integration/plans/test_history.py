from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consortia.models import User
from plans import history, services
from plans.errors import AnswerInvalid
from plans.models import Answer, Plan, PlanEvent, PlanSnapshot
from tests.factories import UserFactory
from tests.limits import bulk_revisions
from tests.plan_factories import plan_with_every_kind, plan_with_questions
from tests.queries import page_queries

pytestmark = pytest.mark.django_db
HistoricalAnswer = Answer.history.model
HISTORY_QUERY_BUDGET = 12


@pytest.fixture
def plan():
    return plan_with_questions(questions=10)


@pytest.fixture
def editor(plan):
    return UserFactory(
        role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium, full_name="Jane Editor"
    )


@pytest.fixture
def lead(plan):
    return UserFactory(
        role=User.Role.PCT_LEAD,
        consortium=None,
        commissioner=plan.consortium.commissioner,
        full_name="John Phipps",
    )


def save(answer, user, **content) -> Answer:
    return services.answer_save(answer=answer, user=user, base_version=answer.version, **content)


def answer_of(plan, key="question-1") -> Answer:
    return plan.answers.select_related("question").get(question__key=key)


def page(client, name, *args, **params):
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def newest_compared(client, answer) -> str:
    """The question's history page comparing the answer's newest version with the one before."""
    return page(client, "question_history", answer.plan_id, answer.question.key,
                to=history.answer_revisions(answer)[0].history_id)  # fmt: skip


def saved_twice(plan, editor, first: str = "<p>One</p>", second: str = "<p>Two</p>"):
    """question-1 saved by ``editor`` as ``first`` then ``second``: the answer, and the revision
    holding ``first``."""
    answer = save(save(answer_of(plan), editor, text=first), editor, text=second)
    return answer, history.answer_revisions(answer)[1]


def restore_confirmed(client, plan, revision, *, base_version: int):
    """The restore page for ``revision`` of question-1, and the response to confirming it."""
    confirm = page(client, "answer_restore", plan.pk, "question-1", revision.history_id)
    url = reverse("answer_restore", args=[plan.pk, "question-1", revision.history_id])
    return confirm, client.post(url, {"base_version": base_version})


# --- History pages -----------------------------------------------------------------------


def test_the_question_history_lists_each_version_with_who_and_when(client, plan, editor):
    answer = save(answer_of(plan), editor, text="<p>First draft</p>")
    save(answer, editor, text="<p>Second draft</p>")
    client.force_login(editor)

    html = page(client, "question_history", plan.pk, "question-1")

    assert "3 versions" in html  # the empty answer the plan started with, then two saves
    assert html.count(">Jane Editor</td>") == 2
    assert html.count(">Saved<") == 2
    assert timezone.localtime().strftime("%Y") in html
    assert 'name="from"' in html and 'name="to"' in html


def test_the_plan_history_lists_changes_to_every_question_newest_first(client, plan, editor):
    save(answer_of(plan, "question-1"), editor, text="<p>One</p>")
    save(answer_of(plan, "question-2"), editor, text="<p>Two</p>")
    client.force_login(editor)

    html = page(client, "plan_history", plan.pk)

    assert html.index("2.2 Question 2") < html.index("2.1 Question 1")
    assert html.count(">Jane Editor</span></td>") == 2  # each row's cell, stacked on a phone
    assert reverse("question_history", args=[plan.pk, "question-1"]) in html


def test_comparing_two_versions_shows_the_words_added_and_removed(client, plan, editor):
    first = save(answer_of(plan), editor, text="<p>We will audit referrals monthly.</p>")
    save(first, editor, text="<p>We will audit all referrals quarterly.</p>")
    old, new = history.answer_revisions(first)[1], history.answer_revisions(first)[0]
    client.force_login(editor)

    html = page(client, "question_history", plan.pk, "question-1", **{
        "from": old.history_id, "to": new.history_id})  # fmt: skip

    assert "Changes from version 1 to version 2" in html
    assert '<span class="nhsuk-u-visually-hidden">added: </span>all' in html
    assert '<span class="nhsuk-u-visually-hidden">removed: </span>monthly.' in html
    assert "<ins" in html and "<del" in html
    assert "2 words added, 1 word removed" in html


def test_show_changes_on_one_version_compares_it_with_the_version_before(client, plan, editor):
    answer, _first = saved_twice(plan, editor, "<p>Alpha</p>", "<p>Alpha beta</p>")
    client.force_login(editor)

    html = newest_compared(client, answer)

    assert "Changes from version 1 to version 2" in html
    assert "added: </span>beta" in html


def test_a_version_that_only_underlined_words_is_said_to_have_changed_their_formatting(
    client, plan, editor
):
    answer, _first = saved_twice(
        plan, editor, "<p>Agreed with the PCT.</p>", "<p>Agreed <u>with the PCT</u>.</p>"
    )
    client.force_login(editor)

    html = newest_compared(client, answer)

    assert "Changes from version 1 to version 2" in html
    assert "The same words, formatted differently." in html
    assert "No changes" not in html


def test_answer_markup_reaches_the_comparison_escaped(client, plan, editor):
    answer = save(answer_of(plan), editor, text="<p>&lt;img src=x onerror=alert(1)&gt;</p>")
    client.force_login(editor)

    html = newest_compared(client, answer)

    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img src=x" not in html


def test_comparing_tables_shows_rows_added_removed_and_changed_cells(client, plan, editor):
    answer = answer_of(plan, "practices")
    answer = save(answer, editor, rows=[{"name": "Abbey", "code": "A1"},
                                        {"name": "Bridge", "code": "B1"}])  # fmt: skip
    answer = save(answer, editor, rows=[{"name": "Abbey", "code": "A2"},
                                        {"name": "Canal", "code": "C1"},
                                        {"name": "Bridge", "code": "B1"}])  # fmt: skip
    client.force_login(editor)

    html = newest_compared(client, answer)

    assert "1 row added, 1 row changed" in html
    assert "Rows that changed (1 other row unchanged)" in html
    assert '<ins class="app-diff__added">Canal</ins>' in html
    assert "removed: </span>A1</del>" in html and "added: </span>A2</ins>" in html


def test_comparing_structured_answers_shows_figures_as_the_plan_page_does(client, editor):
    plan = plan_with_every_kind(consortium=editor.consortium)
    target = {"code": "1.1", "title": "CAS", "planned_saving": "100000"}
    answer = save(answer_of(plan, "projects"), editor, data={"projects": [
        {"number": "1", "title": "Outpatients", "leads": [], "targets": [target]}]})  # fmt: skip
    target["planned_saving"] = "111111.5"
    answer = save(answer, editor, data={"projects": [
        {"number": "1", "title": "Outpatients", "leads": [], "targets": [target]}]})  # fmt: skip
    client.force_login(editor)

    html = newest_compared(client, answer)

    assert "£100,000" in html and "£111,111.50" in html
    assert "111111" not in html


def test_a_revision_of_another_answer_cannot_be_compared_here(client, plan, editor):
    other = save(answer_of(plan, "question-2"), editor, text="<p>Elsewhere</p>")
    client.force_login(editor)

    response = client.get(
        reverse("question_history", args=[plan.pk, "question-1"]),
        {"to": history.answer_revisions(other)[0].history_id},
    )

    assert response.status_code == 404


def test_history_and_drafts_pages_of_another_consortiums_plan_are_404(client, plan, editor):
    stranger = UserFactory(role=User.Role.CONSORTIUM_EDITOR)  # another consortium
    client.force_login(stranger)
    answer = answer_of(plan)
    revision = history.answer_revisions(answer)[0]
    urls = [
        reverse("plan_history", args=[plan.pk]),
        reverse("question_history", args=[plan.pk, "question-1"]),
        reverse("answer_restore", args=[plan.pk, "question-1", revision.history_id]),
        reverse("plan_drafts", args=[plan.pk]),
        reverse("drafts_compare", args=[plan.pk]) + "?from=current&to=current",
    ]

    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
    response = client.post(urls[2], {"base_version": answer.version})
    assert response.status_code == 404
    assert answer_of(plan).version == answer.version


# --- Restore -----------------------------------------------------------------------------


def test_restoring_puts_the_old_text_back_as_a_new_revision(client, plan, editor):
    answer, good = saved_twice(plan, editor, "<p>The good version</p>", "<p>A worse version</p>")
    revisions_before = history.answer_revisions(answer).count()
    client.force_login(editor)

    confirm, response = restore_confirmed(client, plan, good, base_version=answer.version)

    assert "Restore this version" in confirm
    assert "added: </span>The good version" in confirm
    assert response.status_code == 302
    restored = answer_of(plan)
    assert restored.text == "<p>The good version</p>"
    assert restored.version == answer.version + 1
    assert history.answer_revisions(restored).count() == revisions_before + 1
    latest = history.answer_revisions(restored)[0]
    assert latest.history_change_reason.startswith("restored revision from ")
    assert latest.history_user == editor
    assert PlanEvent.objects.filter(plan=plan, kind="restore", actor=editor).exists()
    assert "Restored the version from" in page(client, "question_history", plan.pk, "question-1")


def test_the_restore_page_names_the_question_and_who_saved_the_version(client, plan, editor):
    answer, good = saved_twice(plan, editor)
    client.force_login(editor)

    confirm, response = restore_confirmed(client, plan, good, base_version=answer.version)

    assert "<h1>Restore an earlier version of 2.1 Question 1?</h1>" in confirm
    listed = page(client, "question_history", plan.pk, "question-1")
    assert f"(version {good.version}, saved by Jane Editor on " in listed
    assert f"saved by Jane Editor on {history.revision_when(good)}" in confirm
    assert "saved by Jane Editor on" in client.get(response.url).content.decode()
    restored = history.answer_revisions(answer_of(plan))[0]
    assert history.revision_what(restored) == (
        f"Restored the version from {history.revision_when(good)}, saved by Jane Editor"
    )
    event = PlanEvent.objects.get(plan=plan, kind="restore")
    assert event.question.key == "question-1"
    assert event.comment == (
        f"Put back the version from {history.revision_when(good)}, saved by Jane Editor."
    )


def test_a_long_name_of_who_saved_a_restored_version_is_cut_to_fit_the_history(plan):
    writer = UserFactory(
        role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium, full_name="Ann " + "x" * 120
    )
    answer, good = saved_twice(plan, writer)

    services.answer_restore(
        answer=answer, user=writer, history_id=good.history_id, base_version=answer.version
    )

    reason = history.answer_revisions(answer_of(plan))[0].history_change_reason
    assert len(reason) == 100
    assert ", saved by Ann x" in reason and reason.endswith("…")


def test_restoring_from_an_old_version_number_is_refused_and_changes_nothing(client, plan, editor):
    answer, first = saved_twice(plan, editor)
    client.force_login(editor)

    response = client.post(
        reverse("answer_restore", args=[plan.pk, "question-1", first.history_id]),
        {"base_version": answer.version - 1},
        follow=True,
    )

    assert "Someone saved this answer after you opened this page" in response.content.decode()
    assert answer_of(plan).text == "<p>Two</p>"


@pytest.mark.parametrize("status", [Plan.Status.APPROVED, Plan.Status.SIGNED])
def test_restoring_is_refused_while_the_plan_is_frozen(client, plan, editor, status):
    answer, first = saved_twice(plan, editor)
    Plan.objects.filter(pk=plan.pk).update(status=status)
    count = history.answer_revisions(answer).count()
    client.force_login(editor)

    confirm, response = restore_confirmed(client, plan, first, base_version=answer.version)

    assert "frozen for signature" in confirm and 'type="submit"' not in confirm.split("<h1")[1]
    assert response.status_code == 403
    assert answer_of(plan).text == "<p>Two</p>"
    assert history.answer_revisions(answer).count() == count


def test_a_pct_lead_cannot_restore_a_consortium_answer(plan, editor, lead):
    answer, first = saved_twice(plan, editor)
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.IN_REVIEW)

    with pytest.raises(services.PermissionDenied, match=f"completed by {plan.consortium.name}"):
        services.answer_restore(
            answer=answer, user=lead, history_id=first.history_id, base_version=answer.version
        )
    assert answer_of(plan).text == "<p>Two</p>"


def test_restoring_a_revision_of_another_answer_is_refused(plan, editor):
    other = save(answer_of(plan, "question-2"), editor, text="<p>Elsewhere</p>")
    answer = answer_of(plan)

    with pytest.raises(AnswerInvalid):
        services.answer_restore(
            answer=answer,
            user=editor,
            history_id=history.answer_revisions(other)[0].history_id,
            base_version=answer.version,
        )


# --- Named drafts ------------------------------------------------------------------------


def test_naming_a_draft_copies_every_answer_under_a_default_name_dated_as_every_page_dates(
    client, plan, editor
):
    save(answer_of(plan), editor, text="<p>As it was</p>")
    client.force_login(editor)

    response = client.post(reverse("plan_drafts", args=[plan.pk]), {"name": ""}, follow=True)

    snapshot = PlanSnapshot.objects.get(plan=plan)
    today = timezone.localdate()
    assert snapshot.name == f"Draft version 1 ({today.day} {today:%B} {today.year})"
    assert snapshot.answers["question-1"]["text"] == "<p>As it was</p>"
    assert snapshot.answers["practices"]["rows"] == answer_of(plan, "practices").rows
    assert snapshot.created_by == editor
    assert snapshot.name in response.content.decode()
    assert PlanEvent.objects.filter(plan=plan, kind="snapshot", comment=snapshot.name).exists()
    assert services.snapshot_create(plan=plan, user=editor).name.startswith("Draft version 2 (")


def test_a_duplicate_draft_name_is_refused_with_a_clear_message(client, plan, editor):
    services.snapshot_create(plan=plan, user=editor, name="Draft for the board")
    client.force_login(editor)

    response = client.post(reverse("plan_drafts", args=[plan.pk]),
                           {"name": "draft for the  Board"})  # fmt: skip

    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "already has a named draft called “draft for the Board”" in html
    assert PlanSnapshot.objects.filter(plan=plan).count() == 1


def test_only_the_consortium_may_name_a_draft(client, plan, lead):
    client.force_login(lead)

    html = page(client, "plan_drafts", plan.pk)
    response = client.post(reverse("plan_drafts", args=[plan.pk]), {"name": "Mine"})

    assert "Save the plan as it is now" not in html
    assert response.status_code == 403
    assert not PlanSnapshot.objects.exists()


def test_two_named_drafts_compare_question_by_question(client, plan, editor):
    answer = save(answer_of(plan), editor, text="<p>Savings of £2m.</p>")
    first = services.snapshot_create(plan=plan, user=editor, name="Draft version 1")
    save(answer, editor, text="<p>Savings of £2.68m.</p>")
    save(answer_of(plan, "practices"), editor, rows=[{"name": "Abbey", "code": "A1"}])
    second = services.snapshot_create(plan=plan, user=editor, name="Draft version 2")
    save(answer_of(plan, "question-2"), editor, text="<p>Only now</p>")
    client.force_login(editor)

    html = page(client, "drafts_compare", plan.pk, **{"from": second.pk, "to": first.pk})
    with_now = page(client, "drafts_compare", plan.pk, **{"from": second.pk, "to": "current"})

    assert "Changes from Draft version 1 to Draft version 2" in html  # older first
    assert "2 answers changed" in html
    assert "removed: </span>£2m." in html and "added: </span>£2.68m." in html
    assert '<ins class="app-diff__added">Abbey</ins>' in html
    assert "Only now" not in html
    assert "Changes from Draft version 2 to The plan as it is now" in with_now
    assert "1 answer changed" in with_now and "added: </span>Only now" in with_now


def test_comparing_a_draft_of_another_plan_is_404(client, plan, editor):
    other = plan_with_questions(questions=10, consortium=plan.consortium)
    foreign = services.snapshot_create(plan=other, user=editor, name="Elsewhere")
    client.force_login(editor)

    response = client.get(reverse("drafts_compare", args=[plan.pk]),
                          {"from": foreign.pk, "to": "current"})  # fmt: skip

    assert response.status_code == 404


# --- Changed since the reviewer's last review --------------------------------------------


def _reviewed(plan, lead):
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.CHANGES_REQUESTED)
    return PlanEvent.objects.create(plan=plan, kind="transition", action="request_changes",
                                    actor=lead, from_status="in_review",
                                    to_status="changes_requested")  # fmt: skip


def test_the_part_page_shows_the_reviewer_what_changed_since_their_last_review(
    client, plan, editor, lead
):
    save(answer_of(plan, "question-1"), editor, text="<p>Ten new clinics.</p>")
    save(answer_of(plan, "question-2"), editor, text="<p>Unchanged since review.</p>")
    _reviewed(plan, lead)
    save(answer_of(plan, "question-1"), editor, text="<p>Twelve new clinics.</p>")
    client.force_login(lead)

    html = page(client, "part_detail", plan.pk, "two")

    assert html.count("Changed since your last review") == 1
    section = html.split('id="question-question-1"')[1].split('id="question-question-2"')[0]
    assert "Changed since your last review" in section
    assert "removed: </span>Ten" in section and "added: </span>Twelve" in section
    assert "<details" in section


def test_an_answer_saved_since_the_review_but_back_as_it_was_is_not_marked(
    client, plan, editor, lead
):
    answer = save(answer_of(plan), editor, text="<p>Same</p>")
    _reviewed(plan, lead)
    answer = save(answer, editor, text="<p>Different</p>")
    save(answer, editor, text="<p>Same</p>")
    client.force_login(lead)

    assert "Changed since your last review" not in page(client, "part_detail", plan.pk, "two")


def test_editors_and_reviewers_who_never_reviewed_see_no_review_changes(client, plan, editor, lead):
    save(answer_of(plan), editor, text="<p>Words</p>")
    client.force_login(lead)
    assert "Changed since your last review" not in page(client, "part_detail", plan.pk, "two")

    _reviewed(plan, lead)
    save(answer_of(plan), editor, text="<p>More words</p>")
    client.force_login(editor)
    assert "Changed since your last review" not in page(client, "part_detail", plan.pk, "two")


def test_changes_since_reads_every_answer_then_in_one_query(plan, editor, lead):
    for n in range(1, 8):
        save(answer_of(plan, f"question-{n}"), editor, text=f"<p>Before {n}</p>")
    since = timezone.now()
    for n in range(1, 8):
        save(answer_of(plan, f"question-{n}"), editor, text=f"<p>After {n}</p>")
    answers = {a.question_id: a for a in plan.answers.select_related("question")}

    with CaptureQueriesContext(connection) as queries:
        changes = history.changes_since(plan, since, answers=answers)

    assert len(queries) == 1
    assert len(changes) == 7
    assert all(change.before.text.startswith("<p>Before") for change in changes.values())


def test_an_answer_as_of_a_time_is_the_last_revision_saved_by_then(plan, editor):
    answer = save(answer_of(plan), editor, text="<p>Morning</p>")
    noon = timezone.now()
    save(answer, editor, text="<p>Afternoon</p>")

    assert history.answer_as_of(answer, noon).text == "<p>Morning</p>"
    assert history.answers_as_of(plan, noon)[answer.pk].text == "<p>Morning</p>"
    assert history.answer_as_of(answer, noon - timedelta(days=1)) is None


# --- Query budgets -----------------------------------------------------------------------


def test_history_pages_cost_the_same_queries_for_10_or_10000_revisions(
    client, plan, editor, django_assert_max_num_queries
):
    large = plan_with_questions(questions=10, consortium=plan.consortium)
    bulk_revisions(answer_of(plan), editor, 10)
    bulk_revisions(answer_of(large), editor, 10_000)
    client.force_login(editor)
    counts = {}
    for name in ("plan_history", "question_history"):
        for label, target in (("small", plan), ("large", large)):
            args = [target.pk] if name == "plan_history" else [target.pk, "question-1"]
            counts[name, label] = page_queries(client, reverse(name, args=args) + "?page=2")

    assert counts["plan_history", "small"] == counts["plan_history", "large"]
    assert counts["question_history", "small"] == counts["question_history", "large"]
    with django_assert_max_num_queries(HISTORY_QUERY_BUDGET):
        html = client.get(reverse("plan_history", args=[large.pk]), {"page": 150}).content
    assert b"page 150 of 201" in html


def test_the_reviewers_part_page_costs_the_same_queries_for_one_or_many_changes(
    client, plan, editor, lead
):
    few = plan
    many = plan_with_questions(questions=40, consortium=plan.consortium)
    for target, keys in ((few, ["question-1"]), (many, [f"question-{n}" for n in range(1, 39)])):
        for key in keys:
            save(answer_of(target, key), editor, text="<p>Before</p>")
        _reviewed(target, lead)
        for key in keys:
            save(answer_of(target, key), editor, text="<p>After</p>")
    client.force_login(lead)

    few_count = page_queries(client, reverse("part_detail", args=[few.pk, "two"]))
    many_count = page_queries(client, reverse("part_detail", args=[many.pk, "two"]))

    assert few_count == many_count
    html = page(client, "part_detail", many.pk, "two")
    assert html.count("Changed since your last review") == 38


@pytest.mark.postgres
def test_the_history_is_indexed_newest_first_by_plan_and_by_answer():
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "plans_historicalanswer")

    columns = {name: index["columns"] for name, index in indexes.items() if index["index"]}
    assert columns["plans_histanswer_plan_newest"] == ["plan_id", "history_date", "history_id"]
    assert columns["plans_histanswer_answer_newest"] == ["id", "history_date", "history_id"]
    assert indexes["plans_histanswer_plan_newest"]["orders"] == ["ASC", "DESC", "DESC"]


def test_a_draft_named_with_tags_keeps_them_in_the_page_title(client, plan, editor):
    client.force_login(editor)

    response = client.post(
        reverse("plan_drafts", args=[plan.pk]), {"name": "<b>Board</b> draft"}, follow=True
    )

    title = response.content.decode().split("<title>")[1].split("</title>")[0]
    assert title.startswith("The plan as it is now is saved as “&lt;b&gt;Board&lt;/b&gt; draft”.")


def test_a_null_character_in_a_draft_name_is_refused_on_the_field_with_the_form(
    client, plan, editor
):
    client.force_login(editor)

    response = client.post(reverse("plan_drafts", args=[plan.pk]), {"name": "Board\x00 draft"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert "The name holds a null character, which cannot be stored" in html
    assert 'name="name"' in html and "draft" in html.split('name="name"')[1][:200]
    assert not PlanSnapshot.objects.filter(plan=plan).exists()


def test_a_null_character_in_another_field_of_the_drafts_page_is_still_refused(
    client, plan, editor
):
    client.force_login(editor)

    response = client.post(reverse("plan_drafts", args=[plan.pk]), {"name": "Board", "x": "\x00"})

    assert response.status_code == 400
    assert "holds a character that cannot be stored" in response.content.decode()
    assert not PlanSnapshot.objects.filter(plan=plan).exists()
