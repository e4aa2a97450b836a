"""What the PDF tests share: signed plans and reading a PDF's text.

The run's development seal (tests/conftest.py, pbc/settings/test.py) seals in this process and
in the workers the tests start, which inherit its paths."""

import shutil
import subprocess
from datetime import UTC, datetime
from io import BytesIO

from pypdf import PdfReader

from plans.models import Plan
from signoff import pdf
from signoff.canonical import content_sha256
from signoff.models import PlanDocument
from tests.review_factories import (
    SIGNATORIES,
    SIGNATORY_ROLES,
    person,
    signature_for,
    three_signatory_plan,
)
from tests.services import require


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


def printed_text(data: bytes, *options: str) -> str:
    """The words on the paper, in reading order (or as ``options`` ask pdftotext): it leaves
    out what lies off the page."""
    pdftotext = shutil.which("pdftotext")
    require(bool(pdftotext), "pdftotext reads only what is on the PDF's pages")
    return subprocess.run(
        [pdftotext, *options, "-", "-"], input=bytes(data), capture_output=True, check=True
    ).stdout.decode()


def draft_pdf(plan: Plan) -> pdf.RenderedPdf:
    """``plan`` printed as a draft, as it stands."""
    return pdf.render_plan_pdf(
        plan=plan,
        signatures=[],
        content_sha256="0" * 64,
        draft=pdf.DraftMark(generated_at=datetime.now(UTC), revision=1),
    )
