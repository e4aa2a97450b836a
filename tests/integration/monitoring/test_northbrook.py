"""Monitoring is not DacCom's alone: a plan on the Northbrook PCT's form, which has DES funding
but no milestones, savings targets or success criteria, gets returns of commentary alone."""

from datetime import date

import pytest
from django.urls import reverse

from monitoring import selectors, services
from monitoring.models import MonitoringReturn
from plans.models import Plan
from signoff.canonical import content_sha256
from tests.northbrook import appoint_finance, approved_plan, organisation
from tests.review_factories import sign

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_a_northbrook_plan_is_monitored_by_commentary_and_its_hash_never_changes(
    client, django_capture_on_commit_callbacks
):
    northbrook = organisation()
    appoint_finance(northbrook)
    plan = approved_plan(northbrook)
    with django_capture_on_commit_callbacks(execute=True):
        for key in ("chair", "finance", "chief", "pec"):
            sign(plan, northbrook.signatories[key])
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SIGNED
    signed_hash = content_sha256(plan)

    q1 = services.return_open(
        plan=plan,
        user=northbrook.lead,
        label="Q1 2007/08",
        period_end=date(2007, 6, 30),
        due_on=date(2007, 7, 31),
    )
    assert q1.content_sha256 == signed_hash
    assert not q1.lines.exists()
    client.force_login(northbrook.editor)
    page = client.get(reverse("monitoring:return", args=[q1.pk])).content.decode()
    assert "has no milestones, savings targets or success criteria to report on" in page
    assert "give every milestone and success criterion a status" not in page
    services.return_save(
        monitoring_return=q1,
        user=northbrook.editor,
        base_version=q1.version,
        commentary="Both practices have started the audit.",
        lines={},
    )
    services.return_submit(monitoring_return=q1, user=northbrook.editor)
    services.return_accept(monitoring_return=q1, user=northbrook.lead)

    q1.refresh_from_db()
    assert q1.status == MonitoringReturn.Status.ACCEPTED
    shown = selectors.delivery(plan)
    assert shown.source == q1 and shown.targets == [] and shown.reward_released is None
    # The PCT's dashboard reads the DES funding as the plan's page does: none given here.
    everyone = dict(selectors.deliveries_visible_to(northbrook.lead))
    assert everyone[plan].reward_pot is shown.reward_pot is None
    client.force_login(northbrook.lead)
    to_do = client.get(reverse("monitoring:to_do")).content.decode()
    assert "No DES funding stated" in to_do
    assert "No savings targets on the form" in to_do and "0 of 0" not in to_do
    dashboard = client.get(reverse("monitoring:plan", args=[plan.pk])).content.decode()
    assert "has no savings targets, milestones or success criteria: each return is" in dashboard
    assert "across 0 targets" not in dashboard and "0 green" not in dashboard
    plan.refresh_from_db()
    assert content_sha256(plan) == signed_hash
