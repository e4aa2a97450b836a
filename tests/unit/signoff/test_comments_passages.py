"""Quoted passages are found as a reader sees the text (signoff/passages.py)."""

from types import SimpleNamespace

from signoff import passages


def test_visible_text_drops_tags_and_entities_and_separates_blocks_but_not_inline_tags():
    html = (
        "<h4>Aims</h4><p>Cut <strong>follow</strong>-ups &amp; waits.</p>"
        "<ul><li>A</li><li>B</li></ul>"
    )

    assert passages.visible_text(html) == "Aims Cut follow-ups & waits. A B"


def test_curly_and_straight_quotes_and_any_spacing_compare_equal():
    text = passages.visible_text("<p>The PCT\u2019s \u201cplan\u201d\n  is   ours&nbsp;too</p>")

    assert passages.contains(text, 'The PCT\'s "plan" is ours too')
    assert passages.contains(text, "  PCT\u2019s \u201cplan\u201d is\n")


def test_an_empty_quote_or_missing_words_are_not_found():
    text = passages.visible_text("<p>Quality of service</p>")

    assert not passages.contains(text, "")
    assert not passages.contains(text, "   ")
    assert not passages.contains(text, "Quality of care")


def table(*columns: dict) -> SimpleNamespace:
    return SimpleNamespace(key="practices", kind="table", columns=list(columns))


def test_an_answer_reads_as_the_page_shows_it_then_as_stored_a_line_apart():
    question = table({"key": "name", "label": "Practice"}, {"key": "code", "label": "Code"})
    answer = SimpleNamespace(
        plan_id=1,
        text="<p>Our practices:</p>",
        rows=[
            {"code": "E82001", "name": "Boxwell Road Surgery"},
            {"name": "A &amp; B", "code": ""},
        ],
    )

    assert passages.answer_text(question, answer) == (
        "Boxwell Road Surgery E82001 A &amp; B Our practices:\n"
        "Our practices: E82001 Boxwell Road Surgery A & B"
    )
    assert passages.answer_text(question, None) == ""


def test_a_typed_tables_cells_read_as_printed_in_the_columns_order():
    question = table(
        {"key": "scheme", "label": "Scheme"},
        {"key": "budget", "label": "Budget", "type": "money", "total": "sum"},
        {"key": "starts", "label": "Starts", "type": "date"},
    )
    answer = SimpleNamespace(
        plan_id=1, text="", rows=[{"starts": "2007-04-01", "budget": "15000", "scheme": "Falls"}]
    )

    shown, stored = passages.answer_text(question, answer).split("\n")

    assert shown == "Falls £15,000 1 April 2007 Total £15,000"
    assert stored == "2007-04-01 15000 Falls"
