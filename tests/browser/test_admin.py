"""The site administrator's own admin pages, in the browser: the forms we add to Django's
admin pass axe as our other pages do."""

import pytest
from playwright.sync_api import expect

from consortia.models import User
from plans import template_files
from tests.browser.conftest import WCAG_22_AA_AND_BEST_PRACTICE, assert_accessible, start_session
from tests.factories import (
    CommissionerFactory,
    ConsortiumFactory,
    PersonFactory,
    PracticeFactory,
    UserFactory,
)
from tests.plan_factories import template_definition
from tests.two_factor import authenticator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_as_site_admin(page, live_server) -> User:
    admin = UserFactory(email="site.admin@example.org", role=User.Role.SITE_ADMIN)
    authenticator(admin)
    start_session(page, live_server, admin.email)
    return admin


def test_adding_a_person_with_their_roles_is_accessible(page, live_server):
    sign_in_as_site_admin(page, live_server)

    page.goto(f"{live_server.url}/admin/consortia/person/add/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add person")

    assert_accessible(page, WCAG_22_AA_AND_BEST_PRACTICE)
    roles = page.get_by_role("group", name="Person roles")
    expect(roles.get_by_role("combobox", name="Kind")).to_have_count(1)
    expect(roles.get_by_role("textbox", name="Detail")).to_have_count(1)


def test_a_consortium_with_its_practices_and_people_is_accessible(page, live_server):
    consortium = ConsortiumFactory()
    PracticeFactory(consortium=consortium)
    PersonFactory(consortium=consortium)
    sign_in_as_site_admin(page, live_server)

    page.goto(f"{live_server.url}/admin/consortia/consortium/{consortium.pk}/change/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Change consortium")

    assert_accessible(page, WCAG_22_AA_AND_BEST_PRACTICE)


def test_at_320_px_a_forms_read_only_questions_scroll_in_a_region_the_keyboard_reaches(
    page, live_server
):
    """A PCT form's questions are a read-only table wider than a phone: it scrolls in its own
    box, which has nothing else to take focus, so the box itself does (WCAG 2.1.1)."""
    form = template_definition(questions=4, issuer=CommissionerFactory().slug)
    template = template_files.store(form)
    sign_in_as_site_admin(page, live_server)
    page.set_viewport_size({"width": 320, "height": 800})

    page.goto(f"{live_server.url}/admin/plans/plantemplate/{template.pk}/change/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Change plan template")

    assert_accessible(page)
    questions = page.get_by_role("region", name="Questions")
    questions.focus()
    expect(questions).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(questions).not_to_have_js_property("scrollLeft", 0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
