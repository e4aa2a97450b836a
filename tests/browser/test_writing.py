"""A practice manager writes 4.2 with autosave while a colleague edits the same answer."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, screenshot, start_session
from tests.plan_factories import demo_daccom_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_part(page, live_server, plan, part="commissioning-objectives"):
    page.goto(f"{live_server.url}/plans/{plan.pk}/parts/{part}/")


def editor_for(page, key):
    area = page.locator(f'#question-{key} .ProseMirror[contenteditable="true"]')
    expect(area).to_be_visible()
    return area


def type_at_end(area, text):
    area.click()
    area.press("Control+End")
    area.type(text)


def test_editor_autosaves_4_2_and_a_colleague_gets_the_conflict_screen(new_page, live_server):
    plan = demo_daccom_plan()
    editor = new_page()
    colleague = new_page()
    start_session(editor, live_server, "editor.daccom@example.org")
    start_session(colleague, live_server, "chair.daccom@example.org")

    editor.goto(f"{live_server.url}/plans/{plan.pk}/")
    expect(editor.get_by_role("heading", level=1)).to_have_text(plan.title)
    assert_accessible(editor)
    screenshot(editor, "plan-task-list")

    open_part(editor, live_server, plan)
    open_part(colleague, live_server, plan)
    assert_accessible(editor)

    type_at_end(editor_for(editor, "services-to-be-commissioned"), " Added by the editor.")
    status = editor.locator("#question-services-to-be-commissioned .app-save-status")
    expect(status).to_have_text(re.compile(r"Saved at \d\d:\d\d"), timeout=15_000)
    screenshot(editor, "part-autosaved")

    editor.reload()
    expect(editor_for(editor, "services-to-be-commissioned")).to_contain_text(
        "Added by the editor."
    )

    type_at_end(editor_for(colleague, "services-to-be-commissioned"), " The chair's words.")
    conflict = colleague.locator("#question-services-to-be-commissioned .app-conflict")
    expect(conflict).to_be_visible(timeout=15_000)
    expect(conflict).to_contain_text("saved a newer version")
    expect(conflict.locator(".app-their-version")).to_contain_text("Added by the editor.")
    expect(editor_for(colleague, "services-to-be-commissioned")).to_contain_text(
        "The chair's words."
    )
    screenshot(colleague, "part-conflict")
    assert_accessible(colleague)

    colleague.get_by_role("button", name="Save my version").click()
    expect(
        colleague.locator("#question-services-to-be-commissioned .app-save-status")
    ).to_have_text(re.compile(r"Saved at"), timeout=15_000)
    answer = plan.answers.get(question__key="services-to-be-commissioned")
    assert "The chair's words." in answer.text
    assert answer.history.filter(history_user__email="editor.daccom@example.org").exists()
