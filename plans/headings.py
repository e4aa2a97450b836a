"""Headings of stored text fitted into the page's outline: the text's highest heading becomes
``top`` and no level is skipped (guidance written with h4s sits under a page's h1 as h2s)."""

import re

#: the level of the highest heading in the answer editor, under the question's h2
EDITOR_TOP_HEADING = 3
_HEADING_TAG = re.compile(r"<(/?)h([1-6])(?=[\s>])", re.IGNORECASE)


def renumbered(html: str, top: int) -> str:
    """``html`` (already sanitised) with only its heading levels changed."""
    levels = sorted({int(level) for _, level in _HEADING_TAG.findall(html)})
    if not levels:
        return html
    level_for = {level: min(top + rank, 6) for rank, level in enumerate(levels)}
    return _HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{level_for[int(m.group(2))]}", html)
