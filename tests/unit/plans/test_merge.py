import pytest

from plans import merge
from plans.diffs import Content

BASE = "<p>One.</p><p>Two.</p><p>Three.</p>"


def _merged(base, yours, theirs) -> merge.SequenceMerge:
    return merge.merge_sequences(list(base), list(yours), list(theirs))


def _merged_text(base, yours, theirs) -> merge.AnswerMerge:
    return merge.merge_answers(
        base=Content(text=base), yours=Content(text=yours), theirs=Content(text=theirs)
    )


def _merged_rows(base, yours, theirs, columns=None) -> merge.AnswerMerge:
    return merge.merge_answers(
        base=Content(rows=base),
        yours=Content(rows=yours),
        theirs=Content(rows=theirs),
        columns=columns,
    )


# --- Sequences ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "yours", "theirs", "merged", "clashes"),
    [
        pytest.param(
            "abcde", "aBcde", "abcdE", "aBcdE", [], id="changes_to_different_items_are_both_taken"
        ),
        pytest.param(
            "abc", "Abc", "aBc", "ABc", [], id="changes_to_neighbouring_items_do_not_clash"
        ),
        pytest.param(
            "abc",
            "aXc",
            "aYc",
            "aXc",
            [merge.SequenceClash(1, ("b",), ("Y",), ("X",))],
            id="one_item_changed_differently_by_both_clashes_and_keeps_yours",
        ),
        pytest.param(
            "abc",
            "aXc",
            "aXc",
            "aXc",
            [],
            id="the_same_change_on_both_sides_is_taken_once_without_a_clash",
        ),
        pytest.param(
            "abcd",
            "acd",
            "abcD",
            "acD",
            [],
            id="a_deletion_on_one_side_and_a_change_elsewhere_are_both_taken",
        ),
        pytest.param(
            "abc",
            "ac",
            "aYc",
            "ac",
            [merge.SequenceClash(1, ("b",), ("Y",), ())],
            id="a_deletion_of_what_the_other_side_changed_clashes",
        ),
        pytest.param(
            "ab",
            "aXb",
            "aYb",
            "aYXb",
            [],
            id="additions_at_the_same_place_are_both_kept_theirs_first",
        ),
        pytest.param(
            "ab",
            "aXb",
            "aB",
            "aXB",
            [],
            id="an_addition_just_before_an_item_the_other_side_changed_goes_before_it",
        ),
        pytest.param("", "X", "Y", "YX", [], id="an_empty_base_keeps_both_sides_additions"),
    ],
)
def test_sequences_merge_item_by_item(base, yours, theirs, merged, clashes):
    result = _merged(base, yours, theirs)

    assert "".join(result.items) == merged
    assert result.clashes == clashes


def test_the_same_addition_at_the_same_place_is_kept_once():
    result = _merged("ab", "aXb", "aXb")

    assert "".join(result.items) == "aXb"


# --- Rich text ---------------------------------------------------------------------------


def test_html_blocks_are_paragraphs_headings_and_list_items():
    html = "<h3>Aims</h3><p>Reduce <strong>A&amp;E</strong>.</p><ul><li>COPD</li><li>CHD</li></ul>"

    assert merge.html_blocks(html) == [
        ("", "<h3>Aims</h3>"),
        ("", "<p>Reduce <strong>A&amp;E</strong>.</p>"),
        ("ul", "<li>COPD</li>"),
        ("ul", "<li>CHD</li>"),
    ]


def test_html_blocks_keep_top_level_inline_text_as_one_block():
    assert merge.html_blocks("Plain <em>words</em> here<p>Then this.</p>") == [
        ("", "Plain <em>words</em> here"),
        ("", "<p>Then this.</p>"),
    ]


def test_blocks_go_back_into_one_list_per_run_of_items():
    blocks = [("", "<p>a</p>"), ("ol", "<li>b</li>"), ("ol", "<li>c</li>"), ("", "<p>d</p>")]

    assert merge.blocks_html(blocks) == "<p>a</p><ol><li>b</li><li>c</li></ol><p>d</p>"


