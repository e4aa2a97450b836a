"""The plan as a Word document: it opens, mirrors the form, and imports back to the same answers."""

import io
import re
import shutil
import subprocess
from datetime import date

import docx
import pytest
from django.urls import reverse
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from pypdf import PdfReader

from consortia.models import User
from plans import participation, services, word_import
from plans.models import Plan
from plans.sanitise import clean_html, html_to_text
from signoff.models import Comment
from signoff.word_export import PROJECT_HEADINGS, plan_docx
from tests.factories import UserFactory
from tests.integration.signoff.pdf_helpers import (
    MONTHS,
    SAVINGS_BY_MONTH,
    figures,
    savings_rows,
    with_columns,
)
from tests.plan_factories import (
    demo_daccom_plan,
    demo_daccom_plan_with_comments,
    pct_lead,
    plan_with_questions,
)
from tests.review_factories import put_in_state, three_signatory_plan
from tests.services import require
from tests.word_documents import exported_into_an_empty_plan

pytestmark = pytest.mark.django_db


def words(markup: str) -> str:
    return " ".join(html_to_text(re.sub(r"<[^>]+>", " ", markup or "")).split())


def cells(rows) -> list[dict]:
    """The filled cells of the filled rows: a blank row is not written to Word."""
    return [{k: v for k, v in row.items() if v} for row in rows or [] if any(row.values())]


def opened(data: bytes):
    return docx.Document(io.BytesIO(data))


def laid_out_by_libreoffice(data: bytes, tmp_path, *options: str) -> tuple[str, bytes]:
    """The .docx laid out into pages by LibreOffice, as Word would: its text as pdftotext
    reads it (with ``options``), pages parted by form feeds, and the PDF."""
    soffice, pdftotext = shutil.which("soffice"), shutil.which("pdftotext")
    require(bool(soffice and pdftotext), "LibreOffice (soffice) and pdftotext lay out the .docx")
    source = tmp_path / "plan.docx"
    source.write_bytes(data)
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    laid_out = (tmp_path / "plan.pdf").read_bytes()
    text = subprocess.run(
        [pdftotext, *options, "-", "-"], input=laid_out, check=True, capture_output=True
    ).stdout.decode()
    return text, laid_out


def all_text(document) -> str:
    text = [p.text for p in document.paragraphs]
    for table in document.tables:
        text += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(text)


def test_the_demo_plan_exported_and_imported_into_an_empty_plan_gives_every_answer_back():
    demo = demo_daccom_plan()
    empty, _data, preview = exported_into_an_empty_plan(demo)
    found = {p.question.key: p for p in word_import.proposals(empty, preview)}
    checked = 0
    for answer in demo.answers.select_related("question"):
        question = answer.question
        if answer.is_empty:
            continue
        proposal = found.get(question.key)
        assert proposal is not None, question.key
        if question.kind == "table":
            assert cells(proposal.rows) == cells(answer.rows), question.key
        if question.has_text:
            assert words(proposal.text) == words(answer.text), question.key
        if question.kind in ("projects", "savings_target"):
            assert proposal.data == answer.data, question.key
        checked += 1
    assert checked >= 37
    # Nothing but the answers comes back: the form's words are left out, and the figures'
    # tables are listed as not imported, saying why.
    assert all(p.table and "is not imported" in p.reason for p in preview.pieces if not p.key)


BLOCK_TAGS = r"</?(?:p|ul|ol|li|h[1-6]|blockquote)\b[^>]*>"


def sanitised(markup: str) -> str:
    """Rich text as the allowlist keeps it, the line breaks between its blocks left out, and
    two bulleted lists one after the other as one (Word's bullets have no seam between them)."""
    spaced = " ".join(clean_html(markup).split())
    return re.sub(rf"\s*({BLOCK_TAGS})\s*", r"\1", spaced).replace("</ul><ul>", "")


def with_one_director_and_a_blank_row(plan):
    """Plan 1 as the walk left it: its 2.1 Directors table held one name and a blank row, so
    the exported table's first row "Name | Discipline" is half of its labels."""
    directors = plan.answers.get(question__key="directors")
    directors.rows = [{"name": "Dr Mary McMinn", "discipline": "Finance"}, {}]
    directors.save()
    return plan


