"""Readable differences between two versions of an answer. Pure functions, no database.

- Text (sanitised HTML) is compared by its visible words, paragraph by paragraph: unchanged
  paragraphs stay whole, changed ones are compared word by word, and long runs of unchanged
  paragraphs far from any change are folded into "N paragraphs unchanged".
- Tables are compared row by row: rows are matched on their first column (a practice's name,
  a director's name), so an inserted row shows as added rather than shifting every row below
  it; matched rows have their changed cells marked. Cells are compared as the page prints them
  ("£1,234.50", "1 April 2027", "Yes"), never as stored.
- Structured figures (projects, funding ...) are flattened into labelled lines
  ("Project 1 > Target 1.3 > Planned saving: £335,000", with a chevron) and compared line by
  line, each value printed under its kind's column as the page prints it, by the function
  that prints a table's cells.

Nothing here returns markup: templates/plans/_diff.html lays the result out and escapes it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser

from .content import aligned_rows, columns_of
from .kinds.rows import ONE_LINE_CHARACTERS
from .kinds.table import shown_cell, shown_columns
from .structured import figure_columns

SAME, ADDED, REMOVED, CHANGED = "same", "ins", "del", "changed"

# Rich text: tags that end a paragraph of visible text.
BLOCK_TAGS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "div", "br",
                        "ul", "ol", "tr", "table"})  # fmt: skip
PARAGRAPHS_OF_CONTEXT = 1


@dataclass(frozen=True)
class Segment:
    """A run of words that is unchanged (``same``), added (``ins``) or removed (``del``)."""

    op: str
    text: str


@dataclass
class Paragraph:
    segments: list[Segment] = field(default_factory=list)
    skipped: int = 0  # when > 0, this stands for that many unchanged paragraphs, folded

    @property
    def changed(self) -> bool:
        return any(segment.op != SAME for segment in self.segments)


@dataclass
class TextDiff:
    paragraphs: list[Paragraph]
    words_added: int = 0
    words_removed: int = 0
    #: the same words, formatted otherwise (underlined, bold, a heading, a list)
    formatting_changed: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.words_added or self.words_removed)


@dataclass(frozen=True)
class CellDiff:
    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new

    @cached_property
    def segments(self) -> list[Segment]:
        """The words a change to a long cell removed and added, among those it kept (as a
        long figure's, ``word_changes``); [] where the cell is shown whole."""
        return word_changes(self.old, self.new) if self.old and self.new else []


@dataclass
class RowDiff:
    state: str  # ADDED, REMOVED, CHANGED or SAME
    old_number: int | None  # 1-based position in the old table
    new_number: int | None
    cells: list[CellDiff]

    @property
    def label(self) -> str:
        return {ADDED: "Added", REMOVED: "Removed", CHANGED: "Changed", SAME: ""}[self.state]

    @property
    def number(self) -> int | None:
        return self.new_number if self.new_number is not None else self.old_number


@dataclass
class TableDiff:
    columns: list[str]
    rows: list[RowDiff]

    @property
    def changed_rows(self) -> list[RowDiff]:
        return [row for row in self.rows if row.state != SAME]

    @property
    def unchanged_count(self) -> int:
        return sum(1 for row in self.rows if row.state == SAME)

    @property
    def changed(self) -> bool:
        return any(row.state != SAME for row in self.rows)

    def count(self, state: str) -> int:
        return sum(1 for row in self.rows if row.state == state)


@dataclass
class DataLine:
    state: str  # ADDED, REMOVED or CHANGED
    label: str
    old: str = ""
    new: str = ""
    segments: list[Segment] = field(default_factory=list)  # word changes of a long value


@dataclass
class DataDiff:
    lines: list[DataLine]
    unchanged_count: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.lines)