@pytest.mark.parametrize(
    ("base", "yours", "theirs", "merged", "clashes"),
    [
        pytest.param(
            BASE,
            "<p>One, yours.</p><p>Two.</p><p>Three.</p>",
            "<p>One.</p><p>Two.</p><p>Three, theirs.</p>",
            "<p>One, yours.</p><p>Two.</p><p>Three, theirs.</p>",
            [],
            id="edits_to_different_paragraphs_merge_into_both",
        ),
        pytest.param(
            BASE,
            "<p>One.</p><p>Two, yours.</p><p>Three.</p><p>Four.</p>",
            "<p>One.</p><p>Two, theirs.</p><p>Three.</p>",
            "<p>One.</p><p>Two, yours.</p><p>Three.</p><p>Four.</p>",
            [merge.Clash("The passage that read \u201cTwo.\u201d", "Two, theirs.", "Two, yours.")],
            id="the_same_paragraph_edited_by_both_is_named_as_a_clash_and_keeps_yours",
        ),
        pytest.param(
            "<h2>Aims</h2><p>One.</p>",
            "<h3>Aims</h3><p>One, yours.</p>",
            "<h2>Aims</h2><p>One.</p><p>Two.</p>",
            "<h3>Aims</h3><p>One, yours.</p><p>Two.</p>",
            [],
            id="headings_are_compared_at_the_editors_levels",
        ),
    ],
)
def test_texts_merge_paragraph_by_paragraph(base, yours, theirs, merged, clashes):
    result = _merged_text(base, yours, theirs)

    assert result.content.text == merged
    assert result.clashes == clashes


def test_a_merge_that_takes_something_of_theirs_is_useful():
    result = _merged_text(
        BASE,
        "<p>One, yours.</p><p>Two.</p><p>Three.</p>",
        "<p>One.</p><p>Two.</p><p>Three, theirs.</p>",
    )

    assert result.useful


def test_a_list_item_added_by_each_side_stays_in_one_list():
    result = _merged_text(
        "<ul><li>a</li><li>b</li></ul>",
        "<ul><li>a</li><li>b</li><li>yours</li></ul>",
        "<ul><li>theirs</li><li>a</li><li>b</li></ul>",
    )

    assert result.content.text == "<ul><li>theirs</li><li>a</li><li>b</li><li>yours</li></ul>"


def test_the_merged_text_is_cleaned_again():
    result = _merged_text(
        BASE,
        '<p onclick="x()">One.</p><script>bad()</script><p>Two.</p><p>3</p>',
        "<p>Zero.</p><p>One.</p><p>Two.</p><p>Three.</p>",
    )

    assert "onclick" not in result.content.text
    assert "script" not in result.content.text
    assert result.content.text == "<p>Zero.</p><p>One.</p><p>Two.</p><p>3</p>"


def test_text_started_empty_keeps_what_each_side_wrote():
    result = merge.merge_answers(
        base=Content(), yours=Content(text="<p>Yours.</p>"), theirs=Content(text="<p>Theirs.</p>")
    )

    assert result.content.text == "<p>Theirs.</p><p>Yours.</p>"


def test_a_merge_that_adds_nothing_of_theirs_is_not_useful():
    result = _merged_text(
        BASE,
        "<p>One, yours.</p><p>Two.</p><p>Three.</p>",
        BASE,
    )

    assert not result.useful


# --- Tables and figures ------------------------------------------------------------------

ROWS = [{"name": "Adam", "code": "1"}, {"name": "Bea", "code": "2"}]


def test_rows_added_by_each_side_are_both_kept():
    result = _merged_rows(
        ROWS,
        [*ROWS, {"name": "Yours", "code": "3"}],
        [{"name": "Theirs", "code": "0"}, *ROWS],
    )

    assert [row["name"] for row in result.content.rows] == ["Theirs", "Adam", "Bea", "Yours"]
    assert result.clashes == []


