"""The one list-and-table implementation every kind with rows uses: a declarative row spec
(columns with a type and a label, optionally a list of sub-rows) drives reading the rows from
a post, the row buttons (add, remove, move), cleaning each cell by its type, the inputs a
template draws, and where a refusal is shown.

One name per field, from the post to plans/finance.py: a field path such as
``projects[0].targets[1].planned_saving``. It is the input's name (after the answer form's
prefix, as in any Django form), the ``field`` of an ``AnswerInvalid`` and of a
``FinanceInputError``, and the key the message is placed by. Nothing translates names.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from consortia.dates import as_typed
from consortia.numbers import (
    NotANumber,
    figure_as_typed,
    in_pence,
    pounds_and_pence,
    read_number,
)

from ..errors import AnswerInvalid, AnswersInvalid, refusals_of
from .base import (
    ACTION,
    DATE_PARTS,
    MAX_ROWS,
    Field,
    Kind,
    action,
    cell_said,
    count,
    decimal,
    plain_to_rich,
    rich,
    rich_to_plain,
    shown,
    stored,
    text,
    whole,
)

#: Cell types: how a cell is read from the post, cleaned, stored and drawn. DATE is three
#: boxes (day, month, year); DAY is a date typed in one box, as a table's date column asks.
TEXT, LONG_TEXT, WHOLE, MONEY, PERCENT, NUMBER, DATE, DAY, CHOICE, CHOICES, RICH, NAMES = (
    "text", "long_text", "whole", "money", "percent", "number", "date", "day", "choice",
    "choices", "rich", "names",
)  # fmt: skip
INPUTS = {
    TEXT: "text",
    LONG_TEXT: "textarea",
    WHOLE: "number",
    MONEY: "money",
    PERCENT: "percent",
    NUMBER: "number",
    DATE: "date",
    DAY: "day",
    CHOICE: "select",
    CHOICES: "checkboxes",
    RICH: "textarea",
    NAMES: "text",
}
#: about a line of a page: a one-line column with a longer cell is drawn in text areas
#: (``Column.drawn_over``), and a change to a longer value is shown word by word (plans.diffs)
ONE_LINE_CHARACTERS = 80
#: the type ``table.shown_cell`` prints a stored cell of each type as; the rest print as stored
PRINTED_TYPES = {
    MONEY: "money",
    PERCENT: "percent",
    WHOLE: "whole",
    DATE: "date",
    DAY: "date",
    CHOICE: "choice",
    RICH: "rich",
}
#: how a date typed in one box is asked for: as the box shows a date back, as the product's
#: date boxes do (docs/decisions/0474, 0480)
DAY_EXAMPLE = as_typed(date(2008, 10, 1))


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    type: str = TEXT
    width: str = ""
    hint: str = ""
    #: (value, label) pairs of a choice column; for a CHOICES column the kind fills them in
    choices: tuple[tuple[str, str], ...] = ()
    #: drawn with its label visible, the row named after it for screen readers
    visible_label: bool = False
    default: object = ""
    #: how a message names the cell ("The planned saving must be a number"); else the label
    said: str = ""
    #: False for a cell the template keeps in a hidden input of its own (a milestone's key)
    drawn: bool = True
    #: its heading over a table of inputs, where shorter than the label ("Hours each")
    heading: str = ""

    @property
    def input(self) -> str:
        return INPUTS[self.type]

    def drawn_over(self, values) -> Column:
        """This column as drawn over cells holding ``values``. A one-line box shows a few words
        of a paragraph, and a browser drops the line breaks of its value as it reads the page:
        a one-line column in which some cell holds a line break or more than a line of text
        (from Word, from last year's plan, or typed so) is drawn in text areas, every row
        alike, so its text can be read where it is edited and is saved again as it was. A list
        of names stays one line: its names are parted by commas, never by lines."""
        if self.type == TEXT and any(_written_over_lines(shown(value)) for value in values):
            return replace(self, type=LONG_TEXT)
        return self

    @property
    def printed(self) -> dict:
        """This column as a table question's column: what ``table.shown_cell`` prints a
        stored value under, as the page does ("£111,111", "1 April 2027", "On track")."""
        return {
            "key": self.key,
            "label": self.label,
            "type": PRINTED_TYPES.get(self.type, "text"),
            "choices": self.choices,
        }


def figure_column(key: str, label: str, type: str, *, said: str, heading: str = "") -> Column:
    """A short number cell (a count of patients, an amount of money), named in messages as
    ``said``."""
    return Column(key, label, type, width="10", said=said, heading=heading)


@dataclass(frozen=True)
class RowSpec:
    """A list of rows under ``name`` in the answer's value, each a row of ``columns`` and,
    with ``children``, a list of sub-rows (a project's targets, an area's outcomes)."""

    name: str
    noun: str
    columns: tuple[Column, ...]
    children: RowSpec | None = None
    max_rows: int = MAX_ROWS
    #: a row that counts as empty (dropped on Save); by default every cell blank and every
    #: sub-row empty
    is_empty: Callable[[dict], bool] | None = None
    #: how labels name a row ("business case 2"); by default the noun
    called: str = ""
    #: the cell whose value numbers a row where labels, buttons and messages name it ("area
    #: 6" for the area the plan numbers 6); by default, and when blank, its place in the list
    numbered_by: str = ""
    #: the headings of the cells the kind works out for each row (``DrawnRow.worked_out``),
    #: drawn after its inputs in a table of inputs
    worked_out: tuple[str, ...] = ()
    #: the words of the button that adds a row ("Add a line")
    add_words: str = ""
    #: what a table of inputs with no rows says ("No targets yet."); else it is left empty
    none_yet: str = ""

    @property
    def headings(self) -> tuple[str, ...]:
        """The headings of a table of inputs: the drawn columns', then the worked-out cells'."""
        drawn = tuple(column.heading or column.label for column in self.columns if column.drawn)
        return drawn + self.worked_out

    def new(self) -> dict:
        row = {column.key: _blank(column) for column in self.columns}
        if self.children is not None:
            row[self.children.name] = []
        return row

    def empty(self, row: dict) -> bool:
        if self.is_empty is not None:
            return self.is_empty(row)
        children = row.get(self.children.name) if self.children is not None else None
        return all(self.children.empty(child) for child in children or []) and all(
            column.type == CHOICE or blank_cell(row.get(column.key)) for column in self.columns
        )

    def number(self, row: dict, index: int) -> str:
        """The number a row goes by: its ``numbered_by`` cell, else its place in the list."""
        given = str(row.get(self.numbered_by) or "").strip() if self.numbered_by else ""
        return given or str(index + 1)

    def which(self, row: dict, index: int, *, parent: str = "") -> str:
        """How labels and buttons name a row: "target 2 of project 1", "area 6"."""
        words = f"{self.called or self.noun} {self.number(row, index)}"
        return f"{words} of {parent}" if parent else words


def printed_columns(spec: RowSpec | None, *scalars: Column) -> dict[str, dict]:
    """{stored key: its column as printed} for the cells of ``spec``'s rows and sub-rows and
    the inputs outside them: how a list of changes prints each figure."""
    printed = {column.key: column.printed for column in scalars}
    while spec is not None:
        printed.update({column.key: column.printed for column in spec.columns})
        spec = spec.children
    return printed


def blank_cell(value) -> bool:
    if isinstance(value, dict):
        return not any(str(item or "").strip() for item in value.values())
    return value in (None, "", [])


def _blank(column: Column):
    if column.type == CHOICES:
        return []
    if column.type == DATE:
        return dict.fromkeys(DATE_PARTS, "")
    return column.default


def path(*parts) -> str:
    """``path("projects", 0, "targets", 1, "planned_saving")`` is
    "projects[0].targets[1].planned_saving"."""
    text_path = ""
    for part in parts:
        if isinstance(part, int):
            text_path += f"[{part}]"
        else:
            text_path += f".{part}" if text_path else part
    return text_path


# --- Reading a post ---------------------------------------------------------------------------


def _getlist(post, name: str) -> list[str]:
    if hasattr(post, "getlist"):
        return post.getlist(name)
    value = post.get(name, [])
    return value if isinstance(value, list) else [value]


def read_cell(post, name: str, column: Column):
    """One cell as the editor left it, from the input(s) named ``name``."""
    if column.type == CHOICES:
        return [value for value in _getlist(post, name) if value]
    if column.type == DATE:
        return {part: post.get(f"{name}-{part}", "") for part in DATE_PARTS}
    value = post.get(name, "")
    if column.type == RICH:
        return plain_to_rich(value)
    if column.type == NAMES:
        return names(value)
    if column.type == CHOICE and not value:
        return column.default
    return value


def read(post, *, prefix: str, spec: RowSpec, within: str = "", start: int = 0) -> list[dict]:
    """The rows of ``spec`` as posted (the count of rows is a hidden input named by the
    list's path), sub-rows included; a page of a long list posts its rows from ``start``."""
    here = path(within, spec.name) if within else spec.name
    rows = []
    for i in range(start, start + count(post, f"{prefix}-{here}", limit=spec.max_rows)):
        at = path(here, i)
        row = {c.key: read_cell(post, f"{prefix}-{path(at, c.key)}", c) for c in spec.columns}
        if spec.children is not None:
            row[spec.children.name] = read(post, prefix=prefix, spec=spec.children, within=at)
        rows.append(row)
    return rows


def posted(post, *, prefix: str, spec: RowSpec) -> bool:
    return f"{prefix}-{spec.name}" in post


# --- Row buttons --------------------------------------------------------------------------------


def apply_action(post, rows: list[dict], spec: RowSpec) -> tuple[list[dict], str]:
    """Apply the row button pressed (``add-<noun>``, ``remove-<noun>-<i>``, ``move-up-<i>``,
    ``move-down-<i>``; a sub-row's carry its row's index first) and return the rows with the
    button's value; on a plain Save, drop rows and sub-rows left empty and return ""."""
    name, numbers = action(post)
    child = spec.children
    here = bool(numbers) and numbers[0] < len(rows)
    if name == f"add-{spec.noun}":
        rows.append(spec.new())
    elif name == f"remove-{spec.noun}" and here:
        rows.pop(numbers[0])
    elif name == "move-up" and here and numbers[0] > 0:
        i = numbers[0]
        rows[i - 1], rows[i] = rows[i], rows[i - 1]
    elif name == "move-down" and here and numbers[0] < len(rows) - 1:
        i = numbers[0]
        rows[i + 1], rows[i] = rows[i], rows[i + 1]
    elif child is not None and name == f"add-{child.noun}" and here:
        rows[numbers[0]][child.name].append(child.new())
    elif child is not None and name == f"remove-{child.noun}" and here and len(numbers) == 2:
        siblings = rows[numbers[0]][child.name]
        if numbers[1] < len(siblings):
            siblings.pop(numbers[1])
    else:
        if child is not None:
            for row in rows:
                row[child.name] = [item for item in row[child.name] if not child.empty(item)]
        return [row for row in rows if not spec.empty(row)], ""
    return rows, str(post.get(ACTION, ""))


# --- Cleaning -----------------------------------------------------------------------------------


def names(value) -> list[str]:
    """A list of names typed with commas between them ("Dr A, Dr B")."""
    if isinstance(value, str):
        value = value.split(",")
    return [text(name) for name in (value or []) if text(name)]


def parse_date(value, *, field: str) -> date | None:
    """A date typed in three boxes ({"day", "month", "year"}) or stored as ISO text."""
    if value in (None, "", {}):
        return None
    if isinstance(value, date):
        return value
    real = AnswerInvalid("Enter a real date, like 31 3 2007.", field=field)
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise real from None
    if not isinstance(value, dict):
        raise real
    parts = [str(value.get(k, "") or "").strip() for k in DATE_PARTS]
    if not any(parts):
        return None
    if not all(parts):
        missing = next(k for k, v in zip(DATE_PARTS, parts, strict=True) if not v)
        raise AnswerInvalid(f"The date must include a {missing}.", field=field)
    if not all(p.isdigit() for p in parts) or len(parts[2]) != 4:
        raise real
    try:
        return date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        raise real from None


_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_FIRST = re.compile(r"(\d{1,2})\s*[/.\- ]\s*(\d{1,2})\s*[/.\- ]\s*(\d{4})")
_WORDS_DAY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})")
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
#: a month by its name or its first three letters ("march", "mar"), as the product prints them
_MONTHS = {
    **{name: number for number, name in enumerate(_MONTH_NAMES, start=1)},
    **{name[:3]: number for number, name in enumerate(_MONTH_NAMES, start=1)},
    "sept": 9,
}


