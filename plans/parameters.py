"""The checks a definition file's ``parameters`` pass before a template is stored: each kind
declares the settings it takes (``Kind.PARAMETERS``: rates, shares, a sliding scale, the
business-case questions, its labels) and every problem is a message the import shows at the
question's printed number (docs/decisions/0400)."""

from __future__ import annotations

import difflib
import re
from decimal import Decimal

from consortia.numbers import NotANumber, read_number

from . import finance
from .kinds.base import (
    CHOICE_PARAMETER,
    LABELS_PARAMETER,
    MAX_DECIMAL_PLACES,
    MONEY_PARAMETER,
    PERCENT_PARAMETER,
    QUESTIONS_PARAMETER,
    SCALE_PARAMETER,
    WHOLE_PARAMETER,
    Parameter,
)
from .structured import EVERY_KIND

MAX_LABEL = 500
MAX_LIST = 100
_KEY = re.compile(r"[a-z0-9][a-z0-9_]{0,49}", re.ASCII)


def _quoted(value) -> str:
    text = str(value)
    return f"'{text[:40]}...'" if len(text) > 40 else f"'{text}'"


def _number(value, *, label: str) -> tuple[Decimal | None, str | None]:
    """A figure written in the file ("1.50", "60", "1,500.00") as a Decimal, or why it cannot be
    one: read by the one rule for typed numbers (consortia/numbers.py), written plain, so not
    "£1.50", nor "1e3", "1_000" or "١٢٣", which ``Decimal`` would take."""
    if not isinstance(value, str):
        return None, f'{label} must be a number written as text, like "1.50"'
    try:
        number = read_number(value, marks=False)
    except NotANumber:
        number = None
    if number is None:
        return None, f'{label} {_quoted(value)} is not a number; write it like "1.50"'
    if number.adjusted() >= 12:
        return None, f"{label} {_quoted(value)} is not a number the form can use"
    if number < 0:
        return None, f"{label} {_quoted(value)} cannot be negative"
    if number != number.quantize(Decimal(1).scaleb(-MAX_DECIMAL_PLACES)):
        return None, f"{label} {_quoted(value)} has more than {MAX_DECIMAL_PLACES} decimal places"
    return number, None


def _value_problems(name: str, value, spec: Parameter) -> list[str]:
    label = f"parameter '{name}'"
    if spec.type in (MONEY_PARAMETER, PERCENT_PARAMETER, WHOLE_PARAMETER):
        number, problem = _number(value, label=label)
        if problem:
            return [problem]
        if spec.type == PERCENT_PARAMETER and number > finance.HUNDRED:
            return [f"{label} is {number:f}%; a share is at most 100%"]
        if spec.type == WHOLE_PARAMETER and number != number.to_integral_value():
            return [f"{label} must be a whole number, not {value}"]
        if spec.minimum and number < Decimal(spec.minimum):
            return [f"{label} is {value}; it must be at least {spec.minimum}"]
        if spec.maximum and number > Decimal(spec.maximum):
            return [f"{label} is {value}; it can be at most {spec.maximum}"]
        return []
    if spec.type == CHOICE_PARAMETER:
        if value not in spec.choices:
            return [f"{label} is {_quoted(value)}; the choices are: {', '.join(spec.choices)}"]
        return []
    if spec.type == LABELS_PARAMETER:
        return _labels_problems(value, spec)
    if spec.type == SCALE_PARAMETER:
        return _scale_problems(value)
    if spec.type == QUESTIONS_PARAMETER:
        return _questions_problems(value)
    raise ValueError(f"unknown parameter type {spec.type!r}")


