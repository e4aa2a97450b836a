from plans.worked_out import figures_in


def test_each_marked_regions_contents_are_found_by_name_exactly_as_drawn():
    markup = (
        '<table data-figure="summary"><tr><td>1 &amp; 2</td></tr></table>\n'
        '<p>Typed <input name="x" value="3"></p><dd data-figure="total"><strong>£3</strong></dd>'
    )

    assert figures_in(markup) == {
        "summary": "<tr><td>1 &amp; 2</td></tr>",
        "total": "<strong>£3</strong>",
    }


def test_a_region_holding_its_own_kind_of_element_and_a_marked_one_ends_at_its_own_end():
    markup = (
        '<div data-figure="outer"><div>a</div><br/>\n'
        '<span data-figure="inner">b</span></div><div>after</div>'
    )

    found = figures_in(markup)

    assert found["outer"] == '<div>a</div><br/>\n<span data-figure="inner">b</span>'
    assert found["inner"] == "b"


def test_a_line_separator_typed_in_an_answer_does_not_move_the_regions_found_after_it():
    markup = (
        "<p>Typed\u2028across\u2029lines\r\nand\x0bon</p>\n"
        '<dd data-figure="total"><strong>£3</strong></dd>'
    )

    assert figures_in(markup) == {"total": "<strong>£3</strong>"}
