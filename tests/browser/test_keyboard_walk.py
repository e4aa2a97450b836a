"""Defects a keyboard and screen-reader walk found (session 28): quoting from an editable
answer, the comment form's order, reflow at 375 px, and where focus goes after an action."""

import re

import pytest
from playwright.sync_api import expect

from consortia.models import User
from plans import services
from plans.models import Answer
from signoff.models import Comment
from signoff.passages import answer_text, contains
from tests.browser.conftest import assert_accessible, start_session
from tests.browser.test_answers_script import clash_on_the_directors, two_sessions
from tests.browser.test_keyboard import EDITOR, LEAD, by_text, focused, tab_to
from tests.browser.test_writing import open_part
from tests.monitoring_factories import accepted, open_quarter, signed_demo_daccom
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
    start_session(page, live_server, EDITOR)
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
    assert contains(answer_text(answer.question, answer), value), (
        f"{value!r} is not the answer's text"
    )


def test_after_quoting_tab_goes_to_the_comment_box(page, live_server):
    plan = demo_daccom_plan_with_comments()
    start_session(page, live_server, LEAD)
    page.goto(f"{live_server.url}/plans/{plan.pk}/parts/commissioning-objectives/")
    tab_to(page, lambda f: f["text"].startswith("Quote a passage from 4.3 "), what="Quote on 4.3")
    page.keyboard.press("Enter")
    assert focused(page)["label"].startswith("Quote the passage you mean")
    page.keyboard.press("Tab")
    assert focused(page)["label"].startswith("Your comment")
    page.keyboard.type("Who signs this off?")
    tab_to(page, by_text("Add comment"), what="Add comment")


def test_a_clash_with_ones_own_other_window_says_so_and_save_my_version_keeps_focus(
    new_page, live_server
):
    plan = demo_daccom_plan()
    first, second = two_sessions(new_page, live_server, plan, part="commissioning-plan")
    conflict = clash_on_the_directors(
        first, second, theirs="Dr First Window", mine="Dr Second Window"
    )
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text(
        re.compile(r"You saved a newer version of this answer in another window or tab at \d\d:")
    )
    expect(conflict).not_to_contain_text("DacCom Practice Manager")
    status = second.locator("#question-directors .app-save-status")
    expect(status).not_to_contain_text("someone else")
    assert_accessible(second)

    second.get_by_role("button", name="Save my version").focus()
    second.keyboard.press("Enter")
    expect(status).to_have_text(re.compile("Saved at"))
    expect(status).to_be_focused()


def test_a_clash_with_someone_else_still_names_them(new_page, live_server):
    plan = demo_daccom_plan()
    first, second = new_page(), new_page()
    start_session(first, live_server, EDITOR)
    start_session(second, live_server, "chair.daccom@example.org")
    for page in (first, second):
        open_part(page, live_server, plan, "commissioning-plan")
    conflict = clash_on_the_directors(first, second, theirs="Dr Editor", mine="Dr Chair")
    expect(conflict).to_contain_text(re.compile(r"^DacCom .* saved a newer version at"))
    expect(second.locator("#question-directors .app-save-status")).to_contain_text(
        "someone else saved this answer"
    )


NARROW = {"width": 375, "height": 800}
REFLOW = {"width": 320, "height": 800}
LONG_FILE_NAME = "plan-" + "x" * 290 + ".pdf"


def _with_a_hash_in_the_activity(plan):
    from plans.events import event_record
    from plans.models import PlanEvent

    event_record(
        plan=plan,
        kind=PlanEvent.Kind.EXPORT,
        actor=None,
        comment=f"Downloaded the signed PDF (SHA-256 of the file: {'ab' * 32}).",
    )


