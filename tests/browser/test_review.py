"""The review journey: submit, a comment on a passage of 4.2, changes, resubmission, the
change shown as a diff, approval; every page checked with axe, the emails sent."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from plans.models import Plan
from tests.browser.conftest import assert_accessible, screenshot, select_passage
from tests.plan_factories import demo_daccom_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSAGE = "The initial programme of PBC projects will seek to help the PCT deliver"
PART = "commissioning-objectives"
QUESTION = "services-to-be-commissioned"


def take_action(page, live_server, plan, label, *, comment=None):
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.get_by_role("link", name=label).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(label)
    assert_accessible(page)
    if comment is not None:
        page.get_by_role("textbox").fill(comment)
    page.get_by_role("button", name=label).click()
    expect(page).to_have_url(f"{live_server.url}/plans/{plan.pk}/")


def test_a_plan_goes_round_review_with_a_comment_a_change_and_an_approval(
    signed_in_page, live_server
):
    plan = demo_daccom_plan()
    editor = signed_in_page("editor.daccom@example.org")
    lead = signed_in_page("lead.dacorum-pct@example.org")

    take_action(editor, live_server, plan, "Submit the plan to the PCT")
    expect(editor.get_by_text("The plan has been submitted to the PCT")).to_be_visible()

    take_action(lead, live_server, plan, "Start the review")
    lead.goto(f"{live_server.url}/plans/{plan.pk}/parts/{PART}/")
    question = lead.locator(f"#question-{QUESTION}")
    select_passage(lead, f"#question-{QUESTION}", PASSAGE)
    lead.get_by_role("button", name="Comment on the selected text").click()
    question.get_by_label("Your comment").first.fill("Which of these targets are new this year?")
    question.get_by_role("button", name="Add comment").click()
    thread = lead.locator(f"#question-{QUESTION} .app-comment-thread").first
    expect(thread).to_contain_text("Which of these targets are new this year?")
    expect(thread).to_contain_text(PASSAGE)
    assert_accessible(lead)
    screenshot(lead, "review-comment-on-passage")
    take_action(
        lead, live_server, plan, "Request changes", comment="Please say which targets are new."
    )

    editor.goto(f"{live_server.url}/plans/{plan.pk}/")
    expect(editor.get_by_text("Please say which targets are new.")).to_be_visible()
    assert_accessible(editor)
    editor.goto(f"{live_server.url}/plans/{plan.pk}/parts/{PART}/")
    expect(editor.locator(f"#question-{QUESTION}")).to_contain_text(
        "Which of these targets are new this year?"
    )
    area = editor.locator(f'#question-{QUESTION} .ProseMirror[contenteditable="true"]')
    area.click()
    area.press("Control+End")
    area.type(" Targets 1.8 and 1.9 are new this year.")
    expect(editor.locator(f"#question-{QUESTION} .app-save-status")).to_have_text(
        re.compile(r"Saved at \d\d:\d\d"), timeout=15_000
    )
    assert_accessible(editor)
    take_action(editor, live_server, plan, "Submit the plan to the PCT")

    take_action(lead, live_server, plan, "Start the review")
    lead.goto(f"{live_server.url}/plans/{plan.pk}/parts/{PART}/")
    question = lead.locator(f"#question-{QUESTION}")
    expect(question.get_by_text("Changed since your last review")).to_be_visible()
    question.get_by_text("Show changes since your last review").click()
    expect(question.locator("ins").first).to_contain_text("Targets 1.8 and 1.9 are new")
    assert_accessible(lead)
    screenshot(lead, "review-changes-since-last-review")
    take_action(lead, live_server, plan, "Approve the plan")
    expect(lead.get_by_text("The plan is approved")).to_be_visible()
    assert_accessible(lead)

    plan.refresh_from_db()
    assert plan.status == "approved"
    subjects = [(message.to, message.subject) for message in mail.outbox]
    told = {address for to, _subject in subjects for address in to}
    assert "lead.dacorum-pct@example.org" in told, subjects
    assert "editor.daccom@example.org" in told, subjects
    assert "chair.daccom@example.org" in told, subjects
    for pattern in ("submitted", "changes", "comment", "approved", "sign"):
        assert any(pattern in subject.lower() for _to, subject in subjects), (pattern, subjects)
    print("\n".join(f"{', '.join(to)}: {subject}" for to, subject in subjects))


def test_the_summary_of_changes_counts_as_typed_and_a_long_one_is_refused_in_words(
    signed_in_page, live_server
):
    plan = demo_daccom_plan()
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.IN_REVIEW)
    lead = signed_in_page("lead.dacorum-pct@example.org")
    lead.goto(f"{live_server.url}/plans/{plan.pk}/review/request-changes/")
    summary = lead.get_by_label("Summary")
    expect(lead.get_by_text("You can enter up to 10,000 characters")).to_be_attached()

    summary.fill("x" * 10_005)

    expect(lead.get_by_text("You have 5 characters too many")).to_be_visible()
    assert_accessible(lead)
    lead.get_by_role("button", name="Request changes").click()
    expect(lead.get_by_role("heading", level=1)).to_have_text("Request changes")
    message = "Summary must be 10,000 characters or fewer; you have typed 10,005."
    expect(lead.get_by_role("link", name=message)).to_be_visible()
    expect(summary).to_have_value("x" * 10_005)
    assert_accessible(lead)