@dataclass
class AnswerDiff:
    text: TextDiff | None = None
    table: TableDiff | None = None
    data: DataDiff | None = None

    @property
    def changed(self) -> bool:
        return any(part is not None and part.changed for part in (self.text, self.table, self.data))

    @property
    def summary(self) -> str:
        """A few plain words: "12 words added, 3 removed; 1 row added"."""
        bits = []
        if self.text is not None and self.text.changed:
            bits.append(_counted(self.text.words_added, self.text.words_removed, "word"))
        elif self.text is not None and self.text.formatting_changed:
            bits.append("The same words, formatted differently")
        if self.table is not None and self.table.changed:
            table_bits = [
                f"{n} row{'s' if n != 1 else ''} {word}"
                for n, word in (
                    (self.table.count(ADDED), "added"),
                    (self.table.count(REMOVED), "removed"),
                    (self.table.count(CHANGED), "changed"),
                )
                if n
            ]
            bits.append(", ".join(table_bits))
        if self.data is not None and self.data.changed:
            n = len(self.data.lines)
            bits.append(f"{n} figure{'s' if n != 1 else ''} changed")
        return "; ".join(bits) if bits else "No changes"


def _counted(added: int, removed: int, noun: str) -> str:
    parts = []
    if added:
        parts.append(f"{added} {noun}{'s' if added != 1 else ''} added")
    if removed:
        parts.append(f"{removed} {noun}{'s' if removed != 1 else ''} removed")
    return ", ".join(parts)


# --- Rich text ---------------------------------------------------------------------------


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._current: list[str] = []
        self._bullet = False

    def _flush(self):
        text = " ".join("".join(self._current).split())
        self._current = []
        if text:
            self.paragraphs.append(f"• {text}" if self._bullet else text)
            self._bullet = False

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self._flush()
        if tag == "li":
            self._bullet = True

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self._flush()

    def handle_data(self, data):
        self._current.append(data)

    def close(self):
        super().close()
        self._flush()


def visible_paragraphs(html: str) -> list[str]:
    """The words a reader sees, one string per paragraph, list item or heading."""
    parser = _VisibleText()
    parser.feed(html or "")
    parser.close()
    return parser.paragraphs


def _words(text: str) -> list[str]:
    return text.split()


# Above this many word comparisons, difflib's "popular word" heuristic keeps a diff quick.
EXACT_WORK_LIMIT = 4_000_000
PARAGRAPH_LOOKAHEAD = 12


def _matcher(a: list, b: list) -> difflib.SequenceMatcher:
    return difflib.SequenceMatcher(None, a, b, autojunk=len(a) * len(b) > EXACT_WORK_LIMIT)


def _segments(old_words: list[str], new_words: list[str]) -> list[Segment]:
    """Runs of same / removed / added words; removals come before additions in a change."""
    segments: list[Segment] = []

    def add(op: str, words: list[str]):
        if not words:
            return
        if segments and segments[-1].op == op:
            segments[-1] = Segment(op, f"{segments[-1].text} {' '.join(words)}")
        else:
            segments.append(Segment(op, " ".join(words)))

    for tag, i1, i2, j1, j2 in _matcher(old_words, new_words).get_opcodes():
        if tag == "equal":
            add(SAME, old_words[i1:i2])
        else:
            add(REMOVED, old_words[i1:i2])
            add(ADDED, new_words[j1:j2])
    return segments


def word_changes(old: str, new: str) -> list[Segment]:
    """A change to a value longer than a line as the words it removed and added among those it
    kept; [] for a shorter one, shown whole as it was and as it is."""
    if old != new and max(len(old), len(new)) > ONE_LINE_CHARACTERS:
        return _segments(_words(old), _words(new))
    return []