def _verify_result(page, live_server):
    page.goto(f"{live_server.url}/verify/")
    page.get_by_label("Upload the plan's PDF").set_input_files(
        files=[{"name": LONG_FILE_NAME, "mimeType": "application/pdf", "buffer": b"%PDF-1.7 x"}]
    )
    page.get_by_role("button", name=re.compile("Check")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("did not seal")


def _signed_with_an_accepted_return():
    plan = signed_demo_daccom()
    accepted(open_quarter(plan))
    return plan


def _with_a_named_draft():
    plan = demo_daccom_plan()
    services.snapshot_create(plan=plan, user=User.objects.get(email=EDITOR))
    return plan


@pytest.mark.parametrize(
    ("who", "path", "plan_of"),
    [
        (EDITOR, "/plans/{plan}/history/", None),
        (EDITOR, "/plans/{plan}/activity/", None),
        (LEAD, "/plans/", None),
        (LEAD, "/monitoring/", None),
        (EDITOR, "verify", None),
        (EDITOR, "/plans/{plan}/questions/directors/history/", None),
        (LEAD, "/plans/{plan}/monitoring/", _signed_with_an_accepted_return),
        (EDITOR, "/plans/{plan}/participation/", None),
        (EDITOR, "/plans/{plan}/drafts/", _with_a_named_draft),
        ("admin@example.org", "/admin/plans/plan/{plan}/history/", None),
    ],
    ids=[
        "history",
        "activity",
        "plans",
        "monitoring",
        "verify",
        "question-history",
        "plan-monitoring",
        "participation",
        "drafts",
        "admin-change-history",
    ],
)
def test_pages_do_not_scroll_sideways_at_320_px(page, live_server, who, path, plan_of):
    """WCAG 1.4.10 (reflow): at 320 px a wide table scrolls in its own region, not the page."""
    plan = (plan_of or demo_daccom_plan)()
    _with_a_hash_in_the_activity(plan)
    start_session(page, live_server, who)
    page.set_viewport_size(REFLOW)
    if path == "verify":
        _verify_result(page, live_server)
    else:
        page.goto(live_server.url + path.format(plan=plan.pk))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{path} is {widths[0]} px wide at {widths[1]} px"


def test_the_verify_result_heading_takes_focus(page, live_server):
    _verify_result(page, live_server)
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    assert_accessible(page)


def test_row_buttons_fields_and_editors_have_whole_names(page, live_server):
    plan = demo_daccom_plan()
    start_session(page, live_server, EDITOR)
    page.goto(f"{live_server.url}/plans/{plan.pk}/parts/commissioning-plan/")
    directors = page.locator("#question-directors")
    up = "Up: move row 2 of 2.1 Directors up"
    expect(directors.get_by_role("button", name=up, exact=True)).to_be_visible()
    remove = "Remove row 1 of 2.1 Directors"
    expect(directors.get_by_role("button", name=remove, exact=True)).to_be_visible()
    expect(
        directors.get_by_role("button", name=re.compile(r"^Add a row to 2\.1 \w"))
    ).to_be_visible()
    expect(
        page.get_by_role("textbox", name="Your answer to 3.1 Resources Required", exact=True)
    ).to_have_count(1)  # the editing area (the text it writes into is hidden)

    saves = page.get_by_role("button", name=re.compile(r"^Save 2\.3 "))
    expect(saves).to_have_count(2)
    assert saves.nth(0).get_attribute("aria-label") != saves.nth(1).get_attribute("aria-label")

    page.goto(f"{live_server.url}/plans/{plan.pk}/parts/commissioning-objectives/")
    expect(page.get_by_role("textbox", name="Number, project 1", exact=True)).to_have_count(1)


def test_the_page_a_refused_quote_comes_back_on_offers_quote_a_passage(page, live_server):
    plan = demo_daccom_plan_with_comments()
    passage = "consult fully with secondary care professionals"
    start_session(page, live_server, LEAD)
    page.goto(f"{live_server.url}/plans/{plan.pk}/parts/commissioning-objectives/")
    tab_to(page, lambda f: f["text"].startswith("Quote a passage from 4.3 "), what="Quote on 4.3")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+End")
    page.keyboard.type(" and words that are not there")
    page.keyboard.press("Tab")
    page.keyboard.type("Which practices were consulted?")
    tab_to(page, by_text("Add comment"), what="Add comment")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Comment on 4.3 Referral Management")
    expect(page.locator(".nhsuk-error-summary")).to_be_focused()

    # The quote field's hint promises the button: it is there, and fills the field.
    tab_to(page, by_text("Quote a passage from 4.3 Referral Management"), what="Quote a passage")
    page.keyboard.press("Enter")
    assert focused(page)["label"].startswith("Quote the passage you mean")
    value = page.evaluate("document.activeElement.value")
    answer = Answer.objects.select_related("question").get(
        plan=plan, question__key="referral-management"
    )
    assert passage in value and contains(answer_text(answer.question, answer), value)
    at = value.index(passage)
    page.keyboard.press("Control+Home")
    for _ in range(at):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+Control+Home")
    page.keyboard.press("Delete")
    for _ in passage:
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+Control+End")
    page.keyboard.press("Delete")
    tab_to(page, by_text("Add comment"), what="Add comment")
    assert_accessible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".app-message")).to_contain_text("Your comment has been added.")
    assert Comment.objects.get(body="Which practices were consulted?").quote == passage