def parse_day(value, *, field: str, label: str) -> date | None:
    """A date typed in one box: ISO ("2008-10-01"), day first ("1/10/2008", "1.10.2008",
    "1 10 2008") or in words as the product prints dates ("1 October 2008", "1 Oct 2008");
    blank is None. A date stored in three boxes ({"day", "month", "year"}) is read too."""
    if isinstance(value, date):
        return value
    if isinstance(value, dict):
        return parse_date(value, field=field)
    typed = " ".join(str(value or "").split())
    if not typed:
        return None
    refused = AnswerInvalid(f"{label} must be a real date, like {DAY_EXAMPLE}.", field=field)
    if found := _ISO_DAY.fullmatch(typed):
        year, month, day = found.groups()
    elif found := _DAY_FIRST.fullmatch(typed):
        day, month, year = found.groups()
    elif (found := _WORDS_DAY.fullmatch(typed)) and found[2].lower() in _MONTHS:
        day, month, year = found[1], _MONTHS[found[2].lower()], found[3]
    else:
        raise refused
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise refused from None


def clean_cell(value, column: Column, *, field: str):
    """A cell checked and in its stored form: text as typed, amounts as decimal
    strings, whole numbers as ints, dates as ISO text; blank as "" (None for numbers)."""
    label = column.said or column.label
    if column.type in (TEXT, LONG_TEXT):
        return text(value, field=field, said=cell_said(column.label))
    if column.type == RICH:
        return rich(value, field=field)
    if column.type == NAMES:
        return names(value)
    if column.type in (MONEY, PERCENT, NUMBER):
        number = decimal(value, field=field, label=label, pounds=column.type == MONEY)
        return stored(number) if number is not None else ""
    if column.type == WHOLE:
        return whole(value, field=field, label=label)
    if column.type == DATE:
        day = parse_date(value, field=field)
        return day.isoformat() if day else None
    if column.type == DAY:
        day = parse_day(value, field=field, label=label)
        return day.isoformat() if day else None
    if column.type == CHOICE:
        value = value or column.default
        if value not in {choice for choice, _ in column.choices}:
            raise AnswerInvalid("Choose from the list.", field=field)
        return value
    if column.type == CHOICES:
        return list(dict.fromkeys(text(item) for item in value or [] if text(item)))
    raise ValueError(f"unknown column type {column.type!r}")