def _pair_paragraphs(old: list[str], new: list[str]) -> list[tuple[str | None, str | None]]:
    """Line up the paragraphs of a changed stretch: a paragraph and the most alike of the next
    few new ones are compared word by word; the rest are whole paragraphs added or removed."""
    pairs: list[tuple[str | None, str | None]] = []
    j = 0
    for old_paragraph in old:
        old_words = _words(old_paragraph)
        best, best_ratio = None, 0.0
        for k in range(j, min(len(new), j + PARAGRAPH_LOOKAHEAD)):
            matcher = _matcher(old_words, _words(new[k]))
            if matcher.quick_ratio() <= best_ratio:
                continue
            ratio = matcher.ratio()
            if ratio > best_ratio:
                best, best_ratio = k, ratio
        if best is not None and best_ratio >= 0.4:
            pairs.extend((None, paragraph) for paragraph in new[j:best])
            pairs.append((old_paragraph, new[best]))
            j = best + 1
        else:
            pairs.append((old_paragraph, None))
    pairs.extend((None, paragraph) for paragraph in new[j:])
    return pairs


def _fold(paragraphs: list[Paragraph], context: int) -> list[Paragraph]:
    """Keep ``context`` unchanged paragraphs either side of each change; fold the rest."""
    if not any(p.changed for p in paragraphs):
        return paragraphs
    changed_at = [i for i, p in enumerate(paragraphs) if p.changed]
    keep = {i for c in changed_at for i in range(c - context, c + context + 1)}
    folded: list[Paragraph] = []
    for i, paragraph in enumerate(paragraphs):
        if i in keep or paragraph.changed:
            folded.append(paragraph)
        elif folded and folded[-1].skipped:
            folded[-1].skipped += 1
        else:
            folded.append(Paragraph(skipped=1))
    return folded


def diff_text(old_html: str, new_html: str, *, context: int = PARAGRAPHS_OF_CONTEXT) -> TextDiff:
    """The visible words of two HTML answers compared: whole paragraphs where they are the
    same, word by word where they changed."""
    old, new = visible_paragraphs(old_html), visible_paragraphs(new_html)
    paragraphs: list[Paragraph] = []
    added = removed = 0
    for tag, i1, i2, j1, j2 in _matcher(old, new).get_opcodes():
        if tag == "equal":
            paragraphs.extend(Paragraph([Segment(SAME, text)]) for text in old[i1:i2])
            continue
        for old_paragraph, new_paragraph in _pair_paragraphs(old[i1:i2], new[j1:j2]):
            segments = _segments(_words(old_paragraph or ""), _words(new_paragraph or ""))
            for segment in segments:
                if segment.op == ADDED:
                    added += len(segment.text.split())
                elif segment.op == REMOVED:
                    removed += len(segment.text.split())
            paragraphs.append(Paragraph(segments))
    return TextDiff(
        _fold(paragraphs, context),
        words_added=added,
        words_removed=removed,
        formatting_changed=not (added or removed)
        and _normalise_html(old_html) != _normalise_html(new_html),
    )


# --- Tables ------------------------------------------------------------------------------


def diff_rows(
    old_rows: list[dict], new_rows: list[dict], columns: list[dict], *, source: str = "A diff"
) -> TableDiff:
    """Row by row: rows matched by their first column, changed cells marked.

    ``columns`` is the question's [{key, label, type ...}]: every row is read in its order, a
    missing cell blank, a key with no column left out (and logged with ``source``), as
    everywhere else a table is shown (plans/content.py).
    """
    ordered = columns_of(columns)
    labels = [column.label for column in ordered]
    old_values = _printed(ordered, columns, old_rows, source=source)
    new_values = _printed(ordered, columns, new_rows, source=source)
    # Rows are matched on their first column: the practice, the person, the activity.
    old_keys = [row[0].strip().lower() if row else "" for row in old_values]
    new_keys = [row[0].strip().lower() if row else "" for row in new_values]
    result: list[RowDiff] = []

    def pair(i: int, j: int):
        cells = [CellDiff(a, b) for a, b in zip(old_values[i], new_values[j], strict=True)]
        state = CHANGED if any(cell.changed for cell in cells) else SAME
        result.append(RowDiff(state, i + 1, j + 1, cells))

    def removed(i: int):
        result.append(RowDiff(REMOVED, i + 1, None, [CellDiff(v, "") for v in old_values[i]]))

    def added(j: int):
        result.append(RowDiff(ADDED, None, j + 1, [CellDiff("", v) for v in new_values[j]]))

    for tag, i1, i2, j1, j2 in _matcher(old_keys, new_keys).get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                pair(i1 + offset, j1 + offset)
        elif tag == "replace" and i2 - i1 == j2 - j1:
            # The same number of rows renamed in place: show them as changed rows.
            for offset in range(i2 - i1):
                pair(i1 + offset, j1 + offset)
        else:
            for i in range(i1, i2):
                removed(i)
            for j in range(j1, j2):
                added(j)
    return TableDiff(columns=labels, rows=result)


