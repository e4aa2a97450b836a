"""The plan as a Word document that mirrors the printed form, as the PDF does: a cover, the
parts with their guidance, each numbered question with who completes it, its prompts and its
answer (formatting, tables in the question's column order, the figures computed from the
plan's data), the sign-off block with any signatures, and DRAFT on anything not signed. Review
comments can be added as Word comments on the passages they quote, so a PCT lead can keep
working in Word (docs/decisions/0412-word-export-mirrors-the-form.md).

The form's own words and the computed figures are written in styles the import leaves out
(plans/word_files.py), so a document exported here and imported again brings back the answers
and nothing else.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import docx
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.formats import date_format
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import Table

from plans import finance, presenters, selectors, structured
from plans.content import table_rows
from plans.kinds.savings_target import identified_savings, savings_figures, share_summary
from plans.kinds.table import NUMERIC
from plans.models import Plan, QuestionKind
from plans.sanitise import clean_html
from plans.word_files import FIGURES_STYLE, FIGURES_TABLE_STYLE, FORM_TEXT_STYLE
from plans.word_writing import (
    A4_HEIGHT,
    A4_WIDTH,
    ANSWER_TABLE_STYLE,
    across_landscape,
    add_caption,
    ensure_styles,
    lay_out,
    narrowest,
    part_heading,
    question_heading,
    repeat_header,
    set_title,
    text_width,
    write_html,
)

from .models import Comment
from .presenters.documents import plan_file_stem
from .selectors import comments_visible_to
from .signing import SIGNED_STATUSES, Approval, SigningState, approval_of, approved_by

UK = ZoneInfo("Europe/London")
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DRAFT_RED = RGBColor(0xD5, 0x28, 0x1B)


def words(text: str) -> str:
    return " ".join((text or "").split())


@dataclass
class Anchor:
    """Paragraphs a comment may be anchored to, and the heading to fall back on."""

    paragraphs: list
    heading: object


def _form_text(document, text: str, *, bold: bool = False, size: int = 0, italic: bool = False):
    paragraph = document.add_paragraph(style=FORM_TEXT_STYLE)
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    if size:
        run.font.size = Pt(size)
    return paragraph


def _status(plan: Plan, *, draft: bool, signing: SigningState, approval: Approval | None) -> str:
    if approval is not None:
        on = f" on {date_format(approval.on.astimezone(UK), 'DATE_FORMAT')}" if approval.on else ""
        return f"Approved by {approval.by_whom}{on}. The form asks for no signatures."
    if draft:
        return f"{plan.get_status_display()}. Not {'signed' if signing.blocks else 'approved'}."
    return f"Signed by {len(signing.signatures)} signatories."


def _cover(
    document, plan: Plan, *, draft: bool, signing: SigningState, approval: Approval | None
) -> None:
    commissioner = plan.consortium.commissioner.name
    _form_text(document, commissioner, size=12)
    _form_text(document, plan.template.name, size=14)
    _form_text(document, plan.title, bold=True, size=24)
    if draft:
        _form_text(document, "DRAFT", bold=True, size=20).runs[0].font.color.rgb = DRAFT_RED
    facts = [
        ("Consortium", plan.consortium.name),
        (settings.COMMISSIONER_WORD, commissioner),
        ("Plan period", plan.period),
        ("Form", f"{plan.template.name}, {plan.template.version_label}"),
        ("Status", _status(plan, draft=draft, signing=signing, approval=approval)),
    ]
    for label, value in facts:
        paragraph = document.add_paragraph(style=FORM_TEXT_STYLE)
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    document.add_paragraph(style=FORM_TEXT_STYLE).add_run().add_break(WD_BREAK.PAGE)


def _draft_header(document, plan: Plan, *, signing: SigningState) -> None:
    not_yet = "not signed" if signing.blocks else "not approved"
    for section in document.sections:
        paragraph = section.header.paragraphs[0]
        run = paragraph.add_run("DRAFT")
        run.bold = True
        run.font.color.rgb = DRAFT_RED
        paragraph.add_run(f"  {plan.consortium.name} · {plan.title} · {not_yet}")


def _approval(document, plan: Plan, approval: Approval | None) -> None:
    """The end of a plan whose form asks for no signatures (decisions 0361, 0328)."""
    if approval is None:
        _form_text(
            document,
            f"This is a draft: the plan has not been approved by {approved_by(plan)}. Its form "
            "asks for no signatures.",
        )
        return
    on = f" on {date_format(approval.on.astimezone(UK), 'DATE_FORMAT')}" if approval.on else ""
    _form_text(
        document,
        f"This plan was approved by {approval.by_whom}{on}. Its form asks for no signatures: the "
        "plan is complete.",
    )


# A table's text is 9 pt, as the PDF's; a generous letter of it (bold, or a wider font standing
# in for the reader's missing one), and a cell's margins on both sides.
def _page_numbers(document, plan: Plan) -> None:
    """Every page's footer names the plan and says "Page 3 of 12", as the PDF's does (fields
    that Word and LibreOffice fill in)."""
    document.styles["Footer"].font.size = Pt(8)
    for section in document.sections:
        paragraph = section.footer.paragraphs[0]
        paragraph.style = document.styles["Footer"]
        paragraph.add_run(f"{plan.consortium.name} · {plan.title} · Page ")
        _field(paragraph, "PAGE")
        paragraph.add_run(" of ")
        _field(paragraph, "NUMPAGES")


def _field(paragraph, instruction: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _table(document, question, rows, *, plan: Plan, context) -> None:
    """The rows in the question's column order, each cell printed by its column's type and the
    totals row under them, as the PDF prints them (the table kind's presenter); the totals are
    figures, which the import leaves out."""
    columns = question.columns or []
    aligned = table_rows(question, rows, plan_id=plan.pk)
    printed, totals = structured.kind_for(question).printed(
        [row.as_dict() for row in aligned], context=context
    )
    table = document.add_table(rows=1 + len(printed), cols=max(len(columns), 1))
    table.style = ANSWER_TABLE_STYLE
    # Named as the page's hidden caption names it; the heading above already shows the words.
    set_title(table, f"{question_heading(question)}: the answer's rows")
    for c, column in enumerate(columns):
        cell = table.cell(0, c)
        cell.text = column.get("label") or column["key"]
        cell.paragraphs[0].runs[0].bold = True
    for r, row in enumerate(printed, start=1):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    if totals:
        for cell, total in zip(table.add_row().cells, totals, strict=True):
            _figure_cell(cell, total)
            if cell.paragraphs[0].runs:
                cell.paragraphs[0].runs[0].bold = True
    repeat_header(table)
    figures = tuple(c for c, column in enumerate(columns) if column.get("type") in NUMERIC)
    lay_out(table, figures=figures)


PROJECTS_CAPTION = "Projects, targets and planned savings"
PROJECT_HEADINGS = ("Project", "Project title", "Leads", "Target", "Target title", "Planned saving")


def _projects(document, data: dict, *, context) -> None:
    """The projects as one table, a row per target and each project's computed total under
    "Planned saving", as the PDF prints them; the totals are figures, which the import leaves
    out, so the targets alone come back."""
    figures = savings_figures(data or {}, identified_savings(context.sibling("savings_target")))
    if not figures["projects"]:
        return
    add_caption(document, PROJECTS_CAPTION)
    table = document.add_table(rows=1, cols=len(PROJECT_HEADINGS))
    table.style = ANSWER_TABLE_STYLE
    set_title(table, PROJECTS_CAPTION)
    for cell, label in zip(table.rows[0].cells, PROJECT_HEADINGS, strict=True):
        cell.text = label
        cell.paragraphs[0].runs[0].bold = True
    repeat_header(table)
    for position, project in enumerate(figures["projects"], start=1):
        for n, target in enumerate(project["targets"] or [{}]):
            saving = target.get("planned_saving")
            line = [
                project["number"] if n == 0 else "",
                project["title"] if n == 0 else "",
                ", ".join(project["leads"]) if n == 0 else "",
                target.get("code", ""),
                target.get("title", ""),
                finance.format_money(saving) if saving is not None else "",
            ]
            for cell, value in zip(table.add_row().cells, line, strict=True):
                cell.text = value
        cells = table.add_row().cells
        label = cells[0].merge(cells[-2])
        _figure_cell(label, f"Total for project {project['number'] or position}")
        _figure_cell(cells[-1], finance.format_money(project["total"]))
    lay_out(table, figures=(len(PROJECT_HEADINGS) - 1,))
    document.add_paragraph(style=FIGURES_STYLE).add_run(
        f"Total planned savings: {finance.format_money(figures['total'])} "
        f"({share_summary(figures)}), computed from the targets above."
    )


def _figure_cell(cell, text: str) -> None:
    cell.text = text
    cell.paragraphs[0].style = FIGURES_STYLE


def _figures(document, row) -> None:
    """A structured kind's computed figures, as its read-only page shows them."""
    markup = render_to_string(
        row.structured_template, {"editing": False, "figures": row.structured}
    )
    markup = re.sub(r"(?is)<(script|style|form|button|input|select|textarea)\b.*?</\1>", "", markup)
    write_html(
        document,
        markup,
        table_style=FIGURES_TABLE_STYLE,
        paragraph_style=FIGURES_STYLE,
    )


def _answer(document, question, answer, *, plan: Plan, context) -> list:
    """Writes one answer; returns the paragraphs its text was written in."""
    written = []
    if question.kind == QuestionKind.TABLE:
        _table(document, question, answer.rows if answer else [], plan=plan, context=context)
    elif question.kind == QuestionKind.PROJECTS:
        _projects(document, answer.data if answer else {}, context=context)
    elif question.kind == QuestionKind.SAVINGS_TARGET:
        identified = identified_savings(answer.data if answer else {})
        if identified:
            # Written as text, so the import reads the figure back from it.
            document.add_paragraph(f"Total Identified Savings: {finance.format_money(identified)}")
    else:
        row = presenters.question_row(question, answer, plan, context=context)
        if row.structured_template:
            _figures(document, row)
    if answer is not None and answer.text and question.has_text:
        written = write_html(document, clean_html(answer.text)).paragraphs
    if answer is None or answer.is_empty:
        _form_text(document, "Not answered.", italic=True)
    return written


def _turned_if_wide(document, heading) -> None:
    """An answer with a table too wide for a portrait page, its words kept whole, is printed
    across a landscape one with its heading, as the PDF prints it (docs/decisions/0511)."""
    tables = [
        Table(element, document._body)
        for element in heading._p.itersiblings()
        if element.tag == qn("w:tbl")
    ]
    if any(narrowest(table) > text_width(document.sections[-1]) for table in tables):
        room = across_landscape(document, heading._p)
        for table in tables:
            lay_out(table, room=room)


def _signoff(document, plan: Plan, signing: SigningState, *, draft: bool) -> None:
    _form_text(document, "This plan is signed off by:")
    for block in signing.blocks:
        signature = None if draft else signing.signature_for(block)
        lines = [
            ("Signed", signature.typed_name if signature else "Not signed"),
            ("Name", (signature.user.full_name or signature.typed_name) if signature else ""),
            ("Position", (signature.title or block.title) if signature else block.title),
            (
                "Date",
                date_format(signature.signed_at.astimezone(UK), "DATE_FORMAT") if signature else "",
            ),
        ]
        _form_text(document, block.title or block.role, bold=True)
        table = document.add_table(rows=len(lines), cols=2)
        table.style = FIGURES_TABLE_STYLE
        for r, (label, value) in enumerate(lines):
            table.cell(r, 0).text = label
            table.cell(r, 1).text = value
    if draft:
        _form_text(document, "This is a draft: it has not been signed.")


def _find_runs(paragraphs, quote: str):
    """The runs of the paragraph holding ``quote`` that overlap it."""
    wanted = words(quote)
    if not wanted:
        return []
    for paragraph in paragraphs:
        offset, spans = 0, []
        for run in paragraph.runs:
            spans.append((offset, offset + len(run.text), run))
            offset += len(run.text)
        text = "".join(run.text for run in paragraph.runs)
        squeezed = words(text)
        start = squeezed.find(wanted)
        if start < 0 or squeezed != text:
            if start < 0:
                continue
            return [run for run in paragraph.runs if run.text.strip()]
        end = start + len(wanted)
        return [run for begin, finish, run in spans if begin < end and finish > start]
    return []


def _comment_text(thread: Comment) -> str:
    lines = []
    if thread.resolved_at:
        lines.append("[Resolved]")
    lines.append(thread.body)
    return " ".join(lines)


def _add_comments(document, plan: Plan, user, anchors: dict) -> int:
    threads = (
        comments_visible_to(user)
        .filter(plan=plan, parent__isnull=True)
        .select_related("author", "author__commissioner", "author__consortium")
        .prefetch_related("replies__author")
        .order_by("created_at", "pk")
    )
    added = 0
    for thread in threads:
        anchor = anchors.get(("question", thread.question_id)) or anchors.get(
            ("part", thread.part_id)
        )
        if anchor is None:
            continue
        runs = _find_runs(anchor.paragraphs, thread.quote) or [
            run for run in anchor.heading.runs if run.text.strip()
        ]
        if not runs:
            continue
        author = thread.author.full_name or thread.author.email
        initials = "".join(part[0] for part in author.split()[:3]).upper()
        comment = document.add_comment(
            runs, text=_comment_text(thread), author=author, initials=initials
        )
        for reply in thread.replies.all():
            name = reply.author.full_name or reply.author.email
            comment.add_paragraph(f"{name}: {reply.body}")
        added += 1
    return added


def plan_docx(*, plan: Plan, user, with_comments: bool = False) -> bytes:
    """The plan as a .docx, as ``user`` may see it (PCT-only comments for PCT people only)."""
    signing = SigningState.of(plan)
    # A plan whose form asks for no signatures is complete, and no longer a draft, at approval.
    approval = approval_of(plan)
    draft = plan.status not in SIGNED_STATUSES and approval is None
    document = docx.Document()
    ensure_styles(document)
    document.sections[0].page_width, document.sections[0].page_height = A4_WIDTH, A4_HEIGHT
    properties = document.core_properties
    properties.title = plan.title
    properties.author = plan.consortium.name
    properties.subject = f"{plan.template.name} [{plan.template.version_label}] {plan.period}"
    properties.keywords = "DRAFT" if draft else "approved" if approval else "signed"
    if draft:
        _draft_header(document, plan, signing=signing)
    _page_numbers(document, plan)
    _cover(document, plan, draft=draft, signing=signing, approval=approval)
    answers = selectors.answers_by_question(plan)
    context = selectors.kind_context(plan)
    anchors: dict[tuple[str, int], Anchor] = {}
    has_signoff = False
    for part in selectors.parts_with_questions(plan.template):
        written_heading = document.add_heading(part_heading(part), level=1)
        guidance = write_html(
            document, clean_html(part.guidance), paragraph_style=FORM_TEXT_STYLE
        ).paragraphs
        anchors[("part", part.pk)] = Anchor(guidance, written_heading)
        for question in part.questions.all():
            heading = document.add_heading(question_heading(question), level=2)
            if question.kind == QuestionKind.SIGNOFF:
                has_signoff = True
                if signing.blocks:
                    _signoff(document, plan, signing, draft=draft)
                else:
                    _approval(document, plan, approval)
                continue
            who = presenters.completed_by_label(question, plan)
            meta = f"For completion by {who}"
            if not question.required:
                meta += " (optional)"
            if question.note_ref:
                meta += f" · Explanatory note {question.note_ref}"
            _form_text(document, meta, italic=True)
            for prompt in question.prompts or []:
                _form_text(document, str(prompt), bold=True)
            if question.note:
                write_html(document, clean_html(question.note), paragraph_style=FORM_TEXT_STYLE)
            paragraphs = _answer(
                document, question, answers.get(question.pk), plan=plan, context=context
            )
            anchors[("question", question.pk)] = Anchor(paragraphs, heading)
            _turned_if_wide(document, heading)
    if not signing.blocks and not has_signoff:
        document.add_heading("Approval", level=1)
        _approval(document, plan, approval)
    elif not has_signoff:
        document.add_heading("Sign-off", level=1)
        _signoff(document, plan, signing, draft=draft)
    if plan.template.return_instructions:
        write_html(
            document,
            clean_html(plan.template.return_instructions),
            paragraph_style=FORM_TEXT_STYLE,
        )
    if with_comments:
        _add_comments(document, plan, user, anchors)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_filename(plan: Plan) -> str:
    """Named as its PDFs are (``daccom-pbc-plan-2006-07.docx``): the title holds the year already,
    so naming it from the title and the year said the year twice."""
    return f"{plan_file_stem(plan)}.docx"
