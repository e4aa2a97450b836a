"""Every demo plan's tables, on PostgreSQL (whose jsonb reorders a row's keys), print each cell
under its own heading: on the editor's part page, in the PCT lead's read-only view, in the draft
PDF and in the JSON export."""

import json
import re
from html.parser import HTMLParser
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from consortia.models import User
from plans.models import Answer, Plan, QuestionKind
from tests import demo_data
from tests.integration.signoff.pdf_helpers import draft_pdf

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

EDITOR = "editor.{slug}@example.org"
LEAD = "lead.{slug}@example.org"


class Tables(HTMLParser):
    """Each table's caption, its column headings (from its head) and its body rows, a cell read
    as a person sees it: its text, the value of the input or the text of the text area in it,
    or the option chosen in it."""

    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self._section = ""
        self._cell: list[str] | None = None
        self._inputs: list[str] = []
        self._option: list[str] | None = None
        self._text_area: list[str] | None = None
        self._caption: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append({"caption": "", "headings": [], "rows": []})
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = tag
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and self.tables and self._section == "tbody":
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th"):
            self._cell, self._inputs = [], []
        elif tag == "input" and self._cell is not None and attrs.get("type") == "text":
            self._inputs.append(attrs.get("value") or "")
        elif tag == "option" and self._cell is not None and "selected" in attrs:
            self._option = []
        elif tag == "textarea" and self._cell is not None:
            self._text_area = []

    def handle_data(self, data):
        if self._option is not None:
            self._option.append(data)
        elif self._text_area is not None:
            self._text_area.append(data)
        elif self._cell is not None:
            self._cell.append(data)
        elif self._caption is not None:
            self._caption.append(data)

    def handle_endtag(self, tag):
        if tag == "caption" and self._caption is not None:
            self.tables[-1]["caption"] = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag == "option" and self._option is not None:
            self._inputs.append("".join(self._option))
            self._option = None
        elif tag == "textarea" and self._text_area is not None:
            self._inputs.append("".join(self._text_area))
            self._text_area = None
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = ""
        elif tag in ("td", "th") and self._cell is not None:
            # An input's value or a list's choice, not its hidden label, is what the cell holds.
            text = " ".join(" ".join(self._inputs or self._cell).split())
            table = self.tables[-1]
            if self._section == "thead":
                table["headings"].append(text)
            elif self._section == "tbody":
                table["rows"][-1].append(text)
            self._cell = None


def table_of(html: str, question) -> list[dict[str, str]]:
    """The body rows of the question's table on the page, each as {heading: cell}."""
    parser = Tables()
    parser.feed(html)
    caption = f"{question.number} {question.title}".strip()
    table = next(t for t in parser.tables if t["caption"].startswith(caption))
    headings = table["headings"]
    if headings[0] == "Row":  # the editor numbers its rows and ends each with its buttons
        headings = headings[1:-1]
        return [dict(zip(headings, row[1:-1], strict=True)) for row in table["rows"] if row]
    return [dict(zip(headings, row, strict=True)) for row in table["rows"] if row]


def as_typed(cell: str) -> str:
    """A cell with the thousands separators a number column shows taken out ("12,000" is
    the stored "12000"), so shown and stored cells compare."""
    return re.sub(r"(?<=\d),(?=\d{3}\b)", "", cell)


def expected(answer: Answer) -> list[dict[str, str]]:
    """The stored rows as {heading: cell}, read by column key."""
    columns = answer.question.columns
    return [
        {column["label"]: " ".join(str(row.get(column["key"], "")).split()) for column in columns}
        for row in answer.rows
    ]


def shown_as_typed(html: str, answer: Answer) -> list[dict[str, str]]:
    return [
        {heading: as_typed(cell) for heading, cell in row.items()}
        for row in table_of(html, answer.question)
    ]


def first_and_last(rows: list) -> list:
    return [rows[0], rows[-1]]


