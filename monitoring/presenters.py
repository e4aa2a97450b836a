"""What the monitoring pages show, built from the selectors' figures: money formatted as the
plan pages and the return write it (pence when there are some, docs/decisions/0486), the
milestones' RAG tags, and the savings chart drawn as SVG on the server (docs/decisions/0441)."""

from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format

from consortia.dates import long_date, long_moment
from consortia.numbers import NotANumber, in_pence, read_number
from consortia.tables import Cell, Heading, Table, Tag
from plans.finance import format_compact_money, format_money
from plans.templatetags.plans_tags import money  # as the plans and the return write it (0486)

from .forms import MoneyField
from .models import ApiToken, MonitoringReturn
from .selectors import RAG, Delivery, GivenTotal, is_late
from .services import CRITERION_STATUSES, MILESTONE_STATUSES

Status = MonitoringReturn.Status
STATUS_TAGS = {
    Status.OPEN: "nhsuk-tag--blue",
    Status.SUBMITTED: "nhsuk-tag--purple",
    Status.ACCEPTED: "nhsuk-tag--green",
    Status.SENT_BACK: "nhsuk-tag--orange",
}
RAG_TAGS = {"green": "nhsuk-tag--green", "amber": "nhsuk-tag--yellow", "red": "nhsuk-tag--red"}
RAG_WORDS = {"green": "Green", "amber": "Amber", "red": "Red"}
LATE = Tag("Late", "nhsuk-tag--red")

# The chart's geometry, in SVG user units.
CHART_WIDTH = 640
LABEL_WIDTH = 60
BAR_HEIGHT = 12
ROW_HEIGHT = 36
TOP = 30


def line_status(line) -> str:
    return {**MILESTONE_STATUSES, **CRITERION_STATUSES}.get(line.status, "Not given")


def rag_of(line) -> str:
    return RAG.get(line.status, "amber")


@dataclass(frozen=True)
class Bar:
    y: int
    width: int
    css: str


@dataclass(frozen=True)
class ChartRow:
    reference: str
    label_y: int
    planned: Bar
    actual: Bar


def savings_chart(delivery: Delivery) -> dict:
    """Bars of planned against actual savings per target, scaled to the largest figure."""
    largest = max(
        [t.planned for t in delivery.targets] + [t.actual or Decimal(0) for t in delivery.targets],
        default=Decimal(0),
    )
    span = CHART_WIDTH - LABEL_WIDTH - 10

    def width(amount: Decimal | None) -> int:
        if not amount or not largest:
            return 0
        return max(1, int(amount * span / largest))

    rows = []
    for i, target in enumerate(delivery.targets):
        top = TOP + i * ROW_HEIGHT
        rows.append(
            ChartRow(
                reference=target.reference,
                label_y=top + BAR_HEIGHT + 4,
                planned=Bar(top, width(target.planned), "planned"),
                actual=Bar(top + BAR_HEIGHT + 2, width(target.actual), "actual"),
            )
        )
    actual_total = _total_of(delivery.actual, blank="actual to date", compact=True)
    forecast_total = _total_of(delivery.forecast, blank="forecast", compact=True)
    return {
        "width": CHART_WIDTH,
        "height": TOP + len(rows) * ROW_HEIGHT + 10,
        "label_width": LABEL_WIDTH,
        "rows": rows,
        "summary": (
            f"Planned savings {format_compact_money(delivery.planned_total)}, actual to date "
            f"{actual_total}, forecast for the year {forecast_total}, across "
            f"{len(delivery.targets)} targets."
        ),
    }


def _total_of(total: GivenTotal, *, blank: str, compact: bool = False) -> str:
    """A column's total that owns up to its blanks (docs/decisions/0415): "Not given" when no
    target gives a figure, else the figures given summed and how many targets have no
    ``blank``."""
    if total.amount is None:
        return "not given" if compact else "Not given"
    written = format_compact_money(total.amount) if compact else money(total.amount)
    if total.missing:
        have = "has" if total.missing == 1 else "have"
        written += f" ({total.missing} of {total.targets} targets {have} no {blank})"
    return written


def _variance_total(delivery: Delivery) -> str:
    """The forecasts against plan, worked out only on the targets with a forecast (0415)."""
    if delivery.variance_total is None:
        return "Not shown: no forecast given"
    written = money(delivery.variance_total)
    if delivery.forecast.missing:
        given = len(delivery.targets) - delivery.forecast.missing
        targets = "the target" if given == 1 else f"the {given} targets"
        written += f" (on {targets} with a forecast)"
    return written


def delivery_screen(delivery: Delivery) -> dict:
    """The plan's delivery dashboard."""
    return {
        "delivery": delivery,
        "chart": savings_chart(delivery),
        "targets": [
            {
                "reference": t.reference,
                "text": t.text,
                "planned": money(t.planned),
                "actual": money(t.actual),
                "forecast": money(t.forecast),
                "variance": money(t.variance),
                "short": t.variance is not None and t.variance < 0,
            }
            for t in delivery.targets
        ],
        "totals": {
            "planned": money(delivery.planned_total),
            "actual": _total_of(delivery.actual, blank="actual to date"),
            "forecast": _total_of(delivery.forecast, blank="forecast"),
            "variance": _variance_total(delivery),
            "planned_compact": format_compact_money(delivery.planned_total),
        },
        "milestones": [
            {
                "line": line,
                "status": line_status(line),
                "rag": RAG_WORDS[rag_of(line)],
                "tag": RAG_TAGS[rag_of(line)],
            }
            for line in delivery.milestones
        ],
        "rag_counts": delivery.rag_counts,
        "criteria": [{"line": line, "status": line_status(line)} for line in delivery.criteria],
        "reward_pot": money(delivery.reward_pot),
        "reward_released": money(delivery.reward_released),
    }


