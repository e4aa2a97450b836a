"""The rich-text editor's toolbar is one WAI-ARIA toolbar: a single Tab stop named after its
question, arrows (wrapping), Home and End between its buttons, format buttons that say whether
they are on, and Tab on to the editing area. Keyboard only."""

import re

import pytest
from playwright.sync_api import expect

from plans.models import Answer
from tests.browser.conftest import start_session
from tests.browser.test_keyboard import EDITOR, PART, accessible, focused, tab_to
from tests.plan_factories import demo_daccom_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "access-and-quality-targets"
AREA = f"id_q-{QUESTION}-text-editor"


OPTIONS_ON_TOP = """() => [...document.querySelectorAll(":popover-open .prose-menubar__option")]
    .filter((option) => {
        const box = option.getBoundingClientRect();
        const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
        return option.contains(hit);
    })
    .map((option) => option.textContent.trim())"""


def toolbar_of_4_1(page):
    return page.get_by_role("toolbar", name="Formatting for 4.1 Access and Quality Targets")


def in_toolbar(page) -> bool:
    return page.evaluate("!!document.activeElement.closest('[role=toolbar]')")


def in_editing_area(page) -> bool:
    return focused(page)["id"] == AREA


def says_on(toolbar, name: str, on: bool) -> None:
    """The format button ``name`` says whether its format is on where the cursor is (once the
    editor has read where the cursor went)."""
    expect(toolbar.get_by_role("button", name=name)).to_have_attribute(
        "aria-pressed", str(on).lower()
    )


def pressed(page) -> str | None:
    return page.evaluate("document.activeElement.getAttribute('aria-pressed')")


def test_the_toolbar_is_one_tab_stop_and_bold_is_pressed_from_the_keyboard(page, live_server):
    plan = demo_daccom_plan()
    start_session(page, live_server, EDITOR)
    page.goto(f"{live_server.url}/plans/{plan.pk}/parts/{PART}/")
    expect(toolbar_of_4_1(page)).to_have_attribute("aria-controls", AREA)

    tab_to(
        page,
        lambda f: f["section"] == f"question-{QUESTION}" and f["label"].startswith("Text style"),
        what="4.1's toolbar",
    )
    page.keyboard.press("Shift+Tab")
    assert not in_toolbar(page), "Shift+Tab leaves the toolbar from its first button"
    page.keyboard.press("Tab")
    assert focused(page)["label"] == "Text style: Paragraph", "Tab enters on the first button"
    page.keyboard.press("Tab")
    assert in_editing_area(page), "one Tab goes from the toolbar to the editing area"
    page.keyboard.press("Shift+Tab")
    assert focused(page)["label"] == "Text style: Paragraph"

    page.keyboard.press("End")
    assert focused(page)["label"] == "Redo"
    page.keyboard.press("ArrowRight")
    assert focused(page)["label"] == "Text style: Paragraph", "Right wraps to the first"
    page.keyboard.press("ArrowLeft")
    assert focused(page)["label"] == "Redo", "Left wraps to the last"
    page.keyboard.press("Home")
    labels = []
    while focused(page)["label"] != "Bold" and len(labels) < 10:
        page.keyboard.press("ArrowRight")
        labels.append(focused(page)["label"])
    assert labels == ["Bulleted list", "Numbered list", "Quotation", "Bold"]
    assert pressed(page) == "false"
    accessible(page)

    page.keyboard.press("Enter")
    assert in_editing_area(page), "a format button hands the keyboard back to the text"
    page.keyboard.type("Agreed with the PCT")
    page.keyboard.press("Shift+Tab")
    now = focused(page)
    assert now["label"] == "Bold", "the toolbar's one stop is the button last used"
    assert pressed(page) == "true", "Bold says it is on where the cursor is"
    page.keyboard.press("ArrowRight")
    assert focused(page)["label"] == "Italic"
    assert pressed(page) == "false"
    page.keyboard.press("Tab")
    assert in_editing_area(page)
    accessible(page)

    tab_to(page, lambda f: f["text"] == "Save 4.1", what="Save 4.1")
    page.keyboard.press("Enter")
    expect(page.locator(f"#question-{QUESTION} .app-save-status")).to_have_text(
        re.compile("Saved at")
    )
    text = Answer.objects.get(plan=plan, question__key=QUESTION).text
    assert "<strong>Agreed with the PCT</strong>" in text


def test_the_text_style_menu_opens_on_the_style_in_use_and_closes_back_to_its_button(
    page, live_server
):
    plan = demo_daccom_plan()
    start_session(page, live_server, EDITOR)
    page.goto(f"{live_server.url}/plans/{plan.pk}/parts/{PART}/")
    tab_to(page, lambda f: f["label"] == "Text style: Paragraph", what="4.1's text style")
    page.keyboard.press("Space")
    option = page.get_by_role("button", name="Paragraph", exact=True)
    expect(option).to_be_focused()  # the menu opens a moment after the press
    # axe takes the open menu's options (drawn over everything, in the top layer) to be covered
    # by the text and buttons under them: what a press on each would reach is asked here.
    assert page.evaluate(OPTIONS_ON_TOP) == ["Heading 3", "Heading 4", "Paragraph"]
    fonts = "[document.body, document.activeElement].map((e) => getComputedStyle(e).fontFamily)"
    body, menu = page.evaluate(fonts)
    assert menu == body, "the menu is in the page's typeface (the library resets it to serif)"
    page.keyboard.press("Escape")
    expect(toolbar_of_4_1(page).get_by_role("button", name="Text style: Paragraph")).to_be_focused()
    accessible(page)

    page.keyboard.press("ArrowDown")
    expect(option).to_be_focused()
    page.keyboard.press("Home")
    assert focused(page)["text"] == "Heading 3"
    page.keyboard.press("ArrowUp")
    assert focused(page)["text"] == "Paragraph", "Up wraps to the last"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    assert in_editing_area(page)
    page.keyboard.type("Targets")
    page.keyboard.press("Shift+Tab")
    assert focused(page)["label"] == "Text style: Heading 4"


