"""A typed table on a small form of its own (a PCT's "Schemes and their budgets", columns of
every number type, a date and a worked-out cost), as the person editing it sees it: a date
typed in its one box is kept and shown back, a save keeps the dates already there, every wrong
cell is flagged at once (with and without the page's script), the worked-out column is
formatted as money, and the PDF, the Word export, the JSON export and the signed content
carry the cells as the PDF prints them or as stored."""

import io
import shutil
import subprocess
from html.parser import HTMLParser

import docx
import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consortia.models import User
from plans import history, selectors, services, structured, word_import
from plans.content import PlanContent
from plans.errors import AnswerInvalid
from plans.exports import plan_record
from plans.kinds.base import MAX_ROWS
from signoff.canonical import canonical_v2
from signoff.word_export import plan_docx
from tests.factories import UserFactory
from tests.integration.signoff.pdf_helpers import draft_pdf
from tests.plan_factories import pct_lead, plan_with_questions
from tests.services import require

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
JSON = {"HTTP_ACCEPT": "application/json"}
KEY = "practices"  # the small form's table question, given the schemes' columns here
PREFIX = f"q-{KEY}"
SCHEMES = [
    {"key": "scheme", "label": "Scheme"},
    {"key": "budget", "label": "Budget (£)", "type": "money", "total": "sum"},
    {"key": "uplift", "label": "Uplift (%)", "type": "percent"},
    {"key": "starts", "label": "Start date", "type": "date"},
    {"key": "patients", "label": "Patients expected", "type": "whole", "total": "sum"},
    {"key": "projected", "label": "Projected cost (£)", "type": "money",
     "formula": "budget + budget * uplift / 100", "total": "sum"},
]  # fmt: skip
FALLS = {"scheme": "Falls service", "budget": "12500", "uplift": "2.5", "starts": "1/4/2008",
         "patients": "40"}  # fmt: skip
DIABETES = {"scheme": "Diabetes clinic", "budget": "3300.55", "uplift": "0",
            "starts": "2008-10-01", "patients": "60"}  # fmt: skip


@pytest.fixture
def schemes(client):
    plan = plan_with_questions(questions=4)
    answer = plan.answers.select_related("question", "plan").get(question__key=KEY)
    question = answer.question
    question.title, question.columns = "Schemes and their budgets", SCHEMES
    question.save(update_fields=["title", "columns"])
    answer.rows = []
    answer.save(update_fields=["rows"])
    editor = UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium)
    client.force_login(editor)
    return answer, editor


def edit_url(answer) -> str:
    return reverse("answer_edit", args=[answer.plan_id, KEY])


def fields(rows: list[dict]) -> dict:
    """The table's inputs as the page posts them."""
    data = {f"{PREFIX}-rows": str(len(rows))}
    for i, row in enumerate(rows):
        data.update({f"{PREFIX}-rows[{i}].{key}": value for key, value in row.items()})
    return data


def post(client, answer, data: dict, **extra):
    answer.refresh_from_db()
    return client.post(
        edit_url(answer), {f"{PREFIX}-base_version": answer.version, **data}, **extra
    )


def save(client, answer, *rows: dict) -> None:
    response = post(client, answer, fields(list(rows)))
    assert response.status_code == 302, response.content.decode()[:2000]
    answer.refresh_from_db()


