"""What no database can store, and what is too large, is refused where it enters, in words."""

import json
import re
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.test.client import BOUNDARY, encode_multipart
from django.urls import reverse
from django.utils import timezone

from consortia.models import Invitation, User
from consortia.plain_forms import SURROGATES
from consortia.presenters import people_url
from pbc.security.text_boundary import UnstorableTextMiddleware
from plans.models import Answer, Plan, PlanningRound
from plans.table_import import MAX_CSV_BYTES
from signoff.models import Comment
from tests.factories import ConsortiumFactory, UserFactory
from tests.plan_factories import pct_lead, plan_with_every_kind, plan_with_questions
from tests.review_factories import person, put_in_state, three_signatory_plan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
PREFIX = "comment-q-question-2"


@pytest.fixture
def reviewing(client):
    plan = put_in_state(three_signatory_plan(), Plan.Status.IN_REVIEW)
    client.force_login(person(User.Role.PCT_LEAD, plan))
    return plan


def comment(client, plan, body: str, *, question: str = "question-2"):
    return client.post(
        reverse("comment_add", args=[plan.pk]),
        {"question": question, f"{PREFIX}-body": body, f"{PREFIX}-quote": ""},
    )


NUL = "\x00"
HALF_A_PAIR = "\ud800"
CANNOT_BE_STORED = "holds a character that cannot be stored"


def post_form(client, url: str, fields: dict):
    """Posts the fields as a browser does. Half a surrogate pair, which a browser never sends
    (it sends U+FFFD), goes the one way a form post can carry it: as multipart data in Python's
    raw_unicode_escape codec, which Django decodes the parts with when the charset names it."""
    if not any(SURROGATES.search(str(value)) for value in fields.values()):
        return client.post(url, fields)
    escaped = {
        name: str(value).encode("raw_unicode_escape").decode("ascii")
        for name, value in fields.items()
    }
    return client.post(
        url,
        encode_multipart(BOUNDARY, escaped),
        content_type=f"multipart/form-data; boundary={BOUNDARY}; charset=raw_unicode_escape",
    )


def error_by(page: str, auto_id: str) -> str:
    """The error message shown with the field whose input has the id ``auto_id``."""
    found = re.search(rf'id="{auto_id}-error">(?:<span[^>]*>[^<]*</span>)?([^<]*)</span>', page)
    return found[1] if found else ""


def refused_on_its_field(response, *, auto_id: str, said: str) -> str:
    """The page of a post refused for text no database stores, checked to say so beside the
    field (labelled ``said``) whose input has the id ``auto_id``."""
    page = response.content.decode()
    assert response.status_code == 400
    assert f"{said} {CANNOT_BE_STORED}" in error_by(page, auto_id)
    return page


@pytest.fixture
def consortium(client):
    """A consortium whose PCT's lead is signed in, to invite people to it."""
    lead = UserFactory(role=User.Role.PCT_LEAD)
    client.force_login(lead)
    return ConsortiumFactory(commissioner=lead.commissioner)


def invitation(**fields) -> dict:
    """The form inviting a new editor, ``fields`` typed over it."""
    return {
        "full_name": "New Person",
        "email": "new.person@example.org",
        "role": User.Role.CONSORTIUM_EDITOR,
    } | fields


def as_typed(unstorable: str) -> str:
    """``unstorable`` as the form shows it back: half a pair cannot go into a page either."""
    return SURROGATES.sub(chr(0xFFFD), unstorable)


@pytest.mark.parametrize("unstorable", [NUL, HALF_A_PAIR])
def test_a_comment_holding_unstorable_text_is_refused_on_its_field_keeping_what_was_typed(
    client, reviewing, unstorable
):
    response = post_form(
        client,
        reverse("comment_add", args=[reviewing.pk]),
        {
            "question": "question-2",
            f"{PREFIX}-body": f"Pasted{unstorable} words",
            f"{PREFIX}-quote": "The passage I mean",
        },
    )

    page = refused_on_its_field(response, auto_id=f"id_{PREFIX}-body", said="Your comment")
    assert f"Pasted{as_typed(unstorable)} words</textarea>" in page
    assert "The passage I mean</textarea>" in page
    assert not Comment.objects.exists()


