import pytest

from plans import diffs
from plans.diffs import ADDED, CHANGED, REMOVED, SAME, Content, Segment
from plans.kinds.rows import ONE_LINE_CHARACTERS
from plans.structured import KINDS

COLUMNS = [{"key": "name", "label": "Practice"}, {"key": "code", "label": "Code"}]


def label(*parts: str) -> str:
    """A figure's label as the page shows it: its parts joined by a chevron."""
    return diffs.SEPARATOR.join(parts)


def _ops(paragraph) -> list[tuple[str, str]]:
    return [(segment.op, segment.text) for segment in paragraph.segments]


# --- Text --------------------------------------------------------------------------------


def test_visible_paragraphs_drop_markup_and_keep_paragraphs_list_items_and_headings():
    html = (
        "<h2>Aims</h2><p>Reduce <strong>A&amp;E</strong>\n attendances.</p><ul><li>COPD</li></ul>"
    )

    assert diffs.visible_paragraphs(html) == ["Aims", "Reduce A&E attendances.", "• COPD"]


def test_a_changed_word_is_shown_removed_then_added_within_its_paragraph():
    result = diffs.diff_text("<p>The quick brown fox</p>", "<p>The slow brown fox jumps</p>")

    assert _ops(result.paragraphs[0]) == [
        (SAME, "The"),
        (REMOVED, "quick"),
        (ADDED, "slow"),
        (SAME, "brown fox"),
        (ADDED, "jumps"),
    ]
    assert (result.words_added, result.words_removed) == (2, 1)
    assert result.changed


def test_unchanged_paragraphs_stay_whole_and_an_added_paragraph_is_added_whole():
    result = diffs.diff_text("<p>One.</p><p>Two.</p>", "<p>One.</p><p>New here.</p><p>Two.</p>")

    assert [_ops(p) for p in result.paragraphs] == [
        [(SAME, "One.")],
        [(ADDED, "New here.")],
        [(SAME, "Two.")],
    ]


def test_a_reworded_paragraph_is_compared_word_by_word_not_replaced_whole():
    old = "<p>We will audit referrals every month.</p><p>Other text.</p>"
    new = "<p>We will audit all referrals every quarter.</p><p>Different text.</p>"

    result = diffs.diff_text(old, new)

    assert _ops(result.paragraphs[0]) == [
        (SAME, "We will audit"),
        (ADDED, "all"),
        (SAME, "referrals every"),
        (REMOVED, "month."),
        (ADDED, "quarter."),
    ]


def test_long_unchanged_stretches_are_folded_around_a_change():
    old = "".join(f"<p>Paragraph {n}.</p>" for n in range(20))
    new = old.replace("<p>Paragraph 10.</p>", "<p>Paragraph ten.</p>")

    result = diffs.diff_text(old, new)

    assert [p.skipped for p in result.paragraphs] == [9, 0, 0, 0, 8]
    assert _ops(result.paragraphs[2]) == [(SAME, "Paragraph"), (REMOVED, "10."), (ADDED, "ten.")]


def test_identical_text_has_no_changes_even_when_the_markup_differs():
    result = diffs.diff_text("<p>Same words</p>", "<p>Same <em>words</em></p>")

    assert not result.changed


