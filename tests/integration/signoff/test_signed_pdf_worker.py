"""The demo DacCom plan approved and signed by its three signatories, its signed PDF made by a
real Celery worker on Redis: every question number, the signatories and the content hash are in
its text, and pyHanko finds the seal valid (and broken once a byte changes)."""

import time

import pytest

from consortia import demo as consortia_demo
from plans.models import Plan, PlanEvent, TemplateQuestion
from signoff import seal
from signoff.canonical import content_sha256
from signoff.models import PlanDocument
from tests.integration.signoff.pdf_helpers import (
    pdf_text,
)
from tests.plan_factories import demo_daccom_plan
from tests.review_factories import approve, demo_user, sign
from tests.worker import broker_for_this_process, celery_worker, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

PASSWORD = consortia_demo.DEMO_PASSWORD


def test_the_signed_demo_plan_gets_a_sealed_pdf_from_a_real_worker():
    plan = approve(demo_daccom_plan())
    assert plan.status == Plan.Status.APPROVED
    pct = plan.consortium.commissioner.slug
    signatories = [
        demo_user("chair", plan.consortium.slug),
        demo_user("pec-chair", pct),
        demo_user("chief-executive", pct),
    ]
    expected_hash = content_sha256(plan)

    with broker_for_this_process(), celery_worker() as worker:
        for user in signatories:
            sign(plan, user, password=PASSWORD, ip_address="192.0.2.10", user_agent="pytest")
        signed_at = time.monotonic()

        def the_pdf_is_ready():
            """the worker to make the signed PDF"""
            return PlanDocument.objects.filter(
                plan=plan, kind=PlanDocument.Kind.SIGNED, state__in=["ready", "failed"]
            ).first()

        document = wait_for(the_pdf_is_ready, timeout=120)
        waited = time.monotonic() - signed_at
    log = worker.stdout.read()

    assert document.state == PlanDocument.State.READY, document.failure_reason
    assert document.content_sha256 == expected_hash
    assert PlanDocument.objects.filter(plan=plan).count() == 1
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SIGNED
    assert PlanEvent.objects.filter(plan=plan, kind=PlanEvent.Kind.PDF_READY).count() == 1

    data = bytes(document.pdf)
    text = pdf_text(data)
    squeezed = "".join(text.split())
    numbers = list(
        TemplateQuestion.objects.filter(template=plan.template)
        .exclude(number="")
        .values_list("number", flat=True)
    )
    assert len(numbers) > 20
    assert [n for n in numbers if n not in text] == [], "every question number is printed"
    for user in signatories:
        assert user.full_name in text
    assert expected_hash in squeezed

    verification = seal.verify_pdf(data)
    assert verification.valid, verification
    altered = bytearray(data)
    middle = len(altered) // 3
    altered[middle] = altered[middle] ^ 0x01
    broken = seal.verify_pdf(bytes(altered))
    assert broken.ours and not broken.intact and not broken.valid

    assert "Rendered document" in log
    print(
        f"\nSigned PDF: {document.page_count} pages, {len(data):,} bytes, ready {waited:.1f} s "
        f"after the last signature; worker: "
        + next(line for line in log.splitlines() if "Rendered document" in line).strip()
    )
