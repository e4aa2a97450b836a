"""Pages worth guessing at or flooding answer 429, with a page that says so, past their rate."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consortia.models import User
from plans.models import Plan
from signoff.models import Comment
from tests.review_factories import person, put_in_state, three_signatory_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    settings.PBC_RATE_LIMITS = {
        "sign_in": "3/m",
        "password_reset": "2/h",
        "verify": "2/m",
        "comment": "2/m",
    }
    return settings.PBC_RATE_LIMITS


def test_sign_in_attempts_past_the_rate_get_the_429_page(client, rates):
    answers = [
        client.post(reverse("login"), {"username": f"person{n}@example.org", "password": "x"})
        for n in range(4)
    ]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    page = answers[-1].content.decode()
    assert "Too many attempts" in page and "Signing in" in page
    assert 'class="nhsuk-header"' in page
    assert client.get(reverse("login")).status_code == 200, "reading the page is not limited"


def test_the_limit_is_per_client_address(client, rates, settings):
    settings.PBC_TRUSTED_PROXY_COUNT = 1
    for n in range(3):
        client.post(
            reverse("login"),
            {"username": f"p{n}@example.org", "password": "x"},
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )

    elsewhere = client.post(
        reverse("login"),
        {"username": "p9@example.org", "password": "x"},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )

    assert elsewhere.status_code == 200


def test_password_reset_requests_past_the_rate_get_the_429_page(client, rates):
    answers = [
        client.post(reverse("password_reset"), {"email": "nobody@example.org"}) for _ in range(3)
    ]

    assert [a.status_code for a in answers] == [302, 302, 429]


def test_verify_uploads_past_the_rate_get_the_429_page(client, rates):
    answers = [
        client.post("/verify/", {"file": SimpleUploadedFile("a.pdf", b"not a pdf")})
        for _ in range(3)
    ]

    assert [a.status_code for a in answers] == [400, 400, 429]


def test_comments_past_the_rate_are_refused_and_not_stored(client, rates):
    plan = put_in_state(three_signatory_plan(), Plan.Status.IN_REVIEW)
    client.force_login(person(User.Role.PCT_LEAD, plan))
    prefix = "comment-q-question-2"

    answers = [
        client.post(
            reverse("comment_add", args=[plan.pk]),
            {"question": "question-2", f"{prefix}-body": f"Comment {n}", f"{prefix}-quote": ""},
        )
        for n in range(3)
    ]

    assert [a.status_code for a in answers] == [302, 302, 429]
    assert Comment.objects.filter(plan=plan).count() == 2
