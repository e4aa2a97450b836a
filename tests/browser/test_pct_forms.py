"""A PCT's lead loads their own PCT's form in the browser, by keyboard: from the PCT's page to
its forms, a file of another PCT refused on its field, then their own file checked and loaded;
every page passes axe (plans/template_views.py, docs/decisions/0469)."""

import pytest
import yaml
from playwright.sync_api import expect

from plans import template_files
from plans.models import PlanTemplate
from tests import northbrook, riverside
from tests.browser.conftest import assert_accessible, screenshot, start_session
from tests.browser.test_keyboard import by_id, by_text, tab_to
from tests.demo_data import load_organisations_and_plans
from tests.factories import CommissionerFactory
from tests.two_factor import authenticator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def press(page, text: str) -> None:
    tab_to(page, by_text(text), what=text)
    page.keyboard.press("Enter")


def choose_file(page, name: str, content: bytes) -> None:
    tab_to(page, by_id("id_file"), what="the file field")
    page.locator("#id_file").set_input_files(
        {"name": name, "mimeType": "application/yaml", "buffer": content}
    )


def test_a_lead_loads_their_pcts_form_by_keyboard_after_a_file_of_another_pct_is_refused(
    page, live_server
):
    pct = northbrook.organisation()
    CommissionerFactory(slug="riverside-pct", name="Riverside PCT")
    authenticator(pct.lead)
    start_session(page, live_server, pct.lead.email)

    page.goto(f"{live_server.url}/pcts/northbrook-pct/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Northbrook PCT")
    press(page, "Load a new version of your form")
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan forms")
    expect(page.get_by_text("Northbrook PCT has no plan forms yet.")).to_be_visible()
    assert_accessible(page)

    choose_file(page, "riverside.yaml", yaml.safe_dump(riverside.RETURN).encode())
    press(page, "Check the file")
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.locator("#id_file-error")).to_contain_text(
        "issuer 'riverside-pct' is not Northbrook PCT"
    )
    assert_accessible(page)
    screenshot(page, "pct-forms-refused")

    choose_file(page, "northbrook-2007.yaml", northbrook.FORM.read_bytes())
    press(page, "Check the file")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the form before loading it")
    expect(page.get_by_text("Importing this file creates Northbrook PCT")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "pct-forms-check")
    assert not PlanTemplate.objects.exists()

    press(page, "Load this form")
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan forms")
    expect(page.get_by_text("From northbrook-2007.yaml: created Northbrook PCT")).to_be_visible()
    expect(page.get_by_role("table", name="Plan forms of Northbrook PCT")).to_contain_text(
        "2007/08 v1.2"
    )
    assert_accessible(page)
    assert PlanTemplate.objects.get().issuer == pct.pct


def test_a_lead_reaches_their_pcts_forms_from_their_home_page_by_keyboard(page, live_server):
    pct = northbrook.organisation()
    authenticator(pct.lead)
    start_session(page, live_server, pct.lead.email)
    page.goto(f"{live_server.url}/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Lena Lead")
    card = page.locator("#plan-forms")
    expect(card).to_contain_text("Northbrook PCT has no plan forms yet.")
    expect(page.get_by_role("navigation").get_by_role("link", name="Plan forms")).to_have_count(1)
    assert_accessible(page)
    screenshot(page, "pct-forms-home")

    press(page, "Your PCT's plan forms")
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan forms")
    assert page.url == f"{live_server.url}/pcts/northbrook-pct/forms/"
    assert_accessible(page)


def _with_three_problems() -> bytes:
    """BANES's next year's form with a column type misspelt, an unknown total and a formula cut
    short."""
    text = (template_files.DEFINITIONS_DIR / "banes-plan.yaml").read_text()
    for good, bad in [
        ("slug: banes-plan", "slug: banes-plan-2008"),
        ("{key: area, label: Development area}", "{key: area, label: Area, type: txet}"),
        ("{key: leads, label: Leads}", "{key: leads, label: Leads, type: whole, total: avg}"),
        ("{key: progress, label: Progress to date}", "{key: progress, label: P, formula: leads +}"),
    ]:
        assert good in text
        text = text.replace(good, bad, 1)
    return text.encode()


@pytest.mark.parametrize("width", [1280, 320])
def test_a_files_problems_stand_one_a_line_and_the_forms_headings_keep_their_words_whole(
    page, live_server, width
):
    load_organisations_and_plans()
    start_session(page, live_server, "lead.banes-pct@example.org")
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/pcts/banes-pct/forms/")

    page.locator("#id_file").set_input_files(
        {
            "name": "banes-2008.yaml",
            "mimeType": "application/yaml",
            "buffer": _with_three_problems(),
        }
    )
    page.get_by_role("button", name="Check the file").click()

    lines = page.locator("#id_file-error .app-error-line")
    expect(lines).to_have_count(3)
    expect(lines.nth(0)).to_contain_text("unknown type 'txet' (did you mean 'text'?)")
    expect(lines.nth(2)).to_contain_text("the formula 'leads +' is not an expression")
    assert len({box["y"] for box in (line.bounding_box() for line in lines.all())}) == 3
    # A heading broken inside a word ("Versio n") is laid out on more lines than it has words.
    table = page.get_by_role("table", name="Plan forms of Bath & North East Somerset PCT")
    for heading in table.locator("th").all():
        broken = heading.evaluate(
            """th => {
                const range = document.createRange();
                range.selectNodeContents(th);
                const lines = new Set([...range.getClientRects()].map(box => Math.round(box.top)));
                return lines.size > th.textContent.trim().split(/\\s+/).length;
            }"""
        )
        assert not broken, f"{heading.inner_text()!r} is broken inside a word"
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert_accessible(page)