def rows_of(value: dict, spec: RowSpec, *, what: str) -> list[dict]:
    """The list under ``spec.name``, refused whole if it is not a list of rows."""
    rows = value.get(spec.name, [])
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise AnswerInvalid(f"The {what} could not be read: reload the page and try again.")
    if len(rows) > spec.max_rows:
        raise AnswerInvalid(f"There can be at most {spec.max_rows:,} {what}.")
    return rows


def clean(value: dict, spec: RowSpec, *, what: str, within: str = "") -> list[dict]:
    """Every row's cells cleaned by type, sub-rows included (the kind then checks its rules).
    Every wrong cell is refused at once, each on its own input (AnswersInvalid)."""
    cleaned, refused = [], []
    for i, row in enumerate(rows_of(value, spec, what=what)):
        at = path(within, spec.name, i) if within else path(spec.name, i)
        item = {}
        for column in spec.columns:
            try:
                item[column.key] = clean_cell(
                    row.get(column.key), column, field=path(at, column.key)
                )
            except AnswerInvalid as invalid:
                refused.extend(refusals_of(invalid))
        if spec.children is not None:
            try:
                item[spec.children.name] = clean(row, spec.children, what=what, within=at)
            except AnswerInvalid as invalid:
                refused.extend(refusals_of(invalid))
        cleaned.append(item)
    if refused:
        raise AnswersInvalid(refused)
    return cleaned


