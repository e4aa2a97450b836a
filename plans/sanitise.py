"""Every piece of rich text is cleaned here, on the server, against one allowlist."""

import html
import re

import nh3

from consortia.plain_forms import SURROGATES

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h2", "h3", "h4", "a", "blockquote",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
MAX_ANSWER_CHARACTERS = 100_000


def answer_too_long(text: str) -> str:
    """The refusal of an answer over MAX_ANSWER_CHARACTERS. What is measured is what is stored:
    the text with the codes of its formatting, which the person never sees, so the message says
    so rather than count what they typed."""
    return (
        f"This answer is {len(text):,} characters long with its formatting (the hidden codes for "
        f"paragraphs, headings, lists and links); the most an answer can hold is "
        f"{MAX_ANSWER_CHARACTERS:,}. Shorten it or move detail into an appendix."
    )


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


#: The spaces around a text that are trimmed: every kind but the no-break space, which the
#: cleaner plain text once went through kept (so text stored then reads back the same).
_AROUND = re.compile(r"^[^\S\xa0]+|[^\S\xa0]+$")


def plain_text(value) -> str:
    """Plain text (a table cell, a name, a title) kept as typed: only the spaces around it are
    trimmed and each line break made a line feed. Nothing that looks like markup is removed
    or decoded: "a<b>c" and "&amp;" stay as they are, and every output escapes them (Django's
    templates, the PDF's, the Word export's runs). ``UNSTORABLE`` text is for the caller to
    refuse."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    return _AROUND.sub("", text)


def html_to_text(markup: str) -> str:
    """The words of stored HTML, or of plain text that may hold tag-like runs, as plain text.

    Built on nh3's parser, which reads any input: Django's ``strip_tags`` hands some malformed
    markup (``<![>``) to ``html.parser``, which raises.
    """
    cleaned = nh3.clean(SURROGATES.sub("\ufffd", markup or ""), tags=set(), strip_comments=True)
    return html.unescape(cleaned).strip()
