"""A table with named, typed columns (practices, directors, leads, a budget ...): its value is
the answer's rows, each a mapping of column key to its cell's canonical text. The question's
columns are its row spec, so the table is read, changed by its row buttons, checked and drawn
by the same code as every list (plans/kinds/rows.py). See docs/decisions/0301.

A column may declare a ``type`` (text, long_text, whole, money, percent, date, yes_no, choice
with ``options``, practice), a ``total`` (sum, count, count_yes) and a ``formula``: an
expression over the row's other columns ("likelihood * impact"), worked out on every save by
simpleeval with exact decimals (never ``eval``); a computed cell is never typed.
"""

from __future__ import annotations

import ast
from datetime import date
from decimal import Decimal, InvalidOperation

from simpleeval import InvalidExpression, SimpleEval

from consortia.dates import long_date

from .. import finance
from ..errors import AnswerInvalid, AnswersInvalid
from . import rows
from .base import Kind, KindContext, cell_key, rich_to_plain, stored
from .rows import (
    CHOICE,
    DAY,
    DAY_EXAMPLE,
    LONG_TEXT,
    MONEY,
    PERCENT,
    TEXT,
    WHOLE,
    Column,
    RowSpec,
)

MAX_TABLE_ROWS = 500
MAX_CELL_CHARACTERS = 2000
#: a column's ``type:`` in a definition file, and the cell type it is checked as
COLUMN_TYPES = {
    "text": TEXT,
    "long_text": LONG_TEXT,
    "whole": WHOLE,
    "money": MONEY,
    "percent": PERCENT,
    "date": DAY,  # typed in one box and shown back as the product's date boxes show one
    "yes_no": CHOICE,
    "choice": CHOICE,
    "practice": CHOICE,
}
NUMERIC = ("whole", "money", "percent")
TOTALS = ("sum", "count", "count_yes")
YES_NO = (("yes", "Yes"), ("no", "No"))
NOT_GIVEN = ("", "Not given")


class FormulaError(ValueError):
    """A formula that cannot be worked out; the message names what is wrong."""


class _DecimalEval(SimpleEval):
    """simpleeval with exact decimals: numbers written in a formula are Decimals, not floats."""

    def _eval_constant(self, node):
        if isinstance(node.value, int | float) and not isinstance(node.value, bool):
            return Decimal(str(node.value))
        return super()._eval_constant(node)


def evaluate(formula: str, names: dict[str, Decimal]) -> Decimal:
    """``formula`` worked out over ``names``; FormulaError says why it cannot be."""
    evaluator = _DecimalEval(names=names, functions={})
    try:
        result = evaluator.eval(formula)
    except ZeroDivisionError:
        raise FormulaError("it divides by zero") from None
    except InvalidExpression as error:
        raise FormulaError(str(error)) from None
    except (SyntaxError, TypeError, ValueError, ArithmeticError, InvalidOperation) as error:
        raise FormulaError(f"it cannot be worked out ({error.__class__.__name__})") from None
    if isinstance(result, bool) or not isinstance(result, int | Decimal):
        raise FormulaError("it does not give a number")
    return Decimal(result)


def formula_problem(formula: str, keys: list[str]) -> str:
    """Why ``formula`` cannot serve a column of a table with ``keys``; "" when it can."""
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError:
        return f"the formula {formula!r} is not an expression, like 'likelihood * impact'"
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    unknown = sorted(used - set(keys))
    if unknown:
        return (
            f"the formula {formula!r} uses {', '.join(unknown)}, which is not a column of "
            f"this table; the columns are: {', '.join(keys)}"
        )
    try:
        evaluate(formula, dict.fromkeys(used, Decimal(1)))
    except FormulaError as error:
        if "divides by zero" not in str(error):
            return f"the formula {formula!r} cannot be used: {error}"
    return ""


def _column(column: dict, practices) -> Column:
    kind = column.get("type") or "text"
    choices: tuple[tuple[str, str], ...] = ()
    if kind == "yes_no":
        choices = (NOT_GIVEN, *YES_NO)
    elif kind == "choice":
        choices = (NOT_GIVEN, *((option, option) for option in column.get("options") or []))
    elif kind == "practice":
        choices = (NOT_GIVEN, *((name, name) for name in practices))
    return Column(
        column["key"],
        column["label"],
        COLUMN_TYPES.get(kind, TEXT),
        choices=choices,
        drawn=not column.get("formula"),
        hint=f"For example, {DAY_EXAMPLE}" if kind == "date" else "",
        width="10" if kind == "date" else "",
    )


def table_spec(columns: list[dict], practices=()) -> RowSpec:
    """The row spec of a table question: one column per column of the question."""
    return RowSpec(
        name="rows",
        noun="row",
        max_rows=MAX_TABLE_ROWS,
        columns=tuple(_column(column, practices) for column in columns),
        # A table keeps a row left blank until the editor removes it.
        is_empty=lambda row: False,
    )