def test_the_export_imported_into_a_plan_of_the_same_form_puts_every_answer_back_in_place():
    demo = with_one_director_and_a_blank_row(demo_daccom_plan())
    editor = UserFactory(consortium=demo.consortium)
    empty = services.plan_create(
        consortium=demo.consortium, template=demo.template, period="2008/09", title="Empty"
    )
    preview = word_import.word_import_preview(
        plan=empty, user=editor, filename="export.docx", data=plan_docx(plan=demo, user=editor)
    )
    answered = {a.question.key: a for a in demo.answers.select_related("question")}
    answered = {key: a for key, a in answered.items() if not a.is_empty}
    found = {p.question.key: p for p in word_import.proposals(empty, preview)}
    assert set(found) == set(answered)
    for key, answer in answered.items():
        proposal = found[key]
        if answer.question.has_text:
            assert sanitised(proposal.text) == sanitised(answer.text), key
        if answer.question.kind == "table":
            assert cells(proposal.rows) == cells(answer.rows), key
    directors = [p for p in preview.pieces if p.table and p.table[0] == ["Name", "Discipline"]]
    assert [p.key for p in directors] == ["directors", "executive-committee"]
    assert [p.heading for p in preview.pieces if not p.key and not p.table] == []


def test_a_directors_table_headed_name_is_offered_for_directors_not_poured_into_name():
    """As the walk met it: plan 1's export uploaded into the DacCom draft (plan 2)."""
    demo = with_one_director_and_a_blank_row(demo_daccom_plan())
    draft = Plan.objects.get(consortium=demo.consortium, template__slug="daccom-locality-plan-v2")
    editor = UserFactory(consortium=demo.consortium)
    preview = word_import.word_import_preview(
        plan=draft, user=editor, filename="plan.docx", data=plan_docx(plan=demo, user=editor)
    )
    named = [p for p in preview.pieces if p.key == "consortium-name"]
    assert [(p.heading, p.confidence, p.html) for p in named] == [
        ("Name", "high", "<p>DacCom PbC Limited</p>")
    ]
    directors = next(p for p in preview.pieces if p.key == "directors")
    assert directors.heading == "2.1 Directors"
    assert directors.table == [["Name", "Discipline"], ["Dr Mary McMinn", "Finance"]]
    result = word_import.word_import_apply(
        plan=draft,
        user=editor,
        preview=preview,
        choices=word_import.default_choices(draft, preview, editor),
    )
    assert not result.refused and not result.conflicts
    assert draft.answers.get(question__key="consortium-name").text == "<p>DacCom PbC Limited</p>"
    assert cells(draft.answers.get(question__key="directors").rows) == [
        {"name": "Dr Mary McMinn", "discipline": "Finance"}
    ]


def test_an_empty_table_in_the_export_is_not_offered_and_leaves_the_other_plans_rows_alone():
    demo = demo_daccom_plan()
    directors = demo.answers.get(question__key="directors")
    directors.rows = []
    directors.save()
    draft = Plan.objects.get(consortium=demo.consortium, template__slug="daccom-locality-plan-v2")
    editor = UserFactory(consortium=demo.consortium)
    preview = word_import.word_import_preview(
        plan=draft, user=editor, filename="plan.docx", data=plan_docx(plan=demo, user=editor)
    )
    assert [p.key for p in preview.pieces if "Discipline" in p.text] == ["executive-committee"]
    assert [p.key for p in preview.pieces if p.key == "consortium-name"] == ["consortium-name"]


def under_headings(table, first: str) -> dict[str, str]:
    """The row of ``table`` starting with ``first``: each of its cells under the heading of the
    column it starts in (a cell merged across columns, gridSpan, is one cell)."""
    headings = [cell.text for cell in table.rows[0].cells]
    for row in table.rows[1:]:
        cells = row.cells
        if not cells[0].text.startswith(first):
            continue
        found, seen = {}, set()
        for heading, cell in zip(headings, cells, strict=True):
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                found[heading] = cell.text
        return found
    raise AssertionError(f"No row starting {first!r} in the table headed {headings}")


def table_headed(document, *headings: str):
    return next(t for t in document.tables if [c.text for c in t.rows[0].cells][: len(headings)]
                == list(headings))  # fmt: skip


