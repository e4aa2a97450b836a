"""An edit clash where the two people changed different parts of an answer: the clash offers
both changes together, and its button puts them in the form, unsaved (docs/decisions/0471)."""

import pytest
from django.urls import reverse

from consortia.models import User
from plans.models import Answer
from tests.factories import UserFactory
from tests.plan_factories import plan_with_every_kind

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
JSON = {"HTTP_ACCEPT": "application/json"}
BASE = "<p>Our aim is fewer admissions.</p><p>We will review every referral.</p>"


@pytest.fixture
def plan(client):
    plan = plan_with_every_kind()
    client.force_login(UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium))
    return plan


def post(client, plan, key, fields, *, base_version, merge_from=None, **extra):
    data = {f"q-{key}-base_version": base_version}
    data.update({f"q-{key}-{name}": value for name, value in fields.items()})
    if merge_from is not None:  # the clash's "Use both changes" button
        data["merge-from"] = merge_from
    return client.post(reverse("answer_edit", args=[plan.pk, key]), data, **extra)


def answer(plan, key) -> Answer:
    return plan.answers.get(question__key=key)


@pytest.fixture
def their_first_paragraph_saved(client, plan):
    """Both people started from version 1; the other person changed the first paragraph."""
    post(client, plan, "question-1", {"text": BASE}, base_version=0)
    theirs = BASE.replace("fewer admissions", "fewer emergency admissions")
    post(client, plan, "question-1", {"text": theirs}, base_version=1)


YOURS = BASE.replace("every referral", "every referral each month")
BOTH = (
    "<p>Our aim is fewer emergency admissions.</p><p>We will review every referral each month.</p>"
)


def test_a_clash_on_different_paragraphs_offers_both_changes_without_script(
    client, plan, their_first_paragraph_saved
):
    response = post(client, plan, "question-1", {"text": YOURS}, base_version=1)

    page = response.content.decode()
    assert response.status_code == 409
    assert "so you can use both" in page
    assert 'name="merge-from" value="1"' in page
    assert 'form="answer-form-question-1"' in page
    assert ">Use both changes</button>" in page
    assert "each month" in page  # yours, as the change both would make to theirs


def test_a_clash_on_different_paragraphs_offers_both_changes_in_the_script_reply(
    client, plan, their_first_paragraph_saved
):
    response = post(client, plan, "question-1", {"text": YOURS}, base_version=1, **JSON)

    assert response.status_code == 409
    assert ">Use both changes</button>" in response.json()["conflict"]["html"]


def test_using_both_changes_puts_them_in_the_form_and_saves_nothing(
    client, plan, their_first_paragraph_saved
):
    response = post(client, plan, "question-1", {"text": YOURS}, base_version=1, merge_from="1")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Check both changes together, then save" in page
    assert 'id="both-changes-question-1" tabindex="-1" autofocus' in page
    assert "fewer emergency admissions" in page and "each month" in page
    assert 'name="q-question-1-base_version" value="2"' in page
    assert answer(plan, "question-1").version == 2  # nothing saved


def test_saving_both_changes_keeps_both(client, plan, their_first_paragraph_saved):
    post(client, plan, "question-1", {"text": YOURS}, base_version=1, merge_from="1")

    response = post(client, plan, "question-1", {"text": BOTH}, base_version=2)

    assert response.status_code == 302
    assert answer(plan, "question-1").text == BOTH


def test_a_clash_on_the_same_paragraph_names_it_and_offers_no_merge(
    client, plan, their_first_paragraph_saved
):
    mine = BASE.replace("fewer admissions", "fewer avoidable admissions")

    page = post(client, plan, "question-1", {"text": mine}, base_version=1).content.decode()

    assert "One part of the answer was changed by both of you" in page
    assert "The passage that read \u201cOur aim is fewer admissions.\u201d" in page
    assert "Use both changes" not in page


ROW = {"rows": "2", "rows[0].name": "Dr Adams", "rows[0].code": "A1",
       "rows[1].name": "Dr Brown", "rows[1].code": "B2"}  # fmt: skip


def test_a_table_clash_on_different_rows_puts_both_rows_in_the_form(client, plan):
    post(client, plan, "practices", ROW, base_version=0)
    post(client, plan, "practices", {**ROW, "rows[1].code": "B9"}, base_version=1)
    mine = {**ROW, "rows": "3", "rows[2].name": "Dr Cole", "rows[2].code": "C3"}

    clash = post(client, plan, "practices", mine, base_version=1).content.decode()
    response = post(client, plan, "practices", mine, base_version=1, merge_from="1")

    page = response.content.decode()
    assert ">Use both changes</button>" in clash
    assert response.status_code == 200
    assert 'value="B9"' in page and 'value="Dr Cole"' in page
    assert answer(plan, "practices").version == 2


def test_a_table_row_changed_by_both_is_named_as_a_clash(client, plan):
    post(client, plan, "practices", ROW, base_version=0)
    post(client, plan, "practices", {**ROW, "rows[1].code": "B9"}, base_version=1)

    page = post(
        client, plan, "practices", {**ROW, "rows[1].code": "B7"}, base_version=1
    ).content.decode()

    assert "Row 2. Theirs now reads: Dr Brown | B9 Yours reads: Dr Brown | B7" in page
