"""A plan moves to a newer version of its form, never back to an older one."""

import copy

import pytest
from django.urls import reverse

from consortia.models import User
from plans import history, selectors, services, structured, template_files
from plans.models import Plan, PlanTemplate
from tests import demo_data
from tests.factories import CommissionerFactory, ConsortiumFactory, UserFactory
from tests.plan_factories import template_definition

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_a_plan_on_the_newer_daccom_form_is_offered_no_older_version(client):
    demo_data.load_organisations_and_plans()
    older = PlanTemplate.objects.get(slug="daccom-locality-plan-v2")
    newer_plan = Plan.objects.filter(consortium__slug="daccom", template__family=older.family)
    newer_plan = newer_plan.exclude(template=older).first()
    client.force_login(User.objects.get(email="editor.daccom@example.org"))

    assert older.version_date < newer_plan.template.version_date
    assert list(selectors.newer_versions(newer_plan)) == []
    move = reverse("plan_move", kwargs={"plan_id": newer_plan.pk, "template_id": older.pk})
    assert client.get(move).status_code == 404
    older_plan = Plan.objects.get(consortium__slug="daccom", template=older)
    assert list(selectors.newer_versions(older_plan)) == [newer_plan.template]


# --- A newer version that drops a table column and changes a rate (not DacCom's form) ------


def riverside_versions(consortium) -> tuple[PlanTemplate, PlanTemplate]:
    """Two versions of one form: 1.1 drops 2.9's column "Patients expected" and sets 2.10's
    rate at £2.40 a patient where 1.0 set £2.25."""
    older = template_definition(
        questions=4, issuer=consortium.commissioner.slug, family=f"riverside-{consortium.pk}"
    )
    older["parts"][1]["questions"] += [
        {
            "key": "schemes",
            "number": "2.9",
            "title": "Schemes and their budgets",
            "completed_by": "consortium",
            "kind": "table",
            "columns": [
                {"key": "scheme", "label": "Scheme"},
                {"key": "budget", "label": "Budget (£)", "type": "money"},
                {"key": "patients", "label": "Patients expected", "type": "whole"},
            ],
        },
        {
            "key": "allowance",
            "number": "2.10",
            "title": "Management allowance",
            "completed_by": "consortium",
            "kind": "des_funding",
            "parameters": {"rate_per_patient": "2.25", "practices_share_percent": "55"},
        },
    ]
    newer = copy.deepcopy(older)
    older.update(version_label="1.0", version_date="2008-02-14")
    newer.update(slug=f"{older['slug']}-1-1", version_label="1.1", version_date="2008-06-01")
    schemes, allowance = newer["parts"][1]["questions"][-2:]
    schemes["columns"] = schemes["columns"][:2]
    allowance["parameters"]["rate_per_patient"] = "2.40"
    return template_files.store(older), template_files.store(newer)


@pytest.fixture
def moving():
    consortium = ConsortiumFactory(commissioner=CommissionerFactory())
    older, newer = riverside_versions(consortium)
    plan = services.plan_create(
        consortium=consortium, template=older, period="2008/09", title="Riverside plan"
    )
    editor = UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=consortium)
    schemes = plan.answers.get(question__key="schemes")
    services.answer_save(
        answer=schemes, user=editor, base_version=schemes.version,
        rows=[{"scheme": "Hospital at home", "budget": "12000", "patients": "1500"}],
    )  # fmt: skip
    allowance = plan.answers.get(question__key="allowance")
    services.answer_save(
        answer=allowance, user=editor, base_version=allowance.version, data={"population": "9000"}
    )
    return plan, newer, editor


def move_url(plan, target):
    return reverse("plan_move", kwargs={"plan_id": plan.pk, "template_id": target.pk})


def confirm_and_move(client, plan, newer, *, seen=None):
    if seen is None:
        seen = services.plan_migration_preview(plan=plan, target=newer).fingerprint
    return client.post(move_url(plan, newer), {"confirm_losses": "yes", "seen": seen})


def test_the_move_preview_lists_a_dropped_column_with_its_figures_and_a_changed_rate(
    client, moving
):
    plan, newer, editor = moving
    client.force_login(editor)

    page = client.get(move_url(plan, newer)).content.decode()

    assert "everything carries across" not in page
    assert (
        "2.9 Schemes and their budgets: the column Patients expected is not in 1.1; "
        "1 row holds a figure in it"
    ) in page
    assert "row 1 (Hospital at home): 1500" in page
    assert "2.10 Management allowance: the payment per patient is £2.40 in 1.1, £2.25 in 1.0" in (
        page
    )
    assert 'name="confirm_losses"' in page
    assert "I understand these answers, figures and rates will not be kept" in page


def test_the_move_preview_names_an_unnumbered_question_once_and_a_renumbered_one_by_both(
    client,
):
    consortium = ConsortiumFactory(commissioner=CommissionerFactory())
    older = template_definition(questions=4, issuer=consortium.commissioner.slug)
    summary = {
        "key": "summary",
        "number": "",
        "title": "Executive summary of the commissioning intentions of the consortium for the year",
        "completed_by": "consortium",
        "kind": "rich_text",
    }
    older["parts"][0]["questions"].insert(0, summary)
    newer = copy.deepcopy(older)
    older.update(version_label="1.0", version_date="2008-02-14")
    newer.update(slug=f"{older['slug']}-1-1", version_label="1.1", version_date="2008-06-01")
    newer["parts"][0]["questions"][1]["number"] = "1.0"
    older, newer = template_files.store(older), template_files.store(newer)
    plan = services.plan_create(
        consortium=consortium, template=older, period="2008/09", title="Riverside plan"
    )

    client.force_login(UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=consortium))

    page = client.get(move_url(plan, newer)).content.decode()

    assert page.count(summary["title"]) == 1
    assert f"<li>{summary['title']}</li>" in page
    assert "<li>1.1 becomes 1.0: Practices</li>" in page
    assert "<li>1.2: Fair shares weighting</li>" in page


