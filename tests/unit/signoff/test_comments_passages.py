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


def test_an_answer_reads_as_its_text_then_its_table_cells():
    answer = SimpleNamespace(
        text="<p>Our practices:</p>",
        rows=[
            {"name": "Boxwell Road Surgery", "code": "E82001"},
            {"name": "A &amp; B", "code": ""},
        ],
    )

    assert passages.answer_text(answer) == "Our practices: Boxwell Road Surgery E82001 A & B"
    assert passages.answer_text(None) == ""
