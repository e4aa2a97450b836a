"""A PCT lead comments on a passage of 4.2; the consortium's editor sees it beside the answer."""

import re

import pytest
from playwright.sync_api import expect

from consortia.models import User
from plans import services as plan_services
from plans.models import Plan
from signoff import services as review_services
from signoff.models import Comment
from signoff.passages import answer_text, contains
from tests.browser.conftest import assert_accessible, screenshot, select_passage, start_session
from tests.integration.signoff.test_comments import FALLS, SCHEMES
from tests.plan_factories import demo_daccom_plan_with_comments, plan_with_questions
from tests.review_factories import Role, person, put_in_state
from tests.two_factor import authenticator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LEAD = "lead.dacorum-pct@example.org"
EDITOR = "editor.daccom@example.org"
PASSAGE = "help the PCT deliver its Financial Recovery Plan"


def part_page(new_page, live_server, email: str, plan, part_key: str):
    """A new browser page signed in as ``email`` (a demo user) on the plan's part."""
    page = new_page()
    start_session(page, live_server, email)
    page.goto(f"{live_server.url}/plans/{plan.pk}/parts/{part_key}/")
    return page


def test_a_pct_lead_comments_on_a_passage_of_4_2_and_the_editor_sees_it(new_page, live_server):
    plan = demo_daccom_plan_with_comments()
    lead = part_page(new_page, live_server, LEAD, plan, "commissioning-objectives")
    section = lead.locator("#question-services-to-be-commissioned")
    expect(
        section.locator(".app-comment-thread", has_text="YES strongly agree with this.")
    ).to_be_visible()
    expect(section.locator("mark.app-comment-mark").first).to_be_visible()
    button = section.get_by_role("button", name="Comment on the selected text")
    expect(button).to_be_hidden()

    select_passage(lead, "#question-services-to-be-commissioned .app-answer-readonly", PASSAGE)
    expect(button).to_be_visible()
    button.click()
    form = section.locator("form[data-comment-form]")
    expect(form.get_by_label("Quote the passage you mean")).to_have_value(PASSAGE)
    body = form.get_by_label("Your comment")
    expect(body).to_be_focused()
    body.fill("Which of the FRP's savings lines does each target count against?")
    expect(form.get_by_label("Shared with the consortium")).to_be_checked()
    assert_accessible(lead)
    form.get_by_role("button", name="Add comment").click()

    expect(lead.get_by_text("Your comment has been added.")).to_be_visible()
    assert re.search(r"#question-services-to-be-commissioned$", lead.url)
    comment = Comment.objects.get(body__startswith="Which of the FRP")
    thread = lead.locator(f"#comment-{comment.pk}")
    expect(thread.locator("blockquote")).to_contain_text(PASSAGE)
    assert comment.quote == PASSAGE and comment.answer_version
    assert_accessible(lead)
    screenshot(lead, "comments-lead-on-4-2")

    editor = part_page(new_page, live_server, EDITOR, plan, "commissioning-objectives")
    thread = editor.locator(f"#comment-{comment.pk}")
    expect(thread).to_contain_text("Which of the FRP's savings lines")
    expect(thread).to_contain_text("John Phipps")
    expect(thread.locator("blockquote")).to_contain_text(PASSAGE)
    expect(thread.get_by_role("button", name=re.compile("^Resolve"))).to_be_visible()
    thread.locator("summary", has_text="Reply").click()
    thread.get_by_label("Your reply").fill("Each target maps to one FRP line; see 4.4.")
    thread.get_by_role("button", name="Send reply").click()
    expect(editor.get_by_text("Your reply has been added.")).to_be_visible()
    expect(editor.locator(f"#comment-{comment.pk} .app-comment-reply")).to_contain_text(
        "Each target maps to one FRP line"
    )
    assert_accessible(editor)
    screenshot(editor, "comments-editor-sees-4-2")


def test_the_demo_plan_shows_the_reviewers_seed_comments_on_their_passages(new_page, live_server):
    plan = demo_daccom_plan_with_comments()
    editor = part_page(new_page, live_server, EDITOR, plan, "introduction")

    comments = editor.locator("#comments-introduction")
    expect(comments.locator(".app-comment-thread")).to_have_count(4)
    expect(comments).to_contain_text("Whose definition of")
    marks = editor.locator(".app-guidance mark.app-comment-mark")
    expect(marks.first).to_have_text(
        "To ensure that only those patients that need it are referred to secondary care."
    )
    expect(marks).to_have_count(4)
    assert_accessible(editor)
    screenshot(editor, "comments-demo-introduction")