@pytest.fixture
def demo_tables():
    """(plan, answer) for every demo table with rows, read back from PostgreSQL."""
    demo_data.load_organisations_and_plans()
    answers = list(
        Answer.objects.filter(question__kind=QuestionKind.TABLE)
        .exclude(rows=[])
        .select_related("plan__consortium", "question__part")
        .order_by("plan_id", "question__position")
    )
    # The bug this guards against needs a row whose keys PostgreSQL holds in another order.
    assert any(
        list(row) != [c["key"] for c in answer.question.columns]
        for answer in answers
        for row in answer.rows
    )
    return answers


def page(client, email: str, answer: Answer) -> str:
    client.force_login(User.objects.get(email=email))
    response = client.get(reverse("part_detail", args=[answer.plan_id, answer.question.part.key]))
    assert response.status_code == 200
    return response.content.decode()


def test_every_demo_table_on_the_editors_part_page_has_its_cells_under_their_headings(
    client, demo_tables
):
    for answer in demo_tables:
        html = page(client, EDITOR.format(slug=answer.plan.consortium.slug), answer)

        assert first_and_last(shown_as_typed(html, answer)) == first_and_last(expected(answer)), (
            answer.plan.title,
            answer.question.number,
        )


def test_every_demo_table_in_the_pct_leads_read_only_view_has_its_cells_under_their_headings(
    client, demo_tables
):
    Plan.objects.update(status=Plan.Status.IN_REVIEW)
    for answer in demo_tables:
        lead = LEAD.format(slug=answer.plan.consortium.commissioner.slug)
        html = page(client, lead, answer)

        assert 'class="app-answer-readonly"' in html
        assert first_and_last(shown_as_typed(html, answer)) == first_and_last(expected(answer)), (
            answer.plan.title,
            answer.question.number,
        )


def test_every_demo_table_in_the_json_export_follows_its_columns(client, demo_tables):
    for answer in demo_tables:
        client.force_login(User.objects.get(email=EDITOR.format(slug=answer.plan.consortium.slug)))
        record = json.loads(client.get(reverse("plan_export_json", args=[answer.plan_id])).content)
        exported = next(
            question["answer"]
            for part in record["parts"]
            for question in part["questions"]
            if question["key"] == answer.question.key
        )
        keys = [column["key"] for column in answer.question.columns]

        for row, cells in zip(exported["rows"], exported["cells"], strict=True):
            assert list(row) == keys
            assert cells == [row[key] for key in keys]
        assert [list(row.values()) for row in first_and_last(exported["rows"])] == [
            [row.get(key, "") for key in keys] for row in first_and_last(answer.rows)
        ]


def words(text: str) -> str:
    return " ".join(text.split())


def in_column_order(text: str, headings: list[str], row: list[str]) -> bool:
    """Whether ``text`` has the headings in order, and after them the row's cells one after
    another in the same order (weasyprint writes a row cell by cell, each cell's lines
    together, so its words read in column order)."""
    at = 0
    for heading in headings:
        found = text.find(heading, at)
        if found < 0:
            return False
        at = found + len(heading)
    return words(" ".join(cell for cell in row if cell)) in text[at:]


def test_every_demo_table_in_the_draft_pdf_prints_its_rows_in_column_order(demo_tables):
    by_plan: dict[int, list[Answer]] = {}
    for answer in demo_tables:
        by_plan.setdefault(answer.plan_id, []).append(answer)
    for plan_answers in by_plan.values():
        plan = plan_answers[0].plan
        rendered = draft_pdf(plan)
        pages = PdfReader(BytesIO(rendered.pdf)).pages
        text = words("\n".join(page.extract_text() or "" for page in pages))
        for answer in plan_answers:
            question = answer.question
            heading = words(f"{question.number} {question.title}")
            section = text[text.find(heading) :] if heading in text else text
            labels = [column["label"] for column in question.columns]
            keys = [column["key"] for column in question.columns]
            for row in first_and_last(answer.rows):
                cells = [words(re.sub(r"<[^>]+>", "", str(row.get(key, "")))) for key in keys]
                assert in_column_order(as_typed(section), labels, cells), (
                    plan.title,
                    question.number,
                    cells,
                )
