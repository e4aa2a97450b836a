"""The one NHS.UK table (consortia.tables, templates/components/table.html) renders what a
presenter gave it with the NHS.UK classes, and nothing it was not given."""

import pytest
from django.template.loader import render_to_string

from consortia.tables import Cell, Heading, Table, Tag


def rendered(table: Table) -> str:
    return " ".join(render_to_string("components/table.html", {"table": table}).split())


def practices(rows, **options) -> Table:
    return Table(
        caption="Practices",
        headings=[Heading("Practice"), Heading("List size", numeric=True)],
        rows=rows,
        **options,
    )


def test_numeric_headings_and_cells_carry_the_numeric_classes():
    html = rendered(practices([[Cell("Dale Surgery"), Cell("6,000", numeric=True)]]))

    assert (
        '<th class="nhsuk-table__header" scope="col">Practice</th>'
        '<th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">List size</th>'
    ) in html
    assert (
        '<td class="nhsuk-table__cell">Dale Surgery</td>'
        '<td class="nhsuk-table__cell nhsuk-table__cell--numeric">6,000</td>'
    ) in html


def test_a_row_header_is_a_th_with_scope_row():
    html = rendered(practices([[Cell("Dale Surgery", header=True), Cell("6,000")]]))

    assert '<th class="nhsuk-table__cell" scope="row">Dale Surgery</th>' in html


def test_a_link_cell_keeps_its_visually_hidden_suffix_inside_the_link():
    row = [Cell("Compare", href="/plans/1/?from=2&to=3", hidden_suffix=": Draft 1"), Cell("1")]

    html = rendered(practices([row]))

    assert (
        '<a href="/plans/1/?from=2&amp;to=3">Compare'
        '<span class="nhsuk-u-visually-hidden">: Draft 1</span></a>'
    ) in html


def test_tags_follow_the_text_and_a_note_goes_on_a_smaller_second_line():
    row = [
        Cell("Dale Surgery", tags=(Tag("Demo", "nhsuk-tag--grey"),), note="E82001"),
        Cell("", tags=(Tag("Open"), Tag("Late", "nhsuk-tag--red"))),
    ]

    html = rendered(practices([row]))

    assert (
        'Dale Surgery <strong class="nhsuk-tag nhsuk-tag--grey">Demo</strong>'
        '<br><span class="nhsuk-body-s">E82001</span>'
    ) in html
    assert (
        '<td class="nhsuk-table__cell"><strong class="nhsuk-tag">Open</strong> '
        '<strong class="nhsuk-tag nhsuk-tag--red">Late</strong></td>'
    ) in html


def test_a_hidden_caption_is_visually_hidden_and_a_sized_one_is_sized():
    hidden = rendered(practices([[Cell("A"), Cell("1")]], caption_hidden=True))
    sized = rendered(practices([[Cell("A"), Cell("1")]], caption_size="m"))

    assert (
        '<caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Practices</caption>'
        in hidden
    )
    assert (
        '<caption class="nhsuk-table__caption nhsuk-table__caption--m">Practices</caption>' in sized
    )


def test_the_table_takes_its_extra_class_after_nhsuk_table():
    html = rendered(practices([[Cell("A"), Cell("1")]], css="app-history-table"))

    assert '<table class="nhsuk-table app-history-table">' in html


def test_with_no_rows_the_empty_message_replaces_the_table():
    html = rendered(practices([], empty="No practices are recorded yet."))

    assert html == "<p>No practices are recorded yet.</p>"


def test_with_no_rows_and_empty_as_row_the_headings_stay_above_the_message():
    html = rendered(practices([], empty="No practices are recorded yet.", empty_as_row=True))

    assert 'scope="col">List size</th>' in html
    assert '<td class="nhsuk-table__cell" colspan="2">No practices are recorded yet.</td>' in html


def test_hostile_text_is_escaped_everywhere():
    hostile = "<script>alert(1)</script>"
    table = Table(
        caption=hostile,
        headings=[Heading(hostile)],
        rows=[[Cell(hostile, href='"><script>', hidden_suffix=hostile, tags=(Tag(hostile),))]],
        empty=hostile,
    )

    html = rendered(table)

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="&quot;&gt;&lt;script&gt;"' in html


def test_a_responsive_table_repeats_each_columns_heading_in_its_cells_hidden_from_readers():
    row = [Cell("Dale Surgery", header=True), Cell("6,000", numeric=True)]

    html = rendered(practices([row], responsive=True))

    assert '<table class="nhsuk-table nhsuk-table--responsive">' in html
    assert (
        '<th class="nhsuk-table__cell" scope="row">'
        '<span class="nhsuk-table-responsive__heading" aria-hidden="true">Practice </span>'
        "<span>Dale Surgery</span></th>"
        '<td class="nhsuk-table__cell nhsuk-table__cell--numeric">'
        '<span class="nhsuk-table-responsive__heading" aria-hidden="true">List size </span>'
        "<span>6,000</span></td>"
    ) in html
    # The real headings stay in the head, for screen readers and wide screens.
    assert 'scope="col">List size</th>' in html


def test_a_table_that_is_not_responsive_has_no_repeated_headings():
    html = rendered(practices([[Cell("Dale Surgery"), Cell("6,000")]]))

    assert '<table class="nhsuk-table">' in html
    assert "responsive" not in html


def test_a_responsive_table_keeps_its_own_class_and_its_empty_message():
    with_class = rendered(practices([[Cell("A"), Cell("1")]], responsive=True, css="app-x"))
    empty = rendered(practices([], responsive=True, empty="No practices are recorded yet."))

    assert '<table class="nhsuk-table nhsuk-table--responsive app-x">' in with_class
    assert empty == "<p>No practices are recorded yet.</p>"


def test_a_row_with_more_or_fewer_cells_than_headings_is_refused():
    with pytest.raises(ValueError):
        rendered(practices([[Cell("Dale Surgery")]]))


def test_strong_text_is_bold_words_after_follow_the_link_and_warnings_are_bold_lines():
    row = [
        Cell("Plan 2007/08", href="/plans/1/", after="(2007/08)"),
        Cell("Complete it.", strong=True, warnings=("No one holds Chair: assign someone.",)),
    ]

    html = rendered(practices([row]))

    assert '<a href="/plans/1/">Plan 2007/08</a> (2007/08)</td>' in html
    assert (
        "<strong>Complete it.</strong><br><strong>No one holds Chair: assign someone.</strong>"
    ) in html


def test_hostile_headings_are_escaped_where_a_responsive_table_repeats_them():
    hostile = "<script>alert(1)</script>"
    table = Table(
        caption="Figures",
        headings=[Heading(hostile)],
        rows=[[Cell(hostile, after=hostile, warnings=(hostile,))]],
        responsive=True,
    )

    html = rendered(table)

    assert "<script>" not in html
    assert (
        '<span class="nhsuk-table-responsive__heading" aria-hidden="true">'
        "&lt;script&gt;alert(1)&lt;/script&gt; </span>"
    ) in html
