"""The three journeys with the keyboard alone (page.keyboard only: no mouse, no element
clicks): an editor writes 4.1 and adds a target to 4.2, pressing Enter in every kind of field
on the way and losing no row; a PCT lead comments on a passage of an answer it cannot edit;
the three signatories sign. After every action the test checks where focus is, and axe (with
its best-practice rules) checks every page the journeys visit. Without JavaScript, Enter still
saves and a row button still lands on its row."""

import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from consortia.demo import DEMO_PASSWORD
from consortia.models import User
from plans.models import Answer, Plan
from signoff.models import Comment
from tests.browser.conftest import WCAG_22_AA_AND_BEST_PRACTICE, assert_accessible, current_code
from tests.browser.test_signing import SIGNATORIES, approved_demo_plan
from tests.plan_factories import demo_daccom_plan, demo_daccom_plan_with_comments

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDITOR = "editor.daccom@example.org"
LEAD = "lead.dacorum-pct@example.org"
PART = "commissioning-objectives"
PROJECTS = "services-to-be-commissioned"
PREFIX = f"q-{PROJECTS}"
QUESTION_4_2 = "4.2 Services to be commissioned"
# A row button's words name the question too, as a part page may hold several lists.
ADD_TARGET = f"Add a target to project 1 of {QUESTION_4_2}"
# Screenshots to look at, never committed.
SHOTS = Path(tempfile.gettempdir()) / "pbc-keyboard-screenshots"
# Pages are used once their document is read: images and fonts may still be on their way on a
# busy machine (signing the last signature also renders the PDF in the same process).
LOADED = "domcontentloaded"

FOCUSED = """() => {
  const e = document.activeElement;
  const label = e.labels && e.labels.length ? e.labels[0].innerText : e.getAttribute("aria-label");
  return {
    tag: e.tagName.toLowerCase(),
    id: e.id || "",
    name: e.getAttribute("name") || "",
    classes: typeof e.className === "string" ? e.className : "",
    text: (e.innerText || "").replace(/\\s+/g, " ").trim(),
    label: (label || "").replace(/\\s+/g, " ").trim(),
    section: e.closest("section") ? e.closest("section").id : "",
  };
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(page, wanted: Callable[[dict], bool], *, what: str, back=False, limit=600) -> dict:
    """Presses Tab (or Shift+Tab) until the focused element is the one wanted."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        now = focused(page)
        if wanted(now):
            return now
    raise AssertionError(f"Tab never reached {what}; focus is on {focused(page)}")


def by_id(element_id: str) -> Callable[[dict], bool]:
    return lambda now: now["id"] == element_id


def by_text(text: str) -> Callable[[dict], bool]:
    return lambda now: now["text"] == text


def by_label(prefix: str) -> Callable[[dict], bool]:
    return lambda now: now["label"].startswith(prefix)


def by_id_attribute(page, element_id: str):
    """The element with this id (field paths hold brackets and dots, so not a #selector)."""
    return page.locator(f'[id="{element_id}"]')


def accessible(page) -> None:
    assert_accessible(page, WCAG_22_AA_AND_BEST_PRACTICE)


def sign_in(page, live_server, email: str, *, scripts: bool = True) -> None:
    """Signs in from the keyboard; axe checks each page where the page runs scripts."""
    page.goto(f"{live_server.url}/sign-in/")
    if scripts:
        accessible(page)
    tab_to(page, by_label("Email address"), what="the email address")
    page.keyboard.type(email)
    tab_to(page, by_label("Password"), what="the password")
    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation(wait_until=LOADED):
        page.keyboard.press("Enter")
    if "/sign-in/code/" in page.url:
        if scripts:
            accessible(page)
        tab_to(page, by_label("Code"), what="the code")
        page.keyboard.type(current_code(email))
        with page.expect_navigation(wait_until=LOADED):
            page.keyboard.press("Enter")
    assert "/sign-in/" not in page.url
    assert focused(page)["tag"] == "body", "a page without a message starts at the top"
    if scripts:
        accessible(page)


def saved_by_enter(page, question_key: str, *, refused_at: str = "") -> None:
    """Presses Enter in a field of the answer form: the answer is saved and nothing else
    happens, or, where ``refused_at`` names an input, it is refused (400) with its reason and
    focus moves to that input, marked as wrong."""
    before = focused(page)
    with page.expect_response(
        lambda r: r.request.method == "POST" and f"/questions/{question_key}/" in r.url
    ) as response:
        page.keyboard.press("Enter")
    assert response.value.status == (400 if refused_at else 200), response.value.text()
    assert "row-action" not in (response.value.request.post_data or "")
    if refused_at:
        expect(by_id_attribute(page, refused_at)).to_be_focused()
        expect(by_id_attribute(page, refused_at)).to_have_attribute("aria-invalid", "true")
    else:
        assert focused(page)["id"] == before["id"], "Enter moved focus"


def projects_of(plan: Plan) -> list[tuple]:
    answer = Answer.objects.get(plan=plan, question__key=PROJECTS)
    return [
        (project["number"], project["title"], tuple(t["code"] for t in project["targets"]))
        for project in answer.data["projects"]
    ]


