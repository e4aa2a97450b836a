"""Sections assigned to people in the browser: DacCom's chair assigns part 4 to the practice
manager with a due date, from the keyboard; the manager finds it under "Your tasks" and the
chair's home page shows it answered. axe clean."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from plans.models import Assignment
from tests.browser.conftest import assert_accessible, follow_from_the_plan, screenshot
from tests.plan_factories import demo_daccom_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_chair_assigns_part_4_and_the_manager_sees_it_under_your_tasks(
    signed_in_page, live_server
):
    plan = demo_daccom_plan()
    part = plan.template.parts.get(number="4")
    due = timezone.localdate() + timedelta(days=90)
    due_words = f"{due.day} {due:%B %Y}"
    chair = signed_in_page("chair.daccom@example.org")
    follow_from_the_plan(chair, live_server, plan, "Assign part 4 to someone", "Assign a section")
    expect(chair.get_by_label("Part or question")).to_have_value(f"part-{part.pk}")
    chair.get_by_label("Assign to").select_option(label="DacCom Practice Manager (demo)")
    chair.get_by_label("Due date").fill(due.isoformat())
    chair.get_by_role("button", name="Assign").focus()
    chair.keyboard.press("Enter")
    expect(chair.locator("main")).to_contain_text("is assigned to DacCom Practice Manager (demo)")
    expect(chair.locator("main")).to_contain_text(
        f"Assigned to DacCom Practice Manager (demo), due {due_words}."
    )
    assert_accessible(chair)
    assert Assignment.objects.get().part == part

    manager = signed_in_page("editor.daccom@example.org")
    tasks = manager.locator("table", has_text="Sections of plans assigned to you")
    expect(manager.get_by_role("heading", name="Your tasks")).to_be_visible()
    expect(tasks).to_contain_text(f"Part 4 {part.title}")
    expect(tasks).to_contain_text(due_words)
    expect(tasks).to_contain_text(plan.title)
    assert_accessible(manager)
    screenshot(manager, "your-tasks")
    tasks.get_by_role("link", name=f"Part 4 {part.title}").click()
    expect(manager.get_by_role("heading", level=1)).to_contain_text(part.title)

    # Part 4 of the demo plan is written: the chair's home page shows it answered.
    chair.goto(f"{live_server.url}/")
    assigned = chair.locator("table", has_text="assigned to its people")
    expect(assigned).to_contain_text(f"Part 4 {part.title}")
    expect(assigned).to_contain_text("DacCom Practice Manager (demo)")
    expect(assigned).to_contain_text("Answered")
    expect(assigned).not_to_contain_text("Not answered yet")
    assert_accessible(chair)