def test_a_row_changed_by_one_side_takes_that_change():
    result = _merged_rows(
        ROWS,
        [{"name": "Adam", "code": "9"}, ROWS[1]],
        [ROWS[0], {"name": "Bea", "code": "8"}],
    )

    assert result.content.rows == [{"name": "Adam", "code": "9"}, {"name": "Bea", "code": "8"}]
    assert result.clashes == []


def test_a_row_changed_by_both_is_a_clash_and_keeps_yours():
    result = _merged_rows(
        ROWS,
        [{"name": "Adam", "code": "9"}, ROWS[1]],
        [{"name": "Adam", "code": "7"}, ROWS[1]],
    )

    assert result.content.rows == [{"name": "Adam", "code": "9"}, ROWS[1]]
    assert result.clashes == [merge.Clash("Row 1", "Adam | 7", "Adam | 9")]


def test_different_cells_of_one_row_changed_by_each_side_are_both_taken():
    result = _merged_rows(
        [{"scheme": "Falls", "cost": "1000"}, {"scheme": "COPD", "cost": "500"}],
        [{"scheme": "Falls", "cost": "1000"}, {"scheme": "COPD", "cost": "750"}],
        [{"scheme": "Falls", "cost": "1000"}, {"scheme": "COPD rehab", "cost": "500"}],
    )

    assert result.content.rows == [
        {"scheme": "Falls", "cost": "1000"},
        {"scheme": "COPD rehab", "cost": "750"},
    ]
    assert result.clashes == []
    assert result.useful


def test_a_row_both_changed_clashes_on_its_cell_and_takes_their_other_cells():
    base = {"scheme": "Falls", "cost": "1000", "lead": "Dr Adams"}

    result = _merged_rows(
        [base],
        [{**base, "cost": "900"}],
        [{**base, "cost": "800", "lead": "Dr Brown"}],
    )

    assert result.content.rows == [{"scheme": "Falls", "cost": "900", "lead": "Dr Brown"}]
    assert result.clashes == [
        merge.Clash("Row 1", "Falls | 800 | Dr Brown", "Falls | 900 | Dr Adams")
    ]


def test_rows_both_changed_in_one_stretch_clash_only_where_a_cell_does():
    base = [{"name": "Adam", "code": "1"}, {"name": "Bea", "code": "2"}]

    result = _merged_rows(
        base,
        [{"name": "Adam", "code": "9"}, {"name": "Bea", "code": "8"}],
        [{"name": "Adam Ng", "code": "1"}, {"name": "Bea", "code": "7"}],
    )

    assert result.content.rows == [{"name": "Adam Ng", "code": "9"}, {"name": "Bea", "code": "8"}]
    assert result.clashes == [merge.Clash("Row 2", "Bea | 7", "Bea | 8")]


def test_a_cell_one_side_filled_and_the_other_left_is_filled():
    result = _merged_rows(
        [{"name": "Adam"}],
        [{"name": "Adam", "code": "1"}],
        [{"name": "Adam Ng"}],
    )

    assert result.content.rows == [{"name": "Adam Ng", "code": "1"}]
    assert result.clashes == []


def test_a_row_one_side_moved_down_and_the_other_changed_is_moved_and_changed():
    result = _merged_rows(
        ROWS,
        [{"name": "Adam", "code": "9"}, ROWS[1]],
        [ROWS[1], ROWS[0]],
    )

    assert result.content.rows == [ROWS[1], {"name": "Adam", "code": "9"}]
    assert result.clashes == []


def test_figures_kept_as_one_list_of_rows_merge_cell_by_cell():
    base = {"milestones": [{"item": "Start", "due": "2008-04-01", "owner": ""}]}
    result = merge.merge_answers(
        base=Content(data=base),
        yours=Content(data={"milestones": [{**base["milestones"][0], "owner": "Ann"}]}),
        theirs=Content(data={"milestones": [{**base["milestones"][0], "due": "2008-05-01"}]}),
    )

    assert result.content.data == {
        "milestones": [{"item": "Start", "due": "2008-05-01", "owner": "Ann"}]
    }
    assert result.clashes == []


