"""Figures out as CSV: per plan (its latest accepted return) and per PCT (one row per
consortium and target). Numbers are written as plain numbers; text that a spreadsheet would
run as a formula is escaped (docs/decisions/0443)."""

import csv
import io
from datetime import date
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """A value as a CSV cell: Decimal and dates as themselves, text that starts like a formula
    behind an apostrophe so it stays text."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([cell(value) for value in row] for row in rows)
    # A byte order mark so that Excel reads the pound signs and names as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


PLAN_HEADER = [
    "Section",
    "Reference",
    "Text",
    "Planned date",
    "Planned saving",
    "Status",
    "Date done",
    "Actual savings to date",
    "Forecast for the year",
    "Variance (forecast less planned)",
    "Note or evidence",
]


def plan_rows(delivery) -> list[list]:
    source = delivery.source
    if source is None:
        return []
    rows = []
    for line in source.lines.all():
        variance = (
            line.forecast_for_year - (line.planned_saving or Decimal(0))
            if line.forecast_for_year is not None
            else None
        )
        rows.append(
            [
                line.get_kind_display(),
                line.reference,
                line.text,
                line.planned_on,
                line.planned_saving,
                line.status,
                line.done_on,
                line.actual_to_date,
                line.forecast_for_year,
                variance,
                line.note,
            ]
        )
    return rows


ROUND_HEADER = [
    "Consortium",
    "Plan",
    "Return",
    "Target",
    "Title",
    "Planned saving",
    "Actual savings to date",
    "Forecast for the year",
    "Variance (forecast less planned)",
]


def round_rows(deliveries) -> list[list]:
    return [
        [
            plan.consortium.name,
            plan.title,
            delivery.source.label,
            target.reference,
            target.text,
            target.planned,
            target.actual,
            target.forecast,
            target.variance,
        ]
        for plan, delivery in deliveries
        if delivery.source is not None
        for target in delivery.targets
    ]
