"""Three-way merges of one answer: the version the editor started from (the base), theirs
(saved by someone else meanwhile) and yours (the editor's, not saved). Pure functions, no
database: the view finds the base in the answer's history and offers what this returns.

- A change made on one side only is taken; the same change made on both sides is taken once.
- Passages (paragraphs, list items, headings) or cells of a row changed by both sides
  differently clash: the result keeps yours there, as saving without a merge would, and each
  clash is listed so the editor can compare it with theirs.
- Things added by both sides at the same place are both kept, theirs first.
- Rich text is merged block by block and the result cleaned again (plans/sanitise.py);
  tables row by row, and a row both changed cell by cell (docs/decisions/0495); structured
  figures only where they are one list of rows (0471), anything else is left to the editor.

Nothing here saves: the result goes into the form for the editor to check and save.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .diffs import Content, visible_paragraphs
from .headings import EDITOR_TOP_HEADING, renumbered
from .kinds.table import shown_cell
from .sanitise import clean_html

THEIRS, YOURS = "theirs", "yours"
LIST_TAGS = frozenset({"ul", "ol"})


@dataclass(frozen=True)
class _Hunk:
    """One side's change: base[start:end] replaced by ``items``."""

    start: int
    end: int
    items: tuple
    side: str

    @property
    def inserts(self) -> bool:
        return self.start == self.end


@dataclass(frozen=True)
class SequenceClash:
    """A stretch of the base both sides changed differently, as each left it."""

    start: int  # its place in the base, 0-based
    base: tuple
    theirs: tuple
    yours: tuple


@dataclass(frozen=True)
class SequenceMerge:
    items: list
    clashes: list[SequenceClash] = field(default_factory=list)


#: how a stretch both sides changed differently may still be put together: its merge (which
#: may list clashes of its own, smaller than the stretch), or None where it clashes whole
Together = Callable[[SequenceClash], "SequenceMerge | None"]


