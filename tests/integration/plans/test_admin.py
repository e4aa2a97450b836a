"""Plans and answers in the admin change only as the workflow lets anyone change them
(plans/admin.py, docs/decisions/0477): no status set by hand, no signed content altered."""

import pytest
from django.urls import reverse

from consortia.models import User
from plans.models import Answer, Plan
from tests.review_factories import person, put_in_state, three_signatory_plan
from tests.two_factor import signed_in

Status = Plan.Status
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def plan():
    return three_signatory_plan()


@pytest.fixture
def admin(plan):
    return signed_in(person(User.Role.SITE_ADMIN, plan, is_staff=True))


def first_answer(plan) -> Answer:
    return plan.answers.filter(question__kind="rich_text").order_by("question__position").first()


def answer_posted(text: str) -> dict:
    return {"text": text, "rows": "[]", "data": "{}"}


def plan_posted(plan, **changes) -> dict:
    return {"title": plan.title, "period": plan.period, **changes}


def test_an_answer_of_a_signed_plan_is_refused_in_the_admin_and_kept(plan, admin):
    put_in_state(plan, Status.SIGNED)
    answer = first_answer(plan)

    response = admin.post(
        reverse("admin:plans_answer_change", args=[answer.pk]), answer_posted("<p>Altered.</p>")
    )

    assert response.status_code == 403
    kept = Answer.objects.get(pk=answer.pk)
    assert (kept.text, kept.version) == ("<p>Answered.</p>", answer.version)


def test_an_answer_of_a_signed_plan_is_shown_read_only_saying_why(plan, admin):
    put_in_state(plan, Status.SIGNED)

    page = admin.get(reverse("admin:plans_answer_change", args=[first_answer(plan).pk]))

    content = page.content.decode()
    assert 'name="text"' not in content
    assert "The plan is signed: its content is frozen for signature." in content
    assert "this answer cannot be changed or put back here." in content


def test_a_revision_of_a_signed_plans_answer_cannot_be_put_back(plan, admin):
    answer = first_answer(plan)
    admin.post(
        reverse("admin:plans_answer_change", args=[answer.pk]), answer_posted("<p>Earlier.</p>")
    )
    earlier = Answer.history.filter(id=answer.pk).order_by("history_date").last()
    admin.post(
        reverse("admin:plans_answer_change", args=[answer.pk]), answer_posted("<p>Signed.</p>")
    )
    put_in_state(plan, Status.SIGNED)
    revert = reverse("admin:plans_answer_simple_history", args=[answer.pk, earlier.history_id])

    page = admin.get(revert)
    response = admin.post(revert, answer_posted("<p>Earlier.</p>"))

    assert 'name="text"' not in page.content.decode()
    assert response.status_code == 403
    assert "The plan is signed: its content is frozen for signature." in response.text
    assert "Your role does not allow this action." not in response.text
    assert Answer.objects.get(pk=answer.pk).text == "<p>Signed.</p>"


def test_a_plans_status_cannot_be_set_in_the_admin(plan, admin):
    response = admin.post(
        reverse("admin:plans_plan_change", args=[plan.pk]),
        plan_posted(plan, status=Status.SIGNED, title="Renamed while a draft"),
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.title) == (Status.DRAFT, "Renamed while a draft")


def test_a_signed_plans_title_and_period_cannot_be_changed_in_the_admin(plan, admin):
    put_in_state(plan, Status.SIGNED)

    response = admin.post(
        reverse("admin:plans_plan_change", args=[plan.pk]),
        plan_posted(plan, title="Not what was signed", period="2099/00"),
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.title, plan.period) == ("Review test plan", "2006/07")


def test_putting_back_a_plans_earlier_revision_keeps_its_status(plan, admin):
    draft = plan.history.order_by("history_date").first()
    put_in_state(plan, Status.SIGNED)

    response = admin.post(
        reverse("admin:plans_plan_simple_history", args=[plan.pk, draft.history_id]),
        plan_posted(plan),
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Status.SIGNED


def test_an_editable_plans_answer_changed_in_the_admin_is_a_clean_save_with_a_new_version(
    plan, admin
):
    answer = first_answer(plan)

    response = admin.post(
        reverse("admin:plans_answer_change", args=[answer.pk]),
        answer_posted('<p onclick="steal()">Put right.</p><script>steal()</script>'),
    )

    assert response.status_code == 302
    saved = Answer.objects.get(pk=answer.pk)
    assert (saved.text, saved.version) == ("<p>Put right.</p>", answer.version + 1)
    # Listed in the plan's activity as a save, by the administrator.
    revision = saved.history.first()
    assert (revision.history_change_reason, revision.history_user.role) == (
        "save",
        User.Role.SITE_ADMIN,
    )


def test_an_answer_the_save_would_refuse_is_refused_beside_the_form(plan, admin):
    answer = first_answer(plan)

    response = admin.post(
        reverse("admin:plans_answer_change", args=[answer.pk]), answer_posted("x" * 100_001)
    )

    assert response.status_code == 200
    assert "the most an answer can hold is 100,000" in response.content.decode()
    assert Answer.objects.get(pk=answer.pk).version == answer.version
