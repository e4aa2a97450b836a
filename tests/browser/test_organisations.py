import pytest
from django.urls import reverse

from consortia.demo import load_organisations
from tests.browser.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_daccom_editor_and_dacorum_lead_see_their_organisation_pages(signed_in_page):
    load_organisations()

    editor = signed_in_page("editor.daccom@example.org")
    editor.get_by_role("link", name="Your consortium").click()
    editor.wait_for_load_state()

    assert editor.url.endswith(reverse("consortia:consortium", kwargs={"slug": "daccom"}))
    assert editor.get_by_role("heading", level=1).inner_text() == "DacCom"
    practices = editor.get_by_role("table", name="Practices of DacCom")
    assert practices.locator("tbody tr").count() == 19
    # Declared, and the demo's invented list sizes add up to the same (decision 0438).
    assert editor.get_by_text("150,000", exact=True).count() == 2
    assert_accessible(editor)
    screenshot(editor, "consortium-daccom")

    lead = signed_in_page("lead.dacorum-pct@example.org")
    lead.get_by_role("link", name="Your PCT", exact=True).click()
    lead.wait_for_load_state()

    assert lead.get_by_role("heading", level=1).inner_text() == "Dacorum PCT"
    assert lead.get_by_role("link", name="DacCom").is_visible()
    assert lead.get_by_role("cell", name="Unscheduled Care Support").is_visible()
    assert_accessible(lead)
    screenshot(lead, "pct-dacorum")
