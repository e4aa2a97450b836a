"""Defects a keyboard and screen-reader walk found (session 28): quoting from an editable
answer, the comment form's order, reflow at 375 px, and where focus goes after an action."""

import pytest
from playwright.sync_api import expect

from plans.models import Answer
from signoff.passages import answer_text, contains
from tests.browser.test_keyboard import EDITOR, LEAD, by_text, focused, sign_in, tab_to
from tests.plan_factories import demo_daccom_plan, demo_daccom_plan_with_comments

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("key", "button"),
    [
        ("resources-required", "Quote a passage from 3.1 "),
        ("practices", "Quote a passage from "),
    ],
    ids=["rich-text", "table"],
)
def test_quote_a_passage_on_an_editable_answer_quotes_the_answer_not_the_toolbar(
    page, live_server, key, button
):
    plan = demo_daccom_plan()
    answer = Answer.objects.get(plan=plan, question__key=key)
    sign_in(page, live_server, EDITOR)
    page.goto(f"{live_server.url}/plans/{plan.pk}/parts/commissioning-plan/")
    expect(page.locator(".ProseMirror[contenteditable]").first).to_be_visible()

    tab_to(
        page,
        lambda f: f["section"] == f"question-{key}" and f["text"].startswith(button),
        what=f"Quote a passage on {key}",
    )
    page.keyboard.press("Enter")
    quote = focused(page)
    assert quote["label"].startswith("Quote the passage you mean")
    value = page.evaluate("document.activeElement.value")
    assert value, "the quote is empty"
    assert "Heading 3" not in value, "the toolbar's menu was quoted"
    assert contains(answer_text(answer), value), f"{value!r} is not the answer's text"


def test_after_quoting_tab_goes_to_the_comment_box(page, live_server):
    plan = demo_daccom_plan_with_comments()
    sign_in(page, live_server, LEAD)
    page.goto(f"{live_server.url}/plans/{plan.pk}/parts/commissioning-objectives/")
    tab_to(page, lambda f: f["text"].startswith("Quote a passage from 4.3 "), what="Quote on 4.3")
    page.keyboard.press("Enter")
    assert focused(page)["label"].startswith("Quote the passage you mean")
    page.keyboard.press("Tab")
    assert focused(page)["label"].startswith("Your comment")
    page.keyboard.type("Who signs this off?")
    tab_to(page, by_text("Add comment"), what="Add comment")
