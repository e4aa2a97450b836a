"""A worker killed while it renders a signed PDF: once another worker is running, the plan
still ends with exactly one signed PDF."""

import os
import signal
import time

import pytest
from django.db import transaction

from plans.models import PlanEvent
from signoff import seal, services
from signoff.canonical import content_sha256
from signoff.models import PlanDocument
from tests.integration.signoff.pdf_helpers import (
    signed_documents,
    signed_plan,
)
from tests.worker import broker_for_this_process, celery_worker, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

# Redis gives a task its worker never acknowledged to another worker after this long.
VISIBILITY_SECONDS = 3


def test_a_worker_killed_mid_render_still_ends_with_exactly_one_pdf():
    plan = signed_plan()
    slow = {"DJANGO_SETTINGS_MODULE": "tests.integration.signoff.slow_worker_settings"}
    quick = {"PBC_BROKER_VISIBILITY_SECONDS": str(VISIBILITY_SECONDS)}

    with broker_for_this_process():
        with celery_worker(extra_env=slow, name="doomed") as doomed:
            with transaction.atomic():
                document = services.signed_pdf_request(
                    plan=plan, content_sha256=content_sha256(plan)
                )

            def it_is_rendering():
                """the first worker to start rendering"""
                document.refresh_from_db()
                return document.state == PlanDocument.State.RENDERING

            wait_for(it_is_rendering, timeout=60)
            os.kill(doomed.pid, signal.SIGKILL)
            killed_at = time.monotonic()
            doomed.wait(timeout=10)

        document.refresh_from_db()
        assert doomed.returncode == -signal.SIGKILL
        assert document.state == PlanDocument.State.RENDERING
        assert document.attempts == 1
        time.sleep(VISIBILITY_SECONDS + 1)

        with celery_worker(extra_env=quick, name="rescuer") as rescuer:

            def it_is_finished():
                """the second worker to finish the render"""
                document.refresh_from_db()
                return document.state in (PlanDocument.State.READY, PlanDocument.State.FAILED)

            try:
                wait_for(it_is_finished, timeout=120)
            except AssertionError:
                finished = False
            else:
                finished = True
            recovered = time.monotonic() - killed_at
        log = rescuer.stdout.read()

    assert finished, f"The second worker did not finish the render:\n{log}"
    (only,) = signed_documents(plan)
    assert only.pk == document.pk
    assert only.state == PlanDocument.State.READY, only.failure_reason
    assert only.attempts == 2
    assert seal.verify_pdf(bytes(only.pdf)).valid
    assert PlanEvent.objects.filter(plan=plan, kind=PlanEvent.Kind.PDF_READY).count() == 1
    rendered = next(line for line in log.splitlines() if "Rendered document" in line)
    print(f"\nKilled mid-render; one PDF ready {recovered:.1f} s after the kill. {rendered}")
