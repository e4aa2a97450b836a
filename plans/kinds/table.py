"""A table with named columns (practices, directors, leads ...): its value is the answer's
rows, each a mapping of column key to cell. The question's columns are its row spec, so the
table is read, changed by its row buttons and drawn by the same code as every list
(plans/kinds/rows.py)."""

from __future__ import annotations

from . import rows
from .base import Kind, KindContext
from .rows import Column, RowSpec

MAX_TABLE_ROWS = 500


def table_spec(question) -> RowSpec:
    """The row spec of a table question: one column per column of the question."""
    return RowSpec(
        name="rows",
        noun="row",
        max_rows=MAX_TABLE_ROWS,
        columns=tuple(Column(column["key"], column["label"]) for column in question.columns),
        # A table keeps a row left blank until the editor removes it.
        is_empty=lambda row: False,
    )


class TableKind(Kind):
    def value_of(self, answer) -> list[dict]:
        return (answer.rows if answer is not None else None) or []

    def value_from_post(self, post, *, prefix: str, question) -> tuple[list[dict], str]:
        """The table as the editor left it, after any add, remove or move button pressed."""
        spec = table_spec(question)
        return rows.apply_action(post, rows.read(post, prefix=prefix, spec=spec), spec)

    def figures(self, value, *, context: KindContext) -> dict:
        return {"row_count": len(value or [])}
