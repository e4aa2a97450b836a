"""An editor imports DacCom's 2006/07 plan from Word into a new plan: upload, check the
preview, import; the pages pass axe and the answers are saved after a named draft."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from consortia.models import User
from plans import services
from plans.models import Plan, PlanSnapshot
from signoff.word_export import plan_docx
from tests import demo_data
from tests.browser.conftest import assert_accessible, screenshot, start_session
from tests.word_documents import daccom_2006_07_docx, simple_docx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def demo_and_new_plan(*, consortium: str, template: str, period: str) -> tuple[Plan, Plan]:
    """The demo's plan of this consortium and form, and a new empty plan for Word to fill."""
    demo_data.load_organisations_and_plans()
    demo = Plan.objects.get(consortium__slug=consortium, template__slug=template)
    plan = services.plan_create(
        consortium=demo.consortium, template=demo.template, period=period, title="From Word"
    )
    return demo, plan


def test_daccom_editor_imports_a_plan_from_word_after_checking_the_preview(
    live_server, page, tmp_path
):
    _demo, plan = demo_and_new_plan(
        consortium="daccom", template="daccom-locality-plan-2006", period="2007/08"
    )
    document = tmp_path / "DacCom plan 2006-07.docx"
    document.write_bytes(daccom_2006_07_docx(plan.template))
    start_session(page, live_server, "editor.daccom@example.org")

    page.goto(live_server.url + reverse("plan_detail", args=[plan.pk]))
    page.get_by_role("link", name="Import answers from a Word document").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import answers from a Word document")
    assert_accessible(page)
    page.get_by_label("Upload the Word document").set_input_files(str(document))
    with page.expect_navigation():
        page.get_by_role("button", name="Read the document").click()

    assert "Check what was found" in page.locator("h1").inner_text()
    card = page.locator(
        "section", has=page.get_by_role("heading", name="4.2 Services to be commissioned")
    )
    assert "Total planned savings: £2,676,000" in card.inner_text()
    assert card.get_by_role("checkbox").first.is_checked()
    assert_accessible(page)
    screenshot(page, "word-import-preview")
    assert not PlanSnapshot.objects.filter(plan=plan).exists()

    with page.expect_navigation():
        page.get_by_role("button", name="Import the ticked text").click()
    assert "Answers imported" in page.locator("h1").inner_text()
    assert_accessible(page)
    screenshot(page, "word-import-done")
    assert PlanSnapshot.objects.filter(plan=plan).count() == 1
    risks = plan.answers.get(question__key="risks")
    assert "difficult for DacCom in isolation" in risks.text


def test_a_table_found_in_banes_own_export_scrolls_in_its_region_on_a_phone(
    live_server, page, tmp_path
):
    demo, plan = demo_and_new_plan(consortium="banes", template="banes-plan", period="2008/09")
    editor = User.objects.get(email="editor.banes@example.org")
    document = tmp_path / "banes.docx"
    document.write_bytes(plan_docx(plan=demo, user=editor))
    start_session(page, live_server, editor.email)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + reverse("plan_word_import", args=[plan.pk]))
    page.get_by_label("Upload the Word document").set_input_files(str(document))
    with page.expect_navigation():
        page.get_by_role("button", name="Read the document").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check what was found")

    found = page.get_by_role("region", name=re.compile("^Table found under Pathway development"))
    expect(found).to_be_visible()
    headers = found.get_by_role("columnheader")
    expect(headers).to_have_text(
        ["Development area", "Pathway description", "Leads", "Progress to date", "Next steps"]
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert found.evaluate("region => region.scrollWidth > region.clientWidth")
    # The outcome framework's figures are listed, saying why they are not imported.
    assert "its figures are worked out from the answer's entries" in page.content()
    assert_accessible(page)
    screenshot(page, "word-import-preview-phone")


def test_banes_prose_under_the_pathway_table_is_said_to_go_in_as_rows_and_not_ticked(
    live_server, page, tmp_path
):
    _demo, plan = demo_and_new_plan(consortium="banes", template="banes-plan", period="2008/09")
    document = tmp_path / "banes.docx"
    document.write_bytes(
        simple_docx(
            "Pathway development work in progress and planned for 07/08",
            "Musculo-skeletal, ophthalmology and ENT pathways are being developed.",
            "Dermatology has a business case.",
        )
    )
    start_session(page, live_server, "editor.banes@example.org")
    page.goto(live_server.url + reverse("plan_word_import", args=[plan.pk]))
    page.get_by_label("Upload the Word document").set_input_files(str(document))
    with page.expect_navigation():
        page.get_by_role("button", name="Read the document").click()

    card = page.locator(
        "section", has=page.get_by_role("heading", name=re.compile("^Pathway development"))
    )
    box = card.get_by_role("checkbox")
    expect(box).not_to_be_checked()
    expect(box).to_have_accessible_description(
        re.compile(r"This is text, not a table: it would go in as 2 rows of one cell")
    )
    assert_accessible(page)
    screenshot(page, "word-import-text-for-a-table")