@pytest.mark.parametrize("unstorable", [NUL, HALF_A_PAIR])
def test_an_invitation_holding_unstorable_text_is_refused_on_its_field_keeping_what_was_typed(
    client, consortium, unstorable
):
    response = post_form(
        client, people_url(consortium), invitation(full_name=f"Dr{unstorable} Who")
    )

    page = refused_on_its_field(response, auto_id="id_full_name", said="Full name")
    assert f'value="Dr{as_typed(unstorable)} Who"' in page
    assert 'value="new.person@example.org"' in page
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("unstorable", [NUL, HALF_A_PAIR])
def test_a_planning_round_holding_unstorable_text_is_refused_on_its_field_keeping_what_was_typed(
    client, unstorable
):
    last_year = plan_with_questions()
    client.force_login(pct_lead(last_year.consortium.commissioner))
    interim = (timezone.localdate() + timedelta(days=30)).isoformat()

    response = post_form(
        client,
        reverse("round_open"),
        {
            "period": "2007/08",
            "template": last_year.template.pk,
            "deadline": str(timezone.localdate() + timedelta(days=90)),
            "interim_dates": f"{interim} First{unstorable} draft",
            "consortia": last_year.consortium.pk,
        },
    )

    page = refused_on_its_field(response, auto_id="id_interim_dates", said="Interim dates")
    assert f"{interim} First{as_typed(unstorable)} draft</textarea>" in page
    assert 'value="2007/08"' in page
    assert not PlanningRound.objects.exists()


def test_unstorable_text_in_a_field_no_form_of_the_view_reads_is_refused_before_the_view(
    client, consortium
):
    response = client.post(people_url(consortium), invitation(nickname=f"Newbie{NUL}"))

    page = response.content.decode()
    assert response.status_code == 400
    assert f"“Nickname” {CANNOT_BE_STORED}" in page
    assert 'name="full_name"' not in page
    assert not Invitation.objects.exists()


def test_text_left_to_a_form_that_a_view_sends_to_the_database_anyway_is_refused_in_words():
    request = RequestFactory().post("/", {"body": f"Pasted{NUL} words"})
    request.unstorable_fields = {"body": f"Pasted{NUL} words"}
    refused = ValueError("A string literal cannot contain NUL (0x00) characters.")

    response = UnstorableTextMiddleware(lambda request: None).process_exception(request, refused)

    assert response.status_code == 400
    assert f"“Body” {CANNOT_BE_STORED}" in response.content.decode()
    assert "It is just after “Pasted”." in response.content.decode()


@pytest.mark.parametrize(
    ("question", "body", "refusal", "also_shown"),
    [
        pytest.param(
            "question-2\x00",
            "Fine words",
            f"“Question” {CANNOT_BE_STORED}",
            "There is a problem",
            id="a_null_character_in_a_form_post_is_refused_naming_the_field",
        ),
        pytest.param(
            "question-2",
            "Fine\x00 words",
            f"Your comment {CANNOT_BE_STORED}",
            "Fine\x00 words</textarea>",
            id="a_null_character_in_a_field_the_views_form_refuses_reaches_that_form",
        ),
    ],
)
def test_a_null_character_in_a_comment_post_is_refused_and_nothing_is_saved(
    client, reviewing, question, body, refusal, also_shown
):
    response = comment(client, reviewing, body, question=question)

    page = response.content.decode()
    assert response.status_code == 400
    assert refusal in page
    assert also_shown in page
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
    """The answer's text box is refused by the answer form, naming it by its label."""
    plan = plan_with_every_kind()
    client.force_login(UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium))
    response = client.post(
        reverse("answer_edit", args=[plan.pk, "question-1"]),
        {"q-question-1-base_version": 0, "q-question-1-text": "<p>Pasted\x00 words</p>"},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "errors": {
            "q-question-1-text": [
                {
                    "message": "2.1 Question 1 holds a character that cannot be stored (a "
                    "null character or half of a character pair, usually from text pasted from "
                    "another program). It is just after “Pasted”. Remove it and save again.",
                    "code": "null_characters_not_allowed",
                }
            ]
        }
    }
    assert Answer.objects.get(plan=plan, question__key="question-1").version == 0


