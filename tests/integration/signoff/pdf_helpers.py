"""What the PDF tests share: signed plans and reading a PDF's text.

The run's development seal (tests/conftest.py, pbc/settings/test.py) seals in this process and
in the workers the tests start, which inherit its paths."""

import shutil
import subprocess
from datetime import UTC, datetime
from io import BytesIO

from pypdf import PdfReader

from plans.models import Answer, Plan
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


# A table wider than a portrait page: a PCT's savings profile, a column for each month.
MONTHS = ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"]
SAVINGS_BY_MONTH = [
    {"key": "scheme", "label": "Scheme"},
    *({"key": month.lower(), "label": f"{month} (£)", "type": "money"} for month in MONTHS),
]
SCHEMES = ["Falls prevention", "Dermatology in the community"]


def savings_rows() -> list[dict]:
    """A different figure in every cell, so each is found where it is printed."""
    return [
        {
            "scheme": scheme,
            **{m.lower(): f"{100_000 * (row + 1) + 1_111 * n}" for n, m in enumerate(MONTHS)},
        }
        for row, scheme in enumerate(SCHEMES)
    ]


def figures(rows: list[dict]) -> list[str]:
    return [f"£{int(row[m.lower()]):,}" for row in rows for m in MONTHS]


def with_columns(plan: Plan, columns: list[dict], rows: list[dict]) -> Answer:
    """The table of ``plan`` (made by plan_with_questions or three_signatory_plan) given
    ``columns``, as a form could declare them, and ``rows``."""
    answer = plan.answers.select_related("question").get(question__key="practices")
    answer.question.columns = columns
    answer.question.title = "Savings by month"
    answer.question.save(update_fields=["columns", "title"])
    answer.rows = rows
    answer.save(update_fields=["rows"])
    return answer
