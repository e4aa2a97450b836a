"""The PCT's dashboard, cached under everything it shows (signoff.presenters.dashboards,
docs/decisions/0425): no one is shown another reader's dashboard or a stale one."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consortia.models import User
from plans import rounds
from plans import services as plan_services
from plans.models import Answer, Plan, PlanEvent, TemplateQuestion
from signoff import services
from signoff.presenters import dashboards
from tests import services as test_services
from tests.factories import CommissionerFactory
from tests.pages import without_tokens
from tests.review_factories import person, put_in_state, sign, three_signatory_plan
from tests.two_factor import signed_in

Role = User.Role
Status = Plan.Status
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def dashboard(client) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def row_of(page: str, plan) -> str:
    return page[page.index(f'href="/plans/{plan.pk}/"') :].split("</tr>")[0]


def save(plan, user, key="question-1", text="<p>Written just now.</p>", *, autosave=False):
    answer = Answer.objects.get(plan=plan, question__key=key)
    return plan_services.answer_save(
        answer=answer, user=user, text=text, base_version=answer.version, autosave=autosave
    )


@pytest.fixture
def plan():
    return three_signatory_plan(answered=False)


def test_a_dashboard_found_in_the_cache_is_shown_without_working_it_out(plan, lead, monkeypatch):
    client = signed_in(lead)
    first = dashboard(client)

    def refused(*args, **kwargs):
        raise AssertionError("a cached dashboard was worked out again")

    monkeypatch.setattr(dashboards, "pct_dashboard", refused)

    assert without_tokens(dashboard(client)) == without_tokens(first)


def test_an_edit_shows_at_once(plan, lead, editor):
    client = signed_in(lead)
    assert "0 of 4 required questions completed" in row_of(dashboard(client), plan)

    save(plan, editor)

    assert "1 of 4 required questions completed" in row_of(dashboard(client), plan)


def test_last_years_answer_counts_once_checked_and_shows_at_once(plan, lead, editor):
    carried = Answer.objects.get(plan=plan, question__key="question-1")
    Answer.objects.filter(pk=carried.pk).update(
        text="<p>Last year's.</p>", carried_forward=True, version=carried.version + 1
    )
    client = signed_in(lead)
    assert "0 of 4 required questions completed" in row_of(dashboard(client), plan)

    rounds.answer_confirm_carried(answer=Answer.objects.get(pk=carried.pk), user=editor)

    assert "1 of 4 required questions completed" in row_of(dashboard(client), plan)


def test_an_answer_only_autosaved_counts_once_saved_and_shows_at_once(plan, lead, editor):
    client = signed_in(lead)
    assert "0 of 4 required questions completed" in row_of(dashboard(client), plan)

    save(plan, editor, autosave=True)
    assert "0 of 4 required questions completed" in row_of(dashboard(client), plan), (
        "typed, not yet saved"
    )

    save(plan, editor)  # the same words, saved by pressing Save

    assert "1 of 4 required questions completed" in row_of(dashboard(client), plan)


def test_an_autosave_flag_cleared_without_a_new_version_still_shows_at_once(plan, lead, editor):
    """The key holds what decides the count, not only the versions of the answers."""
    answer = save(plan, editor, autosave=True)
    client = signed_in(lead)
    assert "0 of 4 required questions completed" in row_of(dashboard(client), plan)

    Answer.objects.filter(pk=answer.pk).update(autosaved=False)

    assert "1 of 4 required questions completed" in row_of(dashboard(client), plan)


def test_an_edit_through_the_admin_shows_at_once(plan, lead):
    admin = signed_in(person(Role.SITE_ADMIN, plan, is_staff=True))
    client = signed_in(lead)
    assert "0 of 4 required questions completed" in row_of(dashboard(client), plan)
    answer = Answer.objects.get(plan=plan, question__key="question-1")

    response = admin.post(
        reverse("admin:plans_answer_change", args=[answer.pk]),
        {"text": "<p>Put right by the administrator.</p>", "rows": "[]", "data": "{}"},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert "1 of 4 required questions completed" in row_of(dashboard(client), plan)


def test_a_submission_and_a_signature_show_at_once(plan, lead, editor):
    Answer.objects.filter(plan=plan).update(text="<p>Answered.</p>", version=1)
    client = signed_in(lead)
    assert "Draft: 1" in dashboard(client)

    services.plan_submit(plan=plan, user=editor)
    assert "Submitted: 1" in dashboard(client)

    put_in_state(plan, Status.APPROVED)
    chair = person(Role.CONSORTIUM_EXECUTIVE_CHAIR, plan)
    assert "Approved: 1" in dashboard(client)
    sign(plan, chair)

    assert "Signing: 1" in dashboard(client)


def test_an_appointment_to_the_position_that_signs_next_shows_at_once(plan, lead):
    put_in_state(plan, Status.SIGNING)  # the chair has signed; no one chairs the committee
    client = signed_in(lead)
    assert "No one holds" in row_of(dashboard(client), plan)

    person(Role.PEC_COMMITTEE_CHAIR, plan)  # appointed to the committee's chair

    assert "No one holds" not in row_of(dashboard(client), plan)


def test_a_permission_change_shows_at_once(plan, lead):
    client = signed_in(lead)
    assert f'href="/plans/{plan.pk}/"' in dashboard(client)

    lead.commissioner = CommissionerFactory()
    lead.save()
    client.force_login(lead)

    assert f'href="/plans/{plan.pk}/"' not in dashboard(client)


def test_a_change_to_the_form_shows_at_once(plan, lead):
    client = signed_in(lead)
    assert "0 of 4 required questions completed" in row_of(dashboard(client), plan)

    TemplateQuestion.objects.filter(template=plan.template, key="question-1").update(required=False)

    assert "0 of 3 required questions completed" in row_of(dashboard(client), plan)


def test_two_readers_with_different_rights_see_each_their_own_dashboard(plan, lead):
    other_pct = signed_in(person(Role.PCT_LEAD, three_signatory_plan()))
    assert f'href="/plans/{plan.pk}/"' in dashboard(signed_in(lead))

    page = dashboard(other_pct)

    assert f'href="/plans/{plan.pk}/"' not in page
    assert f'href="/plans/{plan.pk}/"' in dashboard(signed_in(lead))


def test_a_days_waiting_changes_when_the_day_does(plan, lead):
    """Nothing but the clock changes: the entry ends when a row would show another day."""
    PlanEvent.objects.create(plan=plan, kind=PlanEvent.Kind.TRANSITION, to_status=Status.DRAFT)
    PlanEvent.objects.filter(plan=plan).update(
        created_at=timezone.now() - timedelta(days=1) + timedelta(seconds=2)
    )
    client = signed_in(lead)
    assert "Less than a day" in row_of(dashboard(client), plan)

    time.sleep(2.5)

    assert "1 day" in row_of(dashboard(client), plan)


@pytest.mark.redis
def test_a_change_through_one_process_shows_at_once_through_another(plan, lead, editor):
    """Two clients on one Redis cache stand in for two web processes (as production runs)."""
    with test_services.one_redis_cache(f"test-dashboard-{plan.pk}"):
        reader, writer = signed_in(lead), signed_in(editor)
        assert "0 of 4 required questions completed" in row_of(dashboard(reader), plan)
        key = "question-1"
        response = test_services.save_as_json(writer, plan, key, "<p>Saved through the other</p>")
        assert response.status_code == 200

        assert "1 of 4 required questions completed" in row_of(dashboard(reader), plan)


@pytest.mark.django_db(transaction=True)
def test_a_missing_dashboard_is_read_with_its_key_from_one_snapshot(monkeypatch):
    """Outside a test's transaction, as a web request runs: the miss is read in one snapshot."""
    plan = three_signatory_plan(answered=False)
    client = signed_in(person(Role.PCT_LEAD, plan))
    snapshots = test_services.snapshots_taken(monkeypatch, dashboards)

    assert "0 of 4 required questions completed" in row_of(dashboard(client), plan)
    assert "0 of 4 required questions completed" in row_of(dashboard(client), plan)
    assert snapshots == [False], "the miss, not the hit"
