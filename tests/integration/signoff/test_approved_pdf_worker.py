"""Riverside's locality note, whose form ends at approval, approved by the PCT lead: a real
Celery worker on Redis makes its final PDF, sealed like a signed plan's (decision 0457), naming
who approved it, and emails the executive chair once that it is ready (decision 0466)."""

from email import message_from_string, policy
from email.message import EmailMessage

import pytest

from consortia.models import User
from plans.models import PlanEvent
from signoff import seal, services, tasks
from signoff.canonical import content_sha256
from signoff.models import Notification, PlanDocument
from signoff.verification import Outcome, verify_upload
from tests.integration.signoff.pdf_helpers import pdf_text
from tests.review_factories import person
from tests.riverside import NOTE, PEC, riverside_plan
from tests.worker import broker_for_this_process, celery_worker, emails_written, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

READY = "the PDF of the approved plan is ready"


def test_the_approved_note_gets_a_sealed_pdf_from_a_real_worker_and_the_chair_is_told_once(
    tmp_path,
):
    plan = riverside_plan(NOTE, title="Riverside Locality Note 2008/09")
    lead = person(User.Role.PCT_LEAD, plan, full_name="Jane Smith")
    chair = person(User.Role.CONSORTIUM_EXECUTIVE_CHAIR, plan, email="chair@example.org")
    services.plan_submit(plan=plan, user=person(User.Role.CONSORTIUM_EDITOR, plan))
    services.plan_start_review(plan=plan, user=lead)
    outbox = tmp_path / "mail"
    outbox.mkdir()

    def ready_emails() -> list[EmailMessage]:
        """the worker to email the chair that the PDF is ready"""
        written = emails_written(outbox)
        emails = (message_from_string(text, policy=policy.default) for text in written)
        return [email for email in emails if READY in email["Subject"]]

    with (
        broker_for_this_process(),
        celery_worker(
            extra_env={"DJANGO_EMAIL_FILE_PATH": str(outbox), "PBC_SITE_URL": "https://x.org"}
        ) as worker,
    ):
        services.plan_approve(plan=plan, user=lead)

        def the_pdf_is_ready():
            """the worker to make the approved plan's PDF"""
            return PlanDocument.objects.filter(
                plan=plan, kind=PlanDocument.Kind.APPROVED, state__in=["ready", "failed"]
            ).first()

        document = wait_for(the_pdf_is_ready, timeout=120)
        wait_for(ready_emails)
        # The beat's sweep and a second delivery of the render, through the same worker.
        tasks.sweep_documents.delay()
        tasks.render_document.delay(document_id=document.pk)
        lines = []

        def both_ran():
            """the worker to run the sweep and the render again (its log says so)"""
            lines.append(worker.stdout.readline())
            log = "".join(lines)
            return "'requested': 0" in log and "'nothing to do'" in log

        wait_for(both_ran, timeout=60)
    log = "".join(lines) + worker.stdout.read()
    (email,) = ready_emails()

    assert document.state == PlanDocument.State.READY, document.failure_reason
    assert document.content_sha256 == content_sha256(plan)
    assert PlanDocument.objects.filter(plan=plan).count() == 1
    data = bytes(document.pdf)
    text = " ".join(pdf_text(data).split())
    assert f"Approved by Jane Smith (PCT lead) for the {PEC} on " in text and "DRAFT" not in text
    assert document.content_sha256 in "".join(text.split())
    assert seal.verify_pdf(data).valid
    result = verify_upload(data)
    assert result.outcome == Outcome.SEALED
    assert result.approved_by == f"Jane Smith (PCT lead) for the {PEC}"
    assert "Rendered document" in log
    assert email["To"] == chair.email
    body = email.get_content()
    assert f"https://x.org/plans/{plan.pk}/documents/{document.pk}/download/" in body
    assert PlanEvent.objects.filter(plan=plan, kind=PlanEvent.Kind.PDF_READY).count() == 1
    (notice,) = Notification.objects.filter(event__plan=plan, event__kind=PlanEvent.Kind.PDF_READY)
    assert notice.recipient == chair and notice.emailed_at is not None