def test_an_editor_writes_4_1_and_adds_a_target_to_4_2_with_the_keyboard(page, live_server):
    plan = demo_daccom_plan()
    projects = projects_of(plan)
    sign_in(page, live_server, EDITOR)
    page.goto(f"{live_server.url}/plans/{plan.pk}/parts/{PART}/")
    accessible(page)

    now = tab_to(page, lambda f: "ProseMirror" in f["classes"], what="the 4.1 editing area")
    assert now["section"] == "question-access-and-quality-targets"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    assert outline == "rgb(255, 235, 59)", "the editing area shows the NHS.UK focus style"
    page.keyboard.press("Control+End")
    page.keyboard.type(" Typed from the keyboard.")
    page.keyboard.press("Enter")  # a new paragraph in rich text, never a submission
    page.keyboard.type("A second paragraph.")
    assert "ProseMirror" in focused(page)["classes"]
    tab_to(page, by_text("Save 4.1"), what="Save 4.1")
    with page.expect_response(lambda r: "/questions/access-and-quality-targets/" in r.url):
        page.keyboard.press("Enter")
    expect(page.locator("#question-access-and-quality-targets .app-save-status")).to_have_text(
        re.compile("Saved at")
    )
    assert focused(page)["text"] == "Save 4.1"
    text = Answer.objects.get(plan=plan, question__key="access-and-quality-targets").text
    assert "Typed from the keyboard.</p><p>A second paragraph." in text

    # Enter in every kind of field of 4.2 saves, and no row is lost or moved.
    for field in ("projects[0].number", "projects[0].title", "projects[0].leads",
                  "projects[0].targets[0].code", "projects[0].targets[0].title",
                  "projects[0].targets[0].planned_saving", "projects[1].title"):  # fmt: skip
        tab_to(page, by_id(f"{PREFIX}-{field}"), what=field)
        saved_by_enter(page, PROJECTS)
        assert projects_of(plan) == projects, f"Enter in {field} changed the projects"
    accessible(page)

    targets = len(projects[0][2])
    add = tab_to(page, by_text(ADD_TARGET), what=ADD_TARGET)
    assert add["tag"] == "button"
    with page.expect_navigation(wait_until=LOADED):
        page.keyboard.press("Enter")
    new_target = f"{PREFIX}-projects[0].targets[{targets}]"
    new_code = f"{new_target}.code"
    assert page.url.endswith(f"/parts/{PART}/#{new_code}")
    expect(by_id_attribute(page, new_code)).to_be_focused()
    accessible(page)
    page.keyboard.type("1.42")
    # Refused with its reason on the saving left empty, the row kept.
    saved_by_enter(page, PROJECTS, refused_at=f"{new_target}.planned_saving")
    expect(page.locator(f"#question-{PROJECTS} .app-save-status")).to_have_text(
        "Not saved: Enter the planned saving in pounds, like 153000."
    )
    page.keyboard.press("Shift+Tab")
    assert focused(page)["id"] == f"{new_target}.title"
    page.keyboard.type("Typed without a mouse")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == f"{new_target}.planned_saving"
    page.keyboard.type("12500")
    saved_by_enter(page, PROJECTS)
    after = projects_of(plan)
    assert after[0][2] == (*projects[0][2], "1.42")
    assert after[1:] == projects[1:]

    page.keyboard.press("Tab")
    remove = focused(page)
    assert remove["text"] == f"Remove target {targets + 1} of project 1 of {QUESTION_4_2}"
    with page.expect_navigation(wait_until=LOADED):
        page.keyboard.press("Enter")
    before_it = f"{PREFIX}-projects[0].targets[{targets - 1}].code"
    expect(by_id_attribute(page, before_it)).to_be_focused()
    assert projects_of(plan) == projects
    banner = page.locator(".app-message")
    expect(banner).to_contain_text("a row was removed")
    expect(banner.get_by_role("link", name="Undo: put the removed row back")).to_be_visible()
    assert page.title().startswith("4.2 Services to be commissioned: a row was removed.")
    accessible(page)

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 320, "height": 900})
    page.locator(f"#question-{PROJECTS}").screenshot(path=str(SHOTS / "part-4-projects-320.png"))
    page.screenshot(path=str(SHOTS / "part-4-320.png"), full_page=True)
    widths = page.evaluate(
        f"""() => [...document.querySelectorAll("#question-{PROJECTS} input.nhsuk-input")]
            .map((input) => input.getBoundingClientRect().width)"""
    )
    assert min(widths) >= 120, f"fields too narrow at 320 px: {sorted(widths)[:5]}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    toolbars = page.evaluate(
        """() => [...document.querySelectorAll(".prose-menubar")]
            .map((bar) => getComputedStyle(bar).position)"""
    )
    assert toolbars and set(toolbars) <= {"static"}, "a toolbar never floats over the text"
    page.set_viewport_size({"width": 640, "height": 900})  # 200% zoom of a 1280 px window
    assert page.evaluate("document.documentElement.scrollWidth") <= 640


