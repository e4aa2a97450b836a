"""A table in the printed plan keeps every column on the page whatever its cells hold: a
word too long for its column breaks inside its cell, and no heading or figure is lost. The
signed PDF is what a regulator reads, and it verifies as unaltered, so a column laid off the
page would be a figure missing from the record."""

import shutil
import subprocess
from datetime import UTC, datetime

import pytest

from plans import selectors, structured
from signoff import pdf
from tests.plan_factories import plan_with_questions
from tests.services import require

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
KEY = "practices"  # the small form's table question, given BANES-style typed columns here
COLUMNS = [
    {"key": "area", "label": "Area"},
    {"key": "starts", "label": "Start date", "type": "date"},
    {"key": "gross", "label": "Gross (£)", "type": "money", "total": "sum"},
    {"key": "income", "label": "Income (£)", "type": "money", "total": "sum"},
    {"key": "net", "label": "Net (£)", "type": "money", "formula": "gross - income",
     "total": "sum"},
    {"key": "share", "label": "Share (%)", "type": "percent"},
    {"key": "agreed", "label": "Agreed", "type": "yes_no"},
    {"key": "status", "label": "Status", "type": "choice",
     "options": ["Planned", "Started", "Finished"]},
    {"key": "notes", "label": "Notes", "type": "long_text"},
]  # fmt: skip
LONG_WORD = "FallsPreventionAndBoneHealthPathwayPhaseTwoCommunityService"
ENDLESS_WORD = "Pathway" * 45 + "Phases"  # 321 letters, no space to break at


def rows(long_word: str) -> list[dict]:
    return [
        {"area": long_word, "starts": "2008-04-01", "gross": "12500", "income": "2500",
         "share": "2.5", "agreed": "yes", "status": "Started", "notes": "Weekly clinics"},
        {"area": "Bath", "starts": "2008-10-01", "gross": "3300.55", "income": "300",
         "share": "40", "agreed": "no", "status": "Planned", "notes": long_word},
    ]  # fmt: skip


#: every heading and figure the table prints, each of which must be on the page
PRINTED = [
    "Area", "Start date", "Gross (£)", "Income (£)", "Net (£)", "Share (%)", "Agreed", "Status",
    "Notes", "1 April 2008", "£12,500", "£2,500", "£10,000", "2.50%", "Yes", "Started",
    "Weekly clinics", "1 October 2008", "£3,300.55", "£300", "£3,000.55", "40%", "No",
    "Planned", "£15,800.55", "£2,800", "£13,000.55",
]  # fmt: skip


@pytest.fixture
def table_answer():
    plan = plan_with_questions(questions=4)
    answer = plan.answers.select_related("question", "plan").get(question__key=KEY)
    answer.question.columns = COLUMNS
    answer.question.save(update_fields=["columns"])
    return answer


def printed_text(plan) -> str:
    pdftotext = shutil.which("pdftotext")
    require(bool(pdftotext), "pdftotext reads the PDF as laid out")
    rendered = pdf.render_plan_pdf(
        plan=plan,
        signatures=[],
        content_sha256="0" * 64,
        draft=pdf.DraftMark(generated_at=datetime.now(UTC), revision=1),
    )
    return subprocess.run(
        [pdftotext, "-layout", "-", "-"], input=rendered.pdf, capture_output=True, check=True
    ).stdout.decode()


@pytest.mark.parametrize("long_word", [LONG_WORD, ENDLESS_WORD])
def test_a_table_with_a_word_longer_than_its_column_prints_every_heading_and_figure(
    table_answer, long_word
):
    answer = table_answer
    answer.rows = structured.kind_for(answer.question).clean(
        rows(long_word), context=selectors.kind_context(answer.plan)
    )
    answer.save(update_fields=["rows"])

    text = printed_text(answer.plan)

    # A cell's words may wrap onto lines of their own, so each word is looked for.
    words = set(text.split())
    assert [figure for figure in PRINTED if not set(figure.split()) <= words] == []
