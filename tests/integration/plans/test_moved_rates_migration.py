"""plans 0015 stores the form's rates in the answers of plans moved to it before a move stored
them: a plan being written or reviewed gets them, recorded in its history, and a plan approved
or later keeps what was signed; reversed, the older figures come back (docs/decisions/0459)."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from plans import history, selectors, services, structured
from plans.models import Plan
from signoff.canonical import content_sha256
from tests.integration.plans.test_moving_forms import moving  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
migration = importlib.import_module("plans.migrations.0015_moved_plans_store_the_forms_rates")


def moved_before_the_move_stored_rates(plan, newer) -> None:
    """The move as it was before session 28: each answer put on the newer question, as stored."""
    questions = {question.key: question for question in newer.questions.all()}
    for answer in plan.answers.select_related("question"):
        answer.question = questions[answer.question.key]
        answer._change_reason = f"moved to {newer.version_label}"
        answer.save()
    plan.template = newer
    plan.save()


def allowance_of(plan):
    return plan.answers.select_related("question").get(question__key="allowance")


def test_a_plan_moved_before_the_fix_gets_its_forms_rate_recorded_in_its_history_and_back(
    client,
    moving,  # noqa: F811
):
    plan, newer, editor = moving
    moved_before_the_move_stored_rates(plan, newer)
    held = allowance_of(plan)
    assert held.data["rate_per_patient"] == "2.25"  # 1.0's rate, refused by 1.1
    client.force_login(editor)
    edit = reverse("answer_edit", args=[plan.pk, "allowance"])
    assert "The form sets this at £2.40 a patient" in client.get(edit).content.decode()

    migration.forwards(apps, None)

    allowance = allowance_of(plan)
    assert allowance.data == held.data | {"rate_per_patient": "2.4"}
    assert allowance.version == held.version + 1
    kind = structured.kind_for(allowance.question)
    cleaned, refusal = kind.checked(allowance.data, context=selectors.kind_context(plan))
    assert refusal is None and cleaned == allowance.data
    page = client.get(edit).content.decode()
    assert "cannot be changed in a plan" not in page and "£21,600" in page  # 9,000 at £2.40
    latest = history.answer_revisions(allowance).first()
    assert latest.history_change_reason == migration.REASON
    assert latest.data == allowance.data and history.revision_who(latest) == "the service"
    history_page = client.get(reverse("question_history", args=[plan.pk, "allowance"]))
    assert "Stored the rates its form sets in place of those of the older version" in (
        history_page.content.decode()
    )

    migration.backwards(apps, None)

    allowance = allowance_of(plan)
    assert allowance.data == held.data
    assert allowance.version == held.version + 2  # a page opened in between is out of date
    assert history.answer_revisions(allowance).first().history_change_reason != migration.REASON


def test_a_signed_plan_moved_before_the_fix_keeps_what_was_signed(moving):  # noqa: F811
    plan, newer, _editor = moving
    moved_before_the_move_stored_rates(plan, newer)
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.SIGNED)
    plan.refresh_from_db()
    signed_hash, held = content_sha256(plan), allowance_of(plan)

    migration.forwards(apps, None)

    allowance = allowance_of(plan)
    assert (allowance.data, allowance.version) == (held.data, held.version)
    assert content_sha256(plan) == signed_hash


def test_a_plan_saved_after_the_fix_keeps_its_save_when_the_fix_is_reversed(moving):  # noqa: F811
    plan, newer, editor = moving
    moved_before_the_move_stored_rates(plan, newer)
    migration.forwards(apps, None)

    allowance = allowance_of(plan)
    services.answer_save(
        answer=allowance, user=editor, base_version=allowance.version, data={"population": "9500"}
    )

    migration.backwards(apps, None)

    assert allowance_of(plan).data["rate_per_patient"] == "2.4"