def test_a_move_that_loses_figures_waits_for_the_editor_to_confirm_it(client, moving):
    plan, newer, editor = moving
    client.force_login(editor)

    response = client.post(move_url(plan, newer))

    assert response.status_code == 400
    assert "Confirm that you understand" in response.content.decode()
    plan.refresh_from_db()
    assert plan.template != newer
    with pytest.raises(services.AnswerInvalid):
        services.plan_migrate(plan=plan, target=newer, user=editor)
    assert plan.answers.get(question__key="schemes").rows[0]["patients"] == "1500"


def test_a_confirmed_move_leaves_out_the_dropped_column_and_keeps_it_in_the_revision_before(
    client, moving
):
    plan, newer, editor = moving
    client.force_login(editor)

    response = confirm_and_move(client, plan, newer)

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.template == newer
    schemes = plan.answers.get(question__key="schemes")
    assert schemes.rows == [{"scheme": "Hospital at home", "budget": "12000"}]
    before = history.answer_revisions(schemes)[1]
    assert before.rows[0]["patients"] == "1500"


def test_the_plans_activity_lists_each_column_a_confirmed_move_dropped_with_its_entries(
    client, moving
):
    plan, newer, editor = moving
    client.force_login(editor)
    preview = client.get(move_url(plan, newer)).content.decode()
    assert "the plan's activity page lists them" in preview
    confirm_and_move(client, plan, newer)

    page = client.get(reverse("plan_activity", args=[plan.pk])).content.decode()

    assert "moved the plan to a newer version of its form" in page
    assert "Moved from 1.0 to 1.1." in page
    assert (
        "2.9 Schemes and their budgets: the column Patients expected is not in 1.1; "
        "1 row holds a figure in it:<br>- row 1 (Hospital at home): 1500"
    ) in page
    assert "2.10 Management allowance: the payment per patient is £2.40 in 1.1, £2.25 in 1.0" in (
        page
    )


def test_a_move_stores_the_rate_the_newer_version_sets_so_the_answer_is_not_refused(client, moving):
    plan, newer, editor = moving
    client.force_login(editor)
    confirm_and_move(client, plan, newer)

    allowance = plan.answers.select_related("question").get(question__key="allowance")
    assert allowance.data["rate_per_patient"] == "2.4"
    kind = structured.kind_for(allowance.question)
    cleaned, refusal = kind.checked(allowance.data, context=selectors.kind_context(plan))
    assert refusal is None
    assert cleaned == allowance.data  # a later save rewrites nothing
    page = client.get(reverse("answer_edit", args=[plan.pk, "allowance"])).content.decode()
    assert "cannot be changed in a plan" not in page


def test_a_rate_the_newer_version_sets_replaces_the_plans_own_and_the_preview_says_so():
    consortium = ConsortiumFactory(commissioner=CommissionerFactory())
    older, newer = riverside_versions(consortium)
    older.questions.filter(key="allowance").update(parameters={})  # the plan gives the rate
    plan = services.plan_create(consortium=consortium, template=older, period="2008/09", title="P")
    editor = UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=consortium)
    allowance = plan.answers.get(question__key="allowance")
    services.answer_save(
        answer=allowance, user=editor, base_version=allowance.version,
        data={"population": "9000", "rate_per_patient": "2", "practices_share_percent": "55"},
    )  # fmt: skip

    preview = services.plan_migration_preview(plan=plan, target=newer)
    said = [change.sentence for change in preview.changed_parameters]
    assert (
        "2.10 Management allowance: 1.1 sets the payment per patient at £2.40; the plan's own "
        "figure, £2, is replaced by it"
    ) in said
    services.plan_migrate(plan=plan, target=newer, user=editor, confirmed=True)

    allowance.refresh_from_db()
    assert allowance.data["rate_per_patient"] == "2.4"


def test_a_rate_change_on_an_unanswered_question_is_listed_but_needs_no_confirming():
    consortium = ConsortiumFactory(commissioner=CommissionerFactory())
    older, newer = riverside_versions(consortium)
    plan = services.plan_create(consortium=consortium, template=older, period="2008/09", title="P")

    preview = services.plan_migration_preview(plan=plan, target=newer)

    assert [change.key for change in preview.changed_parameters] == ["rate_per_patient"]
    assert not preview.needs_confirmation
    services.plan_migrate(plan=plan, target=newer, user=None)
    assert plan.answers.get(question__key="allowance").data == {}


def test_a_move_confirmed_on_a_list_the_plan_has_since_outgrown_changes_nothing(client, moving):
    plan, newer, editor = moving
    client.force_login(editor)
    seen = services.plan_migration_preview(plan=plan, target=newer).fingerprint
    schemes = plan.answers.get(question__key="schemes")
    services.answer_save(
        answer=schemes, user=editor, base_version=schemes.version,
        rows=[*schemes.rows, {"scheme": "Falls clinic", "budget": "800", "patients": "90"}],
    )  # fmt: skip

    response = confirm_and_move(client, plan, newer, seen=seen)

    assert response.status_code == 302
    assert response.url == move_url(plan, newer)
    plan.refresh_from_db()
    assert plan.template != newer
    page = client.get(response.url).content.decode()
    assert "The plan changed after the list of what will not be kept was shown" in page
    assert "2 rows hold figures in it" in page
