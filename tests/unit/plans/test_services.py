from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from consortia.models import User
from plans import selectors, services, template_files
from plans.errors import AnswerInvalid, StaleAnswer
from plans.models import Answer, Plan
from tests.factories import PracticeFactory, UserFactory
from tests.plan_factories import plan_with_every_kind, plan_with_questions, template_definition

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return plan_with_questions(questions=10)


@pytest.fixture
def editor(plan):
    return UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium)


def answer(plan, key) -> Answer:
    return plan.answers.get(question__key=key)


def revisions(answer: Answer):
    """Saved revisions, leaving out the empty record made when the plan was created."""
    return answer.history.filter(history_type="~")


def save(plan, key, user, text, **kwargs):
    current = answer(plan, key)
    return services.answer_save(
        answer=current, user=user, base_version=current.version, text=text, **kwargs
    )


def test_a_new_plan_has_an_empty_answer_per_question_and_its_practices_filled_in():
    practice = PracticeFactory(name="Boxwell Road Surgery", code="E82001")

    plan = plan_with_questions(questions=10, consortium=practice.consortium)

    assert plan.answers.count() == 10
    assert answer(plan, "practices").rows == [{"name": "Boxwell Road Surgery", "code": "E82001"}]
    assert answer(plan, "question-1").version == 0


def test_the_plans_table_does_not_change_when_the_registry_does():
    practice = PracticeFactory(name="Old name")
    plan = plan_with_questions(questions=10, consortium=practice.consortium)

    practice.name = "New name"
    practice.save()

    assert answer(plan, "practices").rows[0]["name"] == "Old name"


def test_saving_raises_the_version_and_records_a_revision(plan, editor):
    saved = save(plan, "question-1", editor, "<p>Reduce A&amp;E attendances</p>")

    assert saved.version == 1
    assert saved.text == "<p>Reduce A&amp;E attendances</p>"
    assert saved.updated_by == editor
    assert revisions(saved).count() == 1
    assert revisions(saved).first().history_user == editor


def test_a_save_from_an_older_version_is_refused_with_the_current_answer(plan, editor):
    other = UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium)
    first = answer(plan, "question-1")
    save(plan, "question-1", other, "<p>Theirs</p>")

    with pytest.raises(StaleAnswer) as refusal:
        services.answer_save(answer=first, user=editor, base_version=0, text="<p>Mine</p>")

    assert refusal.value.current.version == 1
    assert refusal.value.current.text == "<p>Theirs</p>"
    assert answer(plan, "question-1").text == "<p>Theirs</p>"


def test_hostile_html_never_survives_saving(plan, editor):
    hostile = (
        '<p onclick="steal()">Hi<script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">link</a><img src=x onerror="alert(1)">'
        '<p class="MsoNormal" style="mso-list:l0">Word</p>'
    )

    saved = save(plan, "question-1", editor, hostile)

    assert "script" not in saved.text
    assert "onclick" not in saved.text
    assert "onerror" not in saved.text
    assert "javascript:" not in saved.text
    assert "mso" not in saved.text.lower()
    assert "<p>Word</p>" in saved.text


def test_lists_headings_and_links_are_kept(plan, editor):
    html = '<h3>Aims</h3><ul><li><strong>One</strong></li></ul><a href="https://www.nhs.uk">NHS</a>'

    saved = save(plan, "question-1", editor, html)

    assert "<h3>Aims</h3>" in saved.text
    assert "<ul><li><strong>One</strong></li></ul>" in saved.text
    assert 'href="https://www.nhs.uk"' in saved.text


def test_over_long_text_is_refused_with_a_clear_message_and_nothing_saved(plan, editor):
    with pytest.raises(AnswerInvalid) as refusal:
        save(plan, "question-1", editor, "x" * 100_001)

    assert "100,001 characters" in refusal.value.message
    assert answer(plan, "question-1").version == 0


def test_a_consortium_editor_cannot_edit_a_pct_completed_question(plan, editor):
    with pytest.raises(PermissionDenied, match="completed by the PCT"):
        save(plan, "fair-shares", editor, "<p>Weighting</p>")


def test_nobody_edits_consortium_questions_once_the_plan_is_submitted(plan, editor):
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.SUBMITTED)

    with pytest.raises(PermissionDenied, match="submitted"):
        save(plan, "question-1", editor, "<p>Late change</p>")


def test_the_pct_lead_edits_pct_questions_while_the_plan_is_in_review(plan):
    lead = UserFactory(role=User.Role.PCT_LEAD, commissioner=plan.consortium.commissioner)
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.IN_REVIEW)

    saved = save(plan, "fair-shares", lead, "<p>Weighting agreed</p>")

    assert saved.version == 1


def test_someone_from_another_consortium_cannot_edit(plan):
    stranger = UserFactory(role=User.Role.CONSORTIUM_EDITOR)

    with pytest.raises(PermissionDenied):
        save(plan, "question-1", stranger, "<p>Not mine</p>")


def test_autosaves_by_one_person_become_one_revision(plan, editor):
    for text in ("<p>D</p>", "<p>Dr</p>", "<p>Draft</p>"):
        saved = save(plan, "question-1", editor, text, autosave=True)

    assert saved.version == 3
    assert revisions(saved).count() == 1
    assert revisions(saved).first().text == "<p>Draft</p>"
    assert saved.autosaved is True


