"""Deliverables and milestones (DacCom 6.2: "by [date] we will deliver [item]"), each with an
owner and a status, dated within the plan's year unless the template's ``window`` parameter
says "any" (a form whose milestones run beyond the year, docs/decisions/0400)."""

from __future__ import annotations

import re
from datetime import date

from consortia.dates import long_date

from ..errors import AnswerInvalid
from ..plan_years import plan_period
from . import rows
from .base import CHOICE_PARAMETER, NO_PLAN, KindContext, Parameter
from .rows import CHOICE, DATE, LONG_TEXT, Column, ListKind, RowSpec

STATUSES = (
    ("not_started", "Not started", "nhsuk-tag--grey"),
    ("on_track", "On track", "nhsuk-tag--green"),
    ("at_risk", "At risk", "nhsuk-tag--orange"),
    ("done", "Done", ""),
)
STATUS_LABELS = {value: label for value, label, _ in STATUSES}
STATUS_TAGS = {value: tag for value, _, tag in STATUSES}
MILESTONES = RowSpec(
    name="milestones",
    noun="milestone",
    columns=(
        Column("key", "Key", drawn=False),
        Column("due", "Date", DATE),
        Column("item", "We will deliver", LONG_TEXT),
        Column("owner", "Owner"),
        Column(
            "status", "Status", CHOICE, default="not_started",
            choices=tuple((value, label) for value, label, _ in STATUSES),
        ),
    ),
)  # fmt: skip
PLAN_YEAR, ANY_DATE = "plan_year", "any"
_KEY = re.compile(r"[a-z0-9-]{1,20}")


class MilestonesKind(ListKind):
    template_name = "plans/structured/milestones.html"
    spec = MILESTONES
    PARAMETERS = {
        "window": Parameter(
            CHOICE_PARAMETER,
            "when the dates may fall: plan_year (the plan's financial year, the default) or any",
            choices=(PLAN_YEAR, ANY_DATE),
        ),
    }

    def window(self, context: KindContext) -> tuple[date, date] | None:
        """The dates a milestone may fall between, or None where any date will do."""
        if self.parameters.get("window") == ANY_DATE:
            return None
        return plan_period(context.period)

    def clean(self, data, *, context: KindContext = NO_PLAN):
        milestones = rows.clean(data, MILESTONES, what="milestones")
        period = self.window(context)
        used = {m["key"] for m in milestones if _KEY.fullmatch(m["key"] or "")}
        for i, milestone in enumerate(milestones):
            due = date.fromisoformat(milestone["due"]) if milestone["due"] else None
            if due is not None and period is not None and not period[0] <= due <= period[1]:
                raise AnswerInvalid(
                    f"The date must be within the plan's year, {long_date(period[0])} to "
                    f"{long_date(period[1])}.",
                    field=f"milestones[{i}].due",
                )
            if not milestone["item"]:
                raise AnswerInvalid("Enter what will be delivered.", field=f"milestones[{i}].item")
            if not _KEY.fullmatch(milestone["key"] or ""):
                number = 1
                while f"m{number}" in used:
                    number += 1
                milestone["key"] = f"m{number}"
                used.add(milestone["key"])
        if len({m["key"] for m in milestones}) != len(milestones):
            raise AnswerInvalid("Two milestones have the same key: reload the page.")
        return {"milestones": milestones}

    def figures(self, value, *, context: KindContext) -> dict:
        """Each milestone with its date as a date, how many are at each status, and the plan
        year the dates fall in."""
        milestones = [
            {
                "key": milestone["key"],
                "due": date.fromisoformat(milestone["due"]) if milestone.get("due") else None,
                "item": milestone["item"],
                "owner": milestone.get("owner", ""),
                "status": milestone["status"],
            }
            for milestone in value.get("milestones") or []
        ]
        period = self.window(context)
        return {
            "milestones": milestones,
            "status_counts": {
                status: sum(1 for m in milestones if m["status"] == status)
                for status, _, _ in STATUSES
            },
            "period_start": period[0] if period else None,
            "period_end": period[1] if period else None,
        }

    def present(self, data, *, context: KindContext):
        cleaned, invalid = self.checked(data, context=context)
        source = cleaned if cleaned is not None else (data or {})
        computed = self.figures(cleaned or {}, context=context)
        milestones = rows.draw(source.get("milestones") or [], MILESTONES)
        for milestone in milestones:
            due = computed["milestones"][milestone.index]["due"] if cleaned is not None else None
            status = milestone.value.get("status") or "not_started"
            milestone.extra = {
                "key": milestone.value.get("key", ""),
                "due_display": long_date(due) if due else "",
                "sentence": f"By {long_date(due)} we will deliver"
                if due
                else "We will deliver (no date set)",
                "status_label": STATUS_LABELS.get(status, status),
                "status_tag": STATUS_TAGS.get(status, "nhsuk-tag--grey"),
            }
        counts = [
            (label, sum(1 for m in milestones if m.value.get("status") == value))
            for value, label, _ in STATUSES
        ]
        start, end = computed["period_start"], computed["period_end"]
        return {
            "milestones": milestones,
            "status_counts": counts,
            "period_display": f"{long_date(start)} to {long_date(end)}" if start else "",
            "error": rows.place_error(rows.all_fields(milestones), invalid),
        }