def test_daccom_totals_stand_under_their_own_headings_as_in_the_pdf():
    plan = demo_daccom_plan()
    lead = pct_lead(plan.consortium.commissioner)
    for practice in plan.consortium.practices.order_by("name")[:2]:
        participation.participation_record_written(
            plan=plan, practice=practice, confirmed_on=date(2006, 6, 1), user=lead
        )
    document = opened(plan_docx(plan=plan, user=lead))
    hours = table_headed(document, "Activity", "Worked out as", "Hours")
    assert under_headings(hours, "Total") == {"Activity": "Total", "Hours": "1,000 hours"}
    practices = table_headed(document, "Practice", "List size", "Participation")
    paid = under_headings(
        practices, "Paid direct to the practices, for the 2 practices that have confirmed"
    )
    assert list(paid) == ["Practice", "Paid direct to the practices"]
    assert paid["Paid direct to the practices"].startswith("£")
    projects = table_headed(document, *PROJECT_HEADINGS)
    assert under_headings(projects, "Total for project 1") == {
        "Project": "Total for project 1",
        "Planned saving": "£1,287,000",
    }
    assert under_headings(projects, "Total for project 5")["Planned saving"] == "£0"


def test_banes_weightings_stand_under_weighting_as_in_the_pdf():
    demo_daccom_plan()
    plan = Plan.objects.get(template__slug="banes-plan")
    document = opened(plan_docx(plan=plan, user=UserFactory(consortium=plan.consortium)))
    outcomes = table_headed(document, "Outcome", "Monitoring evidence", "Weighting")
    assert under_headings(outcomes, "1. Communication with practices") == {
        "Outcome": "1. Communication with practices",
        "Weighting": "5%",
    }
    assert under_headings(outcomes, "1.1 ")["Weighting"] == "1%"
    assert under_headings(outcomes, "Total (") == {
        "Outcome": "Total (5% + 5% + 20% + 40% + 30%)",
        "Weighting": "100%",
    }


def labelled(document, label: str) -> list[tuple[str, bool | None]]:
    """The runs, and whether each is bold, of the paragraph a summary list's ``label`` starts."""
    paragraph = next(p for p in document.paragraphs if p.text.startswith(f"{label}: "))
    return [(run.text, run.bold) for run in paragraph.runs]


def caption_of(table) -> tuple[str, str, str]:
    """The paragraph just before ``table``: its text and Caption-based style; and the table's
    own title (Word's Alt Text title)."""
    before = Paragraph(table._tbl.getprevious(), table._parent)
    title = table._tbl.tblPr.find(qn("w:tblCaption"))
    return before.text, before.style.base_style.name, title.get(qn("w:val"))


def test_daccom_summary_lists_keep_label_and_value_apart_and_captions_name_their_tables():
    plan = demo_daccom_plan()
    document = opened(plan_docx(plan=plan, user=UserFactory(consortium=plan.consortium)))
    assert labelled(document, "Hours allocated") == [
        ("Hours allocated: ", True),
        ("1,000 hours", False),
    ]
    assert labelled(document, "Not yet allocated") == [
        ("Not yet allocated: ", True),
        ("0 hours", False),
    ]
    des = "DES funding for a population of 150,000 at £1.90 a patient, if every practice took part"
    assert caption_of(table_headed(document, "Payment", "Share", "Amount")) == (
        des,
        "Caption",
        des,
    )
    projects = "Projects, targets and planned savings"
    assert caption_of(table_headed(document, *PROJECT_HEADINGS)) == (projects, "Caption", projects)


def test_the_self_assessment_keeps_each_levels_funding_apart_and_its_resources_a_list():
    demo_daccom_plan()
    plan = Plan.objects.get(template__slug="dacorum-pbc-framework-self-assessment")
    document = opened(plan_docx(plan=plan, user=UserFactory(consortium=plan.consortium)))
    assert labelled(document, "Funding for 150,000 patients")[:2] == [
        ("Funding for 150,000 patients: ", True),
        ("No sessional funding at this level", False),
    ]
    texts = [p.text for p in document.paragraphs]
    resources = texts.index("Resources at this level: ")
    assert texts[resources + 1 : resources + 3] == [
        "\u2022 PCT staff identified to support the PBC locality",
        "\u2022 PCT staff attend meetings of the PBC group",
    ]
    summary = "Summary: targets at each level by rating"
    assert caption_of(table_headed(document, "Level", "Targets")) == (summary, "Caption", summary)


