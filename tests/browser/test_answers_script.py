"""The answer form's script (static/js/answers.mjs) on DacCom's plan: an edit clash on figures
and rows shows what the other person saved; a refused figure is marked on its input; a row
button never asks to leave the page; a save too large to send says so; a save after the session
ended says so and keeps the text, and saves it once the editor has signed in again elsewhere."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from consortia.demo import DEMO_PASSWORD
from plans.models import Answer, Plan
from tests import demo_data
from tests.browser.conftest import assert_accessible, screenshot, sign_in, start_session
from tests.plan_factories import demo_daccom_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EDITOR = "editor.daccom@example.org"
PROJECTS = "#question-services-to-be-commissioned"


def saving(page, target: int, project: int):
    return page.get_by_label(f"Planned saving in pounds, target {target} of project {project}")


def editor_opens_part(page, live_server, plan, part="commissioning-objectives"):
    """DacCom's editor signs in and opens ``part`` of ``plan``."""
    start_session(page, live_server, EDITOR)
    page.goto(live_server.url + reverse("part_detail", args=[plan.pk, part]))


def writing_4_1_as_the_session_ends(page, live_server, plan):
    """DacCom's editor has 4.1 open, the cursor at the end of its text, when the session ends
    (eight hours pass, or the password is changed on another device): 4.1's save status and
    its editor."""
    editor_opens_part(page, live_server, plan)
    text = page.locator("#id_q-access-and-quality-targets-text-editor")
    text.click()
    text.evaluate("editor => editor.editor.commands.focus('end')")
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    return page.locator("#question-access-and-quality-targets .app-save-status"), text


def two_sessions(new_page, live_server, plan, part="commissioning-objectives"):
    """The same editor with the same part open in two browsers."""
    first, second = new_page(), new_page()
    for page in (first, second):
        editor_opens_part(page, live_server, plan, part)
    return first, second


def save_4_2_refused_by_a_page(page, live_server, *, status: int, body: str):
    """The editor saves 999 as 4.2's first planned saving and the server refuses it with an
    HTML page of ``status`` (not the JSON reply); returns 4.2's save status."""
    plan = demo_daccom_plan()
    editor_opens_part(page, live_server, plan)
    page.route(
        "**/questions/services-to-be-commissioned/",
        lambda route: route.fulfill(status=status, content_type="text/html", body=body),
    )
    saving(page, 1, 1).fill("999")

    page.get_by_role("button", name="Save 4.2").click()

    return page.locator(f"{PROJECTS} .app-save-status")


def clash_on_the_directors(first, second, *, theirs: str, mine: str):
    """``first`` saves 2.1's first director as ``theirs``; ``second``, whose page is older, saves
    the second as ``mine`` and gets the clash box, which is returned."""
    first.locator('input[name="q-directors-rows[0].name"]').fill(theirs)
    first.get_by_role("button", name="Save 2.1").click()
    expect(first.locator("#question-directors .app-save-status")).to_have_text(
        re.compile("Saved at")
    )
    second.locator('input[name="q-directors-rows[1].name"]').fill(mine)
    second.get_by_role("button", name="Save 2.1").click()
    return second.locator("#question-directors .app-conflict")


def test_a_clash_on_4_2_shows_the_saving_they_changed_before_anything_is_replaced(
    new_page, live_server
):
    plan = demo_daccom_plan()
    first, second = two_sessions(new_page, live_server, plan)
    saving(first, 1, 1).fill("111111")
    first.get_by_role("button", name="Save 4.2").click()
    expect(first.locator(f"{PROJECTS} .app-save-status")).to_have_text(re.compile("Saved at"))

    saving(second, 3, 1).fill("333333")
    second.get_by_role("button", name="Save 4.2").click()

    conflict = second.locator(f"{PROJECTS} .app-conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Target 1.1 \u203a Planned saving")
    expect(conflict).to_contain_text("£111,111")
    expect(saving(second, 3, 1)).to_have_value("333333")
    assert_accessible(second)
    screenshot(second, "clash-4-2-figures")

    second.get_by_role("button", name="Keep the version saved in your other window").click()
    expect(saving(second, 1, 1)).to_have_value("111,111.00")
    answer = plan.answers.get(question__key="services-to-be-commissioned")
    assert answer.data["projects"][0]["targets"][0]["planned_saving"] == "111111"


def test_a_clash_on_the_directors_table_shows_their_rows(new_page, live_server):
    plan = demo_daccom_plan()
    first, second = two_sessions(new_page, live_server, plan, part="commissioning-plan")
    conflict = clash_on_the_directors(
        first, second, theirs="Dr First Session", mine="Dr Second Session"
    )
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Dr First Session")
    expect(conflict).not_to_contain_text("(empty)")


