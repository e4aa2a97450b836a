import pytest

from plans.sanitise import html_to_text

HOSTILE = [
    '<![><img src="]><img src=x onerror=alert(1)//">',
    "<!--",
    "<p",
    "</",
    "<![CDATA[",
    "<svg><style>x</style>",
    "a\ud800b",
    "a\x00b",
]


@pytest.mark.parametrize("markup", HOSTILE)
def test_plain_text_of_any_markup_is_found_without_raising_or_keeping_a_tag(markup):
    text = html_to_text(markup)

    assert "<img" not in text and "\x00" not in text and "\ud800" not in text


def test_plain_text_keeps_the_words_and_reads_entities_as_characters():
    assert html_to_text("<p>Fish &amp; chips</p><ul><li>4 &lt; 5</li></ul>") == "Fish & chips4 < 5"
