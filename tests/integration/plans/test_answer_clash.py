"""An edit clash and a refused figure as the answer page gets them, with and without its
script: the person sees what the other person saved, and which input is wrong; where the two
changed different parts of an answer, the clash offers both changes together and its button
puts them in the form, unsaved (docs/decisions/0471)."""

import html
import re

import pytest
from django.urls import reverse

from consortia.models import User
from plans.models import Answer
from tests.factories import UserFactory
from tests.plan_factories import plan_with_every_kind

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
JSON = {"HTTP_ACCEPT": "application/json"}
SAVING = "projects[0].targets[{}].planned_saving"


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


def projects(*savings):
    fields = {"projects": "1", "projects[0].number": "1", "projects[0].title": "Falls",
              "projects[0].targets": str(len(savings))}  # fmt: skip
    for j, saving in enumerate(savings):
        fields[f"projects[0].targets[{j}].code"] = f"1.{j + 1}"
        fields[f"projects[0].targets[{j}].title"] = f"Target {j + 1}"
        fields[SAVING.format(j)] = saving
    return fields


@pytest.fixture
def their_saving_saved(client, plan):
    """Both people opened the projects at version 1; the other person saved target 1.1."""
    post(client, plan, "projects", projects("153000", "150000"), base_version=0)
    post(client, plan, "projects", projects("111111", "150000"), base_version=1)


def test_a_clash_on_figures_answers_with_their_figures_and_what_saving_yours_changes(
    client, plan, their_saving_saved
):
    response = post(client, plan, "projects", projects("153000", "333333"), base_version=1, **JSON)

    conflict = response.json()["conflict"]
    assert response.status_code == 409
    assert conflict["version"] == 2
    assert conflict["data"]["projects"][0]["targets"][0]["planned_saving"] == "111111"
    assert "Target 1.1 \u203a Planned saving" in conflict["html"]
    assert "£111,111" in conflict["html"] and "£153,000" in conflict["html"]
    assert "£333,333" in conflict["html"]


def test_a_clash_on_figures_without_script_shows_theirs_and_keeps_the_figures_typed(
    client, plan, their_saving_saved
):
    response = post(client, plan, "projects", projects("153000", "333333"), base_version=1)

    page = response.content.decode()
    assert response.status_code == 409
    assert "Target 1.1 \u203a Planned saving" in page
    assert "£111,111" in page  # theirs, shown
    assert 'value="333,333.00"' in page  # yours, still in its input
    assert 'name="q-projects-base_version" value="2"' in page


def test_a_clash_on_a_table_shows_their_rows(client, plan):
    rows = {"rows": "1", "rows[0].name": "Dr Their Row", "rows[0].code": "A1"}
    post(client, plan, "practices", rows, base_version=0)
    mine = {"rows": "1", "rows[0].name": "Dr My Row", "rows[0].code": "A1"}

    response = post(client, plan, "practices", mine, base_version=0, **JSON)

    html = response.json()["conflict"]["html"]
    assert response.status_code == 409
    assert "Dr Their Row" in html
    assert "(empty)" not in html


def test_a_refused_figure_is_named_by_its_input_in_the_json_reply(client, plan):
    response = post(client, plan, "projects", projects("153000", "-5000"), base_version=0, **JSON)

    assert response.status_code == 400
    assert response.json()["errors"] == {
        f"q-projects-{SAVING.format(1)}": [{"message": "The planned saving cannot be negative."}]
    }


def test_a_refused_figure_without_script_is_linked_from_the_error_summary(client, plan):
    response = post(client, plan, "projects", projects("153000", "-5000"), base_version=0)

    page = response.content.decode()
    field = f"q-projects-{SAVING.format(1)}"
    assert response.status_code == 400
    assert f'<a href="#{field}">The planned saving cannot be negative.</a>' in page
    assert f'id="{field}-error"' in page


@pytest.mark.parametrize(
    ("key", "fields", "refused"),
    [
        ("projects", projects("-5000"), SAVING.format(0)),
        ("hours", {"lines": "1", "lines[0].activity": "Board", "lines[0].hours": "-3"},
         "lines[0].hours"),
        ("milestones", {"milestones": "1", "milestones[0].due-day": "1",
                        "milestones[0].due-month": "1", "milestones[0].due-year": "1999",
                        "milestones[0].item": "A report"}, "milestones[0].due"),
    ],
)  # fmt: skip
def test_the_input_a_json_refusal_names_is_on_the_page(client, plan, key, fields, refused):
    reply = post(client, plan, key, fields, base_version=0, **JSON)
    page = post(client, plan, key, fields, base_version=0).content.decode()

    assert reply.status_code == 400
    assert list(reply.json()["errors"]) == [f"q-{key}-{refused}"]
    assert f'id="q-{key}-{refused}"' in page


def save_projects_from_version_1(client, plan) -> tuple[dict, str]:
    """The same stale save made in page and JSON: the JSON clash and the clash page."""
    stale = projects("153000", "333333")
    conflict = post(client, plan, "projects", stale, base_version=1, **JSON).json()["conflict"]
    page = post(client, plan, "projects", stale, base_version=1).content.decode()
    return conflict, page


def test_a_clash_with_ones_own_other_window_does_not_call_them_someone_else(
    client, plan, their_saving_saved
):
    conflict, page = save_projects_from_version_1(client, plan)

    assert conflict["yours"] is True
    assert "You saved a newer version of this answer in another window or tab" in page
    assert "You changed this answer in another window \u2013" in page
    assert "Someone else" not in page
    for words in (conflict["html"], page):
        assert "would change what you saved in the other window" in words
        assert "The whole version you saved in the other window" in words
        assert "they saved" not in words
        assert "Their whole saved version" not in words