def test_a_quote_typed_by_hand_that_is_not_in_the_answer_is_refused_and_nothing_is_lost(
    new_page, live_server
):
    plan = demo_daccom_plan_with_comments()
    lead = part_page(new_page, live_server, LEAD, plan, "commissioning-objectives")
    section = lead.locator("#question-financial-targets")
    section.locator("summary", has_text="Comment on this question").click()
    form = section.locator("form[data-comment-form]")
    form.get_by_label("Your comment").fill("Is the £2.68m net of the CAS costs?")
    form.get_by_label("Quote the passage you mean").fill("contribute £2.86m (44%)")
    form.get_by_label("PCT only: the consortium does not see it").check()
    form.get_by_role("button", name="Add comment").click()

    expect(lead.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(lead.get_by_role("alert")).to_contain_text("The words you quoted are not in")
    expect(lead.get_by_label("Your comment")).to_have_value("Is the £2.68m net of the CAS costs?")
    expect(lead.get_by_label("PCT only: the consortium does not see it")).to_be_checked()
    expect(lead.locator(".app-comment-passage")).to_contain_text("contribute £2.68m (44%)")
    assert_accessible(lead)
    screenshot(lead, "comments-quote-refused")

    lead.get_by_label("Quote the passage you mean").fill("contribute £2.68m (44%)")
    lead.get_by_role("button", name="Add comment").click()

    expect(lead.get_by_text("Your comment has been added.")).to_be_visible()
    comment = Comment.objects.get(body__startswith="Is the £2.68m")
    assert (comment.quote, comment.visibility) == ("contribute £2.68m (44%)", "internal")
    expect(lead.locator(f"#comment-{comment.pk}")).to_contain_text("PCT only")


def test_quote_a_passage_gives_only_the_answers_shown_words_and_a_trimmed_cell_is_accepted(
    new_page, live_server
):
    plan = plan_with_questions(questions=4)
    editor, lead = person(Role.CONSORTIUM_EDITOR, plan), person(Role.PCT_LEAD, plan)
    schemes = plan.answers.select_related("question").get(question__key="practices")
    schemes.question.columns = SCHEMES
    schemes.question.save(update_fields=["columns"])
    plan_services.answer_save(
        answer=schemes, user=editor, base_version=schemes.version, rows=[FALLS]
    )
    first = plan.answers.get(question__key="question-1")
    plan_services.answer_save(
        answer=first, user=editor, base_version=first.version, text="<p>Cut <em>waits</em>.</p>"
    )
    put_in_state(plan, Plan.Status.IN_REVIEW)
    authenticator(lead)
    page = new_page()
    start_session(page, live_server, lead.email)

    prefills = {}
    for part, key in (("two", "question-1"), ("one", "practices")):
        page.goto(f"{live_server.url}/plans/{plan.pk}/parts/{part}/")
        section = page.locator(f"#question-{key}")
        expect(section.locator(".app-answer-readonly")).to_contain_text("Last changed")
        section.get_by_role("button", name="Quote a passage").click()
        prefills[key] = section.get_by_label("Quote the passage you mean").input_value()

    assert prefills == {
        "practices": "Falls prevention 1 April 2007 £15,000 Yes 70% Total £15,000",
        "question-1": "Cut waits.",
    }
    for key, prefill in prefills.items():
        answer = plan.answers.select_related("question").get(question__key=key)
        assert contains(answer_text(answer.question, answer), prefill)

    section = page.locator("#question-practices")
    section.get_by_label("Quote the passage you mean").fill("£15,000 Yes")
    section.get_by_label("Your comment").fill("Is the whole budget funded?")
    assert_accessible(page)
    section.get_by_role("button", name="Add comment").click()

    expect(page.get_by_text("Your comment has been added.")).to_be_visible()
    comment = Comment.objects.get(body="Is the whole budget funded?")
    assert comment.quote == "£15,000 Yes"
    expect(page.locator(f"#comment-{comment.pk}")).not_to_contain_text("Outdated")


def test_quote_a_passage_leaves_out_a_structured_answers_figures_the_check_does_not_read(
    new_page, live_server
):
    plan = demo_daccom_plan_with_comments()
    lead = part_page(new_page, live_server, LEAD, plan, "commissioning-objectives")
    section = lead.locator("#question-financial-targets")
    expect(section.locator(".app-savings-target")).to_contain_text("Total Identified Savings")

    section.get_by_role("button", name="Quote a passage").press("Enter")
    quote = section.get_by_label("Quote the passage you mean")
    expect(quote).to_be_focused()
    prefill = quote.input_value()

    assert prefill.startswith("See paragraph 4.2 above:"), prefill[:80]
    answer = plan.answers.select_related("question").get(question__key="financial-targets")
    assert contains(answer_text(answer.question, answer), prefill)
    section.get_by_label("Your comment").fill("Is the whole answer still right?")
    section.get_by_role("button", name="Add comment").press("Enter")
    expect(lead.get_by_text("Your comment has been added.")).to_be_visible()
    assert Comment.objects.get(body="Is the whole answer still right?").quote == prefill


QUOTED_IN_EDITOR = """() => {
  const highlight = CSS.highlights.get("app-quoted");
  return highlight ? [...highlight].map((range) => range.toString()) : null;
}"""


def test_an_editor_sees_the_quoted_passage_highlighted_in_the_editor_and_said_under_it(
    new_page, live_server
):
    """Inside the rich-text editor the passage is painted (CSS Custom Highlight API), never
    wrapped in a mark that would join the answer; a line under it says so for screen readers
    too, and both follow the text as it is edited."""
    plan = demo_daccom_plan_with_comments()
    question = plan.template.questions.get(key="services-to-be-commissioned")
    review_services.comment_add(
        plan=plan,
        user=User.objects.get(email=LEAD),
        body="Which FRP lines?",
        question=question,
        quote=PASSAGE,
    )
    editor = part_page(new_page, live_server, EDITOR, plan, "commissioning-objectives")
    section = editor.locator("#question-services-to-be-commissioned")
    area = section.locator('.ProseMirror[contenteditable="true"]')
    expect(area).to_be_visible()

    # The demo's reviewers quote two other passages of 4.2 in open comments.
    note = section.locator(".app-quoted-note")
    expect(note).to_have_text(
        "3 passages of this answer are quoted in open comments, highlighted in the editor: "
        "see the comments."
    )
    quoted = editor.evaluate(QUOTED_IN_EDITOR)
    assert PASSAGE in quoted and len(quoted) >= 3
    assert area.locator("mark").count() == 0  # the answer's own text is untouched
    described = area.get_attribute("aria-describedby").split()
    assert note.get_attribute("id") in described
    href = note.get_by_role("link", name="see the comments").get_attribute("href")
    assert href == "#comments-question-services-to-be-commissioned"
    screenshot(editor, "comments-quoted-in-the-editor")
    assert_accessible(editor)

    # Edit the passage away: it is no longer highlighted nor counted; type it back: it is again.
    changed = PASSAGE.replace("help", "HELP")
    times = area.inner_text().count(PASSAGE)  # 4.2 says it twice
    for _ in range(times):
        replace_in_editor(area, PASSAGE, changed)
    expect(note).to_contain_text("2 passages of this answer are quoted")
    assert PASSAGE not in editor.evaluate(QUOTED_IN_EDITOR)
    replace_in_editor(area, changed, PASSAGE)  # once is enough to quote it
    expect(note).to_contain_text("3 passages of this answer are quoted")
    assert PASSAGE in editor.evaluate(QUOTED_IN_EDITOR)


def replace_in_editor(area, old: str, new: str) -> None:
    """Replaces the first ``old`` in the editor's text as typing would, through the editor."""
    area.evaluate(
        """(area, [old, replacement]) => {
          const editor = area.editor;
          let from = null;
          editor.state.doc.descendants((node, pos) => {
            if (from === null && node.isText && node.text.includes(old)) {
              from = pos + node.text.indexOf(old);
            }
          });
          editor.commands.insertContentAt({ from, to: from + old.length }, replacement);
        }""",
        [old, new],
    )