def test_the_export_opens_and_mirrors_the_form_with_draft_on_a_draft():
    plan = demo_daccom_plan()
    document = opened(plan_docx(plan=plan, user=UserFactory(consortium=plan.consortium)))
    text = all_text(document)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "4. Commissioning Objectives" in headings
    assert "4.2 Services to be commissioned" in headings
    assert "7.1 How will overall accountability and governance be addressed?" in headings
    assert "For completion by DacCom and the PCT" in text  # who completes each question
    assert "Please specify what the evidence base is for each of the proposed changes:" in text
    assert "DRAFT" in document.sections[0].header.paragraphs[0].text
    assert "DRAFT" in text
    # Computed figures, from the plan's data: 4.2's total and share, 6.1's hours, 5.4's DES.
    assert "£2.68m (44%) of £6.106m" in text
    assert "£2,676,000" in text
    assert "Total Identified Savings: £6,106,000" in text
    # Tables in the question's column order, whatever order the stored row's keys are in.
    directors = next(
        t
        for t in document.tables
        if t.cell(0, 0).text == "Name" and t.cell(1, 0).text == "Mr Mark Jones"
    )
    assert [c.text for c in directors.rows[0].cells] == ["Name", "Discipline"]
    assert [c.text for c in directors.rows[1].cells] == ["Mr Mark Jones", "Company Secretary"]
    # Formatting kept: the answers' lists are Word lists.
    assert any(p.style.name == "List Bullet" for p in document.paragraphs)
    # The sign-off block names the three signatories, unsigned on a draft.
    for title in (
        "DacCom Executive Chair",
        "Joint PEC Commissioning Committee Chair",
        "PCT Chief Executive",
    ):
        assert title in text
    assert "Not signed" in text


def test_a_signed_plan_prints_its_signatures_and_no_draft_mark():
    plan = put_in_state(three_signatory_plan(), Plan.Status.SIGNED)
    reader = UserFactory(consortium=plan.consortium)
    document = opened(plan_docx(plan=plan, user=reader))
    text = all_text(document)
    assert "DRAFT" not in text
    assert document.sections[0].header.paragraphs[0].text == ""
    for signature in plan.signatures.all():
        assert signature.typed_name in text
    assert "Not signed" not in text


def test_review_comments_become_word_comments_on_their_passages_when_asked():
    plan = demo_daccom_plan_with_comments()
    lead = UserFactory(
        role=User.Role.PCT_LEAD, consortium=None, commissioner=plan.consortium.commissioner
    )
    without = opened(plan_docx(plan=plan, user=lead))
    assert len(list(without.comments)) == 0
    document = opened(plan_docx(plan=plan, user=lead, with_comments=True))
    comments = {c.text: c for c in document.comments}
    assert "YES strongly agree with this." in comments
    # Anchored to the passage it quotes, not to the whole question.
    anchored = _anchored_text(document, comments["YES strongly agree with this."].comment_id)
    assert "District Nursing and Health Visiting services" in anchored
    assert "On agreement of this plan" not in anchored


def _anchored_text(document, comment_id) -> str:
    body = document.element.body
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    ns = {"w": w}
    for paragraph in body.iter(f"{{{w}}}p"):
        starts = paragraph.findall(f".//w:commentRangeStart[@w:id='{comment_id}']", ns)
        if starts:
            return "".join(t.text or "" for t in paragraph.iter(f"{{{w}}}t"))
    return ""