def _labels_problems(value, spec: Parameter) -> list[str]:
    if not isinstance(value, dict):
        return ["parameter 'labels' must be a mapping of label names to texts"]
    problems = []
    for name, text in value.items():
        if name not in spec.labels:
            close = difflib.get_close_matches(str(name), spec.labels, n=1)
            suggestion = f" (did you mean '{close[0]}'?)" if close else ""
            listed = "; ".join(f"{key} ({what})" for key, what in spec.labels.items())
            problems.append(f"unknown label {_quoted(name)}{suggestion}; the labels are: {listed}")
        elif not isinstance(text, str):
            problems.append(f"label '{name}' must be text")
        elif len(text) > MAX_LABEL:
            problems.append(f"label '{name}' is {len(text)} characters long; at most {MAX_LABEL}")
    return problems


def _rows(value, name: str, fields: tuple[str, ...]) -> tuple[list[dict], list[str]]:
    example = ", ".join(f"{field}: ..." for field in fields)
    if not isinstance(value, list) or not value:
        return [], [f"parameter '{name}' must be a list of rows, one '- {{{example}}}' line each"]
    if len(value) > MAX_LIST:
        return [], [f"parameter '{name}' lists {len(value)} rows; at most {MAX_LIST}"]
    problems = []
    for position, row in enumerate(value, start=1):
        if not isinstance(row, dict):
            problems.append(f"parameter '{name}', row {position}: write it as {{{example}}}")
            continue
        unknown = [str(key) for key in row if key not in fields]
        missing = [field for field in fields if row.get(field) in (None, "")]
        if unknown:
            problems.append(
                f"parameter '{name}', row {position}: unknown field {_quoted(unknown[0])}; "
                f"the fields are: {', '.join(fields)}"
            )
        if missing:
            problems.append(f"parameter '{name}', row {position}: '{missing[0]}' is missing")
    return value, problems


def _scale_problems(value) -> list[str]:
    rows, problems = _rows(value, "scale", ("freed_up", "returned"))
    if problems:
        return problems
    scale = []
    for position, row in enumerate(rows, start=1):
        figures = []
        for field in ("freed_up", "returned"):
            number, problem = _number(
                row[field], label=f"parameter 'scale', row {position}, '{field}'"
            )
            if problem:
                problems.append(problem)
            figures.append(number)
        scale.append(figures)
    if problems:
        return problems
    try:
        finance.validate_sliding_scale(
            scale=[finance.ScaleRow(freed_up=a, returned=b) for a, b in scale]
        )
    except finance.FinanceInputError as error:
        row = re.search(r"\[(\d+)\]", error.field or "")
        where = f", row {int(row.group(1)) + 1}" if row else ""
        return [f"parameter 'scale'{where}: {error.message}"]
    return []


def _questions_problems(value) -> list[str]:
    rows, problems = _rows(value, "questions", ("key", "label"))
    if problems:
        return problems
    seen = set()
    for position, row in enumerate(rows, start=1):
        key, label = row["key"], row["label"]
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            problems.append(
                f"parameter 'questions', row {position}: key {_quoted(key)} may hold only small "
                "letters, digits and '_', like 'clinical_evidence'"
            )
        elif key in seen:
            problems.append(f"parameter 'questions', row {position}: key '{key}' is used twice")
        seen.add(key)
        if not isinstance(label, str) or len(label) > MAX_LABEL:
            problems.append(
                f"parameter 'questions', row {position}: 'label' must be text of at most "
                f"{MAX_LABEL} characters"
            )
    return problems


def parameter_problems(kind: str, parameters: dict) -> list[str]:
    """What is wrong with a question's ``parameters`` for its ``kind``."""
    specs = EVERY_KIND[kind].PARAMETERS
    if not specs:
        return [f"'parameters' are not used by kind '{kind}'"] if parameters else []
    problems = []
    for name, value in parameters.items():
        spec = specs.get(name)
        if spec is None:
            close = difflib.get_close_matches(str(name), specs, n=1)
            suggestion = f" (did you mean '{close[0]}'?)" if close else ""
            listed = "; ".join(f"{key} ({spec.description})" for key, spec in specs.items())
            problems.append(
                f"unknown parameter {_quoted(name)}{suggestion}; the parameters of kind "
                f"'{kind}' are: {listed}"
            )
            continue
        problems.extend(_value_problems(str(name), value, spec))
    return problems