def test_a_clashing_row_is_told_in_the_tables_column_order():
    result = _merged_rows(
        [{"code": "1", "name": "Adam"}],
        [{"code": "9", "name": "Adam"}],
        [{"code": "7", "name": "Adam"}],
        columns=[{"key": "name", "label": "Practice"}, {"key": "code", "label": "Code"}],
    )

    assert result.clashes == [merge.Clash("Row 1", "Adam | 7", "Adam | 9")]


def test_a_clashing_row_is_told_with_its_cells_printed_as_the_page_prints_them():
    columns = [
        {"key": "scheme", "label": "Scheme"},
        {"key": "budget", "label": "Budget (£)", "type": "money"},
        {"key": "starts", "label": "Start date", "type": "date"},
        {"key": "agreed", "label": "Agreed", "type": "yes_no"},
    ]
    base = {"scheme": "Falls", "budget": "1000", "starts": "2027-04-01", "agreed": "no"}

    result = _merged_rows(
        [base],
        [{**base, "budget": "1234.5", "agreed": "yes"}],
        [{**base, "budget": "900"}],
        columns=columns,
    )

    assert result.clashes == [
        merge.Clash(
            "Row 1", "Falls | £900 | 1 April 2027 | No", "Falls | £1,234.50 | 1 April 2027 | Yes"
        )
    ]


def test_a_row_one_side_removed_and_the_other_left_is_removed():
    result = _merged_rows(
        ROWS,
        [ROWS[1]],
        [*ROWS, {"name": "Cy", "code": "3"}],
    )

    assert [row["name"] for row in result.content.rows] == ["Bea", "Cy"]


def test_figures_kept_as_one_list_of_rows_merge_by_row():
    base = {"milestones": [{"item": "Start", "due": "2008-04-01"}]}
    result = merge.merge_answers(
        base=Content(data=base),
        yours=Content(data={"milestones": [*base["milestones"], {"item": "Yours", "due": ""}]}),
        theirs=Content(data={"milestones": [{"item": "Start", "due": "2008-05-01"}]}),
    )

    assert result.content.data == {
        "milestones": [{"item": "Start", "due": "2008-05-01"}, {"item": "Yours", "due": ""}]
    }
    assert result.not_merged == ""


def test_figures_changed_by_one_side_only_take_that_side():
    base = {"projects": [{"code": "1", "targets": [{"saving": "1"}]}], "note": "x"}
    changed = {**base, "note": "y"}

    result = merge.merge_answers(
        base=Content(data=base), yours=Content(data=base), theirs=Content(data=changed)
    )

    assert result.content.data == changed


def test_nested_figures_changed_by_both_are_left_to_the_editor():
    base = {"projects": [{"code": "1", "targets": [{"saving": "1"}]}]}
    result = merge.merge_answers(
        base=Content(data=base),
        yours=Content(data={"projects": [{"code": "1", "targets": [{"saving": "2"}]}]}),
        theirs=Content(data={"projects": [{"code": "1", "targets": [{"saving": "3"}]}]}),
    )

    assert result.content is None
    assert "cannot be put together automatically" in result.not_merged


def test_passages_the_editor_only_reshaped_are_not_changed_by_you():
    # Stored without the editor (a Word import, a save without the script): text loose in list
    # items and outside any paragraph; the editor sends each back in a paragraph (0497).
    stored = "Plain words<ul><li>COPD</li><li>CHD</li></ul>"
    result = merge.merge_answers(
        base=Content(text=stored),
        yours=Content(text="<p>Plain words</p><ul><li><p>COPD</p></li><li><p>CHD</p></li></ul>"
                      "<p>Yours.</p>"),
        theirs=Content(text=stored.replace("CHD", "CHD and stroke")),
    )  # fmt: skip

    assert result.clashes == []
    assert (
        result.content.text
        == "Plain words<ul><li>COPD</li><li>CHD and stroke</li></ul><p>Yours.</p>"
    )
    assert result.useful