def test_an_autosave_joins_only_the_newest_revision_and_only_its_own(plan, editor):
    colleague = UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium)
    save(plan, "question-1", editor, "<p>Mine</p>", autosave=True)
    save(plan, "question-1", colleague, "<p>Theirs</p>", autosave=True)

    saved = save(plan, "question-1", editor, "<p>Mine again</p>", autosave=True)

    assert saved.version == 3
    assert list(revisions(saved).order_by("history_date").values_list("text", "version")) == [
        ("<p>Mine</p>", 1),
        ("<p>Theirs</p>", 2),
        ("<p>Mine again</p>", 3),
    ]


def test_an_explicit_save_after_autosaves_is_a_revision_of_its_own(plan, editor):
    save(plan, "question-1", editor, "<p>Draft</p>", autosave=True)

    saved = save(plan, "question-1", editor, "<p>Final</p>")

    assert revisions(saved).count() == 2
    assert saved.autosaved is False


def test_autosaves_after_a_pause_start_a_new_revision(plan, editor):
    first = save(plan, "question-1", editor, "<p>Morning</p>", autosave=True)
    revisions(first).update(history_date=first.updated_at - timedelta(minutes=30))

    saved = save(plan, "question-1", editor, "<p>Afternoon</p>", autosave=True)

    assert revisions(saved).count() == 2


def test_table_rows_keep_their_plain_text_as_typed_in_the_questions_columns(plan, editor):
    current = answer(plan, "practices")

    saved = services.answer_save(
        answer=current,
        user=editor,
        base_version=current.version,
        rows=[{"name": "<b>Archway</b> Surgery", "code": "E82005", "extra": "dropped"}],
    )

    assert saved.rows == [{"name": "<b>Archway</b> Surgery", "code": "E82005"}]


def test_ready_to_submit_lists_each_empty_required_question_and_whose_it_is(plan, editor):
    save(plan, "question-1", editor, "<p>Done</p>")

    missing = {question.key: owner for question, owner in selectors.missing_required(plan)}

    assert "question-1" not in missing
    assert "question-3" not in missing  # optional
    assert missing["fair-shares"] == "the PCT"
    assert missing["question-2"] == plan.consortium.name
    assert "sign-off" not in missing


def test_moving_to_a_newer_form_maps_answers_by_key_and_lists_the_rest(plan, editor):
    save(plan, "question-1", editor, "<p>Kept</p>")
    save(plan, "question-2", editor, "<p>Dropped question</p>")
    data = template_definition(
        questions=10, issuer=plan.consortium.commissioner.slug, family=plan.template.family
    )
    data.update(slug="newer", version_label="v11")
    two = data["parts"][1]["questions"]
    two[0]["number"] = "2.2"
    two[1]["key"] = "brand-new"
    newer = template_files.store(data)

    preview = services.plan_migration_preview(plan=plan, target=newer)
    assert [a.question.key for a in preview.unmapped] == ["question-2"]
    assert [q.key for q in preview.new_questions] == ["brand-new"]
    assert preview.needs_confirmation  # an answer with no question on the newer form
    assert plan.answers.count() == 10  # nothing changed yet

    services.plan_migrate(plan=plan, target=newer, user=editor, confirmed=True)

    plan.refresh_from_db()
    assert plan.template == newer
    moved = plan.answers.get(question__template=newer, question__key="question-1")
    assert moved.question.number == "2.2"
    assert moved.text == "<p>Kept</p>"
    kept = plan.answers.get(question__key="question-2")
    assert kept.text == "<p>Dropped question</p>"


SUB_PENNY = "Enter an amount in pounds and pence, like 1,500.25."


@pytest.mark.parametrize(
    ("key", "data", "field"),
    [
        (
            "projects",
            {"projects": [{"number": "1", "title": "Falls", "targets": [
                {"code": "A", "title": "Fewer falls", "planned_saving": "£100.005"}]}]},
            "projects[0].targets[0].planned_saving",
        ),
        ("savings-target", {"total_identified_savings": "6106000.001"}, "total_identified_savings"),
        (
            "freed-up-resources",
            {"scale": [{"freed_up": "1000.005", "returned_to_scheme": "500"}]},
            "scale[0].freed_up",
        ),
        (
            "freed-up-resources",
            {"investment_to_recover": "20000.999", "scale": []},
            "investment_to_recover",
        ),
    ],
)  # fmt: skip
def test_money_typed_with_a_fraction_of_a_penny_is_refused_on_its_field_and_nothing_saved(
    key, data, field
):
    plan = plan_with_every_kind()
    editor = UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium)
    current = answer(plan, key)

    with pytest.raises(AnswerInvalid) as refusal:
        services.answer_save(answer=current, user=editor, base_version=0, data=data)

    assert SUB_PENNY in refusal.value.message
    assert refusal.value.field == field
    current.refresh_from_db()
    assert (current.version, current.data) == (0, {})


@pytest.mark.parametrize(
    ("key", "data"),
    [
        ("des-funding", {"population": "1000", "rate_per_patient": "1.905",
                         "practices_share_percent": "50"}),
        ("outcome-framework", {"rate_per_patient": "0.955", "areas": []}),
    ],
)  # fmt: skip
def test_a_rate_per_patient_typed_to_a_fraction_of_a_penny_is_kept_as_typed(key, data):
    plan = plan_with_every_kind()
    editor = UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium)

    saved = services.answer_save(answer=answer(plan, key), user=editor, base_version=0, data=data)

    assert saved.data["rate_per_patient"] == data["rate_per_patient"]
