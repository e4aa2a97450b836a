import pytest
from django.urls import reverse

from consortia.models import User
from tests.factories import UserFactory
from tests.plan_factories import plan_with_questions

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
MALFORMED = '<![><img src="]><img src=x onerror=alert(1)//">'


def test_a_message_echoing_malformed_markup_is_shown_in_the_page_title_as_text(client):
    plan = plan_with_questions(questions=3)
    client.force_login(UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium))

    response = client.post(reverse("plan_drafts", args=[plan.pk]), {"name": MALFORMED}, follow=True)

    assert response.status_code == 200
    title = response.content.decode().split("<title>")[1].split("</title>")[0]
    assert "saved as" in title
    assert "<img" not in title
    assert plan.snapshots.get().name == MALFORMED
