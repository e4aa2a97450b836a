"""A plan moves to a newer version of its form, never back to an older one."""

import pytest
from django.urls import reverse

from consortia.models import User
from plans import selectors
from plans.models import Plan, PlanTemplate
from tests import demo_data

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