def test_a_negative_saving_is_marked_on_its_input_and_focus_moves_there(page, live_server):
    plan = demo_daccom_plan()
    editor_opens_part(page, live_server, plan)
    field = saving(page, 1, 2)

    field.fill("-5000")
    page.get_by_role("button", name="Save 4.2").click()

    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_class(re.compile("nhsuk-input--error"))
    expect(field).to_be_focused()
    error = page.locator(f'[id="{field.get_attribute("id")}-error"]')
    expect(error).to_have_text("Error: The planned saving cannot be negative.")
    assert error.get_attribute("id") in field.get_attribute("aria-describedby").split()
    assert_accessible(page)
    screenshot(page, "refused-figure-marked")

    field.fill("5000")
    page.get_by_role("button", name="Save 4.2").click()
    expect(page.locator(f"{PROJECTS} .app-save-status")).to_have_text(re.compile("Saved at"))
    expect(field).not_to_have_attribute("aria-invalid", "true")
    expect(error).to_have_count(0)


def test_a_row_button_after_typing_posts_without_asking_to_leave_the_page(page, live_server):
    plan = demo_daccom_plan()
    editor_opens_part(page, live_server, plan)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    saving(page, 1, 2).fill("1234")

    page.get_by_role("button", name="Add a target to project 2").click()

    expect(page.get_by_label("Number, target 2 of project 2")).to_be_focused()
    assert dialogs == []
    answer = plan.answers.get(question__key="services-to-be-commissioned")
    assert answer.data["projects"][1]["targets"][0]["planned_saving"] == "1234"


@pytest.mark.parametrize(
    ("status_code", "body", "says", "does_not_say"),
    [
        pytest.param(
            # The server's own refusal of a form over its size limit.
            413,
            "<h1>What you sent is too large</h1>",
            "too large",
            "connection",
            id="a_save_too_large_to_send_says_so_and_keeps_the_figures",
        ),
        pytest.param(
            400,
            "<h1>Bad</h1>",
            "Not saved: the server could not read what was sent",
            "too large",
            id="a_refusal_page_that_is_not_about_size_is_not_called_too_large",
        ),
    ],
)
def test_a_save_refused_by_a_page_says_why_and_keeps_the_figures(
    page, live_server, status_code, body, says, does_not_say
):
    status = save_4_2_refused_by_a_page(page, live_server, status=status_code, body=body)

    expect(status).to_contain_text(says)
    expect(status).not_to_contain_text(does_not_say)
    expect(saving(page, 1, 1)).to_have_value("999")


def test_a_null_character_says_which_field_holds_it_not_that_the_answer_is_too_large(
    page, live_server
):
    plan = demo_daccom_plan()
    editor_opens_part(page, live_server, plan, part="commissioning-plan")
    cell = page.locator('input[name="q-directors-rows[0].name"]')
    status = page.locator("#question-directors .app-save-status")
    cell.fill("x" * 2001)
    cell.press("Enter")
    expect(status).to_contain_text("at most 2,000 characters")

    cell.fill("Dr Pasted\x00 Name")
    cell.press("Enter")

    expect(status).to_contain_text("Not saved: “Name” holds a character that cannot be stored")
    expect(status).to_contain_text("Remove it and save again.")
    expect(status).not_to_contain_text("too large")
    expect(status).not_to_contain_text("2,000")
    expect(cell).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#question-directors .app-script-error")).to_have_count(1)
    expect(cell).to_have_value("Dr Pasted\x00 Name")

    cell.fill("Dr Pasted Name")
    cell.press("Enter")
    expect(status).to_have_text(re.compile("Saved at"))
    expect(page.locator("#question-directors .app-script-error")).to_have_count(0)


def test_a_clash_on_different_directors_offers_both_and_puts_them_in_the_form_unsaved(
    new_page, live_server
):
    plan = demo_daccom_plan()
    first, second = two_sessions(new_page, live_server, plan, part="commissioning-plan")
    conflict = clash_on_the_directors(first, second, theirs="Dr First Both", mine="Dr Second Both")
    expect(conflict).to_contain_text("so you can use both")
    assert_accessible(second)

    conflict.get_by_role("button", name="Use both changes").click()

    heading = second.get_by_role("heading", name="Check both changes together, then save")
    expect(heading).to_be_focused()
    expect(second.locator('input[name="q-directors-rows[0].name"]')).to_have_value("Dr First Both")
    expect(second.locator('input[name="q-directors-rows[1].name"]')).to_have_value("Dr Second Both")
    answer = plan.answers.get(question__key="directors")
    assert [row["name"] for row in answer.rows[:2]][1] != "Dr Second Both"  # not saved yet
    assert_accessible(second)
    screenshot(second, "clash-both-changes")

    second.get_by_role("button", name="Save 2.1").click()
    expect(second.locator("#question-directors .app-save-status")).to_have_text(
        re.compile("Saved at")
    )
    answer.refresh_from_db()
    assert [row["name"] for row in answer.rows[:2]] == ["Dr First Both", "Dr Second Both"]


