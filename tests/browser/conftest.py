"""Playwright on the system Chromium, against Django's live server, with an axe-core check."""

import os
import threading
import time
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests import services

# Playwright's sync API runs an event loop in this thread; the live server's ORM calls are
# made from the test thread in between, never concurrently with it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WCAG_22_AA_AND_BEST_PRACTICE = [*WCAG_22_AA, "best-practice"]
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    if not services.chromium_available():
        services.require(False, f"Chromium is not installed at {services.CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(services.CHROMIUM), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium, live_server):
    """Opens pages in fresh browser contexts (one per person in the journey)."""
    contexts = []

    def open_page():
        context = chromium.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
    wait_for_requests_in_flight(live_server)


def wait_for_requests_in_flight(live_server, *, seconds: float = 15) -> None:
    """Waits for the live server to finish the requests the closed pages left in flight (an
    autosave, say) before the test's database is emptied: a request still writing deadlocked
    with the emptying's DELETE on PostgreSQL and failed a test that had passed."""
    deadline = time.monotonic() + seconds
    # The live server answers each connection on a thread of its own, which Python names after
    # the server's method it runs.
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(max(0.0, deadline - time.monotonic()))


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def signed_in_page(new_page, live_server):
    """Opens a fresh page (``new_page``) on the home page of ``email``, signed in."""
    from django.conf import settings
    from django.shortcuts import resolve_url

    def open_as(email: str):
        opened = new_page()
        start_session(opened, live_server, email)
        opened.goto(live_server.url + resolve_url(settings.LOGIN_REDIRECT_URL))
        return opened

    return open_as


def start_session(page, live_server, email: str) -> None:
    """Gives the page's browser the session that signing in as ``email`` through the form
    (``sign_in``) ends with, past the second step where the account has an authenticator,
    without loading the sign-in pages: for journeys that are not about signing in. The page
    stays where it is."""
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from consortia import credentials
    from consortia.models import User

    user = User.objects.get(email=email)
    client = Client()
    client.force_login(user)
    device = credentials.authenticator_of(user)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )


AXE_SCRIPT = Axe().axe_script
# Runs axe on the page if this document has it already, else says it has not (null): axe is
# put in once per document, not once per check (half a megabyte to parse each time).
AXE_RUN_IF_PRESENT = """options => window.axe
    ? window.axe.run(options).then(results => results.violations)
    : null"""


def axe_violations(page, tags=WCAG_22_AA) -> list[str]:
    options = {"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations"]}
    violations = page.evaluate(AXE_RUN_IF_PRESENT, options)
    if violations is None:
        page.evaluate(AXE_SCRIPT)
        violations = page.evaluate(AXE_RUN_IF_PRESENT, options)
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes: "
        f"{', '.join(node['target'][0] for node in violation['nodes'][:3])})"
        for violation in violations
    ]


def assert_accessible(page, tags=WCAG_22_AA) -> None:
    violations = axe_violations(page, tags)
    assert violations == [], f"axe found violations of {tags} on {page.url}:\n" + "\n".join(
        violations
    )


def follow_from_the_plan(page, live_server, plan, link: str, heading: str) -> None:
    """From the plan's page, follows ``link`` to the page headed ``heading``, which is axe-clean."""
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.get_by_role("link", name=link).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page)


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, live_server, email: str, password: str, *, give_the_code=True) -> None:
    """Signs in; where the account has an authenticator, gives its current code too, unless
    told to stop at that step."""
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    if give_the_code and "/sign-in/code/" in page.url:
        give_code(page, current_code(email))


def current_code(email: str) -> str:
    from consortia import credentials
    from consortia.models import User
    from tests.two_factor import next_code

    return next_code(credentials.authenticator_of(User.objects.get(email=email)))


def give_code(page, code: str) -> None:
    page.get_by_label("Code", exact=True).fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()


def select_passage(page, container_selector: str, passage: str) -> None:
    """Selects ``passage`` in the displayed text, as a reader dragging across it would."""
    found = page.evaluate(
        """([selector, passage]) => {
            const root = document.querySelector(selector);
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.textContent.indexOf(passage);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + passage.length);
                    const selection = document.getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                    return true;
                }
            }
            return false;
        }""",
        [container_selector, passage],
    )
    assert found, f"{passage!r} is not shown in {container_selector}"