@pytest.mark.parametrize(
    "key, cells, said",
    [
        ("practices", {"rows": "1", "rows[0].name": "Dermatology"}, "Practice"),
        ("hours", {"lines": "1", "lines[0].activity": "Dermatology"}, "Activity"),
        ("milestones", {"milestones": "1", "milestones[0].due-day": "Dermatology"}, "Date"),
    ],
)  # fmt: skip
def test_a_null_character_in_a_cell_is_refused_naming_the_cell_as_its_page_labels_it(
    client, key, cells, said
):
    """The posted name says "name", "activity" or "due-day"; the page labels the cell
    "Practice", "Activity" and "Date", and so does the refusal, on that cell, saving nothing."""
    plan = plan_with_every_kind()
    client.force_login(UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium))
    posted = {f"q-{key}-{name}": value for name, value in cells.items()}
    wrong = next(name for name, value in posted.items() if value == "Dermatology")
    posted[wrong] = f"Dermatology{NUL} pathway"

    response = client.post(
        reverse("answer_edit", args=[plan.pk, key]),
        {f"q-{key}-base_version": 0, **posted},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "errors": {
            wrong: [
                {
                    "message": f"“{said}” holds a character that cannot be stored (a null "
                    "character or half of a character pair, usually from text pasted from "
                    "another program). It is just after “Dermatology”. Remove it and save again."
                }
            ]
        }
    }
    assert Answer.objects.get(plan=plan, question__key=key).version == 0


@pytest.mark.parametrize("character", [NUL, HALF_A_PAIR])
@pytest.mark.parametrize(
    "key, wrong, other, said",
    [
        ("practices", "rows[0].name", "rows[0].code", "Practice"),
        ("hours", "lines[0].activity", "lines[0].meetings", "Activity"),
    ],
)
def test_such_a_character_in_a_cell_posted_without_the_script_is_refused_on_the_question_page(
    client, character, key, wrong, other, said
):
    """Without the page's script the question is drawn again: the message names the column,
    the cell is marked, and what was typed in another cell is kept."""
    plan = plan_with_every_kind()
    client.force_login(UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium))

    response = post_form(
        client,
        reverse("answer_edit", args=[plan.pk, key]),
        {
            f"q-{key}-base_version": 0,
            f"q-{key}-{wrong.partition('[')[0]}": "1",
            f"q-{key}-{wrong}": f"Dermatology{character} pathway",
            f"q-{key}-{other}": "12",
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert f"“{said}” holds a character that cannot be stored" in page
    assert "It is just after “Dermatology”." in page
    assert re.search(rf'name="q-{key}-{re.escape(other)}"[^>]*value="12"', page)
    on_the_cell = re.search(rf'id="q-{key}-{re.escape(wrong)}-error">(.*?)</span>\s*<', page)
    assert f"“{said}” holds a character that cannot be stored" in on_the_cell[1]
    assert Answer.objects.get(plan=plan, question__key=key).version == 0


@pytest.mark.parametrize("accept", [{"HTTP_ACCEPT": "application/json"}, {}])
def test_a_pasted_null_character_is_refused_saying_the_words_it_comes_after(client, accept):
    plan = plan_with_every_kind()
    client.force_login(UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium))
    key = "question-1"
    typed = "<p>First paragraph.</p><p>A <strong>NUL here:</strong>\x00 and more</p>"

    response = client.post(
        reverse("answer_edit", args=[plan.pk, key]),
        {f"q-{key}-base_version": 0, f"q-{key}-text": typed},
        **accept,
    )

    said = str(response.json()) if accept else response.content.decode()
    assert response.status_code == 400
    assert "It is just after “A NUL here:”." in said
    assert Answer.objects.get(plan=plan, question__key=key).version == 0