def _printed(ordered, columns: list[dict], rows: list[dict], *, source: str) -> list[list[str]]:
    """Each row's cells as the page, the PDF and the Word export print them under their
    column's type, so a change reads as the answer does, not as it is stored: a money column
    of that version with pence in any cell shows them in every cell (docs/decisions/0493)."""
    aligned = aligned_rows(ordered, rows, source=source)
    columns = shown_columns(columns, [row.as_dict() for row in aligned])
    return [
        [shown_cell(value, column) for value, column in zip(row.values, columns, strict=True)]
        for row in aligned
    ]


# --- Structured figures ------------------------------------------------------------------

IDENTITY_KEYS = ("code", "number", "key", "name", "activity", "item", "title")


def _label(key: str) -> str:
    return str(key).replace("_", " ").replace("-", " ").strip().capitalize()


def _singular(key: str) -> str:
    label = _label(key)
    if label.endswith("ies"):
        return label[:-3] + "y"
    if label.endswith("s") and not label.endswith("ss"):
        return label[:-1]
    return label


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return "" if value is None else str(value)


def _item_name(list_key: str, item, index: int) -> str:
    noun = _singular(list_key) or "Item"
    if isinstance(item, dict):
        for key in IDENTITY_KEYS:
            value = _scalar(item.get(key)).strip()
            if value:
                if len(value) > 50:
                    value = value[:47].rstrip() + "…"
                return f"{noun} {value}"
    return f"{noun} {index + 1}"


SEPARATOR = " \u203a "  # a single right-pointing chevron between the parts of a label


def _figure(value, column: dict | None) -> str:
    """A stored figure as the page prints it under its column; as stored without one."""
    if column is None or isinstance(value, bool):
        return _scalar(value)
    return shown_cell(value, column)


def flatten(data, columns: Mapping[str, dict] | None = None) -> list[tuple[str, str]]:
    """(label, value) for every figure in the JSON, in order, empty values left out.

    ``columns`` are the kind's ``printed_columns``: a value whose key has a column is printed
    as the page prints it ("£335,000", "1 April 2027", "On track"); a column given for a
    mapping prints every value in it."""
    columns = columns or {}
    lines: list[tuple[str, str]] = []

    def join(path: str, name: str) -> str:
        return f"{path}{SEPARATOR}{name}" if path else name

    def walk(value, path: str, key: str, column: dict | None = None):
        column = columns.get(key, column)
        if isinstance(value, dict):
            for child_key, child in value.items():
                walk(child, join(path, _label(child_key)), str(child_key), column)
        elif isinstance(value, list):
            if all(not isinstance(item, (dict, list)) for item in value):
                printed = (_figure(item, column).strip() for item in value)
                text = ", ".join(item for item in printed if item)
                if text:
                    lines.append((path, text))
                return
            # A list of records: each is named by its code, number or title instead of the
            # list's own name, so "Project 1 > Target 1.3" reads like the form.
            base = path.removesuffix(_label(key)).removesuffix(SEPARATOR) if key else path
            seen: dict[str, int] = {}
            for index, item in enumerate(value):
                name = _item_name(key, item, index)
                seen[name] = seen.get(name, 0) + 1
                if seen[name] > 1:
                    name = f"{name} ({seen[name]})"
                walk(item, join(base, name), "")
        else:
            text = _figure(value, column).strip()
            if text:
                lines.append((path, text))

    walk(data, "", "")
    return lines