def cursor_on_a_new_last_paragraph(page):
    page.locator(f"#{AREA}").click()
    page.evaluate(f"document.getElementById('{AREA}').editor.commands.focus('end')")
    page.keyboard.press("Enter")


def test_typing_1_dot_space_starts_a_numbered_list_that_is_saved_and_undo_takes_it_back(
    page, live_server
):
    plan = demo_daccom_plan()
    start_session(page, live_server, EDITOR)
    page.goto(f"{live_server.url}/plans/{plan.pk}/parts/{PART}/")
    cursor_on_a_new_last_paragraph(page)

    page.keyboard.type("1. ")
    expect(page.locator(f"#{AREA} > ol:last-child")).to_have_count(1)
    expect(toolbar_of_4_1(page).get_by_role("button", name="Numbered list")).to_have_attribute(
        "aria-pressed", "true"
    )
    page.keyboard.type("Falls service")
    page.keyboard.press("Enter")
    page.keyboard.type("Diabetes clinic")
    expect(page.locator(f"#{AREA} > ol:last-child > li")).to_have_text(
        ["Falls service", "Diabetes clinic"]
    )

    # Tab in a list moves the item in a level (the editor's own keys), so Save is clicked.
    page.get_by_role("button", name="Save 4.1").click()
    expect(page.locator(f"#question-{QUESTION} .app-save-status")).to_have_text(
        re.compile("Saved at")
    )
    text = Answer.objects.get(plan=plan, question__key=QUESTION).text
    assert text.endswith("<ol><li><p>Falls service</p></li><li><p>Diabetes clinic</p></li></ol>")

    cursor_on_a_new_last_paragraph(page)
    page.keyboard.press("Enter")
    page.keyboard.type("1. ")
    expect(page.locator(f"#{AREA} > ol:last-child")).to_have_count(1)
    page.keyboard.press("Control+z")
    expect(page.locator(f"#{AREA} > p:last-child")).to_have_text("")
    expect(page.locator(f"#{AREA} > ol")).to_have_count(1)


def test_shift_tab_moves_a_nested_item_out_and_then_leaves_the_list_as_it_is(page, live_server):
    plan = demo_daccom_plan()
    start_session(page, live_server, EDITOR)
    page.goto(f"{live_server.url}/plans/{plan.pk}/parts/{PART}/")
    cursor_on_a_new_last_paragraph(page)
    page.keyboard.type("- Falls service")
    page.keyboard.press("Enter")
    page.keyboard.type("Diabetes clinic")
    outer_items = page.locator(f"#{AREA} > ul:last-child > li")

    page.keyboard.press("Tab")
    expect(outer_items).to_have_count(1)
    page.keyboard.press("Shift+Tab")
    expect(outer_items).to_have_text(["Falls service", "Diabetes clinic"])
    assert in_editing_area(page), "the first Shift+Tab moves the item back out a level"

    page.keyboard.press("Shift+Tab")
    assert in_toolbar(page), "at the outer level Shift+Tab moves on to the toolbar"
    expect(outer_items).to_have_text(["Falls service", "Diabetes clinic"])
    expect(page.locator(f"#{AREA} > :last-child")).to_have_js_property("tagName", "UL")


def test_underlining_and_a_quotation_in_an_answer_are_kept_when_another_word_is_edited(
    page, live_server
):
    plan = demo_daccom_plan()
    # What the server keeps of a post without the editor (plans/sanitise.py); the editor once
    # dropped both on opening, so an edit of any word saved the answer without them.
    kept = (
        "<p>Agreed <u>with the PCT</u> in March.</p>"
        "<blockquote><p>Every practice will report monthly.</p></blockquote>"
    )
    Answer.objects.filter(plan=plan, question__key=QUESTION).update(
        text=f"{kept}<p>Reviewed quarterly</p>"
    )
    start_session(page, live_server, EDITOR)
    page.goto(f"{live_server.url}/plans/{plan.pk}/parts/{PART}/")
    tab_to(page, lambda f: f["id"] == AREA, what="4.1's editing area")
    toolbar = toolbar_of_4_1(page)
    page.keyboard.press("Control+Home")
    page.keyboard.press("ArrowDown")
    says_on(toolbar, "Quotation", True)
    says_on(toolbar, "Underline", False)
    page.keyboard.press("Control+Home")
    for _ in range(len("Agreed wi")):
        page.keyboard.press("ArrowRight")
    says_on(toolbar, "Underline", True)
    says_on(toolbar, "Quotation", False)
    page.keyboard.press("Shift+Tab")
    while focused(page)["label"] not in ("Underline", "Redo"):
        page.keyboard.press("ArrowRight")
    assert focused(page)["label"] == "Underline", "the toolbar offers underlining"
    accessible(page)

    page.keyboard.press("Tab")
    page.keyboard.press("Control+End")
    page.keyboard.type(".")
    tab_to(page, lambda f: f["text"] == "Save 4.1", what="Save 4.1")
    page.keyboard.press("Enter")
    expect(page.locator(f"#question-{QUESTION} .app-save-status")).to_have_text(
        re.compile("Saved at")
    )
    assert Answer.objects.get(plan=plan, question__key=QUESTION).text == (
        f"{kept}<p>Reviewed quarterly.</p>"
    )
