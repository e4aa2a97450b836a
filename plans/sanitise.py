"""Every piece of rich text is cleaned here, on the server, against one allowlist."""

import html
import re

import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h2", "h3", "h4", "a", "blockquote",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
MAX_ANSWER_CHARACTERS = 100_000
# Python strings can hold UTF-16 surrogate code points (from JSON's "\ud800"); no text encoding
# can, so nh3 and PostgreSQL both refuse them.
SURROGATES = re.compile("[\ud800-\udfff]")


def clean_html(html: str) -> str:
    """Keep headings, emphasis, lists and links; drop scripts, styles, handlers and Word junk."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def clean_cell(value) -> str:
    """Table cells are plain text."""
    return nh3.clean(str(value or ""), tags=set()).strip()


def html_to_text(markup: str) -> str:
    """The words of stored HTML, or of plain text that may hold tag-like runs, as plain text.

    Built on nh3's parser, which reads any input: Django's ``strip_tags`` hands some malformed
    markup (``<![>``) to ``html.parser``, which raises.
    """
    cleaned = nh3.clean(SURROGATES.sub("\ufffd", markup or ""), tags=set(), strip_comments=True)
    return html.unescape(cleaned).strip()
