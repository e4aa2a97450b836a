"""Which lines of a Word document may start a question or a part: never the document's version
or date line, never a table's row, however much either reads like a title."""

from plans.word_files import Block, Deadline, blocks_of
from plans.word_import import _looks_like_a_heading

PPI_OUTCOME = "Develop a PBC patient and public involvement strategy"
DEMAND_AREA = "6. Managing demand, activity and budget"


def test_a_version_and_date_line_is_no_heading_even_in_a_heading_style():
    for text, tag in [("Draft version 1 (22nd June 2007)", "h2"), ("[May 2006 Version 2.0]", "h1")]:
        block = Block("heading", text, f"<{tag}>{text}</{tag}>")
        assert not _looks_like_a_heading(block), text
    assert _looks_like_a_heading(Block("heading", "Risks", "<h2>Risks</h2>"))


def test_a_tables_row_typed_as_text_is_no_heading_though_it_starts_with_a_number():
    for text in [
        "4.1 | In partnership with PCT, update PPI Forum with PBC update at least twice during "
        "07/08 | PPI forum minutes | 5%",
        "| Total % weighting for Communication with practices | | | | 5% |",
    ]:
        assert not _looks_like_a_heading(Block("text", text)), text
    assert _looks_like_a_heading(Block("text", "7.1 How will the plan be governed?"))


def _cells(*values: str) -> str:
    return "<tr>" + "".join(f"<td><p>{value}</p></td>" for value in values) + "</tr>"


def test_a_row_of_data_with_a_cell_like_a_question_title_keeps_its_table_whole():
    """BANES's outcome framework (seed 002, Appendix 1): an area, an outcome's number, the
    outcome, how it is monitored and its weighting. One outcome reads like the title of 11-12
    Patient and Public Involvement, one area like 17-21's, one outcome runs long."""
    long_outcome = "All practices within natural variation for emergency admissions. " * 6
    markup = (
        "<table>"
        + _cells("", "", "", "", "")
        + _cells("", "4.3", PPI_OUTCOME, "At PCT / PBC Exec review", "5%")
        + _cells(DEMAND_AREA, "6.3", long_outcome, "Practice meeting notes and actions", "15")
        + _cells("Total % weighting for Managing demand, activity and budget", "", "", "", "30%")
        + "</table>"
    )
    blocks = blocks_of(
        markup,
        is_heading=lambda text: text in (PPI_OUTCOME, DEMAND_AREA),
        columns_named=lambda header: 0,
        deadline=Deadline(),
    )
    assert [block.kind for block in blocks] == ["table"]
    assert [row[2] for row in blocks[0].rows][:1] == [PPI_OUTCOME]
    assert len(blocks[0].rows) == 3
    # A title beside its answer still lays out the form, read cell by cell.
    beside = blocks_of(
        "<table>" + _cells(PPI_OUTCOME, "A strategy by March.") + "</table>",
        is_heading=lambda text: text == PPI_OUTCOME,
        columns_named=lambda header: 0,
        deadline=Deadline(),
    )
    assert [block.text for block in beside] == [PPI_OUTCOME, "A strategy by March."]