def amount(row: dict, key: str) -> Decimal | None:
    """A stored amount of a cleaned row as a Decimal (None when blank)."""
    value = row.get(key)
    return None if value in (None, "") else Decimal(str(value))


# --- Drawing and refusals -----------------------------------------------------------------------


def input_value(value, column: Column):
    """A stored or posted cell as its input shows it."""
    if column.type == RICH:
        return rich_to_plain(value or "")
    if column.type == NAMES:
        return ", ".join(value or []) if isinstance(value, list) else shown(value)
    if column.type == CHOICES:
        return list(value or [])
    if column.type == DATE:
        if isinstance(value, str) and value:
            try:
                day = date.fromisoformat(value)
            except ValueError:
                return {}
            return {"day": day.day, "month": day.month, "year": day.year}
        return dict(value or {})
    if column.type == DAY:
        return _day_shown(value)
    if column.type == CHOICE:
        return value or column.default
    if column.type == MONEY:
        return _figure_shown(value, pounds_and_pence, money=True)
    if column.type == PERCENT:
        return _figure_shown(value, figure_as_typed)
    return shown(value)


def _figure_shown(value, write, *, money: bool = False) -> str:
    """A figure in its box as a person types it, read back to the same amount
    (docs/decisions/0480, 0486): an amount in pounds and pence as the pages write money
    ("1,234.50", the pound sign beside the box), a percentage with no zeros after its last
    place ("12.5" for a stored "12.5000", the per cent sign beside the box). What is refused
    (negative, not a number) or, as ``money``, is not whole pence (a rate finer than a penny, a
    figure refused for its fraction) stays as it is: never rounded into one that reads."""
    typed = shown(value)
    try:
        amount = read_number(typed)
    except NotANumber:
        return typed
    if amount is None or amount < 0:
        return typed
    if money and not in_pence(amount):
        return typed
    return write(amount)


