"""Figures out as CSV and Excel: per plan (its latest accepted return, and the signed plan's
funding and hours) and per PCT (one row per consortium and target). Numbers are written as
plain numbers; text that a spreadsheet would run as a formula is escaped (docs/decisions/0443,
0446)."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from plans.structured import kind_for

from .services import CRITERION_STATUSES, MILESTONE_STATUSES

STATUS_WORDS = {**MILESTONE_STATUSES, **CRITERION_STATUSES}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


MONEY_FORMAT = "£#,##0.00"
DATE_FORMAT = "d mmmm yyyy"
WHOLE_FORMAT = "#,##0"
HOURS_FORMAT = "#,##0.##"
PERCENT_FORMAT = '0.##"%"'
PENNY = Decimal("0.01")


@dataclass(frozen=True)
class Number:
    """A number that is not money (hours, a per cent, a population): written as a number with
    its own format in Excel, as a plain number in CSV."""

    value: Decimal | int
    number_format: str


@dataclass(frozen=True)
class Table:
    """One sheet of a workbook, one block of a CSV file."""

    title: str
    header: list[str]
    rows: list[list] = field(default_factory=list)


def cell(value) -> str:
    """A value as a CSV cell: Decimal and dates as themselves, text that starts like a formula
    behind an apostrophe so it stays text."""
    if value is None:
        return ""
    if isinstance(value, Number):
        return _plain(value.value)
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _plain(value: Decimal | int) -> str:
    """A number that is not money as its Excel format shows it, with no trailing zeros: hours
    "200" beside "400" and "1000", "12.5" when there is a fraction."""
    if isinstance(value, Decimal) and value.is_finite():
        if value == value.to_integral_value():
            return str(int(value))
        return f"{value.normalize():f}"
    return str(value)


def csv_bytes(tables: list[Table]) -> bytes:
    """The first table as header and rows; each further table after a blank line, under a
    line with its title."""
    out = io.StringIO()
    writer = csv.writer(out)
    for i, table in enumerate(tables):
        if i:
            writer.writerow([])
            writer.writerow([cell(table.title)])
        writer.writerow([cell(heading) for heading in table.header])
        writer.writerows([cell(value) for value in row] for row in table.rows)
    # A byte order mark so that Excel reads the pound signs and names as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _write(written, value) -> None:
    if isinstance(value, Number):
        written.value = value.value
        written.number_format = value.number_format
    elif isinstance(value, str):
        written.value = value
        written.data_type = "s"
    else:
        written.value = value
        if isinstance(value, Decimal):
            written.number_format = MONEY_FORMAT
        elif isinstance(value, date):
            written.number_format = DATE_FORMAT


def xlsx_bytes(tables: list[Table]) -> bytes:
    """A sheet a table: the header in bold, money, other numbers and dates as typed numbers and
    dates, and every text cell written as text, so that nothing typed into the service runs as
    a formula."""
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(table.title[:31])
        for column, heading in enumerate(table.header, start=1):
            written = sheet.cell(row=1, column=column)
            _write(written, heading)
            written.font = Font(bold=True)
        for row, values in enumerate(table.rows, start=2):
            for column, value in enumerate(values, start=1):
                if value is not None:
                    _write(sheet.cell(row=row, column=column), value)
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


FUNDING_HEADER = ["Question", "Figure", "Value"]
HOURS_HEADER = ["Question", "Activity", "Hours"]
# The DES funding's figures in the order the plan's page shows them, each with the kind's label
# (the template's own where it names them) and how it is written.
FUNDING_FIGURES = (
    ("population", "population", WHOLE_FORMAT),
    ("rate_per_patient", "rate", None),
    ("total", "total", None),
    ("practices_share_percent", "to_practices", PERCENT_FORMAT),
    ("to_practices", "to_practices", None),
    ("pct_share_percent", "held_by_pct", PERCENT_FORMAT),
    ("held_by_pct", "held_by_pct", None),
)


def _funding_rows(number: str, kind, figures: dict) -> list[list]:
    rows = []
    for key, label, number_format in FUNDING_FIGURES:
        value = figures[key]
        name = kind.label(label)
        if number_format == PERCENT_FORMAT:
            name = f"{name}, per cent"
        rows.append(
            [number, name, Number(value, number_format) if number_format else value.quantize(PENNY)]
        )
    return rows


def _hours_rows(number: str, kind, figures: dict) -> list[list]:
    rows = [
        [number, line["activity"], Number(line["hours"], HOURS_FORMAT)]
        for line in figures["lines"]
        if line["hours"] is not None
    ]
    rows.append([number, "Total", Number(figures["total"], HOURS_FORMAT)])
    if figures["funded_hours"] is not None:
        rows.append([number, kind.label("funded"), Number(figures["funded_hours"], HOURS_FORMAT)])
        rows.append([number, "Left to allocate", Number(figures["unallocated"], HOURS_FORMAT)])
    return rows


def plan_tables(delivery, content) -> list[Table]:
    """The plan's downloads: its delivery (the latest accepted return, one row a line), and
    the signed plan's DES funding and hours allocation as its pages compute them
    (``content`` is its plans.content.PlanContent)."""
    funding: list[list] = []
    hours: list[list] = []
    for question in content.questions():
        kind = question.question.kind
        if kind not in ("des_funding", "hours") or not question.figures:
            continue
        number = question.question.number
        if kind == "des_funding":
            funding += _funding_rows(number, kind_for(question.question), question.figures)
        else:
            hours += _hours_rows(number, kind_for(question.question), question.figures)
    return [
        Table("Delivery", PLAN_HEADER, plan_rows(delivery)),
        Table("Funding", FUNDING_HEADER, funding),
        Table("Hours", HOURS_HEADER, hours),
    ]
