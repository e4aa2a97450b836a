"""Hours allocation (DacCom 6.1): each activity's hours, as a fixed figure or meetings x hours
each x attendees, their total, and what is left of the hours the funding buys."""

from __future__ import annotations

from decimal import Decimal

from .. import finance
from ..errors import AnswerInvalid
from . import rows
from .base import LABELS_PARAMETER, NO_PLAN, KindContext, Parameter, refused
from .rows import NUMBER, WHOLE, Column, ListKind, RowSpec

TIMES = "\N{MULTIPLICATION SIGN}"
LINES = RowSpec(
    name="lines",
    noun="line",
    columns=(
        Column("activity", "Activity"),
        Column("meetings", "Meetings", WHOLE, width="3"),
        Column("hours_each", "Hours each meeting", NUMBER, width="3", heading="Hours each"),
        Column("attendees", "Attendees", WHOLE, width="3"),
        Column("hours", "Or fixed hours", NUMBER, width="4"),
    ),
    worked_out=("Hours",),
    add_words="Add a line",
)
CAPTION = (
    f"Hours for each activity: meetings {TIMES} hours each {TIMES} attendees, or a fixed number "
    "of hours"
)


def format_hours(hours: Decimal) -> str:
    """Hours with every place they were typed to ("12.345", "1,000"), never rounded: hours may
    have up to six decimal places (docs/decisions/0467), and what is worked out from them
    (meetings x hours each x attendees, the total, what is left) is exact, so the page shows
    the figures the plan holds (docs/decisions/0483)."""
    value = f"{hours:,f}"
    return value.rstrip("0").rstrip(".") if "." in value else value


def _hours_line(line: dict) -> finance.HoursLine:
    return finance.HoursLine(
        label=line.get("activity", ""),
        hours=rows.amount(line, "hours"),
        meetings=line.get("meetings"),
        hours_each=rows.amount(line, "hours_each"),
        attendees=line.get("attendees"),
    )


class HoursKind(ListKind):
    template_name = "plans/structured/hours.html"
    spec = LINES
    LABELS = {
        "funded": "Hours the funding buys",
        "funded_hint": "The hours of clinicians' and managers' time the funding pays for.",
    }
    PARAMETERS = {
        "labels": Parameter(
            LABELS_PARAMETER,
            "what the allocation calls its inputs",
            labels={
                "funded": "the funded hours' input",
                "funded_hint": "the hint under the funded hours' input",
            },
        ),
    }

    @property
    def scalars(self) -> tuple[Column, ...]:
        return (
            Column(
                "funded_hours", self.label("funded"), NUMBER, width="5", visible_label=True,
                said="Funded hours", hint=self.label("funded_hint"),
            ),
        )  # fmt: skip

    def clean(self, data, *, context: KindContext = NO_PLAN):
        cleaned = []
        for i, line in enumerate(rows.clean(data, LINES, what="hours")):
            if LINES.empty(line):
                cleaned.append(LINES.new())
                continue
            if not line["activity"]:
                raise AnswerInvalid("Enter what the hours are for.", field=f"lines[{i}].activity")
            try:
                finance.line_hours(line=_hours_line(line), field=f"lines[{i}]")
            except finance.FinanceInputError as error:
                raise refused(error) from None
            if line["hours"] != "":
                cleaned.append({"activity": line["activity"], "hours": line["hours"]})
            else:
                cleaned.append(
                    {key: line[key] for key in ("activity", "meetings", "hours_each", "attendees")}
                )
        return {"lines": cleaned, **self.clean_scalars(data)}

    def figures(self, value, *, context: KindContext) -> dict:
        """Hours per line (None for a line left blank), their total, the hours funded and
        what is left to allocate (negative when over-allocated)."""
        funded = value.get("funded_hours")
        lines = value.get("lines") or []
        allocation = finance.allocate_hours(
            lines=[_hours_line(line) for line in lines if line.get("activity")],
            funded_hours=Decimal(funded) if funded not in (None, "") else None,
        )
        totals = iter(allocation.lines)
        return {
            "lines": [
                {
                    "activity": line.get("activity", ""),
                    "hours": next(totals).hours if line.get("activity") else None,
                }
                for line in lines
            ],
            "total": allocation.total,
            "funded_hours": allocation.funded_hours,
            "unallocated": allocation.unallocated,
            "over_allocated": allocation.over_allocated,
        }

    def present(self, data, *, context: KindContext):
        source, computed, invalid = self.for_screen(data, context=context)
        (funded_field,) = self.scalar_fields(source)
        lines = rows.draw(source.get("lines") or [], LINES)
        for line in lines:
            hours = computed["lines"][line.index]["hours"] if computed is not None else None
            working = ""
            if hours is not None and line.value.get("hours") in (None, ""):
                each = format_hours(Decimal(line.value["hours_each"]))
                working = (
                    f"{line.value['meetings']:,} meetings {TIMES} {each} hours {TIMES} "
                    f"{line.value['attendees']:,} attendees"
                )
            shown_hours = format_hours(hours) if hours is not None else ""
            line.extra = {"hours": shown_hours, "working": working}
            line.worked_out = (shown_hours,)
        screen = {
            "lines": lines,
            "table": rows.RowsTable(LINES, lines, caption=CAPTION),
            "funded_field": funded_field,
            "computed": computed is not None,
            "error": rows.place_error([funded_field, *rows.all_fields(lines)], invalid),
        }
        if computed is not None:
            funded, unallocated = computed["funded_hours"], computed["unallocated"]
            screen.update(
                total=computed["total"],
                total_display=format_hours(computed["total"]),
                funded_display=format_hours(funded) if funded is not None else "",
                unallocated_display=(
                    format_hours(abs(unallocated)) if unallocated is not None else ""
                ),
                over_allocated=computed["over_allocated"],
            )
        return screen