def test_the_download_is_a_docx_for_anyone_who_may_see_the_plan(client):
    plan = demo_daccom_plan()
    client.force_login(UserFactory(consortium=plan.consortium))
    response = client.get(reverse("plan_word_export", args=[plan.pk]), {"comments": "1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == 'attachment; filename="daccom-pbc-plan-2006-07.docx"'
    assert opened(response.content).paragraphs
    client.force_login(UserFactory())
    assert client.get(reverse("plan_word_export", args=[plan.pk])).status_code == 404


def test_the_export_laid_out_by_libreoffice_reads_as_the_form(tmp_path):
    """Where LibreOffice is installed, the .docx is laid out into pages as Word would, and the
    pages carry the form's headings in order, the figures and the DRAFT mark."""
    plan = demo_daccom_plan()
    data = plan_docx(plan=plan, user=UserFactory(consortium=plan.consortium))
    pages = laid_out_by_libreoffice(data, tmp_path, "-layout")[0].split("\f")
    assert len(pages) > 10
    assert "DacCom Practice Based Commissioning Plan 2006/07" in pages[0]
    assert "DRAFT" in pages[0]
    text = " ".join(" ".join(pages).split())
    headings = [
        "4.1 Access and Quality Targets",
        "4.2 Services to be commissioned",
        "9.3 Reinvestment Proposals",
        "10 Plan sign-off",
    ]
    positions = [text.find(heading) for heading in headings]
    assert -1 not in positions and positions == sorted(positions)
    assert "£2.68m (44%) of £6.106m" in text
    assert "PCT Chief Executive" in text
    # Every page says which it is; the projects' columns give each word and figure room, so
    # neither "Management" nor "£1,287,000" breaks across lines.
    printed = [page for page in pages if page.strip()]
    for number, page in enumerate(printed, start=1):
        assert f"Page {number} of {len(printed)}" in page
    lines = "\n".join(pages)
    assert re.search(r"^Total for project 1 +£1,287,000$", lines, re.MULTILINE)
    assert re.search(r"\bReferrals +£335,000$\n +Management$", lines, re.MULTILINE)


def test_the_self_assessments_summary_laid_out_by_libreoffice_breaks_no_word(tmp_path):
    """The summary's narrow columns of counts gave "Targets" and "Critical" too little room:
    LibreOffice wrote "Target" over "s". Each column now has room for its longest word."""
    demo_daccom_plan()
    plan = Plan.objects.get(template__slug="dacorum-pbc-framework-self-assessment")
    data = plan_docx(plan=plan, user=UserFactory(consortium=plan.consortium))
    text, _ = laid_out_by_libreoffice(data, tmp_path, "-layout")

    assert re.search(r"^Level +Targets +OK +Low +Med +High +Critical +Not rated$", text, re.M)
    assert re.search(r"^All levels +56 +3 +18 +24 +8 +3 +0$", text, re.MULTILINE)


def test_a_table_too_wide_for_a_portrait_page_is_turned_with_its_heading_keeping_figures_whole(
    tmp_path,
):
    """A PCT's savings profile (13 columns) was squeezed into the portrait page: LibreOffice
    wrote "£100,0" over "00", a figure read wrongly. The document is A4, as the PDF."""
    plan = plan_with_questions(questions=4)
    rows = savings_rows()
    with_columns(plan, SAVINGS_BY_MONTH, rows)
    data = plan_docx(plan=plan, user=UserFactory(consortium=plan.consortium))

    document = opened(data)
    portrait, landscape = (210, WD_ORIENT.PORTRAIT), (297, WD_ORIENT.LANDSCAPE)
    assert [(round(s.page_width.mm), s.orientation) for s in document.sections] == [
        portrait,
        landscape,
        portrait,
    ]
    text, laid_out = laid_out_by_libreoffice(data, tmp_path)
    words = text.split()
    for figure in figures(rows):
        assert figure in words, figure
    pages = PdfReader(io.BytesIO(laid_out)).pages
    turned = [n for n, page in enumerate(pages) if page.mediabox.width > page.mediabox.height]
    assert len(turned) == 1
    assert "1.1 Savings by month" in pages[turned[0]].extract_text()
    assert "1.1 Savings by month" not in text.split("\f")[turned[0] - 1]
    # Read back, the turned pages lose nothing either.
    empty, _data, preview = exported_into_an_empty_plan(plan)
    (found,) = [p for p in word_import.proposals(empty, preview) if p.question.key == "practices"]
    assert [row["scheme"] for row in found.rows] == [row["scheme"] for row in rows]
    assert [row[month.lower()] for row in found.rows for month in MONTHS] == figures(rows)


def test_pct_only_comments_reach_the_word_copy_of_pct_people_only():
    plan = demo_daccom_plan_with_comments()
    lead = UserFactory(
        role=User.Role.PCT_LEAD, consortium=None, commissioner=plan.consortium.commissioner
    )
    Comment.objects.create(
        plan=plan,
        question=plan.template.questions.get(key="risks"),
        author=lead,
        body="PCT only: check the risk register.",
        visibility=Comment.Visibility.INTERNAL,
    )
    editor = UserFactory(consortium=plan.consortium)
    for_pct = {c.text for c in opened(plan_docx(plan=plan, user=lead, with_comments=True)).comments}
    for_editor = {
        c.text for c in opened(plan_docx(plan=plan, user=editor, with_comments=True)).comments
    }
    assert "PCT only: check the risk register." in for_pct
    assert "PCT only: check the risk register." not in for_editor
    assert "YES strongly agree with this." in for_editor


def test_answer_tables_repeat_their_header_row_on_each_page_they_run_onto():
    plan = demo_daccom_plan()
    lead = pct_lead(plan.consortium.commissioner)
    document = opened(plan_docx(plan=plan, user=lead))
    for table in (
        table_headed(document, "Activity", "Worked out as", "Hours"),
        table_headed(document, *PROJECT_HEADINGS),
    ):
        header = table.rows[0]._tr
        assert header.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
        assert all(
            row._tr.find(qn("w:trPr")) is None
            or row._tr.find(qn("w:trPr")).find(qn("w:tblHeader")) is None
            for row in table.rows[1:]
        )