def _day_shown(value) -> str:
    """A date in one box as the product's date boxes show one (01/10/2008): stored (ISO) or
    from three boxes; typed as typed."""
    if isinstance(value, dict):
        try:
            day = parse_date(value, field="")
        except AnswerInvalid:
            day = None
        if day is None:
            return " ".join(str(value.get(part) or "") for part in DATE_PARTS).strip()
        return as_typed(day)
    typed = shown(value)
    if _ISO_DAY.fullmatch(typed):
        try:
            return as_typed(date.fromisoformat(typed))
        except ValueError:
            pass  # not a real day: left as typed, to correct
    return typed


def _written_over_lines(boxed: str) -> bool:
    return len(boxed) > ONE_LINE_CHARACTERS or "\n" in boxed or "\r" in boxed


def _choices_showing(boxed, column: Column) -> list[tuple[str, str]]:
    """A choice column's choices, with a stored value that is not among them now (a practice
    renamed or gone, an option a later form dropped) added and chosen: a list without it shows
    its first choice, and saving any other cell put that in its place. Saved as it is, it is
    refused on its cell (``clean_cell``), so the person chooses again."""
    choices = list(column.choices)
    if column.type != CHOICE or not boxed or not isinstance(boxed, str):
        return choices
    if boxed not in {value for value, _ in choices}:
        choices.append((boxed, f"{boxed} (not on the list)"))
    return choices


def cell_field(value, column: Column, *, name: str, which: str) -> Field:
    """The input of one cell; ``which`` names its row for screen readers ("project 2")."""
    if "{which}" in column.label:
        label, suffix = column.label.format(which=which), ""
    elif column.visible_label:
        label, suffix = column.label, f", {which}"
    else:
        label, suffix = f"{column.label}, {which}", ""
    boxed = input_value(value, column)
    return Field(
        name,
        label,
        boxed,
        input=column.input,
        width=column.width,
        hint=column.hint,
        choices=_choices_showing(boxed, column),
        hidden_label=not column.visible_label,
        label_suffix=suffix,
    )


def scalar_field(value: dict, column: Column) -> Field:
    """An input outside any row (a rate, a share), its label shown in full."""
    column = column.drawn_over([value.get(column.key)])
    boxed = input_value(value.get(column.key), column)
    return Field(
        column.key,
        column.label,
        boxed,
        input=column.input,
        width=column.width,
        hint=column.hint,
        choices=_choices_showing(boxed, column),
        hidden_label=False,
    )


@dataclass
class DrawnRow:
    """A row as a template draws it: its inputs by column key, its value, its sub-rows."""

    index: int
    path: str
    fields: dict[str, Field]
    value: dict
    children: list[DrawnRow] = field(default_factory=list)
    #: what the kind computed for this row, for display
    extra: dict = field(default_factory=dict)
    #: the texts of the cells headed by its spec's ``worked_out``, as a table of inputs shows them
    worked_out: tuple[str, ...] = ()

    def __getitem__(self, key):
        """Templates and older callers read a drawn row like a dict."""
        if key in ("index", "path", "fields", "value", "children", "worked_out"):
            return getattr(self, key)
        return self.extra[key]

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default