def test_a_clash_on_different_cells_of_one_director_offers_both_and_saves_both(
    new_page, live_server
):
    # The same row, different columns: merged cell by cell (docs/decisions/0495).
    plan = demo_daccom_plan()
    first, second = two_sessions(new_page, live_server, plan, part="commissioning-plan")
    first.locator('input[name="q-directors-rows[1].name"]').fill("Dr First Cell")
    first.get_by_role("button", name="Save 2.1").click()
    expect(first.locator("#question-directors .app-save-status")).to_have_text(
        re.compile("Saved at")
    )
    second.locator('input[name="q-directors-rows[1].discipline"]').fill("Second discipline")
    second.get_by_role("button", name="Save 2.1").click()

    conflict = second.locator("#question-directors .app-conflict")
    expect(conflict).to_contain_text("so you can use both")
    expect(conflict).not_to_contain_text("changed in both windows")
    conflict.get_by_role("button", name="Use both changes").click()

    row = 'input[name="q-directors-rows[1].{}"]'
    expect(second.locator(row.format("name"))).to_have_value("Dr First Cell")
    expect(second.locator(row.format("discipline"))).to_have_value("Second discipline")
    second.get_by_role("button", name="Save 2.1").click()
    expect(second.locator("#question-directors .app-save-status")).to_have_text(
        re.compile("Saved at")
    )
    answer = plan.answers.get(question__key="directors")
    assert answer.rows[1] == {"name": "Dr First Cell", "discipline": "Second discipline"}


def level_counts(summary, level: int) -> list[str]:
    """A level's row of the self-assessment's summary: its targets, how many at each rating,
    how many not rated."""
    return summary.locator(f'tr[data-level="{level}"] td').all_inner_texts()


def test_a_save_in_the_page_counts_the_self_assessment_again_without_a_reload(live_server, page):
    plan = demo_daccom_plan()
    assessment = plan.consortium.plans.get(template__family__endswith="self-assessment")
    editor_opens_part(page, live_server, assessment, part="self-assessment")
    summary = page.get_by_role("table", name="Summary: targets at each level by rating")
    assert level_counts(summary, 1) == ["14", "1", "8", "5", "0", "0", "0"]
    page.evaluate("window.notReloaded = true")

    page.get_by_label("Rating for target 1.1.3").select_option("Critical")
    page.get_by_role("button", name="Save this answer").click()
    # Chosen after the save is sent (at another level, whose counts it changes): stays as chosen.
    page.get_by_label("Rating for target 2.1.1").select_option("High")

    # The save draws the whole self-assessment again: slow on a busy machine.
    page.locator("#question-self-assessment .app-save-status").filter(
        has_text=re.compile(r"Saved at .*\. The figures worked out from it are updated\.")
    ).wait_for()
    assert level_counts(summary, 1) == ["14", "0", "8", "5", "0", "1", "0"]
    assert page.evaluate("window.notReloaded") is True
    assert page.get_by_label("Rating for target 2.1.1").input_value() == "High"
    assert page.get_by_label("Rating for target 1.1.3").input_value() == "Critical"
    assert_accessible(page)
    screenshot(page, "self-assessment-counted-again")


def test_an_autosave_of_4_2_shows_4_2s_totals_and_4_4s_share_worked_out_again(live_server, page):
    plan = demo_daccom_plan()
    editor_opens_part(page, live_server, plan)
    share = page.locator("#question-financial-targets [data-figure=share]")
    assert "£2.68m (44%) of £6.106m" in share.inner_text()

    saving(page, 1, 1).fill("1153000")

    page.locator(f"{PROJECTS} .app-save-status").filter(
        has_text="The figures worked out from it are updated."
    ).wait_for()
    assert "£3.68m (60%) of £6.106m" in share.inner_text()
    assert page.locator(f"{PROJECTS} [data-figure=plan-total]").inner_text() == "£3,676,000"
    assert saving(page, 1, 1).input_value() == "1153000"