def diff_data(old_data, new_data, *, columns: Mapping[str, dict] | None = None) -> DataDiff:
    """Figures that were added, removed or changed, each with its label, compared as printed
    under ``columns`` (see ``flatten``)."""
    old, new = flatten(old_data or {}, columns), flatten(new_data or {}, columns)
    old_by_label = dict(old)
    new_by_label = dict(new)
    lines: list[DataLine] = []
    unchanged = 0
    # Walk the new figures in order, then the removed ones, so the page reads like the form.
    for label, value in new:
        if label not in old_by_label:
            lines.append(DataLine(ADDED, label, new=value))
        elif old_by_label[label] != value:
            before = old_by_label[label]
            segments = word_changes(before, value)
            lines.append(DataLine(CHANGED, label, old=before, new=value, segments=segments))
        else:
            unchanged += 1
    for label, value in old:
        if label not in new_by_label:
            lines.append(DataLine(REMOVED, label, old=value))
    return DataDiff(lines=lines, unchanged_count=unchanged)


# --- Whole answers -----------------------------------------------------------------------


@dataclass(frozen=True)
class Content:
    """What an answer held at one moment, wherever it was read from."""

    text: str = ""
    rows: list = field(default_factory=list)
    data: dict = field(default_factory=dict)
    version: int | None = None

    @classmethod
    def of(cls, obj) -> Content:
        """From an Answer, a historical answer, a snapshot's dict, or None (nothing yet)."""
        if obj is None:
            return cls()
        if isinstance(obj, dict):
            return cls(
                text=obj.get("text") or "",
                rows=obj.get("rows") or [],
                data=obj.get("data") or {},
                version=obj.get("version"),
            )
        return cls(
            text=obj.text or "", rows=obj.rows or [], data=obj.data or {}, version=obj.version
        )

    def same_as(self, other: Content) -> bool:
        return (
            _normalise_html(self.text) == _normalise_html(other.text)
            and self.rows == other.rows
            and self.data == other.data
        )


# Space between blocks ("</p>\n<ul>") is never shown; the editor and the Word import write
# none, stored answers loaded from files often do.
_BLOCK_TAG_SPACE = re.compile(
    r"\s*(</?(?:p|ul|ol|li|h[1-6]|blockquote|table|thead|tbody|tr|td|th|dl|dt|dd|div)\b[^>]*>)\s*",
    re.I,
)


def _normalise_html(html: str) -> str:
    return _BLOCK_TAG_SPACE.sub(r"\1", re.sub(r"\s+", " ", html or "")).strip()


def diff_answers(
    old: Content,
    new: Content,
    *,
    columns: list[dict] | None = None,
    figure_columns: Mapping[str, dict] | None = None,
    source: str = "A diff",
) -> AnswerDiff:
    """Everything that differs between two versions of one answer: a table's cells printed
    under its ``columns``, a structured answer's figures under its kind's ``figure_columns``
    (``source`` names it in the log when a table row holds a cell with no column)."""
    result = AnswerDiff()
    if old.text or new.text:
        result.text = diff_text(old.text, new.text)
    if old.rows or new.rows:
        result.table = diff_rows(old.rows, new.rows, columns or [], source=source)
    if old.data or new.data:
        result.data = diff_data(old.data, new.data, columns=figure_columns)
    return result


def question_diff(old: Content, new: Content, *, question, source: str = "A diff") -> AnswerDiff:
    """``diff_answers`` for an answer to ``question`` (None once it is no longer on the form):
    its table's columns and its kind's figures, printed as its page prints them."""
    return diff_answers(
        old,
        new,
        columns=question.columns if question is not None else [],
        figure_columns=figure_columns(question),
        source=source,
    )
