"""Answer HTML written into Word keeps its formatting, read back the same by the Word import's
reader (plans.word_files.docx_html, mammoth's)."""

import io

import docx
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from plans.word_files import FIGURES_STYLE, FORM_TEXT_STYLE, Deadline, docx_html
from plans.word_writing import ensure_styles, write_html


def written(markup: str, **options) -> Document:
    """A new document in the export's styles with the markup written into it."""
    document = docx.Document()
    ensure_styles(document)
    write_html(document, markup, **options)
    return document


def read_back(markup: str, **options) -> str:
    document = written(markup, **options)
    buffer = io.BytesIO()
    document.save(buffer)
    return docx_html(buffer.getvalue(), deadline=Deadline())


def test_emphasis_underlining_links_and_nested_lists_survive_the_trip_through_word():
    markup = (
        "<p>Plain, <strong>bold</strong>, <em>italic</em>, <u>underlined</u> and "
        '<a href="https://example.org/plan">a link</a>.</p>'
        "<ul><li>One<ul><li>Nested</li></ul></li><li>Two</li></ul>"
        "<ol><li>First</li><li>Second</li></ol>"
    )
    html = read_back(markup)
    assert "<strong>bold</strong>" in html
    assert "<em>italic</em>" in html
    assert "<u>underlined</u>" in html
    # Underlined in Word as a link is, and read as a link alone.
    assert '<a href="https://example.org/plan">a link</a>' in html
    assert "<ul><li>One<ul><li>Nested</li></ul></li><li>Two</li></ul>" in html
    assert "<ol><li>First</li><li>Second</li></ol>" in html


def test_two_lists_one_after_the_other_stay_two_lists():
    markup = (
        "<ul><li>One<ul><li>Nested</li></ul></li></ul><ul><li>Two</li><li>Three</li></ul>"
        "<ol><li>First</li></ol><ol><li>Again</li></ol><p>Then</p><ul><li>Four</li></ul>"
    )
    assert read_back(markup) == markup


def test_a_list_after_a_list_is_one_list_in_a_document_without_the_exports_styles():
    document = docx.Document()
    write_html(document, "<ul><li>One</li></ul><ul><li>Two</li></ul>")
    buffer = io.BytesIO()
    document.save(buffer)
    html = docx_html(buffer.getvalue(), deadline=Deadline())
    assert html == "<ul><li>One</li><li>Two</li></ul>"


def test_an_answers_headings_sit_below_the_forms_own():
    assert read_back("<h2>Part</h2><h4>Prompt</h4>") == "<h4>Part</h4><h6>Prompt</h6>"


def test_the_forms_own_words_are_left_out_when_read_back():
    assert (
        read_back("<p>Guidance</p><ul><li>A point</li></ul>", paragraph_style=FORM_TEXT_STYLE) == ""
    )


def test_a_cell_spanning_columns_is_merged_across_them_so_the_figure_after_it_keeps_its_column():
    document = docx.Document()
    write_html(
        document,
        "<table><tr><th>Activity</th><th>Worked out as</th><th>Hours</th></tr>"
        '<tr><th colspan="2">Total</th><td><strong>1,000 hours</strong></td></tr></table>',
    )
    (table,) = document.tables
    total = table.rows[1]._tr
    spans = [
        cell.tcPr.gridSpan.val if cell.tcPr.gridSpan is not None else 1 for cell in total.tc_lst
    ]
    assert spans == [2, 1]
    assert [cell.text for cell in table.rows[1].cells] == ["Total", "Total", "1,000 hours"]


SUMMARY_LIST = (
    '<dl class="nhsuk-summary-list">'
    '<div class="nhsuk-summary-list__row"><dt>Hours allocated</dt><dd>1,000 hours</dd></div>'
    '<div class="nhsuk-summary-list__row"><dt>Resources</dt>'
    "<dd><ul><li>A lead</li><li>A budget</li></ul></dd></div>"
    "</dl>"
)


def test_a_summary_lists_label_and_value_stay_apart_and_a_values_list_stays_a_list():
    assert read_back(SUMMARY_LIST) == (
        "<p><strong>Hours allocated: </strong>1,000 hours</p>"
        "<p><strong>Resources: </strong></p><ul><li>A lead</li><li>A budget</li></ul>"
    )


def test_a_summary_lists_value_is_not_bold_in_the_bold_figures_style():
    document = written(SUMMARY_LIST, paragraph_style=FIGURES_STYLE)
    runs = [(run.text, run.bold) for run in document.paragraphs[0].runs]
    assert runs == [("Hours allocated: ", True), ("1,000 hours", False)]
    assert document.paragraphs[1].paragraph_format.keep_with_next


