"""A table question's rows read from a CSV file (docs/decisions/0384).

The first line names the columns: each heading is matched to one of the question's columns by
its label or its key, ignoring case and surrounding spaces, so the columns may come in any
order. A heading the question has no column for is ignored and reported; a computed column's
heading is ignored too (its cells are worked out). Every cell is then checked by its column's
type, as a typed one is (plans/kinds/rows.py), and every bad cell is reported by where it is:
"Row 3, Registered population: Registered population must be a whole number, like 1500."
(rows are counted from the first line after the headings). Nothing is kept while any cell is
refused.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from .errors import AnswerInvalid, refusals_of
from .kinds.base import KindContext, cell_key
from .kinds.rows import CHOICE, DAY, Column, clean_cell
from .kinds.table import MAX_TABLE_ROWS, TableKind
from .models import TemplateQuestion

MAX_CSV_BYTES = 512 * 1024
MAX_CSV_FIELD = 20_000
MAX_MESSAGES = 20


class TableImportRefused(Exception):
    """The file cannot be imported; ``messages`` say why, each where it can (row, column)."""

    def __init__(self, messages: list[str], *, ignored: tuple[str, ...] = ()):
        super().__init__("; ".join(messages))
        self.messages = messages
        self.ignored = ignored


@dataclass(frozen=True)
class TableImport:
    """The checked rows, in the question's column order, and the headings left out."""

    rows: list[dict]
    ignored: tuple[str, ...] = field(default=())


def _key(heading: str) -> str:
    return " ".join(str(heading).split()).casefold()


def _lines(data: bytes) -> list[list[str]]:
    if len(data) > MAX_CSV_BYTES:
        raise TableImportRefused(
            [
                f"The file is {len(data):,} bytes; a table's CSV file can be at most "
                f"{MAX_CSV_BYTES:,} bytes."
            ]
        )
    try:
        decoded = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableImportRefused(
            [
                f"The file is not UTF-8 text (byte {error.start + 1} cannot be read). Save it "
                'from your spreadsheet as "CSV UTF-8".'
            ]
        ) from None
    if "\x00" in decoded:
        raise TableImportRefused(["The file is not a CSV file: it holds binary data."])
    previous = csv.field_size_limit()
    csv.field_size_limit(MAX_CSV_FIELD)
    try:
        lines = list(csv.reader(io.StringIO(decoded, newline="")))
    except csv.Error as error:
        raise TableImportRefused([f"The file could not be read as CSV: {error}."]) from None
    finally:
        csv.field_size_limit(previous)
    return [line for line in lines if any(cell.strip() for cell in line)]


def _matched(question: TemplateQuestion, headings: list[str]):
    """(the question's column for each heading, or None; the headings ignored)."""
    columns = question.columns or []
    by_name: dict[str, dict] = {}
    for column in columns:
        by_name.setdefault(_key(column["key"]), column)
        by_name.setdefault(_key(column.get("label") or column["key"]), column)
    matched, ignored, seen, problems = [], [], {}, []
    for number, heading in enumerate(headings, start=1):
        column = by_name.get(_key(heading))
        if column is not None and column.get("formula"):
            ignored.append(f"{heading} (worked out, not imported)")
            column = None
        elif column is None:
            ignored.append(heading.strip() or f"column {number} (no heading)")
        elif column["key"] in seen:
            problems.append(
                f"Columns {seen[column['key']]} and {number} are both "
                f"{column.get('label') or column['key']}: keep one."
            )
        else:
            seen[column["key"]] = number
        matched.append(column)
    if not seen and not problems:
        labels = ", ".join(column.get("label") or column["key"] for column in columns)
        problems.append(
            f"No heading in the file's first line is a column of this table; its columns are: "
            f"{labels}."
        )
    return matched, tuple(ignored), problems


def _typed(cell: str, column: Column):
    """A CSV cell as the editor's input would give it: a date as typed in its one box
    ("31/03/2007", "31 3 2007", "2007-03-31", "31 March 2007"); a choice by its label ("Yes")
    or its value. Anything else is left for the column's check to refuse."""
    if column.type == DAY:
        return cell.strip()
    if column.type == CHOICE:
        wanted = _key(cell)
        return next(
            (value for value, label in column.choices if wanted in (_key(value), _key(label))),
            cell.strip(),
        )
    return cell


def _located(error: AnswerInvalid, question: TemplateQuestion, row_number: int) -> str:
    """A refusal on ``rows[i].key`` as "Row N, Label: message"."""
    labels = {column["key"]: column.get("label") or column["key"] for column in question.columns}
    key = cell_key(error.field) if error.field else ""
    if key in labels:
        return f"Row {row_number}, {labels[key]}: {error.message}"
    return f"Row {row_number}: {error.message}"


def rows_from_csv(question: TemplateQuestion, data: bytes, *, context: KindContext) -> TableImport:
    """The table's rows from the CSV file ``data``, checked as the editor's would be;
    ``TableImportRefused`` with every problem found when any cell is refused."""
    lines = _lines(data)
    if not lines:
        raise TableImportRefused(["The file is empty: its first line names the columns."])
    headings, body = lines[0], lines[1:]
    matched, ignored, problems = _matched(question, headings)
    if problems:
        raise TableImportRefused(problems, ignored=ignored)
    if len(body) > MAX_TABLE_ROWS:
        raise TableImportRefused(
            [f"The file has {len(body):,} rows; a table can have at most {MAX_TABLE_ROWS}."],
            ignored=ignored,
        )
    kind = TableKind(question.columns)
    spec = {column.key: column for column in kind.spec(context).columns}
    rows, messages = [], []
    for number, line in enumerate(body, start=1):
        if len(line) > len(headings):
            messages.append(
                f"Row {number} has {len(line)} cells but the first line names {len(headings)} "
                "columns."
            )
            continue
        row = {}
        for column, cell in zip(matched, line, strict=False):
            if column is None:
                continue
            typed = _typed(cell, spec[column["key"]])
            try:
                clean_cell(typed, spec[column["key"]], field=f"rows[{number - 1}].{column['key']}")
            except AnswerInvalid as error:
                messages.append(_located(error, question, number))
            row[column["key"]] = typed
        rows.append(row)
    if messages:
        raise TableImportRefused(_capped(messages), ignored=ignored)
    try:
        cleaned = kind.clean(rows, context=context)
    except AnswerInvalid as invalid:
        located = []
        for error in refusals_of(invalid):
            row_number = _row_number(error.field)
            located.append(
                _located(error, question, row_number) if row_number is not None else error.message
            )
        raise TableImportRefused(_capped(located), ignored=ignored) from None
    return TableImport(rows=cleaned, ignored=ignored)


def _row_number(field_path: str) -> int | None:
    """1 for "rows[0].name"."""
    if not field_path.startswith("rows["):
        return None
    index = field_path[len("rows[") :].partition("]")[0]
    return int(index) + 1 if index.isdigit() else None


def _capped(messages: list[str]) -> list[str]:
    if len(messages) <= MAX_MESSAGES:
        return messages
    rest = len(messages) - MAX_MESSAGES
    return [*messages[:MAX_MESSAGES], f"… and {rest} more cells to correct."]
