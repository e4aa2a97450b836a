"""A table with named columns (practices, directors, leads ...): its value is the answer's
rows, each a mapping of column key to cell text."""

from __future__ import annotations

from .base import Kind, KindContext


class TableKind(Kind):
    def value_of(self, answer) -> list[dict]:
        return (answer.rows if answer is not None else None) or []

    def figures(self, value, *, context: KindContext) -> dict:
        return {"row_count": len(value or [])}
