"""Which page a printed answer's tables are laid out across: measured with the PDF's own font at
their narrowest, as weasyprint lays a table out that has no room to spare."""

import pytest

from signoff import pdf
from signoff.pdf_fit import (
    LANDSCAPE_MM,
    PORTRAIT_MM,
    SMALL_TABLE_POINTS,
    Fit,
    answer_fit,
    table_mm,
)


def table(columns: int, cell: str, heading: str = "Col") -> str:
    headings = "".join(f'<th scope="col">{heading} {n}</th>' for n in range(columns))
    cells = "".join(f"<td>{cell}</td>" for _ in range(columns))
    return f"<table><thead><tr>{headings}</tr></thead><tbody><tr>{cells}</tr></tbody></table>"


def test_an_answer_without_a_table_or_with_a_narrow_one_stays_on_a_portrait_page():
    assert answer_fit("<p>Only words, however many of them there are.</p>") == Fit.PORTRAIT
    assert answer_fit(table(5, "Falls prevention service")) == Fit.PORTRAIT


def test_a_table_wider_than_a_portrait_page_is_laid_across_a_landscape_one():
    wide = table(8, "Commissioning and Reconfiguration")

    assert PORTRAIT_MM < table_mm(wide) <= LANDSCAPE_MM
    assert answer_fit(wide) == Fit.LANDSCAPE


def test_a_table_wider_than_a_landscape_page_is_printed_smaller_where_that_keeps_words_whole():
    twelve = table(12, "Reconfigurations")

    assert table_mm(twelve) > LANDSCAPE_MM >= table_mm(twelve, points=SMALL_TABLE_POINTS)
    assert answer_fit(twelve) == Fit.SMALL


def test_a_table_wider_than_a_landscape_page_even_in_smaller_type_may_break_its_words():
    assert answer_fit(table(16, "Commissioning and Reconfiguration")) == Fit.SQUEEZED


def test_its_widest_table_decides_for_an_answer_of_several():
    narrow, wide = table(3, "Falls"), table(8, "Commissioning and Reconfiguration")

    assert answer_fit(narrow + wide + narrow) == Fit.LANDSCAPE


def test_only_a_columns_longest_word_counts_not_its_length_of_text():
    one_word = table(7, "Reconfigurations")
    many_words = table(7, " ".join(["Reconfigurations"] + ["and"] * 200))

    assert table_mm(one_word) == table_mm(many_words)


def test_a_long_word_the_pdf_may_break_anywhere_takes_no_width_of_its_own():
    long_word = "w" * 300
    printed = pdf.printable(table(3, f"Scheme {long_word}"))

    assert 'class="pdf-long-word"' in printed
    assert table_mm(printed) == table_mm(table(3, "Scheme"))


def test_a_figure_kept_on_one_line_is_measured_whole_with_its_spaces():
    kept = table(4, '<span class="app-nowrap">-£14,749.25 a year</span>')
    free = table(4, "-£14,749.25 a year")

    assert table_mm(kept) > table_mm(free)


def test_a_heading_is_measured_in_bold_and_a_list_with_its_indent():
    assert table_mm(table(3, "x", heading="Reconfigurations")) > table_mm(
        "<table><tr>" + "<td>Reconfigurations 0</td>" * 3 + "</tr></table>"
    )
    listed = "<table><tr><td><ul><li>Reconfigurations</li></ul></td></tr></table>"
    plain = "<table><tr><td><p>Reconfigurations</p></td></tr></table>"
    assert table_mm(listed) == pytest.approx(table_mm(plain) + 6)


def test_a_cell_spanning_columns_shares_its_width_between_them():
    spanning = (
        "<table><tr><th colspan='2'>Reconfigurations Reconfigurations</th></tr>"
        "<tr><td>a</td><td>b</td></tr></table>"
    )
    one = "<table><tr><th>Reconfigurations</th></tr></table>"

    # Given whole to each column, the two would be twice as wide as the one.
    assert table_mm(spanning) == pytest.approx(table_mm(one))


def test_a_span_that_is_not_a_whole_number_counts_as_one_column_and_a_huge_one_as_the_most():
    odd = "<table><tr><td colspan='2x'>Reconfigurations</td><td colspan='0'>a</td></tr></table>"
    huge = "<table><tr><td colspan='999999999999'>Reconfigurations</td></tr></table>"

    assert table_mm(odd) > 0
    assert table_mm(huge) == pytest.approx(table_mm(pdf.printable(huge)))
