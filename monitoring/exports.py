"""Figures out as CSV and Excel: per plan (its latest accepted return) and per PCT (one row per
consortium and target). Numbers are written as plain numbers; text that a spreadsheet would
run as a formula is escaped (docs/decisions/0443)."""

import csv
import io
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from .services import CRITERION_STATUSES, MILESTONE_STATUSES

STATUS_WORDS = {**MILESTONE_STATUSES, **CRITERION_STATUSES}
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


MONEY_FORMAT = "£#,##0.00"
DATE_FORMAT = "d mmmm yyyy"


def xlsx_bytes(title: str, header: list[str], rows: list[list]) -> bytes:
    """One sheet: the header in bold, money and dates as typed numbers and dates, and every
    text cell written as text, so that nothing typed into the service runs as a formula."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(header)
    for heading in sheet[1]:
        heading.font = Font(bold=True)
    for values in rows:
        sheet.append([None if value is None else value for value in values])
        for written in sheet[sheet.max_row]:
            if isinstance(written.value, str):
                written.data_type = "s"
            elif isinstance(written.value, Decimal):
                written.number_format = MONEY_FORMAT
            elif isinstance(written.value, date):
                written.number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


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
                STATUS_WORDS.get(line.status, line.status),
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
