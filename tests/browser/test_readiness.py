"""A BANES editor saves weightings totalling 90%: the draft keeps them with a warning beside
the question, the readiness check and the submit page list it, and every page passes axe
(issue 13.4, docs/decisions/0401)."""

import re

import pytest
from django.urls import reverse

from plans.models import Plan
from tests import demo_data
from tests.browser.conftest import assert_accessible, screenshot, start_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEY = "incentive-outcome-framework"
AT_90 = "The weightings add up to 90%; they must add up to exactly 100%."


def test_weightings_at_90_percent_are_kept_flagged_and_stop_submission(live_server, page):
    demo_data.load_organisations_and_plans()
    plan = Plan.objects.get(consortium__slug="banes")
    start_session(page, live_server, "editor.banes@example.org")
    part = live_server.url + reverse("part_detail", args=[plan.pk, "appendix-1"])

    page.goto(part)
    question = page.locator(f"#question-{KEY}")
    question.locator(f'input[name="q-{KEY}-areas[4].outcomes[1].weighting_percent"]').fill("5")
    question.locator(f'input[name="q-{KEY}-areas[4].weighting_percent"]').fill("20")
    question.locator(".app-answer-actions button").click()
    question.locator(".app-save-status").filter(has_text=re.compile("Saved at")).wait_for()

    page.goto(part)
    warning = page.locator(f"#question-{KEY}-warnings")
    assert AT_90 in warning.inner_text()
    assert_accessible(page)
    screenshot(page, "weightings-at-90-banes")

    page.goto(live_server.url + reverse("plan_ready", args=[plan.pk]))
    fixes = page.get_by_role("table", name="Answers to fix before submitting")
    assert AT_90 in fixes.inner_text()
    assert_accessible(page)

    page.goto(live_server.url + reverse("plan_action", args=[plan.pk, "submit"]))
    main = page.locator("main").inner_text()
    assert "1 answer does not add up" in main and AT_90 in main
    assert_accessible(page)


def test_the_submit_page_warns_of_what_is_still_open_and_passes_axe(live_server, page):
    """Open comments and an answer only typed are listed, linked, above the button (0472)."""
    from plans import services as plan_services
    from signoff import services
    from tests.review_factories import Role, person, three_signatory_plan

    plan = three_signatory_plan()
    editor, lead = person(Role.CONSORTIUM_EDITOR, plan), person(Role.PCT_LEAD, plan)
    question = plan.template.questions.get(key="question-1")
    services.comment_add(plan=plan, user=lead, body="Why so?", question=question)
    answer = plan.answers.get(question=question)
    plan_services.answer_save(
        answer=answer, user=editor, text="<p>Half</p>", base_version=answer.version, autosave=True
    )
    start_session(page, live_server, editor.email)

    page.goto(live_server.url + reverse("plan_action", args=[plan.pk, "submit"]))
    page.locator("h1").wait_for()

    warning = page.locator(".nhsuk-warning-callout")
    assert "1 comment thread is still open" in warning.inner_text()
    assert "1 answer is in progress" in warning.inner_text()
    assert warning.get_by_role("link", name="2.1 Question 1").count() == 2
    assert page.get_by_role("button", name="Submit the plan to the PCT").is_visible()
    assert_accessible(page)
    screenshot(page, "submit-warns-of-what-is-still-open")
