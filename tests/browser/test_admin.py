"""The site administrator's own admin pages, in the browser: the forms we add to Django's
admin pass axe as our other pages do."""

import pytest
from playwright.sync_api import expect

from consortia.models import User
from tests.browser.conftest import WCAG_22_AA_AND_BEST_PRACTICE, assert_accessible, start_session
from tests.factories import ConsortiumFactory, PersonFactory, PracticeFactory, UserFactory
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
