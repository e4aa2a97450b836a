"""One read model of a plan's content: what the pages' read-only views, the JSON export, the
PDF, the diffs and the signed hash all read (docs/decisions/0380).

A table's stored rows are JSON objects, and PostgreSQL's ``jsonb`` does not keep their keys in
the order they were written (it orders them by length, then bytes), so nothing may print a
row in its own key order. Every reader goes through ``table_rows``: each row's cells in the
question's column order, a missing cell blank in its column, and a key the question has no
column for left out and logged.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from .kinds.base import KindContext
from .models import Answer, Plan, TemplatePart, TemplateQuestion

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Column:
    key: str
    label: str


@dataclass(frozen=True)
class Cell:
    column: Column
    value: str

    @property
    def key(self) -> str:
        return self.column.key


@dataclass(frozen=True)
class TableRow:
    """One stored row, its cells in the question's column order."""

    cells: tuple[Cell, ...]

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(cell.value for cell in self.cells)

    def get(self, key: str, default: str = "") -> str:
        """The cell under column ``key`` (the table editor fills its inputs by key)."""
        return next((cell.value for cell in self.cells if cell.key == key), default)

    def as_dict(self) -> dict[str, str]:
        """The row as an object whose keys follow the column order."""
        return {cell.key: cell.value for cell in self.cells}


def columns_of(columns: list[dict]) -> tuple[Column, ...]:
    """A question's ``columns`` ([{key, label}]) as Columns, in order."""
    return tuple(
        Column(key=str(column["key"]), label=str(column.get("label") or column["key"]))
        for column in columns or []
    )


def _cell_text(value) -> str:
    return "" if value is None else str(value)


def aligned_rows(columns: tuple[Column, ...], rows, *, source: str) -> tuple[TableRow, ...]:
    """``rows`` (row objects, stored or posted) with their cells in ``columns``' order: a
    missing cell is blank, a key with no column is left out and logged with ``source``."""
    keys = {column.key for column in columns}
    aligned, unknown = [], set()
    for row in rows or []:
        if not isinstance(row, dict):
            unknown.add(f"(a {type(row).__name__} where a row belongs)")
            continue
        unknown.update(str(key) for key in row if key not in keys)
        aligned.append(
            TableRow(tuple(Cell(column, _cell_text(row.get(column.key))) for column in columns))
        )
    if unknown:
        logger.warning("%s: cells with no column ignored: %s", source, ", ".join(sorted(unknown)))
    return tuple(aligned)


def table_rows(question: TemplateQuestion, rows, *, plan_id: int | None) -> tuple[TableRow, ...]:
    """A table question's rows aligned with its columns."""
    return aligned_rows(
        columns_of(question.columns), rows, source=f"Plan {plan_id}, table {question.key}"
    )


# --- the plan's content ------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionContent:
    """One question with what is stored for it: the answer (None when never saved), its table
    rows aligned with the columns, and what a table's or structured kind's ``figures`` computes
    as domain values (None for rich text, or a stored value its kind refuses today)."""

    question: TemplateQuestion
    answer: Answer | None
    rows: tuple[TableRow, ...]
    figures: dict | None

    @property
    def text(self) -> str:
        return self.answer.text if self.answer is not None else ""

    @property
    def data(self) -> dict:
        return (self.answer.data if self.answer is not None else None) or {}


@dataclass(frozen=True)
class PartContent:
    part: TemplatePart
    questions: tuple[QuestionContent, ...]


@dataclass(frozen=True)
class PlanContent:
    """A plan's content read once: parts and questions in form order, each answer's stored
    value, tables as ordered cells, structured figures as domain values. Built by ``of`` in a
    fixed number of queries, whatever the form's size (docs/decisions/0380)."""

    plan: Plan
    parts: tuple[PartContent, ...]
    answers: Mapping[int, Answer]  # by question id
    context: KindContext

    @classmethod
    def of(cls, plan: Plan) -> PlanContent:
        """Four queries: parts, their questions, the answers (with who saved them) and the
        consortium's practices; three more for the plan's form, consortium and PCT unless the
        plan came with them (``select_related``)."""
        from . import selectors, structured

        template = plan.template
        plan.consortium.commissioner  # noqa: B018 - loaded now, so later reads cost nothing
        parts = selectors.parts_with_questions(template)
        answers = selectors.answers_by_question(plan)
        ordered = [question for part in parts for question in part.questions.all()]
        siblings: dict[str, dict] = {}
        for question in ordered:
            answer = answers.get(question.pk)
            if question.kind in structured.KINDS and answer is not None:
                siblings.setdefault(question.kind, answer.data or {})
        context = selectors.kind_context(plan, siblings=siblings)
        return cls(
            plan=plan,
            parts=tuple(
                PartContent(
                    part=part,
                    questions=tuple(
                        _question_content(plan, question, answers.get(question.pk), context)
                        for question in part.questions.all()
                    ),
                )
                for part in parts
            ),
            answers=answers,
            context=context,
        )

    def questions(self) -> Iterator[QuestionContent]:
        for part in self.parts:
            yield from part.questions


def _question_content(
    plan: Plan, question: TemplateQuestion, answer: Answer | None, context: KindContext
) -> QuestionContent:
    from . import structured

    figures = None
    kind = structured.figured_kind(question)
    if kind is not None:
        _value, figures, _invalid = kind.for_screen(kind.value_of(answer), context=context)
    return QuestionContent(
        question=question,
        answer=answer,
        rows=table_rows(question, answer.rows if answer is not None else [], plan_id=plan.pk),
        figures=figures,
    )