def draw(
    rows: list[dict], spec: RowSpec, *, within: str = "", parent: str = "", start: int = 0
) -> list[DrawnRow]:
    """The inputs of every row and sub-row, named by path, labelled "Title, target 2 of
    project 1"; ``rows`` is a page of the list when it begins at ``start``."""
    columns = [
        column.drawn_over(row.get(column.key) for row in rows)
        for column in spec.columns
        if column.drawn
    ]
    drawn = []
    for i, row in enumerate(rows, start=start):
        at = path(within, spec.name, i) if within else path(spec.name, i)
        which = spec.which(row, i, parent=parent)
        fields = {
            c.key: cell_field(row.get(c.key), c, name=path(at, c.key), which=which) for c in columns
        }
        item = DrawnRow(index=i, path=at, fields=fields, value=row)
        if spec.children is not None:
            item.children = draw(
                row.get(spec.children.name) or [], spec.children, within=at, parent=which
            )
        drawn.append(item)
    return drawn


@dataclass(frozen=True)
class RowsTable:
    """Drawn rows as a table of inputs to edit (templates/plans/structured/_rows_table.html):
    the spec's headings over each row's inputs and worked-out cells and a button removing the
    row, then the spec's button adding one. For rows nested in a ``parent`` row of
    ``parent_spec`` (a project's targets) that button adds to the parent and stands beside the
    one removing it; ``total`` stands under the last column."""

    spec: RowSpec
    rows: list[DrawnRow]
    caption: str
    parent: DrawnRow | None = None
    parent_spec: RowSpec | None = None
    total_label: str = ""
    total: str = ""

    @property
    def span(self) -> int:
        """How many columns the table has: the headings and the removing buttons'."""
        return len(self.spec.headings) + 1

    @property
    def parent_which(self) -> str:
        """How the buttons name the parent row ("project 21", "area 6"), as its labels do."""
        if self.parent is None or self.parent_spec is None:
            return ""
        return self.parent_spec.which(self.parent.value, self.parent.index)

    @property
    def named_rows(self) -> list[tuple[DrawnRow, str]]:
        """Each row with the words naming it to screen readers, as its labels do."""
        return [
            (row, self.spec.which(row.value, row.index, parent=self.parent_which))
            for row in self.rows
        ]


def all_fields(drawn: list[DrawnRow]):
    for row in drawn:
        yield from row.fields.values()
        yield from all_fields(row.children)


def place_error(fields, invalid: AnswerInvalid | None) -> str:
    """Put each refusal ``invalid`` carries on the input its path names, or on the first input
    of the row or list it names ("lines[0]"); return those no input took (shown for the whole
    answer)."""
    if invalid is None:
        return ""
    fields = list(fields)
    return " ".join(
        message for refusal in refusals_of(invalid) if (message := _place(fields, refusal))
    )


def _place(fields: list, invalid: AnswerInvalid) -> str:
    target = invalid.field or ""
    exact = next((item for item in fields if item.name == target), None)
    within = next(
        (item for item in fields if target and item.name.startswith((f"{target}.", f"{target}["))),
        None,
    )
    chosen = exact or within
    if chosen is None:
        return invalid.message
    chosen.error = invalid.message
    return ""


class ListKind(Kind):
    """A kind whose value is a list of rows (``spec``) and a few inputs outside it
    (``scalars``): reading the post and the row buttons are the same for all of them."""

    spec: RowSpec
    scalars: tuple[Column, ...] = ()

    def value_from_post(self, post, *, prefix, current):
        if not posted(post, prefix=prefix, spec=self.spec):
            return current or {}, ""
        listed, pressed = apply_action(post, read(post, prefix=prefix, spec=self.spec), self.spec)
        value = {column.key: post.get(f"{prefix}-{column.key}", "") for column in self.scalars}
        value[self.spec.name] = listed
        return value, pressed

    def row_spec(self) -> RowSpec:
        return self.spec

    def clean_scalars(self, value: dict) -> dict:
        """The inputs outside the rows, cleaned by type; those left blank are left out."""
        cleaned = {c.key: clean_cell(value.get(c.key), c, field=c.key) for c in self.scalars}
        return {key: item for key, item in cleaned.items() if item not in (None, "")}

    def scalar_fields(self, value: dict) -> list[Field]:
        return [scalar_field(value, column) for column in self.scalars]

    def printed_columns(self) -> dict[str, dict]:
        return printed_columns(self.spec, *self.scalars)
