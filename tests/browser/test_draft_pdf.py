"""A PCT lead asks for a draft PDF of the demo DacCom plan, watches its progress while a real
worker makes it, and downloads it under the name the server chooses."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from signoff.selectors import plan_revision
from tests.browser.conftest import assert_accessible, screenshot, start_session
from tests.plan_factories import demo_daccom_plan
from tests.worker import broker_for_this_process, celery_worker

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


def test_a_viewer_watches_a_draft_pdf_being_made_then_downloads_it(page, live_server):
    plan = demo_daccom_plan()
    revision = plan_revision(plan)
    lead = f"lead.{plan.consortium.commissioner.slug}@example.org"

    with broker_for_this_process(), celery_worker():
        start_session(page, live_server, lead)
        page.goto(f"{live_server.url}/plans/{plan.pk}/")
        page.get_by_role("button", name="Download a draft PDF").click()

        expect(page.get_by_role("heading", level=1)).to_have_text(f"Draft PDF, revision {revision}")
        status = page.get_by_role("status")
        expect(status).to_contain_text(re.compile("Waiting to start|Being made"))
        expect(page.get_by_role("link", name="Refresh this page")).to_be_hidden()
        assert_accessible(page)
        screenshot(page, "draft-pdf-progress")

        link = page.get_by_role("link", name=re.compile(r"^Download the draft PDF"))
        expect(link).to_be_visible(timeout=120_000)
        expect(link).to_be_focused()
        expect(status).to_contain_text("Ready to download")
        assert_accessible(page)
        screenshot(page, "draft-pdf-ready")

        with page.expect_download() as download_info:
            link.click()
        download = download_info.value

    assert download.suggested_filename == f"daccom-pbc-plan-2006-07-draft-r{revision}.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")