class Inputs(HTMLParser):
    """The values a form's text inputs, hidden inputs and lists hold, by name: what a person
    sees in them and what the browser sends back when they save."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self.attributes: dict[str, dict] = {}
        self._select = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name") or ""
        if tag == "input" and attrs.get("type") in ("text", "hidden") and name:
            self.values[name] = attrs.get("value") or ""
            self.attributes[name] = attrs
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = ""


def inputs(html: str) -> Inputs:
    parser = Inputs()
    parser.feed(html)
    return parser


def page(client, answer) -> str:
    response = client.get(edit_url(answer))
    assert response.status_code == 200
    return response.content.decode()


def words(text: str) -> str:
    return " ".join(text.split())


# --- 1. dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored", "boxed"),
    [
        ("1/4/2008", "2008-04-01", "01/04/2008"),
        ("31 March 2009", "2009-03-31", "31/03/2009"),
        ("2008-10-01", "2008-10-01", "01/10/2008"),
    ],
)
def test_a_date_typed_in_its_one_box_is_saved_and_shown_back_as_the_uk_writes_it(
    client, schemes, typed, stored, boxed
):
    answer, _ = schemes

    save(client, answer, {**FALLS, "starts": typed})

    assert answer.rows[0]["starts"] == stored
    box = inputs(page(client, answer))
    assert box.values[f"{PREFIX}-rows[0].starts"] == boxed
    # A box for a date, not for a number, with its example beside it.
    assert "inputmode" not in box.attributes[f"{PREFIX}-rows[0].starts"]
    assert "For example, 01/10/2008" in page(client, answer)


def test_saving_the_table_as_shown_keeps_the_dates_a_csv_import_stored(client, schemes):
    answer, editor = schemes
    services.table_rows_import(
        answer=answer,
        user=editor,
        base_version=answer.version,
        data=b"Scheme,Budget (\xc2\xa3),Start date\r\nFalls service,12500,2009-04-01\r\n"
        b"Diabetes clinic,3300,31/03/2009\r\n",
    )
    answer.refresh_from_db()
    assert [row["starts"] for row in answer.rows] == ["2009-04-01", "2009-03-31"]

    shown = inputs(page(client, answer)).values
    assert shown[f"{PREFIX}-rows[0].starts"] == "01/04/2009"
    # The person changes a scheme's name only and saves what the page shows.
    posted = {name: value for name, value in shown.items() if name.startswith(f"{PREFIX}-rows")}
    posted[f"{PREFIX}-rows[0].scheme"] = "Falls prevention service"
    response = post(client, answer, posted)

    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.rows[0]["scheme"] == "Falls prevention service"
    assert [row["starts"] for row in answer.rows] == ["2009-04-01", "2009-03-31"]


def test_money_and_dates_come_back_as_typed_and_saving_them_unchanged_changes_nothing(
    client, schemes
):
    answer, _ = schemes
    save(client, answer, {**FALLS, "budget": "£1,234.50", "starts": "1/10/2008"})
    stored = answer.rows

    shown = inputs(page(client, answer)).values
    save(client, answer, {key: shown[f"{PREFIX}-rows[0].{key}"] for key in FALLS})

    assert shown[f"{PREFIX}-rows[0].budget"] == "1,234.50"
    assert shown[f"{PREFIX}-rows[0].starts"] == "01/10/2008"
    assert answer.rows == stored
    assert (stored[0]["budget"], stored[0]["starts"]) == ("1234.5", "2008-10-01")


def test_a_percent_comes_back_as_typed_not_as_stored_and_saving_it_keeps_the_figure(
    client, schemes
):
    answer, _ = schemes
    save(client, answer, FALLS, DIABETES)
    # Written as an older save or a file loaded by hand left them, not as a save writes them.
    rows = [{**answer.rows[0], "uplift": "12.5000"}, {**answer.rows[1], "uplift": "1250"}]
    type(answer).objects.filter(pk=answer.pk).update(rows=rows)

    shown = inputs(page(client, answer)).values
    boxes = [shown[f"{PREFIX}-rows[{i}].uplift"] for i in range(2)]
    save(
        client,
        answer,
        *({key: shown[f"{PREFIX}-rows[{i}].{key}"] for key in FALLS} for i in range(2)),
    )

    assert boxes == ["12.5", "1,250"]
    assert [row["uplift"] for row in answer.rows] == ["12.5", "1250"]


def refused_on_cell(client, answer, column: str, typed: str) -> str:
    """Post ``typed`` in the first row's ``column``: it is refused on that cell, kept as typed
    to correct, and nothing is saved. Returns the page."""
    before = answer.version

    response = post(client, answer, fields([{**FALLS, column: typed}]))

    html = response.content.decode()
    cell = f"{PREFIX}-rows[0].{column}"
    assert response.status_code == 400
    assert f'id="{cell}-error"' in html
    assert inputs(html).values[cell] == typed
    answer.refresh_from_db()
    assert answer.version == before
    return html


def test_a_date_that_does_not_exist_is_refused_on_its_cell_and_nothing_is_saved(client, schemes):
    answer, _ = schemes

    html = refused_on_cell(client, answer, "starts", "31/02/2008")

    assert f'<a href="#{PREFIX}-rows[0].starts">Start date must be a real date' in html


def test_money_with_a_fraction_of_a_penny_is_refused_on_its_cell_and_a_finer_percent_kept(
    client, schemes
):
    answer, editor = schemes
    before = answer.version

    html = refused_on_cell(client, answer, "budget", "£12,500.005")

    assert (
        f'<a href="#{PREFIX}-rows[0].budget">Budget (£) has more than 2 decimal places. '
        "Enter an amount in pounds and pence, like 1,500.25.</a>"
    ) in html
    # A percentage is not money: its places are its own (up to six).
    with pytest.raises(AnswerInvalid, match="pounds and pence"):
        services.answer_save(
            answer=answer, user=editor, base_version=before, rows=[{**FALLS, "budget": "0.001"}]
        )
    save(client, answer, {**FALLS, "uplift": "2.555"})
    assert answer.rows[0]["uplift"] == "2.555"


# --- 2. every wrong cell at once ---------------------------------------------------------------

WRONG = {**FALLS, "budget": "abc", "patients": "12.5"}
BUDGET, PATIENTS = f"{PREFIX}-rows[0].budget", f"{PREFIX}-rows[0].patients"


def test_every_wrong_cell_is_flagged_by_its_cell_and_in_the_error_summary_at_once(client, schemes):
    answer, _ = schemes

    response = post(client, answer, fields([DIABETES, WRONG]))

    html = response.content.decode()
    budget, patients = BUDGET.replace("[0]", "[1]"), PATIENTS.replace("[0]", "[1]")
    assert response.status_code == 400
    for cell in (budget, patients):
        assert f'id="{cell}-error"' in html
    start = html.index('class="nhsuk-error-summary"')
    summary = html[start : html.index("</ul>", start)]
    assert f'<a href="#{budget}">Budget (£) must be a number' in summary
    whole = "Patients expected must be a whole number, like 1500."
    assert f'<a href="#{patients}">{whole}</a>' in summary


def test_every_wrong_cell_is_named_in_the_scripts_json_reply(client, schemes):
    answer, _ = schemes

    response = post(client, answer, fields([WRONG]), **JSON)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [BUDGET, PATIENTS]
    assert errors[PATIENTS] == [{"message": "Patients expected must be a whole number, like 1500."}]


# --- 3. the worked-out column ------------------------------------------------------------------


def test_the_worked_out_column_shows_money_in_the_editor_as_its_total_does(client, schemes):
    answer, _ = schemes
    save(client, answer, FALLS, DIABETES)

    html = page(client, answer)

    assert answer.rows[0]["projected"] == "12812.5"
    assert "£12,812.50" in html and "£3,300.55" in html and "£16,113.05" in html
    assert ">12812.5<" not in html and ">3300.55<" not in html


# --- 4. the printed table: PDF, Word, JSON and the signed content --------------------------------

PRINTED = [
    ["Scheme", "Budget (£)", "Uplift (%)", "Start date", "Patients expected",
     "Projected cost (£)"],
    ["Falls service", "£12,500.00", "2.50%", "1 April 2008", "40", "£12,812.50"],
    ["Diabetes clinic", "£3,300.55", "0%", "1 October 2008", "60", "£3,300.55"],
    ["Total", "£15,800.55", "", "", "100", "£16,113.05"],
]  # fmt: skip


def pdf_lines(plan) -> list[str]:
    pdftotext = shutil.which("pdftotext")
    require(bool(pdftotext), "pdftotext reads the PDF as laid out")
    rendered = draft_pdf(plan)
    text = subprocess.run(
        [pdftotext, "-layout", "-", "-"], input=rendered.pdf, capture_output=True, check=True
    ).stdout.decode()
    return [words(line) for line in text.splitlines()]


def test_the_draft_pdf_prints_each_cell_by_its_type_and_the_totals(client, schemes):
    answer, _ = schemes
    save(client, answer, FALLS, DIABETES)

    lines = pdf_lines(answer.plan)
    for row in PRINTED[1:]:
        assert any(all(cell in line for cell in row if cell) for line in lines), row


def test_the_word_export_prints_cells_and_the_totals_row_as_the_pdf_does(schemes):
    answer, editor = schemes
    answer.rows = [{**FALLS, "starts": "2008-04-01"}, {**DIABETES, "projected": ""}]
    answer.rows = structured.kind_for(answer.question).clean(
        answer.rows, context=selectors.kind_context(answer.plan)
    )
    answer.save(update_fields=["rows"])

    document = docx.Document(io.BytesIO(plan_docx(plan=answer.plan, user=editor)))

    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Scheme")
    assert [[cell.text for cell in row.cells] for row in table.rows] == PRINTED


# A money column with pence in one cell: every cell and its total show pence (decision 0493).
NO_PENCE = {**FALLS, "uplift": "0"}  # its budget and worked-out cost whole pounds
MIXED_COLUMNS = [
    ["Falls service", "£12,500.00", "0%", "1 April 2008", "40", "£12,500.00"],
    ["Diabetes clinic", "£3,300.55", "0%", "1 October 2008", "60", "£3,300.55"],
    ["Total", "£15,800.55", "", "", "100", "£15,800.55"],
]  # fmt: skip


def test_a_money_column_with_pence_in_one_cell_shows_pence_in_every_cell_and_its_total(
    client, schemes
):
    """The editor's worked-out cells and totals, the read-only table (the plan's reviewer and
    the PDF), and the Word export print "£12,500.00" over "£3,300.55", never "£12,500"."""
    answer, editor = schemes
    save(client, answer, NO_PENCE, DIABETES)

    editing = words(page(client, answer))
    assert "£12,500.00" in editing and "£15,800.55" in editing
    assert "£12,500<" not in editing

    client.force_login(
        UserFactory(role=User.Role.PCT_LEAD, commissioner=answer.plan.consortium.commissioner)
    )
    reading = words(
        client.get(reverse("part_detail", args=[answer.plan_id, "one"])).content.decode()
    )
    assert 'name="q-practices-rows' not in reading  # the read-only table, not the editor
    assert "£12,500.00</span>" in reading and "£12,500</span>" not in reading

    lines = pdf_lines(answer.plan)
    for row in MIXED_COLUMNS:
        assert any(all(cell in line for cell in row if cell) for line in lines), row
    assert not any("£12,500 " in f"{line} " for line in lines)

    document = docx.Document(io.BytesIO(plan_docx(plan=answer.plan, user=editor)))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Scheme")
    assert [[cell.text for cell in row.cells] for row in table.rows][1:] == MIXED_COLUMNS


def test_a_money_column_without_pence_prints_whole_pounds_as_before(client, schemes):
    answer, editor = schemes
    save(client, answer, NO_PENCE, {**DIABETES, "budget": "3300"})

    document = docx.Document(io.BytesIO(plan_docx(plan=answer.plan, user=editor)))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Scheme")
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert [row[1] for row in cells[1:]] == ["£12,500", "£3,300", "£15,800"]


def test_the_json_export_and_the_signed_content_hold_the_date_as_stored(client, schemes):
    answer, _ = schemes
    save(client, answer, FALLS)

    record = plan_record(answer.plan)
    exported = next(
        question["answer"]
        for part in record["parts"]
        for question in part["questions"]
        if question["key"] == KEY
    )
    signed = next(
        q for q in canonical_v2(PlanContent.of(answer.plan))["questions"] if q["key"] == KEY
    )

    assert exported["rows"][0]["starts"] == "2008-04-01"
    assert signed["rows"] == [["Falls service", "12500", "2.5", "2008-04-01", "40", "12812.5"]]


def test_the_word_export_of_a_typed_table_imports_back_to_the_same_rows(schemes):
    answer, editor = schemes
    context = selectors.kind_context(answer.plan)
    kind = structured.kind_for(answer.question)
    answer.rows = kind.clean([{**FALLS}, {**DIABETES}], context=context)
    answer.save(update_fields=["rows"])
    empty = services.plan_create(
        consortium=answer.plan.consortium,
        template=answer.plan.template,
        period="2008/09",
        title="Empty",
    )

    preview = word_import.word_import_preview(
        plan=empty,
        user=editor,
        filename="export.docx",
        data=plan_docx(plan=answer.plan, user=editor),
    )

    proposal = next(p for p in word_import.proposals(empty, preview) if p.question.key == KEY)
    assert proposal.rows[0]["budget"] == "£12,500.00"  # as printed, with no totals row
    assert len(proposal.rows) == 2
    assert kind.clean(proposal.rows, context=context) == answer.rows


# --- 5. changes listed as the page prints the cells ----------------------------------------------

AGREED = {"key": "agreed", "label": "Agreed", "type": "yes_no"}
BEFORE = {**FALLS, "budget": "900", "starts": "1/3/2027", "agreed": "no"}
TYPED = {**FALLS, "budget": "£1,234.50", "starts": "1/4/2027", "agreed": "yes"}
#: how the cells TYPED changes are stored, none of which the lists of changes may show
STORED = ("1234.5", "1265.3625", "2027-04-01", ">yes<", "| yes")


@pytest.fixture
def agreed_schemes(schemes):
    answer, editor = schemes
    answer.question.columns = [*SCHEMES, AGREED]
    answer.question.save(update_fields=["columns"])
    return answer, editor


def test_the_clash_box_lists_both_changes_as_the_page_prints_the_cells(client, agreed_schemes):
    answer, _ = agreed_schemes
    save(client, answer, {**BEFORE, "budget": "1000"})
    started_from = answer.version
    save(client, answer, BEFORE)  # saved meanwhile, in another window

    response = client.post(
        edit_url(answer), {f"{PREFIX}-base_version": started_from, **fields([TYPED])}, **JSON
    )

    box = words(response.json()["conflict"]["html"])
    assert response.status_code == 409
    assert "£900" in box and "£1,234.50" in box and "£1,265.36" in box
    assert "1 March 2027" in box and "1 April 2027" in box
    assert "Falls service | £900 | 2.50% | 1 March 2027 | 40 | £922.50 | No" in box
    assert "Falls service | £1,234.50 | 2.50% | 1 April 2027 | 40 | £1,265.36 | Yes" in box
    assert not [stored for stored in STORED if stored in box]


def test_the_restore_page_lists_the_changes_as_the_page_prints_the_cells(client, agreed_schemes):
    answer, _ = agreed_schemes
    save(client, answer, TYPED)
    typed = history.revision_at_version(answer, answer.version)
    save(client, answer, BEFORE)

    response = client.get(reverse("answer_restore", args=[answer.plan_id, KEY, typed.history_id]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "added: </span>£1,234.50</ins>" in html
    assert "added: </span>1 April 2027</ins>" in html
    assert "added: </span>Yes</ins>" in html
    assert "removed: </span>£922.50</del>" in html
    assert not [stored for stored in STORED if stored in html]


@pytest.mark.parametrize("typed", ["£1,234,567.89", "£ 1,234,567.89", "£\u00a01,234,567.89"])
def test_a_money_cell_typed_with_the_pound_sign_its_box_shows_is_saved_as_without_it(
    client, schemes, typed
):
    answer, _ = schemes

    response = post(client, answer, fields([{**FALLS, "budget": typed}]), **JSON)

    assert response.status_code == 200, response.content.decode()
    assert response.json()["rows"][0]["budget"] == "1234567.89"
    assert inputs(page(client, answer)).values[BUDGET] == "1,234,567.89"
    save(client, answer, {**FALLS, "budget": typed})
    assert answer.rows[0]["budget"] == "1234567.89"


# --- 6. the figures of the rows as typed, for the page's script ----------------------------------


def test_the_figures_of_rows_as_typed_are_worked_out_without_saving_them(client, schemes):
    """What the script shows as a table is typed: its worked-out cells and totals for the rows
    on the page, never the saved rows' (a new plan's "£0"), and nothing saved."""
    answer, _ = schemes
    data = {**fields([FALLS, DIABETES]), "figures-as-typed": "1"}

    response = post(client, answer, data, **JSON)

    assert response.status_code == 200
    shown = response.json()["figures"][KEY]
    assert "£12,812.50" in shown["rows.0.projected"]
    assert "£15,800.55" in shown["total-2"] and "£16,113.05" in shown["total-6"]
    answer.refresh_from_db()
    assert (answer.version, answer.rows) == (0, [])

    refused = post(client, answer, {**data, f"{PREFIX}-rows[0].budget": "abc"}, **JSON)
    assert refused.status_code == 200
    assert not any(name.startswith("total-") for name in refused.json()["figures"][KEY])
    answer.refresh_from_db()
    assert answer.version == 0

    # Asked only by a person who may save the answer, as a save is.
    client.force_login(
        UserFactory(role=User.Role.PCT_LEAD, commissioner=answer.plan.consortium.commissioner)
    )
    assert post(client, answer, data, **JSON).status_code == 403


# --- 7. what a request reads of the plan ---------------------------------------------------------


def standings_reads(client, answer, rows: list[dict], *, base_version: int, **extra):
    """The response's status and how many of its queries read the practices' participation
    standings (plans.selectors.practice_standings): the costly part of what a table's kind
    knows of its plan, which one request needs once however many steps use it."""
    data = {f"{PREFIX}-base_version": base_version, **fields(rows)}
    with CaptureQueriesContext(connection) as captured:
        status = client.post(edit_url(answer), data, **extra).status_code
    reads = [
        query["sql"]
        for query in captured.captured_queries
        if '"consortia_practice"' in query["sql"] and '"plans_participation"' in query["sql"]
    ]
    return status, len(reads)


@pytest.mark.parametrize(
    ("posted", "status", "extra"),
    [
        ("an in-page save", 200, JSON),
        ("a page save with a wrong cell", 400, {}),
        ("a save that clashes, drawn on the page", 409, {}),
    ],
)
def test_a_table_save_reads_the_practices_standings_once_whatever_it_answers(
    client, schemes, posted, status, extra
):
    answer, _ = schemes
    started_from = answer.version
    if posted == "a save that clashes, drawn on the page":
        save(client, answer, DIABETES)  # saved meanwhile, in another window
    rows = [WRONG] if posted == "a page save with a wrong cell" else [FALLS]

    reads = standings_reads(client, answer, rows, base_version=started_from, **extra)

    assert reads == (status, 1)


def test_a_table_of_six_columns_at_its_200_rows_is_saved_whole(client, schemes):
    # 1,200 cells: more inputs than Django takes by default (1,000), refused as "too many
    # fields" before any view could read them.
    answer, _ = schemes
    rows = [{**FALLS, "scheme": f"Scheme {i}", "projected": ""} for i in range(1, MAX_ROWS + 1)]

    save(client, answer, *rows)

    assert len(answer.rows) == MAX_ROWS
    assert answer.rows[-1]["scheme"] == "Scheme 200"
    assert inputs(page(client, answer)).values[f"{PREFIX}-rows[199].scheme"] == "Scheme 200"


def test_a_post_of_more_inputs_than_any_form_draws_is_refused_in_words(client, schemes, settings):
    answer, _ = schemes
    rows = [{"scheme": str(i)} for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)]

    response = post(client, answer, fields(rows))

    assert response.status_code == 400
    assert "<h1>What you sent has too many fields</h1>" in response.content.decode()
    answer.refresh_from_db()
    assert answer.rows == []


# --- a cell written over lines -----------------------------------------------------------------

FALLS_IN_LINES = "Falls service, in three parts:\n- home visits\n- exercise classes"


def text_areas(html: str) -> dict[str, str]:
    """The text areas of a page by name, with the text a person sees in them and the browser
    sends back (their lines kept, as a one-line box's are not)."""
    document = lxml.html.document_fromstring(html)
    return {area.get("name"): area.text_content() for area in document.iter("textarea")}


def test_a_cell_written_over_lines_is_edited_in_a_text_area_in_every_row_and_saved_as_it_was(
    client, schemes
):
    answer, _ = schemes
    save(client, answer, {**FALLS, "scheme": FALLS_IN_LINES.replace("\n", "\r\n")}, DIABETES)
    stored = answer.rows
    assert stored[0]["scheme"] == FALLS_IN_LINES

    html = page(client, answer)
    areas, boxes = text_areas(html), inputs(html).values
    assert areas[f"{PREFIX}-rows[0].scheme"] == FALLS_IN_LINES
    assert areas[f"{PREFIX}-rows[1].scheme"] == "Diabetes clinic"
    assert f"{PREFIX}-rows[0].scheme" not in boxes
    assert boxes[f"{PREFIX}-rows[0].budget"] == "12,500.00"

    # Saved again as the page shows it, the text areas' lines sent as a browser sends them.
    shown = {**boxes, **{name: text.replace("\n", "\r\n") for name, text in areas.items()}}
    response = post(client, answer, {k: v for k, v in shown.items() if k.startswith(PREFIX)})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.rows == stored


def test_a_cell_written_over_lines_is_printed_on_its_lines_on_the_page_and_in_the_pdf(
    client, schemes
):
    answer, _ = schemes
    save(client, answer, {**FALLS, "scheme": FALLS_IN_LINES}, DIABETES)
    client.force_login(pct_lead(answer.plan.consortium.commissioner))

    response = client.get(reverse("part_detail", args=[answer.plan_id, "one"]))
    table = lxml.html.document_fromstring(response.content).xpath(
        f"//table[caption/@id='table-{KEY}-caption']"
    )[0]
    cell = table.xpath(".//tbody//td")[0]
    assert lxml.html.tostring(cell, encoding="unicode").count("<br>") == 2
    assert cell.text_content() == FALLS_IN_LINES.replace("\n", "")

    lines = pdf_lines(answer.plan)
    at = next(i for i, line in enumerate(lines) if line.startswith("Falls service, in"))
    assert lines[at + 1].startswith("- home visits"), lines[at : at + 3]
    assert lines[at + 2].startswith("- exercise classes"), lines[at : at + 3]


def test_a_word_changed_in_a_cell_written_over_lines_is_shown_as_that_word_in_its_history(
    client, schemes
):
    answer, _ = schemes
    written = f"{FALLS_IN_LINES}\n- a falls clinic held in turn at each practice"
    save(client, answer, {**FALLS, "scheme": written})
    save(client, answer, {**FALLS, "scheme": written.replace("home", "weekly home")})
    changed = history.revision_at_version(answer, answer.version)

    response = client.get(
        reverse("question_history", args=[answer.plan_id, KEY]) + f"?to={changed.history_id}"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "added: </span>weekly<span" in html
    assert "(end of addition)</span></ins> home visits" in html
    assert "removed: </span>Falls service" not in html
