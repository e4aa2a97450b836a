"""Which plan a file is, and whether it is the one we issued: the verification page's check."""

from datetime import UTC, datetime

import pytest
import weasyprint

from signoff.canonical import content_sha256
from signoff.models import PlanDocument
from signoff.verification import Outcome, verify_upload
from tests.review_factories import SIGNATORIES, issued_pdf, three_signatory_plan

pytestmark = pytest.mark.django_db


def issued(plan) -> bytes:
    return issued_pdf(plan)


@pytest.fixture
def plan():
    return three_signatory_plan()


def test_the_issued_file_is_sealed_and_names_the_plan_and_its_signatories(plan):
    data = issued(plan)

    result = verify_upload(data)

    assert result.outcome == Outcome.SEALED
    assert result.plan_title == plan.title and result.period == "2006/07"
    assert result.consortium == plan.consortium.name
    assert result.content_sha256 == content_sha256(plan)
    assert [s.title for s in result.signatories] == [b["title"] for b in SIGNATORIES]
    assert result.seal.valid and not result.superseded


def test_any_flipped_byte_makes_the_file_altered(plan):
    data = issued(plan)
    positions = range(7, len(data), max(1, len(data) // 150))

    outcomes = set()
    for at in positions:
        changed = bytearray(data)
        changed[at] ^= 0x01
        outcomes.add(verify_upload(bytes(changed)).outcome)

    assert outcomes == {Outcome.ALTERED}


def test_a_pdf_we_did_not_seal_is_unknown(plan):
    issued(plan)

    result = verify_upload(weasyprint.HTML(string="<p>A plan</p>").write_pdf())

    assert result.outcome == Outcome.UNKNOWN
    assert result.plan_title == "" and result.signatories == []


def test_a_file_on_record_only_as_a_draft_is_not_reported_as_issued(plan):
    data = issued(plan)
    PlanDocument.objects.filter(plan=plan).update(kind=PlanDocument.Kind.DRAFT)

    assert verify_upload(data).outcome == Outcome.ALTERED


def test_voided_signatures_mark_the_file_as_superseded(plan):
    data = issued(plan)
    plan.signatures.update(voided_at=datetime.now(UTC), voided_reason="Reopened")

    result = verify_upload(data)

    assert result.outcome == Outcome.SEALED and result.superseded
