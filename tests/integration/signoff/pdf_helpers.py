"""What the PDF tests share: signed plans and reading a PDF's text.

The run's development seal (tests/conftest.py, pbc/settings/test.py) seals in this process and
in the workers the tests start, which inherit its paths."""

from io import BytesIO

from pypdf import PdfReader

from plans.models import Plan
from signoff.canonical import content_sha256
from signoff.models import PlanDocument
from tests.review_factories import (
    SIGNATORIES,
    SIGNATORY_ROLES,
    person,
    signature_for,
    three_signatory_plan,
)


def signed_plan(**kwargs) -> Plan:
    """A small plan signed by its three signatories, with no PDF asked for yet."""
    return signed_by_all(three_signatory_plan(**kwargs))


def signed_by_all(plan: Plan) -> Plan:
    """``plan`` (from ``three_signatory_plan``) signed, as it stands, by its three signatories."""
    plan.status = Plan.Status.SIGNED
    plan.save(update_fields=["status"])
    for position, (block, role) in enumerate(zip(SIGNATORIES, SIGNATORY_ROLES, strict=True), 1):
        signature_for(plan, block, position, person(role, plan))
    return plan


def signed_documents(plan: Plan) -> list[PlanDocument]:
    return list(
        PlanDocument.objects.filter(
            plan=plan, kind=PlanDocument.Kind.SIGNED, content_sha256=content_sha256(plan)
        )
    )


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(BytesIO(bytes(data))).pages)
