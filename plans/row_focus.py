"""Where a person lands after pressing a row button (add, remove, move a row, target or
project): the new row's first field, or the field now in the removed row's place, or the moved
row's first field. Worked out from the inputs the editor draws before and after the action, so
every table and structured kind, now and later, gets it without code of its own.

Input names follow one convention (plans/kinds/rows.py): a field path such as
"projects[0].targets[1].planned_saving" or, in a plain table, "rows[2].name"; the numbers in
brackets say which row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import fields, is_dataclass

from .kinds.base import Field

_INDEX = re.compile(r"\[(\d+)\]")


def input_names(figures) -> list[str]:
    """Every input a kind's template draws from ``figures`` (its ``present`` output), in the
    order the kind lists them."""
    names: list[str] = []
    seen: set[int] = set()

    def walk(value) -> None:
        if isinstance(value, Field):
            names.append(value.name)
        elif isinstance(value, str | bytes | int | float) or value is None or id(value) in seen:
            return
        elif isinstance(value, dict):
            seen.add(id(value))
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            seen.add(id(value))
            for item in value:
                walk(item)
        elif is_dataclass(value):
            seen.add(id(value))
            for item in fields(value):
                walk(getattr(value, item.name))

    walk(figures)
    return list(dict.fromkeys(names))


def table_input_names(rows: list[dict], columns: list[dict]) -> list[str]:
    """The inputs of a plain table editor (templates/plans/_table_editor.html)."""
    return [f"rows[{index}].{column['key']}" for index in range(len(rows)) for column in columns]


def _numbers(name: str) -> tuple[int, ...]:
    return tuple(int(number) for number in _INDEX.findall(name))


def _first_at(names: Iterable[str], numbers: tuple[int, ...]) -> str:
    return next((name for name in names if _numbers(name) == numbers), "")


def landing(action: str, *, before: list[str], after: list[str]) -> str:
    """The input (its name, without the form's prefix) to land on after ``action``; "" when
    there is none left (the last row removed), and the question itself is the place."""
    verb, numbers = _split(action)
    if verb.startswith("add-"):
        old = set(before)
        return next((name for name in after if name not in old), "")
    if verb == "move-up" and numbers:
        return _first_at(after, (numbers[0] - 1,))
    if verb == "move-down" and numbers:
        return _first_at(after, (numbers[0] + 1,))
    if verb.startswith("remove-") and numbers:
        *parent, index = numbers
        for place in (
            (*parent, index),  # the row that moved up into the removed one's place
            (*parent, index - 1),  # or the one before it, when the last was removed
            tuple(parent),  # or the row that held it (a project's own fields)
        ):
            if place and min(place) >= 0:
                found = _first_at(after, place)
                if found:
                    return found
    return ""


def _split(action: str) -> tuple[str, tuple[int, ...]]:
    parts = action.split("-")
    numbers: list[int] = []
    while parts and parts[-1].isdigit():
        numbers.insert(0, int(parts.pop()))
    return "-".join(parts), tuple(numbers)
