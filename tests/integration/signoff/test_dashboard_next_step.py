"""What the consortium's home page says to do next with a plan."""

import lxml.html
import pytest
from django.urls import reverse

from tests.plan_factories import demo_daccom_plan
from tests.review_factories import demo_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_a_draft_with_every_required_question_completed_asks_only_to_submit_it(client):
    plan = demo_daccom_plan()
    client.force_login(demo_user("chair", plan.consortium.slug))
    page = lxml.html.fromstring(client.get(reverse("home")).content)

    rows = {
        " ".join(row.text_content().split())
        for row in page.xpath("//tr[td or th[@scope='row']]")
        if "self-assessment" in row.text_content()
    }
    (row,) = rows

    assert "1 of 1 required question completed" in row
    assert row.endswith("Submit the plan to the PCT.")
    assert "Complete the plan" not in row
