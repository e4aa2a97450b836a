"""A typed table on a small form of its own, with the page's script: a date typed in its one
box is saved and kept, and every wrong cell is marked at once when the script's save is
refused."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from consortia.models import Practice, User
from consortia.services import practices_import_csv
from plans.models import Answer, Plan
from tests.browser.conftest import assert_accessible, screenshot, start_session
from tests.browser.test_keyboard_walk import NARROW
from tests.browser.test_long_names import scrolls_sideways
from tests.factories import UserFactory
from tests.northbrook import imported, northbrook_plan, organisation
from tests.plan_factories import demo_daccom_plan, plan_with_questions
from tests.review_factories import put_in_state

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCHEMES = [
    {"key": "scheme", "label": "Scheme"},
    {"key": "budget", "label": "Budget (£)", "type": "money", "total": "sum"},
    {"key": "starts", "label": "Start date", "type": "date"},
    {"key": "patients", "label": "Patients expected", "type": "whole", "total": "sum"},
]
SECTION = "#question-practices"


@pytest.fixture
def schemes():
    plan = plan_with_questions(questions=4)
    answer = plan.answers.select_related("question").get(question__key="practices")
    answer.question.title, answer.question.columns = "Schemes and their budgets", SCHEMES
    answer.question.save(update_fields=["title", "columns"])
    answer.rows = [{"scheme": "Falls service", "budget": "", "starts": "", "patients": ""}]
    answer.save(update_fields=["rows"])
    editor = UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium)
    return answer, editor


def cell(page, key: str):
    return page.locator(f'{SECTION} [name="q-practices-rows[0].{key}"]')


def test_the_script_marks_every_wrong_cell_at_once_and_keeps_a_date_typed(
    page, live_server, schemes
):
    answer, editor = schemes
    start_session(page, live_server, editor.email)
    page.goto(live_server.url + reverse("part_detail", args=[answer.plan_id, "one"]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Part one")

    cell(page, "budget").fill("abc")
    cell(page, "patients").fill("12.5")
    cell(page, "starts").fill("1/4/2008")
    page.get_by_role("button", name="Save 1.1").click()

    status = page.locator(f"{SECTION} .app-save-status")
    expect(status).to_contain_text("Budget (£) must be a number")
    expect(status).to_contain_text("Patients expected must be a whole number, like 1500.")
    expect(cell(page, "budget")).to_have_attribute("aria-invalid", "true")
    expect(cell(page, "patients")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    screenshot(page, "typed-table-every-wrong-cell")

    cell(page, "budget").fill("12500")
    cell(page, "patients").fill("40")
    page.get_by_role("button", name="Save 1.1").click()
    expect(status).to_have_text(re.compile("Saved at"))
    answer.refresh_from_db()
    assert answer.rows[0]["starts"] == "2008-04-01"
    assert answer.rows[0]["budget"] == "12500"


def test_money_and_a_date_come_back_as_typed_and_the_script_saves_them_back_unchanged(
    page, live_server, schemes
):
    answer, editor = schemes
    start_session(page, live_server, editor.email)
    url = live_server.url + reverse("part_detail", args=[answer.plan_id, "one"])
    page.goto(url)
    cell(page, "budget").fill("£12,500.5")
    cell(page, "starts").fill("1/4/2008")
    page.get_by_role("button", name="Save 1.1").click()
    status = page.locator(f"{SECTION} .app-save-status")
    expect(status).to_have_text(re.compile("Saved at"))
    answer.refresh_from_db()
    stored = answer.rows

    page.goto(url)
    expect(cell(page, "budget")).to_have_value("12,500.50")
    expect(cell(page, "starts")).to_have_value("01/04/2008")
    cell(page, "scheme").fill("Falls prevention service")
    page.get_by_role("button", name="Save 1.1").click()

    expect(status).to_have_text(re.compile("Saved at"))
    answer.refresh_from_db()
    assert answer.rows == [{**stored[0], "scheme": "Falls prevention service"}]
    assert (answer.rows[0]["budget"], answer.rows[0]["starts"]) == ("12500.5", "2008-04-01")


def test_at_375_px_a_read_only_table_scrolls_in_its_own_named_region_not_the_page(
    page, live_server
):
    demo_daccom_plan()
    plan = put_in_state(Plan.objects.get(template__slug="banes-plan"), Plan.Status.IN_REVIEW)
    page.set_viewport_size(NARROW)
    start_session(page, live_server, "lead.banes-pct@example.org")

    page.goto(f"{live_server.url}/plans/{plan.pk}/parts/pathway-changes/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    region = page.get_by_role(
        "region",
        name="Pathway development work in progress and planned for 07/08: the answer's rows",
    )
    expect(region.get_by_role("table")).to_contain_text("Musculo Skeletal")

    assert not scrolls_sideways(page), "the part's page scrolls sideways at 375 px"
    assert region.evaluate("element => element.scrollWidth > element.clientWidth")
    region.focus()
    expect(region).to_be_focused()
    assert_accessible(page)


WIDE_SCHEMES = [
    *SCHEMES,
    {"key": "savings", "label": "Planned savings (£)", "type": "money", "total": "sum"},
    {"key": "uplift", "label": "Uplift (%)", "type": "percent"},
    {"key": "agreed", "label": "Agreed with PCT", "type": "yes_no", "total": "count_yes"},
    {"key": "area", "label": "Area", "type": "choice",
     "options": ["Prescribing", "Secondary care", "Community"]},
    {"key": "net", "label": "Net cost (£)", "type": "money", "formula": "budget - savings"},
]  # fmt: skip


def test_at_1280_px_a_wide_tables_inputs_keep_their_width_and_it_scrolls_not_the_page(
    page, live_server, schemes
):
    answer, editor = schemes
    answer.question.columns = WIDE_SCHEMES
    answer.question.save(update_fields=["columns"])
    page.set_viewport_size({"width": 1280, "height": 900})
    start_session(page, live_server, editor.email)
    page.goto(live_server.url + reverse("part_detail", args=[answer.plan_id, "one"]))

    cell(page, "budget").fill("120000.50")
    assert not scrolls_sideways(page)
    narrowest = page.evaluate(
        """() => Math.min(...[...document.querySelectorAll(
            '#question-practices .app-table-editor :is(input:not([type=hidden]), select, textarea)'
        )].map((input) => input.getBoundingClientRect().width))"""
    )
    # Wide enough to read back "120000.50" as typed (walkers saw "1200" in 25 px).
    assert narrowest >= 80, narrowest
    assert_accessible(page)


def test_the_totals_follow_the_rows_as_they_are_typed_before_any_save(page, live_server):
    """On a new plan of the second PCT's form, the budget table's worked-out cell and its
    totals read the rows as typed a moment after typing, not "£0" until the autosave."""
    northbrook = organisation()
    plan = northbrook_plan(northbrook, imported())
    start_session(page, live_server, northbrook.editor.email)
    page.goto(f"{live_server.url}/plans/{plan.pk}/parts/budget/")
    section = page.locator("#question-practice-budgets")
    totals = section.locator("tfoot")
    expect(totals).to_contain_text("£0")
    # Saves are held back until the figures are read, so the autosave three seconds after the
    # last keystroke cannot be what put them there, however slow the machine.
    held_saves = []

    def hold_saves(route):
        posted = route.request.post_data or ""
        if route.request.method == "POST" and 'name="figures-as-typed"' not in posted:
            held_saves.append(route)
        else:
            route.continue_()

    page.route(f"**/plans/{plan.pk}/**", hold_saves)

    def typed(row: int, key: str, amount: str):
        section.locator(f'[name="q-practice-budgets-rows[{row}].{key}"]').fill(amount)

    typed(0, "prescribing", "45000")
    typed(0, "secondary_care", "120000.50")
    typed(0, "community", "10")
    typed(1, "prescribing", "1000")

    worked_out = section.locator('[data-figure="rows.0.total"]')
    expect(worked_out).to_have_text("£165,010.50")
    expect(totals).to_contain_text("£46,000")
    expect(totals).to_contain_text("£120,000.50")
    expect(totals).to_contain_text("£165,010.50")
    # Worked out for the rows as typed: nothing was saved for them.
    assert plan.answers.get(question__key="practice-budgets").version == 0
    assert "Saved" not in section.locator(".app-save-status").inner_text()

    typed(0, "community", "ten")
    expect(worked_out).to_have_text("")
    expect(totals).not_to_contain_text("£165,010.50")
    page.unroute(f"**/plans/{plan.pk}/**")
    for route in held_saves:
        route.continue_()

    typed(0, "community", "10")
    expect(section.locator(".app-save-status")).to_have_text(re.compile("Saved at"))
    expect(totals).to_contain_text("£165,010.50")
    assert_accessible(page)


def test_saving_red_houses_indicators_keeps_the_lines_an_objective_was_written_on(
    page, live_server
):
    """Red House's form gives its objectives a one-line column; the first was written as a list
    over six lines. A browser drops the line breaks of a one-line box, so changing another cell
    and saving used to join them ("care by:- development of guidelines")."""
    demo_daccom_plan()
    answer = Answer.objects.get(
        plan__template__slug="red-house-plan", question__key="key-performance-indicators"
    )
    written = answer.rows[0]["indicator"]
    assert written.count("\n") == 5
    start_session(page, live_server, "editor.red-house@example.org")
    page.goto(live_server.url + reverse("answer_edit", args=[answer.plan_id, answer.question.key]))

    objective = page.get_by_label("Objective and measures, row 1")
    expect(objective).to_have_value(written)
    page.get_by_label("Area, row 2").fill("Community Nursing Services (all)")
    page.get_by_role("button", name=re.compile("^Save 6.1-6.8")).click()
    expect(page.locator(".app-save-status")).to_have_text(re.compile("Saved at"))

    answer.refresh_from_db()
    assert answer.rows[1]["area"] == "Community Nursing Services (all)"
    assert answer.rows[0]["indicator"] == written
    expect(objective).to_have_value(written)
    assert_accessible(page)
    screenshot(page, "red-house-objectives-in-text-areas")


def test_a_surgery_renamed_since_it_was_chosen_is_not_blanked_by_saving_another_cell(
    page, live_server
):
    """Red House's populations name each surgery from a list of the consortium's practices. A
    practice renamed by a practice import was no longer on it, so the list showed "Not given"
    chosen, and saving another cell blanked the surgery."""
    demo_daccom_plan()
    answer = Answer.objects.get(
        plan__template__slug="red-house-plan", question__key="surgery-populations"
    )
    radlett = Practice.objects.get(consortium=answer.plan.consortium, name="Radlett Surgery")
    practices_import_csv(
        consortium=answer.plan.consortium,
        raw=f"name,code,list_size\nRadlett Surgery (Harpenden),{radlett.code},\n".encode(),
    )
    stored = answer.rows
    start_session(page, live_server, "editor.red-house@example.org")
    page.goto(live_server.url + reverse("answer_edit", args=[answer.plan_id, answer.question.key]))

    surgery = page.get_by_label("Surgery, row 1")
    expect(surgery.locator("option:checked")).to_have_text("Radlett Surgery (not on the list)")
    page.get_by_label("Registered population, row 2").fill("3,700")
    page.get_by_role("button", name="Save this answer: Population by surgery").click()

    expect(page.locator(".app-save-status")).to_contain_text("Not saved: Choose from the list.")
    expect(surgery).to_be_focused()
    answer.refresh_from_db()
    assert answer.rows == stored
    assert_accessible(page)

    surgery.select_option(label="Radlett Surgery (Harpenden)")
    page.get_by_role("button", name="Save this answer: Population by surgery").click()
    expect(page.locator(".app-save-status")).to_have_text(re.compile("Saved at"))
    answer.refresh_from_db()
    assert answer.rows[0]["name"] == "Radlett Surgery (Harpenden)"
    assert answer.rows[1]["list_size"] == "3700"