CAPTIONED = (
    "<table><caption>DES funding at £1.90 a patient</caption>"
    "<tr><th>Payment</th><th>Amount</th></tr></table>"
)


def test_a_tables_caption_is_a_caption_paragraph_before_it_and_its_title():
    document = written(CAPTIONED)
    (table,) = document.tables
    caption = Paragraph(table._tbl.getprevious(), document._body)
    assert (caption.text, caption.style.name) == ("DES funding at £1.90 a patient", "Caption")
    assert caption.paragraph_format.keep_with_next
    assert table._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")) == caption.text


def test_the_caption_of_the_forms_own_table_is_left_out_when_read_back():
    document = written(CAPTIONED, paragraph_style=FIGURES_STYLE)
    caption = Paragraph(document.tables[0]._tbl.getprevious(), document._body)
    assert caption.style.base_style.name == "Caption"
    assert "£1.90" not in read_back(CAPTIONED, paragraph_style=FIGURES_STYLE)


SUMMARY_TABLE = (
    "<table><caption>Summary: targets at each level by rating</caption>"
    '<thead><tr><th>Level</th><th class="nhsuk-table__header--numeric">Targets</th>'
    '<th class="nhsuk-table__header--numeric">OK</th>'
    '<th class="nhsuk-table__header--numeric">Med</th>'
    '<th class="nhsuk-table__header--numeric">Critical</th>'
    '<th class="nhsuk-table__header--numeric">Not rated</th></tr></thead>'
    '<tbody><tr><th>All levels</th><td class="nhsuk-table__cell--numeric">56</td>'
    '<td class="nhsuk-table__cell--numeric">3</td><td class="nhsuk-table__cell--numeric">24</td>'
    '<td class="nhsuk-table__cell--numeric">3</td><td class="nhsuk-table__cell--numeric">0</td>'
    "</tr></tbody></table>"
)


def test_a_tables_columns_each_have_room_for_their_longest_word_within_the_page():
    from plans.word_writing import word_width

    document = written(SUMMARY_TABLE, paragraph_style=FIGURES_STYLE)
    (table,) = document.tables
    section = document.sections[-1]

    widths = [column.width for column in table.columns]
    assert not table.autofit  # fixed: Word and LibreOffice keep the widths given
    for column, width in zip(table.columns, widths, strict=True):
        longest = max((w for cell in column.cells for w in cell.text.split()), key=word_width)
        assert width >= word_width(longest), longest
        assert {cell.width for cell in column.cells} == {width}
    assert sum(widths) <= section.page_width - section.left_margin - section.right_margin
    assert widths[0] > widths[2]  # "All levels" takes more room than "OK" and its figures
    aligned = [cell.paragraphs[0].alignment for cell in table.rows[1].cells]
    assert aligned[0] is None and set(aligned[1:]) == {WD_ALIGN_PARAGRAPH.RIGHT}


def test_a_capital_letter_counts_wider_than_a_narrow_one():
    from plans.word_writing import word_width

    assert word_width("OK") > word_width("il")
    assert word_width("Critical") < word_width("Mmmmmmmm")


def test_a_word_too_long_for_any_column_breaks_in_its_own_and_leaves_the_others_their_words():
    """A pasted address took its whole length from the page: "Registered" beside it was given
    7 mm and written a few letters a line."""
    from plans.word_writing import LONG_WORD, word_width

    address = "https://example.org/" + "p" * 200
    document = written(
        "<table><tr><th>Scheme</th><th>Partners</th><th>Registered</th></tr>"
        f"<tr><td>{address}</td><td>Hospital</td><td>Commissioning</td></tr></table>"
    )
    (table,) = document.tables

    first, *others = table.columns
    assert first.width >= word_width(address[:LONG_WORD])
    for column in others:
        longest = max((w for cell in column.cells for w in cell.text.split()), key=word_width)
        assert column.width >= word_width(longest), longest


def test_two_answers_turned_one_after_the_other_share_one_landscape_section():
    from docx.enum.section import WD_ORIENT

    from plans.word_writing import across_landscape

    document = docx.Document()
    document.add_paragraph("Before")
    for title in ("First wide answer", "Second wide answer"):
        heading = document.add_heading(title, level=2)
        document.add_table(rows=1, cols=13)
        across_landscape(document, heading._p)
    document.add_paragraph("After")

    orientations = [section.orientation for section in document.sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    turned = document.sections[1]
    assert turned.page_width > turned.page_height
    assert round(turned.left_margin.mm) == round(turned.right_margin.mm) == 18
