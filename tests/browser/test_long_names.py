"""A name of 200 letters with no space wraps on the people pages, on a desktop and on a phone
375 pixels wide: no page scrolls sideways and nothing is cut."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from consortia import services
from consortia.models import Consortium, User
from consortia.presenters import people_url
from plans.models import Plan
from tests import demo_data
from tests.browser.conftest import assert_accessible, start_session
from tests.factories import UserFactory
from tests.plan_factories import demo_daccom_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LEAD = "lead.dacorum-pct@example.org"
LONG_NAME = "Bartholomew" * 18 + "Xy"  # 200 letters, no space


def scrolls_sideways(page) -> bool:
    """Whether the page is wider than its window once NHS.UK's script has folded the menu into
    "More": on a busy machine it may do so a moment after the page has loaded."""
    try:
        page.wait_for_function(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth",
            timeout=3_000,
        )
    except PlaywrightTimeoutError:
        return True
    return False


@pytest.mark.parametrize("width", [1280, 375])
def test_a_long_unbroken_name_wraps_on_the_people_pages(page, live_server, width):
    demo_daccom_plan()
    daccom = Consortium.objects.get(slug="daccom")
    person = UserFactory(consortium=daccom, full_name=LONG_NAME)
    lead = User.objects.get(email=LEAD)
    services.position_hand_over(
        actor=lead,
        organisation=daccom,
        body="",
        name="Director of Long Names",
        user=person,
        started_on=timezone.localdate() + timedelta(days=7),
        client_address=None,
    )
    page.set_viewport_size({"width": width, "height": 900})
    start_session(page, live_server, LEAD)

    pages = [
        (people_url(daccom), "People of DacCom"),
        (reverse("consortia:person", args=[person.pk]), LONG_NAME),
        (reverse("consortia:person_deactivate", args=[person.pk]), f"Deactivate {LONG_NAME}?"),
        (reverse("consortia:consortium", args=[daccom.slug]), "DacCom"),
    ]
    for path, heading in pages:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.get_by_text(LONG_NAME).first).to_be_visible()
        assert not scrolls_sideways(page), f"{path} scrolls sideways at {width} pixels"
    assert_accessible(page)


def test_a_long_word_file_name_wraps_on_the_import_preview_at_320_pixels(
    page, live_server, tmp_path
):
    from plans import services as plan_services
    from tests.word_documents import simple_docx

    demo = demo_daccom_plan()
    plan = plan_services.plan_create(
        consortium=demo.consortium, template=demo.template, period="2007/08", title="Imported"
    )
    upload = tmp_path / ("004_c642711a52acf492" * 4 + ".docx")
    upload.write_bytes(simple_docx("Name", "DacCom PbC Limited"))
    page.set_viewport_size({"width": 320, "height": 800})
    start_session(page, live_server, "editor.daccom@example.org")
    page.goto(live_server.url + reverse("plan_word_import", args=[plan.pk]))
    page.locator("input[type=file]").set_input_files(str(upload))
    with page.expect_navigation():
        page.get_by_role("button", name="Read the document").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check what was found")
    assert not scrolls_sideways(page)


def test_a_forms_long_slashed_words_wrap_in_its_headings_at_320_pixels(page, live_server):
    """DacCom's second form asks how it "will involve patients/users/carers": a word of 21
    letters and slashes that no line of a phone 320 pixels wide holds."""
    demo_daccom_plan()
    plan = Plan.objects.get(template__slug="daccom-locality-plan-v2")
    page.set_viewport_size({"width": 320, "height": 800})
    start_session(page, live_server, "editor.daccom@example.org")
    for path in [
        reverse("question_history", args=[plan.pk, "patient-and-carer-involvement"]),
        reverse("answer_edit", args=[plan.pk, "patient-and-carer-involvement"]),
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_text("patients/users/carers").first).to_be_visible()
        assert not scrolls_sideways(page), f"{path} scrolls sideways at 320 pixels"


@pytest.mark.parametrize(
    ("email", "question"),
    [
        ("lead.banes-pct@example.org", None),
        ("editor.daccom@example.org", None),
        ("editor.banes@example.org", "background-text"),
    ],
)
def test_without_javascript_a_phones_page_fits_its_menu_and_answer_box(
    chromium, live_server, email, question
):
    """NHS.UK's script folds the menu into "More" where the links do not fit; without the
    script (the page's own test says so) they wrap at 320 pixels, every one on the screen. The
    answer's box, which the script would make an editor, is the design system's, as wide as
    the page."""
    demo_data.load_organisations_and_plans()
    context = chromium.new_context(
        java_script_enabled=False, locale="en-GB", viewport={"width": 320, "height": 800}
    )
    try:
        page = context.new_page()
        start_session(page, live_server, email)
        path = reverse("home")
        if question:
            plan = Plan.objects.get(consortium__slug="banes")
            path = reverse("answer_edit", args=[plan.pk, question])
        page.goto(live_server.url + path)

        links = page.get_by_role("navigation", name="Menu").get_by_role("link")
        assert links.count() >= 4
        for link in links.all():
            box = link.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 320, link.text_content()
        if question:
            expect(page.locator("textarea.nhsuk-textarea")).to_be_visible()
        assert not scrolls_sideways(page)
    finally:
        context.close()