def state_tag(page, key: str):
    return page.locator(f"#question-{key} [data-saved-state=tag] .nhsuk-tag").first


def test_an_in_page_save_shows_the_answers_new_state_keeping_focus_and_text(live_server, page):
    plan = demo_daccom_plan()
    editor_opens_part(page, live_server, plan)
    key = "access-and-quality-targets"
    status = page.locator(f"#question-{key} .app-save-status")
    expect(state_tag(page, key)).to_have_text("Completed")
    page.evaluate("window.notReloaded = true")
    text = page.locator(f"#id_q-{key}-text-editor")
    text.click()
    page.evaluate(f"document.getElementById('id_q-{key}-text-editor').editor.commands.focus('end')")

    page.keyboard.type(" Reviewed in May.")

    # Only typed, the autosave keeps it in progress until it is saved by its person (0497).
    status.filter(has_text="It is now marked In progress.").wait_for()
    expect(state_tag(page, key)).to_have_text("In progress")
    expect(text).to_be_focused()
    page.keyboard.type(" Agreed.")
    expect(text).to_contain_text("Reviewed in May. Agreed.")
    assert_accessible(page)

    page.get_by_role("button", name="Save 4.1").click()
    status.filter(has_text=re.compile(r"Saved at .*\. It is now marked Completed\.")).wait_for()
    expect(state_tag(page, key)).to_have_text("Completed")
    assert page.evaluate("window.notReloaded") is True


def test_an_in_page_save_shows_and_clears_the_warnings_callout_above_the_answer(live_server, page):
    demo_data.load_organisations_and_plans()
    plan = Plan.objects.get(consortium__slug="banes")
    start_session(page, live_server, "editor.banes@example.org")
    page.goto(live_server.url + reverse("part_detail", args=[plan.pk, "appendix-1"]))
    key = "incentive-outcome-framework"
    question = page.locator(f"#question-{key}")
    warning = page.locator(f"#question-{key}-warnings")
    status = question.locator(".app-save-status")
    weighting = question.locator(f'input[name="q-{key}-areas[4].weighting_percent"]')
    kept = weighting.input_value()
    page.evaluate("window.notReloaded = true")
    expect(warning).to_have_count(0)

    weighting.fill(str(int(kept) - 10))
    question.locator(".app-answer-actions button").click()

    status.filter(has_text="fix this before the plan is submitted").wait_for()
    expect(warning).to_contain_text("The weightings add up to 90%")
    assert_accessible(page)

    weighting.fill(kept)
    question.locator(".app-answer-actions button").click()
    status.filter(has_text=re.compile(r"^Saved at [^,]*$")).wait_for()
    expect(warning).to_have_count(0)
    assert page.evaluate("window.notReloaded") is True


@pytest.mark.parametrize(
    ("signs_in", "then", "saved"),
    [
        pytest.param(EDITOR, r"^Saved at", True, id="the_editor_again_saves_it"),
        pytest.param(
            "chair.daccom@example.org",
            r"^Not saved: someone else has signed in on this browser since this page was opened",
            False,
            id="someone_else_does_not_save_it_as_theirs",
        ),
    ],
)
def test_a_save_after_the_session_ended_keeps_the_text_until_its_editor_signs_in_again(
    page, live_server, signs_in, then, saved
):
    plan = demo_daccom_plan()
    key = "access-and-quality-targets"
    status, text = writing_4_1_as_the_session_ends(page, live_server, plan)

    page.keyboard.type(" Reviewed in May.")
    page.get_by_role("button", name="Save 4.1").click()

    expect(status).to_have_text(re.compile(r"^Not saved: you are signed out\. Your text is still"))
    expect(text).to_contain_text("Reviewed in May.")
    assert "Reviewed in May." not in Answer.objects.get(plan=plan, question__key=key).text
    assert_accessible(page)
    screenshot(page, "save-after-the-session-ended")

    with page.context.expect_page() as opened:
        status.get_by_role("link", name="Open the sign-in page in a new tab").click()
    expect(opened.value).to_have_url(re.compile(rf"/sign-in/\?next=.*{key}"))
    # Signing in again in another tab changes the page's token: the save goes through as the
    # same person, and is not made in the name of someone else.
    sign_in(opened.value, live_server, signs_in, DEMO_PASSWORD)
    page.get_by_role("button", name="Save 4.1").click()

    expect(status).to_have_text(re.compile(then))
    expect(text).to_contain_text("Reviewed in May.")
    answer = Answer.objects.get(plan=plan, question__key=key)
    assert ("Reviewed in May." in answer.text) is saved
