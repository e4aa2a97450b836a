"""Finding a quoted passage in an answer or in the form's guidance, as a reader sees it.

A reviewer's quote is what they selected on the page (or typed): compared with the visible
text, not with the stored HTML, so tags, entities, line breaks and curly or straight quotes
make no difference.
"""

import html
import re

from plans.sanitise import html_to_text

# Tags that break the text into separate lines on screen; other tags (emphasis, links) sit
# inside a line, so removing them must not add a space.
_BLOCK_TAG = re.compile(
    r"</?(?:p|br|li|ul|ol|h[1-6]|blockquote|div|table|thead|tbody|tr|td|th)\b[^>]*>",
    re.IGNORECASE,
)
_QUOTES = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark, apostrophe
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
    }
)
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """One space between words, straight quotes, no space at either end."""
    return _SPACE.sub(" ", (text or "").translate(_QUOTES)).strip()


def visible_text(markup: str) -> str:
    """The words of sanitised HTML as a reader sees them, normalised."""
    return normalise(html_to_text(_BLOCK_TAG.sub(" ", markup or "")))


def answer_text(answer) -> str:
    """The visible text of an answer: its written text, then its table cells row by row."""
    if answer is None:
        return ""
    pieces = [visible_text(answer.text)]
    for row in answer.rows or []:
        pieces.extend(normalise(html.unescape(str(value))) for value in row.values() if value)
    return " ".join(piece for piece in pieces if piece)


def contains(haystack: str, quote: str) -> bool:
    """Whether the normalised ``haystack`` holds ``quote`` (normalised here)."""
    needle = normalise(quote)
    return bool(needle) and needle in haystack
