"""What no database can store, and what is too large, is refused where it enters, in words."""

import json

import pytest
from django.urls import reverse

from consortia.models import User
from plans.models import Plan
from plans.table_import import MAX_CSV_BYTES
from signoff.models import Comment
from tests.factories import UserFactory
from tests.plan_factories import plan_with_every_kind
from tests.review_factories import person, put_in_state, three_signatory_plan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
PREFIX = "comment-q-question-2"


@pytest.fixture
def reviewing(client):
    plan = put_in_state(three_signatory_plan(), Plan.Status.IN_REVIEW)
    client.force_login(person(User.Role.PCT_LEAD, plan))
    return plan


def comment(client, plan, body: str):
    return client.post(
        reverse("comment_add", args=[plan.pk]),
        {"question": "question-2", f"{PREFIX}-body": body, f"{PREFIX}-quote": ""},
    )


def test_a_null_character_in_a_form_post_is_refused_naming_the_field(client, reviewing):
    response = client.post(
        reverse("comment_add", args=[reviewing.pk]),
        {"question": "question-2\x00", f"{PREFIX}-body": "Fine words", f"{PREFIX}-quote": ""},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "“Question” holds a character that cannot be stored" in page
    assert "There is a problem" in page
    assert not Comment.objects.exists()


def test_a_null_character_in_a_field_the_views_form_refuses_reaches_that_form(client, reviewing):
    response = comment(client, reviewing, "Fine\x00 words")

    page = response.content.decode()
    assert response.status_code == 400
    assert "Your comment holds a character that cannot be stored" in page
    assert "Fine\x00 words</textarea>" in page
    assert not Comment.objects.exists()


def test_a_null_character_in_the_query_string_is_refused(client, reviewing):
    response = client.get(reverse("plan_activity", args=[reviewing.pk]), {"page": "1\x00"})

    assert response.status_code == 400


def test_a_lone_surrogate_in_a_json_body_is_refused(client, reviewing):
    body = json.dumps({"text": "half a pair: \ud800"})

    response = client.post("/sign-in/", body, content_type="application/json")

    assert response.status_code == 400
    assert "“Text” holds a character that cannot be stored" in response.content.decode()


@pytest.mark.parametrize("nested", ["[" * 5000 + "]" * 5000, '{"a":' * 5000 + "1" + "}" * 5000])
def test_a_json_body_nested_too_deeply_to_read_is_refused_in_words(client, nested):
    url = reverse("otp_webauthn:credential-authentication-begin")

    response = client.post(url, nested, content_type="application/json")

    assert response.status_code == 400
    assert "nested too deeply to read" in response.content.decode()


def test_a_form_over_djangos_size_limit_is_answered_in_words(client, reviewing, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000

    response = comment(client, reviewing, "x" * 2_000)

    assert response.status_code == 413
    assert "What you sent is too large" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_request_over_the_general_cap_is_refused_before_it_is_read(client, reviewing):
    response = client.post(
        reverse("comment_add", args=[reviewing.pk]),
        {"question": "question-2"},
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )

    assert response.status_code == 413
    assert "The file is too large" in response.content.decode()


def test_a_table_import_over_its_own_limit_is_refused_with_that_limit(client, reviewing):
    response = client.post(
        reverse("table_import", args=[reviewing.pk, "question-2"]),
        {"table-import-base_version": "1"},
        CONTENT_LENGTH=str(2 * 1024 * 1024),
    )

    assert response.status_code == 413
    assert f"must be smaller than {MAX_CSV_BYTES // 1024} KB" in response.content.decode()


def test_a_null_character_in_a_save_asking_for_json_is_refused_in_json_on_its_field(client):
    plan = plan_with_every_kind()
    client.force_login(UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium))
    key = plan.answers.filter(question__kind="rich_text").first().question.key
    response = client.post(
        reverse("answer_edit", args=[plan.pk, key]),
        {f"q-{key}-base_version": 0, f"q-{key}-text": "<p>Pasted\x00 words</p>"},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "errors": {
            f"q-{key}-text": [
                {
                    "message": "“Text” holds a character that cannot be stored (a null "
                    "character or half of a character pair, usually from text pasted from "
                    "another program). Remove it and save again."
                }
            ]
        }
    }
