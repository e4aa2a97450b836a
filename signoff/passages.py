"""Finding a quoted passage in an answer or in the form's guidance, as a reader sees it.

A reviewer's quote is what they selected on the page (or typed): compared with the visible
text, not with the stored HTML, so tags, entities, line breaks and curly or straight quotes
make no difference.
"""

import html
import re

from plans.content import table_rows
from plans.kinds.base import NO_PLAN
from plans.models import QuestionKind
from plans.sanitise import html_to_text
from plans.structured import kind_for

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


def answer_text(question, answer) -> str:
    """The visible text of ``question``'s answer, read two ways a line apart: as the page
    shows it (a table's cells as printed, "£15,000", "1 April 2007", row by row in the
    columns' order, its totals row, then the written text), and as stored (the written text,
    then each row's cells as kept, "15000"), which quotes were checked against before
    (docs/decisions/0491). A normalised quote has no line break, so it matches within one
    reading, never across the two."""
    if answer is None:
        return ""
    written = visible_text(answer.text)
    shown = []
    if question.kind == QuestionKind.TABLE and answer.rows:
        aligned = table_rows(question, answer.rows, plan_id=answer.plan_id)
        cells, totals = kind_for(question).printed(
            [row.as_dict() for row in aligned], context=NO_PLAN
        )
        shown = [normalise(cell) for row in [*cells, totals] for cell in row if cell]
    stored = [
        normalise(html.unescape(str(value)))
        for row in answer.rows or []
        for value in row.values()
        if value
    ]
    readings = ([*shown, written], [written, *stored])
    return "\n".join(" ".join(piece for piece in reading if piece) for reading in readings)


def contains(haystack: str, quote: str) -> bool:
    """Whether the normalised ``haystack`` holds ``quote`` (normalised here)."""
    needle = normalise(quote)
    return bool(needle) and needle in haystack