def test_a_clash_with_someone_else_names_them(client, plan, their_saving_saved):
    client.force_login(UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium))
    conflict, page = save_projects_from_version_1(client, plan)

    assert conflict["yours"] is False
    assert "Someone else saved this answer while you were editing" in page
    assert "Saving your version would change what they saved" in page
    assert "other window" not in page


# --- Both changes together ----------------------------------------------------------------


def answer(plan, key) -> Answer:
    return plan.answers.get(question__key=key)


BASE = "<p>Our aim is fewer admissions.</p><p>We will review every referral.</p>"


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


def test_saving_the_answer_put_in_the_form_keeps_both_changes(
    client, plan, their_first_paragraph_saved
):
    page = post(client, plan, "question-1", {"text": YOURS}, base_version=1, merge_from="1")
    in_the_form = re.search(
        r'<textarea name="q-question-1-text"[^>]*>(.*?)</textarea>', page.content.decode(), re.S
    )

    response = post(
        client, plan, "question-1", {"text": html.unescape(in_the_form[1])}, base_version=2
    )

    assert response.status_code == 302
    assert answer(plan, "question-1").text == BOTH


def test_a_clash_on_the_same_paragraph_names_it_and_offers_no_merge(
    client, plan, their_first_paragraph_saved
):
    mine = BASE.replace("fewer admissions", "fewer avoidable admissions")

    page = post(client, plan, "question-1", {"text": mine}, base_version=1).content.decode()

    assert "One part of the answer was changed in both windows" in page
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

    clash = (
        "Row 2 \u2013 saved in the other window: \u201cDr Brown | B9\u201d; "
        "typed here: \u201cDr Brown | B7\u201d"
    )
    assert clash in page


def test_a_list_the_editor_only_reshaped_is_not_called_changed_by_both(client, plan):
    # Saved without the editor, the items hold bare text; the editor sends each back in a
    # paragraph, though the person changed none of them (docs/decisions/0497).
    stored = "<ul><li>Falls</li><li>COPD</li></ul>"
    post(client, plan, "question-1", {"text": stored}, base_version=0)
    post(client, plan, "question-1", {"text": stored.replace("COPD", "COPD and asthma")},
         base_version=1)  # fmt: skip
    mine = "<ul><li><p>Falls</p></li><li><p>COPD</p></li></ul><p>Reviewed monthly.</p>"

    page = post(client, plan, "question-1", {"text": mine}, base_version=1).content.decode()

    assert "changed in both windows" not in page
    assert ">Use both changes</button>" in page


def test_a_table_row_whose_different_cells_each_changed_puts_both_in_the_form(client, plan):
    # Both started from version 1; the other person changed row 2's code, this one its name.
    post(client, plan, "practices", ROW, base_version=0)
    post(client, plan, "practices", {**ROW, "rows[1].code": "B9"}, base_version=1)
    mine = {**ROW, "rows[1].name": "Dr Browne"}

    clash = post(client, plan, "practices", mine, base_version=1).content.decode()
    reply = post(client, plan, "practices", mine, base_version=1, **JSON).json()["conflict"]
    page = post(client, plan, "practices", mine, base_version=1, merge_from="1").content.decode()

    for words in (clash, reply["html"]):
        assert "are to different parts of the answer, so you can use both" in words
        assert "changed in both windows" not in words
        assert ">Use both changes</button>" in words
    assert 'value="Dr Browne"' in page and 'value="B9"' in page
    assert answer(plan, "practices").version == 2  # nothing saved until Save


def test_saving_a_row_put_together_from_both_keeps_both_cells(client, plan):
    post(client, plan, "practices", ROW, base_version=0)
    post(client, plan, "practices", {**ROW, "rows[1].code": "B9"}, base_version=1)
    page = post(client, plan, "practices", {**ROW, "rows[1].name": "Dr Browne"}, base_version=1,
                merge_from="1").content.decode()  # fmt: skip
    in_the_form = dict(
        re.findall(r'name="q-practices-(rows\[\d\]\.\w+)"[^>]* value="([^"]*)"', page)
    )

    response = post(client, plan, "practices", {"rows": "2", **in_the_form}, base_version=2)

    assert response.status_code == 302
    assert answer(plan, "practices").rows == [
        {"name": "Dr Adams", "code": "A1"},
        {"name": "Dr Browne", "code": "B9"},
    ]


def milestone(item, owner) -> dict:
    return {"milestones": "1", "milestones[0].due-day": "", "milestones[0].due-month": "",
            "milestones[0].due-year": "", "milestones[0].item": item,
            "milestones[0].owner": owner}  # fmt: skip


def test_a_milestone_whose_different_cells_each_changed_puts_both_in_the_form(client, plan):
    # Figures kept as one list of rows merge as a table's rows do (0471, 0495).
    post(client, plan, "milestones", milestone("A report", "Ann"), base_version=0)
    post(client, plan, "milestones", milestone("A report", "Bob"), base_version=1)
    mine = milestone("A report to the board", "Ann")

    clash = post(client, plan, "milestones", mine, base_version=1).content.decode()
    page = post(client, plan, "milestones", mine, base_version=1, merge_from="1").content.decode()

    assert "changed in both windows" not in clash
    assert ">Use both changes</button>" in clash
    assert "A report to the board" in page and 'value="Bob"' in page
