"""Riverside's locality note, whose form ends at approval, approved by the PCT lead: a real
Celery worker on Redis makes its final PDF, sealed like a signed plan's (decision 0457)."""

import pytest

from consortia.models import User
from signoff import seal, services
from signoff.canonical import content_sha256
from signoff.models import PlanDocument
from signoff.verification import Outcome, verify_upload
from tests.integration.signoff.pdf_helpers import pdf_text
from tests.review_factories import person
from tests.riverside import NOTE, PEC, riverside_plan
from tests.worker import broker_for_this_process, celery_worker, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_the_approved_note_gets_a_sealed_pdf_from_a_real_worker():
    plan = riverside_plan(NOTE, title="Riverside Locality Note 2008/09")
    lead = person(User.Role.PCT_LEAD, plan)
    services.plan_submit(plan=plan, user=person(User.Role.CONSORTIUM_EDITOR, plan))
    services.plan_start_review(plan=plan, user=lead)

    with broker_for_this_process(), celery_worker() as worker:
        services.plan_approve(plan=plan, user=lead)

        def the_pdf_is_ready():
            """the worker to make the approved plan's PDF"""
            return PlanDocument.objects.filter(
                plan=plan, kind=PlanDocument.Kind.APPROVED, state__in=["ready", "failed"]
            ).first()

        document = wait_for(the_pdf_is_ready, timeout=120)
    log = worker.stdout.read()

    assert document.state == PlanDocument.State.READY, document.failure_reason
    assert document.content_sha256 == content_sha256(plan)
    assert PlanDocument.objects.filter(plan=plan).count() == 1
    data = bytes(document.pdf)
    text = " ".join(pdf_text(data).split())
    assert f"Approved by the {PEC} on " in text and "DRAFT" not in text
    assert document.content_sha256 in "".join(text.split())
    assert seal.verify_pdf(data).valid
    result = verify_upload(data)
    assert result.outcome == Outcome.SEALED and result.approved_by == f"the {PEC}"
    assert "Rendered document" in log
