"""WCAG 1.4.12 (text spacing): with the spacing a reader may set for themselves (lines 1.5
apart, paragraphs 2 em apart, letters 0.12 em, words 0.16 em), at 320 px, no page scrolls
sideways and no text is cut off by its box."""

import pytest
from playwright.sync_api import expect

from plans.models import Plan
from tests.browser.conftest import start_session
from tests.browser.test_keyboard_walk import REFLOW
from tests.browser.test_long_names import scrolls_sideways
from tests.plan_factories import demo_daccom_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The bookmarklet's rules of WCAG's understanding document for 1.4.12, as a reader's own style
# sheet: it outranks the pages' (a browser extension is not held back by their content policy).
TEXT_SPACING = """* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }"""
# Text cut off by a box that hides what overflows it; a box's own text scrolls in it by design
# (inputs, text areas), and visually hidden text is 1 px and clipped on purpose.
CUT_OFF = """() => [...document.querySelectorAll('body *')].filter((element) => {
    if (element.matches('input, textarea, select')) return false;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    if (style.display === 'none' || box.width <= 2 || box.height <= 2) return false;
    const hides = (overflow) => overflow === 'hidden' || overflow === 'clip';
    return (hides(style.overflowY) && element.scrollHeight > element.clientHeight + 2)
        || (hides(style.overflowX) && element.scrollWidth > element.clientWidth + 2);
}).map((element) => `${element.tagName} ${element.className}: ${element.textContent.trim()}`)"""


def test_with_a_readers_text_spacing_at_320_px_no_page_scrolls_sideways_or_cuts_text_off(
    chromium, live_server
):
    demo_daccom_plan()
    banes = Plan.objects.get(template__slug="banes-plan")
    context = chromium.new_context(locale="en-GB", viewport=REFLOW, bypass_csp=True)
    try:
        page = context.new_page()
        start_session(page, live_server, "editor.banes@example.org")
        found = {}
        for path in [
            "/",
            f"/plans/{banes.pk}/",
            f"/plans/{banes.pk}/parts/pathway-changes/",
            f"/plans/{banes.pk}/parts/appendix-1/",
            f"/plans/{banes.pk}/import-word/",
            "/verify/",
        ]:
            page.goto(live_server.url + path)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            page.add_style_tag(content=TEXT_SPACING)
            # The header fits its menu to the page's width again, as it does on loading.
            page.evaluate("window.dispatchEvent(new Event('resize'))")
            sideways = scrolls_sideways(page)
            cut_off = page.evaluate(CUT_OFF)
            if sideways or cut_off:
                width = page.evaluate("document.documentElement.scrollWidth")
                found[path] = (width, cut_off)
    finally:
        context.close()

    assert found == {}
