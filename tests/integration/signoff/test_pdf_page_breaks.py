"""The printed plan keeps each question's heading with what follows it: no page of the BANES
and DacCom demo plans' PDFs ends on a question's heading or the line under it."""

import re
import shutil
import subprocess

import pytest

from plans.models import Plan
from signoff import pdf
from signoff.canonical import content_sha256
from tests.plan_factories import demo_daccom_plan
from tests.services import require

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
# What pdftotext reads in a page's margins: the running header and the footer.
MARGIN = re.compile(r"Page \d+ of \d+|Printed by PBC Plans|DRAFT: not")


def body_lines(page: str, running_header: str) -> list[str]:
    lines = [" ".join(line.split()) for line in page.splitlines()]
    return [line for line in lines if line and not MARGIN.search(line) and line != running_header]


@pytest.mark.parametrize("form", ["banes-plan", "daccom-locality-plan-2006"])
def test_no_page_of_a_demo_plans_pdf_ends_on_a_question_heading(form):
    pdftotext = shutil.which("pdftotext")
    require(bool(pdftotext), "pdftotext reads the PDF page by page")
    demo_daccom_plan()
    plan = Plan.objects.select_related("consortium").get(template__slug=form)
    rendered = pdf.render_plan_pdf(plan=plan, signatures=[], content_sha256=content_sha256(plan))
    pages = (
        subprocess.run([pdftotext, "-", "-"], input=rendered.pdf, capture_output=True, check=True)
        .stdout.decode()
        .split("\f")
    )
    headings = [
        " ".join(f"{question.number} {question.title}".split())
        for question in plan.template.questions.all()
    ]
    running_header = f"{plan.consortium.name} · {plan.title}"

    stranded = []
    for number, page in enumerate(pages[:-1], 1):
        lines = body_lines(page, running_header)
        tail = " ".join(lines[-3:])
        if lines[-1].startswith("For completion by") or any(
            tail.endswith(heading) for heading in headings
        ):
            stranded.append(f"page {number} ends: …{tail[-120:]}")
    assert rendered.page_count > 8
    assert stranded == []