def _hunks(base: list, other: list, side: str) -> list[_Hunk]:
    matcher = difflib.SequenceMatcher(None, base, other, autojunk=False)
    return [
        _Hunk(i1, i2, tuple(other[j1:j2]), side)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def _clusters(hunks: list[_Hunk]) -> list[list[_Hunk]]:
    """Hunks grouped where they overlap in the base; insertions at one place go together."""
    clusters: list[list[_Hunk]] = []
    end = -1
    for hunk in sorted(hunks, key=lambda h: (h.start, h.end, h.side != THEIRS)):
        if clusters:
            first = clusters[-1][0]
            same_insertion = hunk.inserts and first.inserts and hunk.start == first.start
            if same_insertion or hunk.start < end:
                clusters[-1].append(hunk)
                end = max(end, hunk.end)
                continue
        clusters.append([hunk])
        end = hunk.end
    return clusters


def _applied(base: list, start: int, end: int, hunks: list[_Hunk]) -> tuple:
    """base[start:end] with one side's hunks (which lie inside it) applied."""
    result, at = [], start
    for hunk in sorted(hunks, key=lambda h: (h.start, h.end)):
        result.extend(base[at : hunk.start])
        result.extend(hunk.items)
        at = hunk.end
    result.extend(base[at:end])
    return tuple(result)


def merge_sequences(
    base: list, yours: list, theirs: list, *, together: Together | None = None
) -> SequenceMerge:
    """Both sides' changes to ``base`` together; items are compared by equality. A stretch
    both changed differently clashes whole unless ``together`` puts it together."""
    clusters = _clusters(_hunks(base, theirs, THEIRS) + _hunks(base, yours, YOURS))
    items: list = []
    clashes: list[SequenceClash] = []
    at = 0
    for cluster in clusters:
        start = min(h.start for h in cluster)
        end = max(h.end for h in cluster)
        items.extend(base[at:start])
        at = end
        sides = {h.side for h in cluster}
        their_part = _applied(base, start, end, [h for h in cluster if h.side == THEIRS])
        your_part = _applied(base, start, end, [h for h in cluster if h.side == YOURS])
        if len(sides) == 1 or their_part == your_part:
            items.extend(their_part if sides == {THEIRS} else your_part)
        elif all(h.inserts for h in cluster):
            items.extend(their_part)
            items.extend(item for item in your_part if item not in their_part)
        else:
            clash = SequenceClash(start, tuple(base[start:end]), their_part, your_part)
            joined = together(clash) if together else None
            items.extend(your_part if joined is None else joined.items)
            clashes.extend([clash] if joined is None else joined.clashes)
    items.extend(base[at:])
    return SequenceMerge(items, clashes)


# --- Rich text ---------------------------------------------------------------------------


class _Blocks(HTMLParser):
    """Cleaned HTML cut into its blocks: each top-level element, each item of a top-level
    list (with the list's tag), and each run of top-level inline content, as source text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=False)
        self.source = html
        self._line_starts = [0]
        for line in html.splitlines(keepends=True):
            self._line_starts.append(self._line_starts[-1] + len(line))
        self.blocks: list[tuple[str, str]] = []
        self._depth = 0
        self._list = ""  # the top-level list we are in
        self._start: int | None = None  # where the block being read began
        self._inline = False  # the block being read is a run of top-level inline content

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _begin_block(self, inline: bool = False):
        if self._start is None:
            self._start, self._inline = self._offset(), inline

    def _end_block(self, end: int):
        if self._start is not None:
            text = " ".join(self.source[self._start : end].split())
            if text:
                self.blocks.append((self._list, text))
        self._start, self._inline = None, False

    def _block_level(self) -> int:
        return 1 if self._list else 0

    def handle_starttag(self, tag, attrs):
        if self._depth == 0 and tag in LIST_TAGS:
            self._end_block(self._offset())
            self._list = tag
        elif self._depth == self._block_level():
            inline = tag not in {"p", "h2", "h3", "h4", "li", "blockquote"}
            if self._inline and not inline:
                self._end_block(self._offset())
            self._begin_block(inline)
        if tag != "br":
            self._depth += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self._depth -= 1
        if self._depth == 0 and self._list:
            self._list = ""
        elif self._depth == self._block_level() and not self._inline:
            self._end_block(self._offset() + len(f"</{tag}>"))

    def _handle_text(self):
        if self._depth == self._block_level():
            self._begin_block(inline=True)

    def handle_data(self, data):
        if data.strip():
            self._handle_text()

    def handle_entityref(self, name):
        self._handle_text()

    def handle_charref(self, name):
        self._handle_text()

    def close(self):
        super().close()
        self._end_block(len(self.source))


def html_blocks(html: str) -> list[tuple[str, str]]:
    """The blocks of cleaned HTML as (list tag or "", the block's markup)."""
    parser = _Blocks(html or "")
    parser.feed(html or "")
    parser.close()
    return parser.blocks


def blocks_html(blocks) -> str:
    """Blocks back into HTML, each run of items of one kind of list in one list, cleaned."""
    parts: list[str] = []
    open_list = ""
    for list_tag, markup in blocks:
        if list_tag != open_list:
            if open_list:
                parts.append(f"</{open_list}>")
            if list_tag:
                parts.append(f"<{list_tag}>")
            open_list = list_tag
        parts.append(markup)
    if open_list:
        parts.append(f"</{open_list}>")
    return clean_html("".join(parts))


# Where a block's own content is more than a run of text: the editor leaves it as it is.
_BLOCK_INSIDE = re.compile(r"<(?:p|h[2-4]|blockquote|ul|ol|li)\b")


def _editor_shape(block: tuple[str, str]) -> tuple[str, str]:
    """A block as the editor gives it back once loaded: text outside any block, or alone in
    a list item, put in a paragraph. Stored HTML (the Word import, a save without the
    script, older answers) is often in the other shape, so a passage the editor only
    reshaped would otherwise read as changed by its editor (docs/decisions/0497)."""
    list_tag, markup = block
    if list_tag:
        inside = markup.removeprefix("<li>").removesuffix("</li>")
        if inside != markup and not _BLOCK_INSIDE.search(inside):
            markup = f"<li><p>{inside.strip()}</p></li>"
    elif not _BLOCK_INSIDE.match(markup):
        markup = f"<p>{markup.strip()}</p>"
    return list_tag, markup


# --- Rows --------------------------------------------------------------------------------


def _row_key(row) -> str:
    return json.dumps(row, sort_keys=True, default=str)


def merge_by_key(
    key, base: list, yours: list, theirs: list, *, together: Together | None = None
) -> SequenceMerge:
    """Items merged as ``merge_sequences`` does, compared by ``key(item)``; where the sides'
    items of one key differ otherwise, theirs is kept (it is what is saved). ``together`` is
    given and gives items, not keys."""
    item_of = {key(item): item for item in (*base, *yours, *theirs)}

    def items(keys) -> tuple:
        return tuple(item_of[k] for k in keys)

    def as_items(clash: SequenceClash) -> SequenceClash:
        return SequenceClash(
            clash.start, items(clash.base), items(clash.theirs), items(clash.yours)
        )

    def keys(items) -> tuple:
        return tuple(key(item) for item in items)

    def together_by_key(clash: SequenceClash) -> SequenceMerge | None:
        joined = together(as_items(clash))
        if joined is None:
            return None
        for item in joined.items:  # a merged row equal to a side's keeps that side's
            item_of.setdefault(key(item), item)
        return SequenceMerge(
            list(keys(joined.items)),
            [
                SequenceClash(part.start, keys(part.base), keys(part.theirs), keys(part.yours))
                for part in joined.clashes
            ],
        )

    merged = merge_sequences(
        list(keys(base)),
        list(keys(yours)),
        list(keys(theirs)),
        together=together_by_key if together else None,
    )
    return SequenceMerge(list(items(merged.items)), [as_items(c) for c in merged.clashes])


_MISSING = object()


def _cells_merged(base: dict, yours: dict, theirs: dict) -> tuple[dict, bool]:
    """One row both sides changed, merged cell by cell as passages are merged: a cell changed
    on one side takes that change; one both changed differently keeps yours. Whether any
    cell clashed is said too."""
    row, clashed = {}, False
    for name in dict.fromkeys([*yours, *theirs, *base]):
        was, mine, other = (side.get(name, _MISSING) for side in (base, yours, theirs))
        if mine == was:
            cell = other
        elif other in (was, mine):
            cell = mine
        else:
            cell, clashed = mine, True
        if cell is not _MISSING:
            row[name] = cell
    return row, clashed


def _rows_cell_by_cell(clash: SequenceClash) -> SequenceMerge | None:
    """Rows both sides changed in place (each side has as many rows there as the base) merged
    cell by cell: a row clashes only where both changed one of its cells differently
    (docs/decisions/0495). Rows added, removed or moved in the stretch leave it to clash
    whole, as a row is then no longer where it was."""
    sides = (clash.base, clash.theirs, clash.yours)
    if len({len(side) for side in sides}) != 1 or not all(
        isinstance(row, dict) for side in sides for row in side
    ):
        return None
    rows, clashes = [], []
    for offset, (was, other, mine) in enumerate(zip(*sides, strict=True)):
        row, clashed = _cells_merged(was, mine, other)
        rows.append(row)
        if clashed:
            clashes.append(SequenceClash(clash.start + offset, (was,), (other,), (mine,)))
    return SequenceMerge(rows, clashes)


def merge_rows(base: list, yours: list, theirs: list) -> SequenceMerge:
    """Rows merged as passages are: a row either side added is kept, a row one side changed
    or removed takes that change; a row both changed is merged cell by cell, and clashes only
    where both changed one cell differently (its other cells still merged, yours kept in the
    clashing one)."""
    return merge_by_key(_row_key, base, yours, theirs, together=_rows_cell_by_cell)


def _list_of_rows(data) -> tuple[str, list] | None:
    """(key, rows) where figures are one list of flat rows, as a simple kind keeps them."""
    if not isinstance(data, dict) or len(data) != 1:
        return None
    ((key, rows),) = data.items()
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        return None
    for row in rows:
        for value in row.values():
            if isinstance(value, dict) or (
                isinstance(value, list) and any(isinstance(item, (dict, list)) for item in value)
            ):
                return None
    return key, rows


# --- Whole answers -----------------------------------------------------------------------


@dataclass(frozen=True)
class Clash:
    """A passage or row both sides changed, in words the page shows ("" where a side removed
    it)."""

    where: str
    theirs: str
    yours: str


@dataclass
class AnswerMerge:
    """Both changes together, or why they cannot be put together here."""

    content: Content | None = None
    clashes: list[Clash] = field(default_factory=list)
    #: set when nothing could be merged, saying why
    not_merged: str = ""
    #: whether the result holds something of theirs and something of yours
    useful: bool = False


def _passage(blocks) -> str:
    return " ".join(visible_paragraphs(blocks_html(blocks)))


def _row_words(rows, columns: list[dict]) -> str:
    """Each row's cells, in the table's column order where it has columns and printed as the
    page prints them under their column's type ("£1,234.50", "Yes")."""

    def cells(row: dict) -> list[str]:
        ordered = [column for column in columns if column["key"] in row]
        keys = {column["key"] for column in ordered}
        return [shown_cell(row[column["key"]], column) for column in ordered] + [
            str(value) for key, value in row.items() if key not in keys
        ]

    return "; ".join(" | ".join(cells(row)) for row in rows)


def _quoted_start(words: str) -> str:
    short = words if len(words) <= 60 else words[:57].rstrip() + "…"
    return f"\u201c{short}\u201d"


def _text_clashes(merged: SequenceMerge) -> list[Clash]:
    clashes = []
    for clash in merged.clashes:
        before = _passage(clash.base) if clash.base else ""
        where = (
            f"The passage that read {_quoted_start(before)}"
            if clash.base
            else f"What you both added after passage {clash.start}"
            if clash.start
            else "What you both added at the start"
        )
        clashes.append(Clash(where, _passage(clash.theirs), _passage(clash.yours)))
    return clashes


def _row_clashes(merged: SequenceMerge, columns: list[dict]) -> list[Clash]:
    clashes = []
    for clash in merged.clashes:
        first, last = clash.start + 1, clash.start + len(clash.base)
        where = (
            f"Row {first}"
            if first == last
            else f"Rows {first} to {last}"
            if clash.base
            else f"Rows you both added after row {clash.start}"
        )
        clashes.append(
            Clash(where, _row_words(clash.theirs, columns), _row_words(clash.yours, columns))
        )
    return clashes


def merge_answers(
    *, base: Content, yours: Content, theirs: Content, columns: list[dict] | None = None
) -> AnswerMerge:
    """An answer's text, table rows and figures, each merged as its own kind is (a table's
    ``columns`` order the cells of a clashing row as the page does); ``yours``
    text is cleaned here as a save would clean it, and every side's headings fitted to the
    editor's levels."""
    # Headings compared as the editor shows them (plans/forms.py), so no side seems to have
    # changed every heading when only the editor renumbered them.
    base_text, text, their_text = (
        renumbered(clean_html(side.text), EDITOR_TOP_HEADING) for side in (base, yours, theirs)
    )
    clashes: list[Clash] = []
    merged_text = theirs.text
    if base_text or text or their_text:
        # Blocks compared in the editor's shape: one it only reshaped is unchanged.
        blocks = merge_by_key(
            _editor_shape, html_blocks(base_text), html_blocks(text), html_blocks(their_text)
        )
        merged_text = blocks_html(blocks.items)
        clashes += _text_clashes(blocks)
    merged_rows = theirs.rows
    if base.rows or yours.rows or theirs.rows:
        rows = merge_rows(base.rows, yours.rows, theirs.rows)
        merged_rows = rows.items
        clashes += _row_clashes(rows, columns or [])
    merged_data = theirs.data
    if base.data or yours.data or theirs.data:
        if base.data == yours.data:
            merged_data = theirs.data
        elif base.data == theirs.data or yours.data == theirs.data:
            merged_data = yours.data
        else:
            lists = [
                _list_of_rows(data or {"": []}) for data in (base.data, yours.data, theirs.data)
            ]
            if any(found is None for found in lists) or len({key for key, _ in lists} - {""}) > 1:
                return AnswerMerge(
                    not_merged="These figures cannot be put together automatically: compare "
                    "yours with theirs and change the form before you save."
                )
            key = next(key for key, _ in lists if key)
            rows = merge_rows(*(found[1] for found in lists))
            merged_data = {key: rows.items}
            clashes += _row_clashes(rows, [])
    content = Content(text=merged_text, rows=merged_rows, data=merged_data)
    as_yours = Content(text=text, rows=yours.rows, data=yours.data)
    as_theirs = Content(text=their_text, rows=theirs.rows, data=theirs.data)
    return AnswerMerge(
        content=content,
        clashes=clashes,
        useful=not content.same_as(as_yours) and not content.same_as(as_theirs),
    )
