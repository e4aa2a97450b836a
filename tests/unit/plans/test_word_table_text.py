"""Text, or a table of other columns, matched to a table question: the preview says what it
would become (docs/decisions/0500-text-for-a-table-is-said-and-left-unticked.md)."""

from plans.models import QuestionKind, TemplateQuestion
from plans.word_import import Piece, pouring_warning

PATHWAYS = TemplateQuestion(
    kind=QuestionKind.TABLE,
    title="Pathway development work in progress and planned for 07/08",
    columns=[
        {"key": "area", "label": "Development area"},
        {"key": "description", "label": "Pathway description"},
        {"key": "next_steps", "label": "Next steps"},
    ],
)


def test_prose_is_said_to_go_in_as_rows_of_one_cell_in_the_first_column():
    prose = Piece(id=1, html="<p>Work is under way on three pathways.</p><p>More in 08/09.</p>")
    assert pouring_warning(PATHWAYS, prose) == (
        "This is text, not a table: it would go in as 2 rows of one cell in the first column "
        "(“Development area”). Check it or untick it."
    )


def test_lines_split_at_a_dash_are_said_to_be_split_into_the_columns():
    lines = Piece(id=1, html="<p>ENT pathway - a GP with an interest in ENT</p>")
    assert pouring_warning(PATHWAYS, lines) == (
        "This is text, not a table: it would go in as 1 row, one a line, split into the "
        "columns at each dash or colon. Check it or untick it."
    )


def test_a_table_whose_headings_name_none_of_the_columns_is_said_to_fill_them_in_order():
    other = Piece(id=1, table=[["Month", "Cost"], ["April", "£1,000"]])
    assert pouring_warning(PATHWAYS, other) == (
        "This table's headings name none of this question's columns (“Development area”, "
        "“Pathway description”, “Next steps”): its 2 rows, the first included, would fill the "
        "columns in order. Check it or untick it."
    )


def test_a_table_of_the_questions_columns_and_a_text_answer_are_said_nothing():
    own = Piece(id=1, table=[["Development area", "Next steps"], ["ENT", "Ask the SDIG"]])
    assert pouring_warning(PATHWAYS, own) == ""
    risks = TemplateQuestion(kind=QuestionKind.RICH_TEXT, title="Risks")
    assert pouring_warning(risks, Piece(id=1, html="<p>Losing a practice manager.</p>")) == ""