def _number(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


class TableKind(Kind):
    """One table question's kind: built for its columns (``kind_for`` in plans.structured)."""

    template_name = ""

    def __init__(self, columns: list[dict] | None = None):
        self.columns = list(columns or [])

    def spec(self, context: KindContext) -> RowSpec:
        return table_spec(self.columns, context.practices)

    def row_spec(self) -> RowSpec:
        # The practices only give a column its choices: the rows are named by the columns alone.
        return table_spec(self.columns)

    def value_of(self, answer) -> list[dict]:
        return (answer.rows if answer is not None else None) or []

    def input_label(self, field: str) -> str:
        key = cell_key(field)
        return next((c.get("label", "") for c in self.columns if c["key"] == key), "")

    def value_from_post(self, post, *, prefix: str, context: KindContext):
        """The table as the editor left it, after any add, remove or move button pressed."""
        spec = self.spec(context)
        return rows.apply_action(post, rows.read(post, prefix=prefix, spec=spec), spec)

    def clean(self, value, *, context: KindContext) -> list[dict]:
        """Every cell checked by its column's type and kept as canonical text ("12000",
        "2007-03-31", "yes"); computed cells worked out again from the row."""
        if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
            raise AnswerInvalid("The table could not be read: reload the page and try again.")
        if len(value) > MAX_TABLE_ROWS:
            raise AnswerInvalid(f"A table can have at most {MAX_TABLE_ROWS} rows.")
        spec = self.spec(context)
        cleaned, refused = [], []
        for i, row in enumerate(value):
            item = {}
            for column, source in zip(spec.columns, self.columns, strict=True):
                typed = row.get(column.key)
                field = f"rows[{i}].{column.key}"
                if source.get("formula"):
                    continue
                try:
                    item[column.key] = self._cell(typed, column, field=field)
                except AnswerInvalid as invalid:
                    refused.append(invalid)
                    item[column.key] = ""
            for source in self.columns:
                if source.get("formula"):
                    try:
                        item[source["key"]] = self._computed(item, source, field=f"rows[{i}]")
                    except AnswerInvalid as invalid:
                        refused.append(invalid)
            cleaned.append({column["key"]: item.get(column["key"], "") for column in self.columns})
        if refused:
            # Every wrong cell at once, each on its own cell: never one at a time.
            raise AnswersInvalid(refused)
        return cleaned

    @staticmethod
    def _cell(typed, column: Column, *, field: str) -> str:
        # The limit is checked on what was typed, before cleaning: refused, never cut.
        length = len(str(typed or ""))
        if column.type in (TEXT, LONG_TEXT) and length > MAX_CELL_CHARACTERS:
            raise AnswerInvalid(
                f"{column.said or column.label} can hold at most {MAX_CELL_CHARACTERS:,} "
                f"characters: this one has {length:,}.",
                field=field,
            )
        if column.type == CHOICE and isinstance(typed, str) and typed.strip():
            # A choice given by the words it is printed as ("Yes" in the Word export) is
            # that choice, as a CSV file's is (plans/table_import.py).
            wanted = typed.strip().lower()
            typed = next(
                (
                    value
                    for value, label in column.choices
                    if wanted in (value.lower(), label.lower())
                ),
                typed,
            )
        cell = rows.clean_cell(typed, column, field=field)
        return "" if cell is None else str(cell)

    def _computed(self, row: dict, column: dict, *, field: str) -> str:
        used = {
            node.id for node in ast.walk(ast.parse(column["formula"], mode="eval"))
            if isinstance(node, ast.Name)
        }  # fmt: skip
        names = {}
        for key in used:
            try:
                number = _number(row.get(key))
            except InvalidOperation:
                number = None
            if number is None:
                return ""  # worked out once every number it uses is given
            names[key] = number
        try:
            return stored(evaluate(column["formula"], names))
        except FormulaError as error:
            raise AnswerInvalid(
                f"{column['label']} cannot be worked out: {error}.", field=field
            ) from None

    def figures(self, value, *, context: KindContext) -> dict:
        """The number of rows, and each column's declared total: a sum as a Decimal, a count
        of cells given, or a count of "yes"."""
        totals = {}
        for column in self.columns:
            total = column.get("total")
            cells = [row.get(column["key"], "") for row in value or []]
            if total == "sum":
                totals[column["key"]] = sum(
                    (_number(cell) for cell in cells if cell not in (None, "")), Decimal(0)
                )
            elif total == "count":
                totals[column["key"]] = sum(1 for cell in cells if cell not in (None, ""))
            elif total == "count_yes":
                totals[column["key"]] = sum(1 for cell in cells if cell == "yes")
        return {"row_count": len(value or []), "totals": totals}

    def checked(self, data, *, context: KindContext):
        try:
            return self.clean(data or [], context=context), None
        except AnswerInvalid as invalid:
            return None, invalid

    def present(self, value, *, context: KindContext):
        """The editor's inputs (every refusal on its cell), each worked-out cell as the
        column's type prints it, and the totals row, formatted."""
        source, computed, invalid = self.for_screen(value or [], context=context)
        drawn = rows.draw(source, self.spec(context))
        columns = shown_columns(self.columns, source if isinstance(source, list) else [])
        worked_out = [column for column in columns if column.get("formula")]
        for row in drawn:
            row.extra["shown"] = {
                column["key"]: shown_cell(row.value.get(column["key"]), column)
                for column in worked_out
            }
        unplaced = rows.place_error(rows.all_fields(drawn), invalid)
        totals = shown_totals(columns, computed["totals"] if computed is not None else {})
        return {
            "rows": drawn,
            "error": unplaced,
            "totals": totals,
            "has_totals": any(column.get("total") for column in self.columns)
            and computed is not None,
            "totals_row": totals_row(totals),
            # each column as its cells print (the read-only table's ``typed`` filter)
            "columns": columns,
        }

    def printed(self, value, *, context: KindContext) -> tuple[list[list[str]], list[str]]:
        """The stored rows and their totals row as printed (the Word export's table): each
        cell formatted by its column's type, the totals row ([] when the table has none)."""
        columns = shown_columns(self.columns, value or [])
        cells = [
            [shown_cell(row.get(column["key"], ""), column) for column in columns]
            for row in value or []
        ]
        has_totals = any(column.get("total") for column in self.columns)
        if not has_totals or not cells:
            return cells, []
        return cells, totals_row(
            shown_totals(columns, self.figures(value or [], context=context)["totals"])
        )


def shown_totals(columns: list[dict], totals: dict) -> list[str]:
    """Each column's total as the page, the PDF and the Word export print it ("£16,113.05",
    "3", ""), in column order; ``columns`` as ``shown_columns`` gives them."""
    return [shown_total(totals[c["key"]], c) if c["key"] in totals else "" for c in columns]


def _has_pence(cell) -> bool:
    """Whether a money cell prints with pence on its own (as ``finance.format_money`` says)."""
    if cell in (None, ""):
        return False
    try:
        amount = Decimal(str(cell))
    except (InvalidOperation, ValueError):
        return False  # printed as typed: refused, not a figure
    if not amount.is_finite():
        return False
    in_pence = finance.round_money(abs(amount), places=2)
    return in_pence != in_pence.to_integral_value()


def shown_columns(columns: list[dict], rows: list) -> list[dict]:
    """The table's columns as its cells print, given its ``rows``: a money column of which any
    cell has pence prints every cell and its total with pence ("£45,000.00" over
    "£120,000.50"), so the figures of one column line up (docs/decisions/0493)."""
    shown = []
    for column in columns:
        if (column.get("type") or "text") == "money" and any(
            isinstance(row, dict) and _has_pence(row.get(column["key"])) for row in rows
        ):
            column = {**column, "pence": True}
        shown.append(column)
    return shown


def totals_row(totals: list[str]) -> list[str]:
    """The totals under a table's columns, "Total" in the first cell when it holds no total."""
    if totals and not totals[0]:
        return ["Total", *totals[1:]]
    return list(totals)


def shown_cell(value, column: dict) -> str:
    """A stored cell as the page and the PDF print it: "£12,000", "60%", "31 March 2007",
    "Yes", a choice by its label, the words of rich text; text as it is. Money shows pence
    when it has some, or always in a column marked ``pence`` (``shown_columns``). A structured
    answer's figures are printed by it too, under their column (``rows.Column.printed``)."""
    kind = column.get("type") or "text"
    if value in (None, ""):
        return ""
    try:
        if kind == "money":
            return finance.format_money(Decimal(value), pence=True if column.get("pence") else None)
        if kind == "percent":
            return finance.format_percentage(Decimal(value), places=2).replace(".00%", "%")
        if kind == "whole" or (column.get("formula") and kind in ("text", "whole")):
            number = Decimal(value)
            return f"{number:,f}"
        if kind == "date":
            return long_date(date.fromisoformat(value))
        if kind == "yes_no":
            return dict(YES_NO).get(value, value)
        if kind == "choice":
            return dict(column.get("choices") or ()).get(value, value)
        if kind == "rich":
            return " ".join(rich_to_plain(value).split())
    except (InvalidOperation, ValueError):
        return str(value)
    return str(value)


def shown_total(total, column: dict) -> str:
    if column.get("total") == "sum":
        return shown_cell(stored(total), {**column, "type": column.get("type") or "whole"})
    return f"{total:,}"