def marked(items: list[MonitoringReturn], *, today) -> list[MonitoringReturn]:
    """Each return with whether it is late and its tags: its status, and Late when it is."""
    for item in items:
        item.late = is_late(item, today=today)
        status = Tag(item.get_status_display(), STATUS_TAGS[item.status])
        item.status_tags = (status, LATE) if item.late else (status,)
    return items


def _return_row(item: MonitoringReturn, *middle: Cell) -> list[Cell]:
    """A marked return: its label linked, ``middle``, when it is due and its status."""
    return [
        Cell(item.label, href=reverse("monitoring:return", args=[item.pk]), header=True),
        *middle,
        Cell(long_date(item.due_on)),
        Cell("", tags=item.status_tags),
    ]


def _returns_listed(*, caption: str, headings: list[str], rows: list, empty: str = "") -> Table:
    """A list of returns, stacked on a small screen; a period may be one long word of 100
    characters, so its cells wrap anywhere rather than push the page sideways."""
    return Table(
        caption=caption,
        caption_hidden=True,
        responsive=True,
        css="app-wrap-anywhere",
        headings=[Heading(heading) for heading in headings],
        rows=rows,
        empty=empty,
    )


def waiting_table(items: list[MonitoringReturn]) -> Table:
    return _returns_listed(
        caption="Returns waiting, late ones first",
        headings=["Return", "Consortium", "Due", "Status"],
        rows=[_return_row(item, Cell(item.plan.consortium.name)) for item in items],
    )


def returns_table(items: list[MonitoringReturn]) -> Table:
    return _returns_listed(
        caption="The plan's monitoring returns",
        headings=["Period", "Due", "Status"],
        rows=[_return_row(item) for item in items],
        empty="No return has been opened yet.",
    )


def _amount(typed: str) -> Decimal | str:
    """A figure of the return's form as a Decimal to write as money, or as typed when it is
    not whole pence: a figure that was never read is not rounded into one that reads."""
    try:
        amount = read_number(typed)
    except NotANumber:
        return typed
    return amount if amount is not None and amount.is_finite() and in_pence(amount) else typed


def _shown(field: forms.Field, value) -> str:
    """A form's value in words: a status by its name, a date as the pages write dates (a date
    it cannot read as typed), money as the pages write money ("£40,000", "£40,000.50")."""
    if isinstance(field, forms.DateField) and isinstance(value, str):
        with suppress(forms.ValidationError):
            value = field.to_python(value)
    if isinstance(field, MoneyField) and isinstance(value, str):
        value = _amount(value)
    if value in (None, ""):
        return "Not given"
    if isinstance(value, Decimal):
        return format_money(value)
    if isinstance(field, forms.ChoiceField):
        return dict(field.choices).get(value, value)
    if isinstance(value, date):
        return long_date(value)
    return str(value)


def unsaved_table(form, *, saved_heading: str) -> Table:
    """What the person typed that differs from the return as saved, field by field: kept in
    view when the form itself cannot be shown or when someone saved the return meanwhile."""
    named = [
        (f"{line.get_kind_display()} {line.reference}", fields) for line, fields in form.groups()
    ]
    named.append(("The return", [form["commentary"]]))
    rows = [
        [
            Cell(name, header=True),
            Cell(field.label),
            Cell(_shown(field.field, field.data)),
            Cell(_shown(field.field, field.initial)),
        ]
        for name, fields in named
        for field in fields
        if field.name in form.changed_data
    ]
    return Table(
        caption="What you typed that is not saved",
        caption_hidden=True,
        responsive=True,
        css="app-wrap-anywhere",
        headings=[Heading("Where"), Heading("Field"), Heading("Yours"), Heading(saved_heading)],
        rows=rows,
        empty="What you typed is the same as what is saved.",
    )


def saved_when(moment) -> str:
    """When a return was saved, as the clash says it: "15:16", or "15:16 on 27 November 2026"
    when not today."""
    local = timezone.localtime(moment)
    when = time_format(local, "H:i")
    if local.date() != timezone.localdate():
        when += f" on {long_date(local)}"
    return when


def last_use(token: ApiToken) -> str:
    """When the token last opened the API, as its lead decides whether to revoke it: "Last used
    27 November 2026 at 14:05", or "Never used", or, for a token made before uses were recorded,
    since when none is recorded (docs/decisions/0465). A revoked token keeps its last use."""
    if token.last_used_at:
        return f"Last used {long_moment(token.last_used_at)}"
    if token.uses_recorded_from:
        since = long_date(timezone.localdate(token.uses_recorded_from))
        return f"Not used since {since} (uses before then were not recorded)"
    return "Never used"