def test_a_row_added_on_a_question_page_keeps_the_editor_on_that_page_at_the_new_row(
    page, live_server
):
    plan = demo_daccom_plan()
    rows = len(Answer.objects.get(plan=plan, question__key="directors").rows)
    sign_in(page, live_server, EDITOR)
    page.goto(f"{live_server.url}/plans/{plan.pk}/questions/directors/", wait_until=LOADED)

    add = "Add a row to 2.1 Directors"
    tab_to(page, by_text(add), what=add)
    with page.expect_navigation(wait_until=LOADED):
        page.keyboard.press("Enter")

    new_name = f"q-directors-rows[{rows}].name"
    assert page.url.endswith(f"/plans/{plan.pk}/questions/directors/#{new_name}")
    expect(by_id_attribute(page, new_name)).to_be_focused()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Edit 2.1")
    accessible(page)


def test_a_pct_lead_quotes_a_passage_of_a_read_only_answer_with_the_keyboard(page, live_server):
    plan = demo_daccom_plan_with_comments()
    passage = "If changes are required to the referral pathway"
    sign_in(page, live_server, LEAD)
    page.goto(f"{live_server.url}/plans/{plan.pk}/parts/{PART}/")
    accessible(page)

    now = tab_to(
        page, lambda f: f["text"].startswith("Quote a passage from 4.3 "), what="Quote on 4.3"
    )
    assert now["section"] == "question-referral-management"
    page.keyboard.press("Enter")
    quote = focused(page)
    assert quote["label"].startswith("Quote the passage you mean")
    assert quote["section"] == "question-referral-management"
    page.keyboard.press("Control+Home")
    for _ in passage:
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+Control+End")
    page.keyboard.press("Delete")
    assert page.evaluate("document.activeElement.value") == passage

    page.keyboard.press("Tab")
    assert focused(page)["label"].startswith("Your comment")
    page.keyboard.type("Who signs off a changed pathway?")
    tab_to(page, by_text("Add comment"), what="Add comment")
    accessible(page)
    with page.expect_navigation(wait_until=LOADED):
        page.keyboard.press("Enter")

    expect(page.locator(".app-message")).to_be_focused()
    landed = focused(page)
    assert "Your comment has been added." in landed["text"]
    comment = Comment.objects.get(body__contains="Who signs off a changed pathway?")
    assert comment.quote == passage
    expect(page.locator(f"#comment-{comment.pk} blockquote")).to_contain_text(passage)
    accessible(page)


def test_the_three_signatories_sign_with_the_keyboard(new_page, live_server):
    plan = approved_demo_plan()
    for email, title in SIGNATORIES:
        page = new_page()
        sign_in(page, live_server, email)
        page.goto(f"{live_server.url}/plans/{plan.pk}/")
        accessible(page)
        link = tab_to(page, by_text("Sign the plan"), what="Sign the plan")
        assert link["tag"] == "a"
        with page.expect_navigation(wait_until=LOADED):
            page.keyboard.press("Enter")
        accessible(page)
        tab_to(page, by_label("Your full name"), what="the name box")
        page.keyboard.type(User.objects.get(email=email).full_name)
        tab_to(page, by_label("Your password"), what="the password")
        page.keyboard.type(DEMO_PASSWORD)
        tab_to(page, by_label("Code from your authenticator app"), what="the code")
        page.keyboard.type(current_code(email))
        tab_to(page, by_label("I have read the plan"), what="the declaration")
        page.keyboard.press("Space")
        tab_to(page, by_text("Sign the plan"), what="the Sign the plan button")
        with page.expect_navigation(wait_until=LOADED):
            page.keyboard.press("Enter")

        expect(page.locator(".app-message")).to_be_focused()
        landed = focused(page)
        assert f"You have signed the plan as {title}" in landed["text"]
        assert page.title().startswith(f"You have signed the plan as {title}.")
        accessible(page)
    plan.refresh_from_db()
    assert plan.signatures.count() == 3


def test_without_javascript_enter_saves_and_a_row_button_lands_on_its_row(chromium, live_server):
    plan = demo_daccom_plan()
    projects = projects_of(plan)
    context = chromium.new_context(java_script_enabled=False, locale="en-GB")
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        sign_in(page, live_server, EDITOR, scripts=False)
        page.goto(f"{live_server.url}/plans/{plan.pk}/parts/{PART}/")

        tab_to(page, by_id(f"{PREFIX}-projects[0].targets[0].title"), what="a target's title")
        with page.expect_navigation(wait_until=LOADED):
            page.keyboard.press("Enter")
        assert page.url.endswith(f"/parts/{PART}/#question-{PROJECTS}")
        expect(page.locator(".app-message")).to_contain_text("saved")
        assert page.title().startswith("4.2 Services to be commissioned: saved.")
        assert projects_of(plan) == projects

        tab_to(page, by_text(ADD_TARGET), what=ADD_TARGET)
        with page.expect_navigation(wait_until=LOADED):
            page.keyboard.press("Enter")
        new_code = f"{PREFIX}-projects[0].targets[{len(projects[0][2])}].code"
        assert page.url.endswith(f"#{new_code}")
        expect(by_id_attribute(page, new_code)).to_be_focused()  # the fragment's input
    finally:
        context.close()