def test_markup_in_answers_becomes_plain_text_for_the_template_to_escape():
    result = diffs.diff_text("", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")

    assert _ops(result.paragraphs[0]) == [(ADDED, "<script>alert(1)</script>")]


# --- Tables ------------------------------------------------------------------------------


def test_an_inserted_row_is_added_and_the_rows_below_it_are_not_shown_as_changed():
    old = [{"name": "Abbey", "code": "A1"}, {"name": "Bridge", "code": "B1"}]
    new = [{"name": "Abbey", "code": "A1"}, {"name": "Canal", "code": "C1"}, old[1]]

    result = diffs.diff_rows(old, new, COLUMNS)

    assert [row.state for row in result.rows] == [SAME, ADDED, SAME]
    assert result.rows[1].new_number == 2
    assert result.columns == ["Practice", "Code"]
    assert result.unchanged_count == 2


def test_a_row_with_a_changed_cell_is_changed_with_only_that_cell_marked():
    old = [{"name": "Abbey", "code": "A1"}, {"name": "Bridge", "code": "B1"}]
    new = [{"name": "Abbey", "code": "A2"}]

    result = diffs.diff_rows(old, new, COLUMNS)

    assert [row.state for row in result.rows] == [CHANGED, REMOVED]
    assert [cell.changed for cell in result.rows[0].cells] == [False, True]
    assert (result.rows[0].cells[1].old, result.rows[0].cells[1].new) == ("A1", "A2")
    assert result.rows[1].old_number == 2


def test_a_long_cell_changed_by_a_word_carries_that_word_change_and_a_short_one_is_shown_whole():
    objective = (
        "to enable more appropriate referral of patients by:\n- the development of guidelines"
    )
    old = [{"name": "Abbey", "code": objective}, {"name": "Bridge", "code": "B1"}]
    new = [{"name": "Abbey", "code": objective.replace("of guidelines", "of new guidelines")},
           {"name": "Bridge", "code": "B2"}]  # fmt: skip

    long, short = (row.cells[1] for row in diffs.diff_rows(old, new, COLUMNS).rows)

    assert len(objective) > ONE_LINE_CHARACTERS
    assert [segment.op for segment in long.segments] == [SAME, ADDED, SAME]
    assert long.segments[1] == Segment(ADDED, "new")
    assert (short.changed, short.segments) == (True, [])


def test_a_renamed_row_in_place_is_one_changed_row():
    result = diffs.diff_rows([{"name": "Abbey", "code": "A1"}], [{"name": "Abbey Road",
                             "code": "A1"}], COLUMNS)  # fmt: skip

    assert [row.state for row in result.rows] == [CHANGED]


def test_cells_are_shown_as_the_page_prints_them_under_their_columns_type():
    columns = [
        {"key": "scheme", "label": "Scheme"},
        {"key": "budget", "label": "Budget (£)", "type": "money"},
        {"key": "uplift", "label": "Uplift (%)", "type": "percent"},
        {"key": "projected", "label": "Projected (£)", "type": "money",
         "formula": "budget + budget * uplift / 100"},
        {"key": "starts", "label": "Start date", "type": "date"},
        {"key": "agreed", "label": "Agreed", "type": "yes_no"},
        {"key": "patients", "label": "Patients", "type": "whole"},
    ]  # fmt: skip
    old = {"scheme": "Falls", "budget": "1000", "uplift": "2.5", "projected": "1025",
           "starts": "2027-03-01", "agreed": "no", "patients": "1200"}  # fmt: skip
    new = {**old, "budget": "1234.5", "projected": "1265.3625", "starts": "2027-04-01",
           "agreed": "yes"}  # fmt: skip

    cells = diffs.diff_rows([old], [new], columns).rows[0].cells

    assert [(cell.old, cell.new) for cell in cells] == [
        ("Falls", "Falls"),
        ("£1,000", "£1,234.50"),
        ("2.50%", "2.50%"),
        ("£1,025", "£1,265.36"),
        ("1 March 2027", "1 April 2027"),
        ("No", "Yes"),
        ("1,200", "1,200"),
    ]
    assert [cell.changed for cell in cells] == [False, True, False, True, True, True, False]


def test_cells_follow_the_questions_columns_a_missing_one_blank_an_unknown_one_logged(caplog):
    row = {"list_size": "6000", "name": "Abbey"}

    result = diffs.diff_rows([], [row], COLUMNS, source="Plan 7, table practices")

    assert result.columns == ["Practice", "Code"]
    assert [cell.new for cell in result.rows[0].cells] == ["Abbey", ""]
    assert "Plan 7, table practices: cells with no column ignored: list_size" in caplog.text


# --- Structured figures ------------------------------------------------------------------

PROJECTS = {
    "projects": [
        {
            "number": "1",
            "title": "Outpatients",
            "leads": ["Dr A", "Dr B"],
            "targets": [
                {"code": "1.1", "title": "CAS", "planned_saving": "153000"},
                {"code": "1.3", "title": "Referrals", "planned_saving": "335000"},
            ],
        },
        {"number": "2", "title": "A&E", "leads": [], "targets": []},
    ]
}


def test_figures_are_flattened_into_lines_labelled_by_their_record():
    lines = dict(diffs.flatten(PROJECTS))

    assert lines[label("Project 1", "Target 1.3", "Planned saving")] == "335000"
    assert lines[label("Project 1", "Leads")] == "Dr A, Dr B"
    assert label("Project 2", "Leads") not in lines  # empty values are left out


def test_a_changed_figure_is_one_changed_line_with_old_and_new_values():
    new = {"projects": [dict(PROJECTS["projects"][0]), PROJECTS["projects"][1]]}
    new["projects"][0]["targets"] = [
        PROJECTS["projects"][0]["targets"][0],
        {"code": "1.3", "title": "Referrals", "planned_saving": "300000"},
    ]

    result = diffs.diff_data(PROJECTS, new)

    assert [(line.state, line.label, line.old, line.new) for line in result.lines] == [
        (CHANGED, label("Project 1", "Target 1.3", "Planned saving"), "335000", "300000")
    ]


def test_removing_a_record_removes_its_lines_and_inserting_one_does_not_shift_the_others():
    new = {"projects": [{"number": "0", "title": "New first", "leads": [], "targets": []}]}
    new["projects"] += PROJECTS["projects"][:1]

    result = diffs.diff_data(PROJECTS, new)

    states = {(line.state, line.label) for line in result.lines}
    assert states == {
        (ADDED, label("Project 0", "Number")),
        (ADDED, label("Project 0", "Title")),
        (REMOVED, label("Project 2", "Number")),
        (REMOVED, label("Project 2", "Title")),
    }


def test_a_long_changed_value_also_carries_its_word_changes():
    old = {"outline": "word " * 30 + "end"}
    new = {"outline": "word " * 30 + "finish"}

    (line,) = diffs.diff_data(old, new).lines

    assert line.segments[-2:] == [Segment(REMOVED, "end"), Segment(ADDED, "finish")]


def test_figures_are_printed_as_the_page_prints_them_under_their_kinds_columns():
    milestones = KINDS["milestones"]
    old = {"milestones": [{"key": "m1", "due": "2027-03-01", "item": "Audit",
                           "owner": "Dr A", "status": "not_started"}]}  # fmt: skip
    new = {"milestones": [{**old["milestones"][0], "due": "2027-04-01", "status": "on_track"}]}

    result = diffs.diff_data(old, new, columns=milestones.printed_columns())

    assert [(line.label, line.old, line.new) for line in result.lines] == [
        (label("Milestone m1", "Due"), "1 March 2027", "1 April 2027"),
        (label("Milestone m1", "Status"), "Not started", "On track"),
    ]


def test_money_percent_and_whole_figures_read_as_the_plan_page_writes_them():
    projects = {"projects": [{"number": "1", "title": "Outpatients", "leads": [],
                              "targets": [{"code": "1.1", "title": "CAS",
                                           "planned_saving": "111111"}]}]}  # fmt: skip
    des = {"population": 150000, "rate_per_patient": "1.5", "practices_share_percent": "60"}

    saving = dict(diffs.flatten(projects, KINDS["projects"].printed_columns()))
    funding = dict(diffs.flatten(des, KINDS["des_funding"].printed_columns()))

    assert saving[label("Project 1", "Target 1.1", "Planned saving")] == "£111,111"
    assert funding == {
        "Population": "150,000",
        "Rate per patient": "£1.50",
        "Practices share percent": "60%",
    }


def test_rich_text_figures_show_their_words_not_their_markup():
    columns = KINDS["self_assessment"].printed_columns()
    data = {"ratings": {"1.1": {"rating": "Low", "action": "<p>Audit</p><p>Report &amp; act</p>"}},
            "funding_comments": {"2": "<p>Agreed with the PCT</p>"}}  # fmt: skip

    lines = dict(diffs.flatten(data, columns))

    assert lines[label("Ratings", "1.1", "Action")] == "Audit Report & act"
    assert lines[label("Ratings", "1.1", "Rating")] == "Low"
    assert lines[label("Funding comments", "2")] == "Agreed with the PCT"


def test_a_table_cell_and_a_figure_are_printed_by_the_same_function(monkeypatch):
    printed = []
    monkeypatch.setattr(diffs, "shown_cell", lambda value, column: printed.append(value) or "x")

    diffs.flatten(
        {"total_identified_savings": "6106000"}, KINDS["savings_target"].printed_columns()
    )
    diffs.diff_rows([], [{"name": "Abbey", "code": "A1"}], COLUMNS)

    assert printed == ["6106000", "Abbey", "A1"]


# --- Whole answers -----------------------------------------------------------------------


def test_an_answer_diff_covers_text_table_and_figures_and_says_what_changed_in_words():
    old = Content(text="<p>Old words</p>", rows=[{"name": "Abbey", "code": "A1"}])
    new = Content(
        text="<p>New words here</p>",
        rows=[{"name": "Abbey", "code": "A1"}, {"name": "Bridge", "code": "B1"}],
        data={"population": 150000},
    )

    result = diffs.diff_answers(old, new, columns=COLUMNS)

    assert result.changed
    assert result.summary == "2 words added, 1 word removed; 1 row added; 1 figure changed"


@pytest.mark.parametrize(
    "formatted",
    [
        "<p>Agreed <u>with the PCT</u>.</p>",
        "<h3>Agreed with the PCT.</h3>",
        "<blockquote><p>Agreed with the PCT.</p></blockquote>",
    ],
)
def test_the_same_words_formatted_differently_are_said_to_be_so_not_no_changes(formatted):
    # The history listed such a version as a change and then summed it up as "No changes".
    result = diffs.diff_answers(
        Content(text="<p>Agreed with the PCT.</p>"), Content(text=formatted)
    )

    assert result.summary == "The same words, formatted differently"
    assert not result.text.changed  # no words to mark


def test_space_between_blocks_is_no_change_of_formatting():
    old, new = Content(text="<p>One</p><p>Two</p>"), Content(text="<p>One</p>\n<p>Two</p>")

    assert diffs.diff_answers(old, new).summary == "No changes"


def test_content_reads_answers_snapshots_and_nothing_alike():
    assert Content.of(None) == Content()
    assert Content.of({"text": "<p>x</p>", "rows": None, "version": 3}) == Content(
        text="<p>x</p>", version=3
    )
    assert not diffs.diff_answers(Content.of(None), Content.of({})).changed


def test_content_is_the_same_when_only_space_between_blocks_or_within_a_line_differs():
    stored = Content(
        text="<p>Resources:</p>\n<ul>\n<li>One  thing</li>\n"
        "<li>DacCom:\n<ul><li>x</li></ul></li>\n</ul>"
    )
    typed = Content(
        text="<p>Resources:</p><ul><li>One thing</li><li>DacCom: <ul><li>x</li></ul></li></ul>"
    )
    assert stored.same_as(typed)
    assert not stored.same_as(Content(text="<p>Resources:</p><ul><li>Onething</li></ul>"))
    assert not Content(text="<p><b>a</b> <i>b</i></p>").same_as(
        Content(text="<p><b>a</b><i>b</i></p>")
    )
