"""Hours allocation (DacCom 6.1): each activity's hours, as a fixed figure or meetings x hours
each x attendees, their total, and what is left of the hours the funding buys."""

from __future__ import annotations

from decimal import Decimal

from .. import finance
from ..errors import AnswerInvalid
from . import rows
from .base import NO_PLAN, Field, Kind, KindContext, decimal, refused, shown, stored
from .rows import NUMBER, WHOLE, Column, RowSpec

TIMES = "\N{MULTIPLICATION SIGN}"
LINES = RowSpec(
    name="lines",
    noun="line",
    columns=(
        Column("activity", "Activity"),
        Column("meetings", "Meetings", WHOLE, width="3"),
        Column("hours_each", "Hours each meeting", NUMBER, width="3"),
        Column("attendees", "Attendees", WHOLE, width="3"),
        Column("hours", "Or fixed hours", NUMBER, width="4"),
    ),
)


def format_hours(hours: Decimal) -> str:
    value = f"{finance.round_money(hours, places=2):,f}"
    return value.rstrip("0").rstrip(".") if "." in value else value


def _hours_line(line: dict) -> finance.HoursLine:
    return finance.HoursLine(
        label=line.get("activity", ""),
        hours=rows.amount(line, "hours"),
        meetings=line.get("meetings"),
        hours_each=rows.amount(line, "hours_each"),
        attendees=line.get("attendees"),
    )


class HoursKind(Kind):
    template_name = "plans/structured/hours.html"

    def value_from_post(self, post, *, prefix, current):
        if not rows.posted(post, prefix=prefix, spec=LINES):
            return current or {}, ""
        lines, pressed = rows.apply_action(post, rows.read(post, prefix=prefix, spec=LINES), LINES)
        return {"funded_hours": post.get(f"{prefix}-funded_hours", ""), "lines": lines}, pressed

    def clean(self, data, *, context: KindContext = NO_PLAN):
        funded = decimal(data.get("funded_hours"), field="funded_hours", label="Funded hours")
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
        result = {"lines": cleaned}
        if funded is not None:
            result["funded_hours"] = stored(funded)
        return result

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
        cleaned, invalid = self.checked(data, context=context)
        source = cleaned if cleaned is not None else (data or {})
        computed = self.figures(cleaned, context=context) if cleaned is not None else None
        funded_field = Field(
            "funded_hours",
            "Hours the funding buys",
            shown(source.get("funded_hours")),
            input="number",
            width="5",
            hidden_label=False,
            hint="For example 1000 (DacCom: about 1,000 hours of GP and practice manager time).",
        )
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
            line.extra = {
                "hours": format_hours(hours) if hours is not None else "",
                "working": working,
            }
        screen = {
            "lines": lines,
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
