"""Hours allocation (DacCom 6.1), the DES funding split (DacCom 5.4), the incentive outcome
framework (BANES Appendix 1) and the freed-up resources sliding scale (BANES Appendix 2).
Every figure shown is computed by plans/finance.py from the rates kept in the answer."""

from __future__ import annotations

import re
from decimal import Decimal

from .. import finance
from ..errors import AnswerInvalid
from .base import (
    NO_PLAN,
    Field,
    Kind,
    KindContext,
    Rows,
    apply_row_action,
    blank,
    blank_in,
    count,
    decimal,
    place_error,
    shown,
    stored,
    text,
    whole,
)


def format_hours(hours: Decimal) -> str:
    value = f"{finance.round_money(hours, places=2):,f}"
    return value.rstrip("0").rstrip(".") if "." in value else value


def _finance_field(name: str | None) -> str:
    """plans/finance.py's field names as this module's input names."""
    name = name or ""
    replacements = (
        (r"^lines\[(\d+)\]\.(meetings|hours_each|attendees|hours)$", r"l\1-\2"),
        (r"^lines\[(\d+)\]$", r"l\1-hours"),
        (r"^areas\[(\d+)\]\.outcomes\[(\d+)\]\.weighting$", r"a\1-o\2-weighting_percent"),
        (r"^areas\[(\d+)\]\.outcomes\[(\d+)\]\.key$", r"a\1-o\2-number"),
        (r"^areas\[(\d+)\]\.weighting$", r"a\1-weighting_percent"),
        (r"^areas\[(\d+)\]\.key$", r"a\1-number"),
        (r"^areas$", "weightings-total"),
        (r"^scale\[(\d+)\]\.returned$", r"s\1-returned_to_scheme"),
        (r"^scale\[(\d+)\]\.freed_up$", r"s\1-freed_up"),
    )
    for pattern, replacement in replacements:
        if re.match(pattern, name):
            return re.sub(pattern, replacement, name)
    return name


def _refused(error: finance.FinanceInputError) -> AnswerInvalid:
    return AnswerInvalid(error.message, field=_finance_field(error.field))


# --------------------------------------------------------------------------------------------
# Hours allocation
# --------------------------------------------------------------------------------------------

TIMES = "\N{MULTIPLICATION SIGN}"
LINE_KEYS = ("activity", "meetings", "hours_each", "attendees", "hours")
LINE_ROWS = Rows(
    noun="line", new=lambda: dict.fromkeys(LINE_KEYS, ""), is_empty=blank_in(LINE_KEYS)
)


def _hours_line(line: dict) -> finance.HoursLine:
    def number(key):
        value = line.get(key)
        return None if value in (None, "") else Decimal(str(value))

    def integer(key):
        value = line.get(key)
        return None if value in (None, "") else int(value)

    return finance.HoursLine(
        label=line.get("activity", ""),
        hours=number("hours"),
        meetings=integer("meetings"),
        hours_each=number("hours_each"),
        attendees=integer("attendees"),
    )


class HoursKind(Kind):
    template_name = "plans/structured/hours.html"

    def from_post(self, post, *, prefix, current):
        p = f"{prefix}-"
        if f"{p}lines" not in post:
            return current or {}, ""
        lines = [
            {key: post.get(f"{p}l{i}-{key}", "") for key in LINE_KEYS}
            for i in range(count(post, f"{p}lines"))
        ]
        lines, pressed = apply_row_action(post, lines, LINE_ROWS)
        data = {"funded_hours": post.get(f"{p}funded_hours", ""), "lines": lines}
        return data, pressed

    def clean(self, data, *, context: KindContext = NO_PLAN):
        funded = decimal(data.get("funded_hours"), field="funded_hours", label="Funded hours")
        lines = data.get("lines", [])
        if not isinstance(lines, list) or len(lines) > 200:
            raise AnswerInvalid("The hours could not be read: reload the page.")
        cleaned = []
        for i, line in enumerate(lines):
            if blank(line, LINE_KEYS):
                cleaned.append(dict.fromkeys(LINE_KEYS, ""))
                continue
            item = {"activity": text(line.get("activity"), field=f"l{i}-activity")}
            hours = decimal(line.get("hours"), field=f"l{i}-hours", label="The hours")
            meetings = whole(line.get("meetings"), field=f"l{i}-meetings", label="Meetings")
            each = decimal(line.get("hours_each"), field=f"l{i}-hours_each", label="Hours each")
            attendees = whole(line.get("attendees"), field=f"l{i}-attendees", label="Attendees")
            if not item["activity"]:
                raise AnswerInvalid("Enter what the hours are for.", field=f"l{i}-activity")
            try:
                finance.line_hours(
                    line=finance.HoursLine(
                        label=item["activity"],
                        hours=hours,
                        meetings=meetings,
                        hours_each=each,
                        attendees=attendees,
                    ),
                    field=f"lines[{i}]",
                )
            except finance.FinanceInputError as error:
                raise _refused(error) from None
            if hours is not None:
                item["hours"] = stored(hours)
            else:
                item.update(meetings=meetings, hours_each=stored(each), attendees=attendees)
            cleaned.append(item)
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
        allocation = self.figures(cleaned, context=context) if cleaned is not None else None
        funded_field = Field(
            "funded_hours",
            "Hours the funding buys",
            shown(source.get("funded_hours")),
            input="number",
            width="5",
            hidden_label=False,
            hint="For example 1000 (DacCom: about 1,000 hours of GP and practice manager time).",
        )
        all_fields, lines = [funded_field], []
        for i, line in enumerate(source.get("lines") or []):
            which = f"line {i + 1}"
            fields = {
                "activity": Field(
                    f"l{i}-activity", f"Activity, {which}", shown(line.get("activity"))
                ),
                "meetings": Field(
                    f"l{i}-meetings",
                    f"Meetings, {which}",
                    shown(line.get("meetings")),
                    input="number",
                    width="3",
                ),
                "hours_each": Field(
                    f"l{i}-hours_each",
                    f"Hours each meeting, {which}",
                    shown(line.get("hours_each")),
                    input="number",
                    width="3",
                ),
                "attendees": Field(
                    f"l{i}-attendees",
                    f"Attendees, {which}",
                    shown(line.get("attendees")),
                    input="number",
                    width="3",
                ),
                "hours": Field(
                    f"l{i}-hours",
                    f"Or fixed hours, {which}",
                    shown(line.get("hours")),
                    input="number",
                    width="4",
                ),
            }
            all_fields += fields.values()
            hours_display = working = ""
            if allocation is not None and line.get("activity"):
                hours_display = format_hours(allocation["lines"][i]["hours"])
                if line.get("hours") in (None, ""):
                    each = format_hours(Decimal(line["hours_each"]))
                    working = (
                        f"{line['meetings']:,} meetings {TIMES} {each} hours {TIMES} "
                        f"{line['attendees']:,} attendees"
                    )
            lines.append(
                {
                    "index": i,
                    "fields": fields,
                    "value": line,
                    "hours": hours_display,
                    "working": working,
                }
            )
        figures = {
            "lines": lines,
            "funded_field": funded_field,
            "computed": allocation is not None,
            "error": place_error(all_fields, invalid),
        }
        if allocation is not None:
            funded, unallocated = allocation["funded_hours"], allocation["unallocated"]
            figures.update(
                total=allocation["total"],
                total_display=format_hours(allocation["total"]),
                funded_display=format_hours(funded) if funded is not None else "",
                unallocated_display=(
                    format_hours(abs(unallocated)) if unallocated is not None else ""
                ),
                over_allocated=allocation["over_allocated"],
            )
        return figures


# --------------------------------------------------------------------------------------------
# DES funding
# --------------------------------------------------------------------------------------------

DES_KEYS = ("population", "rate_per_patient", "practices_share_percent")


class DesFundingKind(Kind):
    template_name = "plans/structured/des_funding.html"

    def from_post(self, post, *, prefix, current):
        p = f"{prefix}-"
        if f"{p}population" not in post:
            return current or {}, ""
        return {key: post.get(f"{p}{key}", "") for key in DES_KEYS}, ""

    def clean(self, data, *, context: KindContext = NO_PLAN):
        if blank(data, DES_KEYS):
            return {}
        population = whole(data.get("population"), field="population", label="The population")
        rate = decimal(
            data.get("rate_per_patient"), field="rate_per_patient", label="The payment per patient"
        )
        share = decimal(
            data.get("practices_share_percent"),
            field="practices_share_percent",
            label="The practices' share",
        )
        if population is None:
            raise AnswerInvalid("Enter the declared population.", field="population")
        if population == 0:
            raise AnswerInvalid("The population must be at least 1.", field="population")
        if rate is None:
            raise AnswerInvalid(
                "Enter the payment per patient, like 1.90.", field="rate_per_patient"
            )
        if share is None:
            raise AnswerInvalid(
                "Enter the share paid to practices, like 75.", field="practices_share_percent"
            )
        try:
            finance.des_funding(
                population=population, rate_per_patient=rate, practices_share_percent=share
            )
        except finance.FinanceInputError as error:
            raise _refused(error) from None
        return {
            "population": population,
            "rate_per_patient": stored(rate),
            "practices_share_percent": stored(share),
        }

    def figures(self, value, *, context: KindContext) -> dict:
        """The funding for the declared population and its split, or {} before it is given."""
        if not value:
            return {}
        result = finance.des_funding(
            population=value["population"],
            rate_per_patient=Decimal(value["rate_per_patient"]),
            practices_share_percent=Decimal(value["practices_share_percent"]),
        )
        return {
            "population": result.population,
            "rate_per_patient": result.rate_per_patient,
            "total": result.total,
            "practices_share_percent": result.split.practices_share_percent,
            "to_practices": result.to_practices,
            "pct_share_percent": finance.HUNDRED - result.split.practices_share_percent,
            "held_by_pct": result.held_by_pct,
        }

    def present(self, data, *, context: KindContext):
        cleaned, invalid = self.checked(data, context=context)
        source = data or {}
        declared = context.declared_population
        fields = {
            "population": Field(
                "population",
                "Declared population",
                shown(source.get("population")),
                input="number",
                width="10",
                hidden_label=False,
                hint=f"The consortium's declared population is {declared:,}." if declared else "",
            ),
            "rate_per_patient": Field(
                "rate_per_patient",
                "Payment per patient, in pounds",
                shown(source.get("rate_per_patient")),
                input="money",
                width="5",
                hidden_label=False,
                hint="Aspiration and reward payments together, like 1.90.",
            ),
            "practices_share_percent": Field(
                "practices_share_percent",
                "Share paid direct to practices, per cent",
                shown(source.get("practices_share_percent")),
                input="percent",
                width="3",
                hidden_label=False,
                hint="The rest is held by the PCT for invoices the consortium approves.",
            ),
        }
        figures = {
            "fields": fields,
            "error": place_error(fields.values(), invalid),
            "computed": False,
        }
        result = self.figures(cleaned, context=context) if cleaned else {}
        if result:
            figures.update(
                computed=True,
                population_display=f"{result['population']:,}",
                rate_display=finance.format_money(result["rate_per_patient"], pence=True),
                total_display=finance.format_money(result["total"]),
                total_compact=finance.format_compact_money(result["total"]),
                practices_display=finance.format_money(result["to_practices"]),
                practices_compact=finance.format_compact_money(result["to_practices"]),
                practices_share=finance.format_percentage(result["practices_share_percent"]),
                pct_display=finance.format_money(result["held_by_pct"]),
                pct_compact=finance.format_compact_money(result["held_by_pct"]),
                pct_share=finance.format_percentage(result["pct_share_percent"]),
            )
        return figures


# --------------------------------------------------------------------------------------------
# Incentive outcome framework
# --------------------------------------------------------------------------------------------

AREA_KEYS = ("number", "area", "weighting_percent")
OUTCOME_KEYS = ("number", "outcome", "monitoring", "weighting_percent")
AREA_ROWS = Rows(
    noun="area",
    new=lambda: {**dict.fromkeys(AREA_KEYS, ""), "outcomes": []},
    is_empty=lambda area: not area["outcomes"] and blank(area, AREA_KEYS),
    children=Rows(
        noun="outcome",
        new=lambda: dict.fromkeys(OUTCOME_KEYS, ""),
        is_empty=blank_in(OUTCOME_KEYS),
    ),
    children_key="outcomes",
)


class OutcomeFrameworkKind(Kind):
    template_name = "plans/structured/outcome_framework.html"

    def from_post(self, post, *, prefix, current):
        p = f"{prefix}-"
        if f"{p}areas" not in post:
            return current or {}, ""
        areas = []
        for i in range(count(post, f"{p}areas", limit=50)):
            area = {key: post.get(f"{p}a{i}-{key}", "") for key in AREA_KEYS}
            area["outcomes"] = [
                {key: post.get(f"{p}a{i}-o{j}-{key}", "") for key in OUTCOME_KEYS}
                for j in range(count(post, f"{p}a{i}-outcomes", limit=50))
            ]
            areas.append(area)
        areas, pressed = apply_row_action(post, areas, AREA_ROWS)
        data = {"rate_per_patient": post.get(f"{p}rate_per_patient", ""), "areas": areas}
        return data, pressed

    def clean(self, data, *, context: KindContext = NO_PLAN):
        rate = decimal(
            data.get("rate_per_patient"),
            field="rate_per_patient",
            label="The incentive per patient",
        )
        areas = data.get("areas", [])
        if not isinstance(areas, list) or len(areas) > 50:
            raise AnswerInvalid("The outcome framework could not be read: reload the page.")
        cleaned, finance_areas = [], []
        for i, area in enumerate(areas):
            weighting = decimal(
                area.get("weighting_percent"), field=f"a{i}-weighting_percent", label="A weighting"
            )
            item = {
                "number": text(area.get("number"), field=f"a{i}-number"),
                "area": text(area.get("area"), field=f"a{i}-area"),
                "weighting_percent": stored(weighting) if weighting is not None else "",
                "outcomes": [],
            }
            if not item["area"]:
                raise AnswerInvalid("Enter the outcome area.", field=f"a{i}-area")
            if weighting is None:
                raise AnswerInvalid(
                    "Enter the area's weighting, like 20.", field=f"a{i}-weighting_percent"
                )
            finance_outcomes = []
            for j, outcome in enumerate(area.get("outcomes") or []):
                where = f"a{i}-o{j}"
                outcome_weighting = decimal(
                    outcome.get("weighting_percent"),
                    field=f"{where}-weighting_percent",
                    label="A weighting",
                )
                words = text(outcome.get("outcome"), field=f"{where}-outcome")
                if not words:
                    raise AnswerInvalid("Enter the outcome.", field=f"{where}-outcome")
                if outcome_weighting is None:
                    raise AnswerInvalid(
                        "Enter the outcome's weighting, like 5.", field=f"{where}-weighting_percent"
                    )
                number = text(outcome.get("number"))
                item["outcomes"].append(
                    {
                        "number": number,
                        "outcome": words,
                        "monitoring": text(outcome.get("monitoring"), field=f"{where}-monitoring"),
                        "weighting_percent": stored(outcome_weighting),
                    }
                )
                finance_outcomes.append(
                    finance.Outcome(
                        key=number or f"{i + 1}.{j + 1}", weighting=outcome_weighting, title=words
                    )
                )
            cleaned.append(item)
            finance_areas.append(
                finance.OutcomeArea(
                    key=f"area {item['number'] or i + 1}",
                    title=item["area"],
                    weighting=weighting,
                    outcomes=tuple(finance_outcomes),
                )
            )
        if finance_areas:
            try:
                finance.validate_outcome_weightings(areas=finance_areas)
            except finance.FinanceInputError as error:
                raise _refused(error) from None
        result = {"areas": cleaned}
        if rate is not None:
            result["rate_per_patient"] = stored(rate)
        return result

    def figures(self, value, *, context: KindContext) -> dict:
        """Each area's and outcome's weighting, their total, and the incentive pot for the
        consortium's declared population at the rate given."""
        areas = [
            {
                "number": area["number"],
                "area": area["area"],
                "weighting_percent": Decimal(area["weighting_percent"]),
                "outcomes": [
                    {
                        "number": outcome["number"],
                        "outcome": outcome["outcome"],
                        "weighting_percent": Decimal(outcome["weighting_percent"]),
                    }
                    for outcome in area.get("outcomes") or []
                ],
            }
            for area in value.get("areas") or []
        ]
        rate = value.get("rate_per_patient")
        rate = Decimal(rate) if rate else None
        declared = context.declared_population
        pot = None
        if rate is not None and declared:
            pot = finance.incentive_pot(registered_patients=declared, rate_per_patient=rate)
        return {
            "areas": areas,
            "total_weighting": sum((a["weighting_percent"] for a in areas), Decimal(0)),
            "rate_per_patient": rate,
            "registered_patients": declared if pot is not None else None,
            "incentive_pot": pot,
        }

    def present(self, data, *, context: KindContext):
        cleaned, invalid = self.checked(data, context=context)
        source = cleaned if cleaned is not None else (data or {})
        computed = self.figures(cleaned, context=context) if cleaned is not None else None
        rate_field = Field(
            "rate_per_patient",
            "Incentive per registered patient, in pounds",
            shown(source.get("rate_per_patient")),
            input="money",
            width="5",
            hidden_label=False,
            hint="For example 0.95 for 95p.",
        )
        total_field = Field("weightings-total", "Total weighting")
        all_fields, areas = [rate_field, total_field], []
        for i, area in enumerate(source.get("areas") or []):
            which = f"area {i + 1}"
            fields = {
                "number": Field(
                    f"a{i}-number", f"Number, {which}", shown(area.get("number")), width="3"
                ),
                "area": Field(f"a{i}-area", f"Outcome area, {which}", shown(area.get("area"))),
                "weighting_percent": Field(
                    f"a{i}-weighting_percent",
                    f"Weighting, per cent, {which}",
                    shown(area.get("weighting_percent")),
                    input="percent",
                    width="3",
                ),
            }
            outcomes = []
            for j, outcome in enumerate(area.get("outcomes") or []):
                of = f"outcome {j + 1} of {which}"
                outcome_fields = {
                    "number": Field(
                        f"a{i}-o{j}-number",
                        f"Number, {of}",
                        shown(outcome.get("number")),
                        width="3",
                    ),
                    "outcome": Field(
                        f"a{i}-o{j}-outcome",
                        f"Outcome, {of}",
                        shown(outcome.get("outcome")),
                        input="textarea",
                    ),
                    "monitoring": Field(
                        f"a{i}-o{j}-monitoring",
                        f"Monitoring evidence, {of}",
                        shown(outcome.get("monitoring")),
                    ),
                    "weighting_percent": Field(
                        f"a{i}-o{j}-weighting_percent",
                        f"Weighting, per cent, {of}",
                        shown(outcome.get("weighting_percent")),
                        input="percent",
                        width="3",
                    ),
                }
                all_fields += outcome_fields.values()
                shown_weighting = ""
                if computed is not None:
                    shown_weighting = finance.format_percentage(
                        computed["areas"][i]["outcomes"][j]["weighting_percent"], places=1
                    ).replace(".0%", "%")
                outcomes.append(
                    {
                        "index": j,
                        "fields": outcome_fields,
                        "value": outcome,
                        "weighting_display": shown_weighting,
                    }
                )
            all_fields += fields.values()
            weighting_display = ""
            if computed is not None:
                weighting_display = finance.format_percentage(
                    computed["areas"][i]["weighting_percent"]
                )
            areas.append(
                {
                    "index": i,
                    "fields": fields,
                    "value": area,
                    "outcomes": outcomes,
                    "weighting_display": weighting_display,
                }
            )
        figures = {
            "areas": areas,
            "rate_field": rate_field,
            "total_field": total_field,
            "computed": computed is not None,
            "error": place_error(all_fields, invalid),
        }
        if computed is not None:
            figures["total_display"] = finance.format_percentage(computed["total_weighting"])
            figures["sum_display"] = " + ".join(a["weighting_display"] for a in areas)
            rate = computed["rate_per_patient"]
            if rate is not None:
                figures["rate_display"] = (
                    f"{finance.round_money(rate * 100, places=0):f}p"
                    if rate < 1
                    else finance.format_money(rate, pence=True)
                )
            if computed["incentive_pot"] is not None:
                figures["population_display"] = f"{computed['registered_patients']:,}"
                figures["pot_display"] = finance.format_money(computed["incentive_pot"])
        return figures


# --------------------------------------------------------------------------------------------
# Freed-up resources
# --------------------------------------------------------------------------------------------


SCALE_KEYS = ("freed_up", "returned_to_scheme")
STEP_ROWS = Rows(
    noun="step", new=lambda: dict.fromkeys(SCALE_KEYS, ""), is_empty=blank_in(SCALE_KEYS)
)


def _scale(rows) -> list[finance.ScaleRow]:
    return [
        finance.ScaleRow(
            freed_up=Decimal(row["freed_up"]), returned=Decimal(row["returned_to_scheme"])
        )
        for row in rows
    ]


class FreedUpResourcesKind(Kind):
    template_name = "plans/structured/freed_up_resources.html"

    def from_post(self, post, *, prefix, current):
        p = f"{prefix}-"
        if f"{p}scale" not in post:
            return current or {}, ""
        rows = [
            {key: post.get(f"{p}s{i}-{key}", "") for key in SCALE_KEYS}
            for i in range(count(post, f"{p}scale", limit=100))
        ]
        rows, pressed = apply_row_action(post, rows, STEP_ROWS)
        data = {
            "practices_share_percent": post.get(f"{p}practices_share_percent", ""),
            "investment_to_recover": post.get(f"{p}investment_to_recover", ""),
            "scale": rows,
        }
        return data, pressed

    def clean(self, data, *, context: KindContext = NO_PLAN):
        share = decimal(
            data.get("practices_share_percent"),
            field="practices_share_percent",
            label="The practices' share",
        )
        investment = decimal(
            data.get("investment_to_recover"), field="investment_to_recover", label="The investment"
        )
        rows = data.get("scale", [])
        if not isinstance(rows, list) or len(rows) > 100:
            raise AnswerInvalid("The scale could not be read: reload the page.")
        cleaned_rows = []
        for i, row in enumerate(rows):
            freed = decimal(
                row.get("freed_up"), field=f"s{i}-freed_up", label="The resources freed up"
            )
            returned = decimal(
                row.get("returned_to_scheme"), field=f"s{i}-returned_to_scheme", label="The return"
            )
            if freed is None:
                raise AnswerInvalid(
                    "Enter the resources freed up, like 300000.", field=f"s{i}-freed_up"
                )
            if returned is None:
                raise AnswerInvalid(
                    "Enter the return to the scheme, like 20000 (or 0).",
                    field=f"s{i}-returned_to_scheme",
                )
            cleaned_rows.append({"freed_up": stored(freed), "returned_to_scheme": stored(returned)})
        if share is None and (cleaned_rows or investment is not None):
            raise AnswerInvalid(
                "Enter the share paid to practices, like 70.", field="practices_share_percent"
            )
        try:
            finance.validate_sliding_scale(scale=_scale(cleaned_rows))
            if share is not None:
                finance.split_payment(amount=Decimal(0), practices_share_percent=share)
        except finance.FinanceInputError as error:
            raise _refused(error) from None
        result = {"scale": cleaned_rows}
        if share is not None:
            result["practices_share_percent"] = stored(share)
        if investment is not None:
            result["investment_to_recover"] = stored(investment)
        return result

    def figures(self, value, *, context: KindContext) -> dict:
        """The scale, and with the practices' share: how each step's resources are split
        (returned to the scheme, to practices, to the PCT), and two worked examples, between
        two steps (on the straight line) and beyond the last."""
        scale = _scale(value.get("scale") or [])
        share = value.get("practices_share_percent")
        share = Decimal(share) if share not in (None, "") else None
        investment = value.get("investment_to_recover")
        result = {
            "scale": [{"freed_up": row.freed_up, "returned": row.returned} for row in scale],
            "practices_share_percent": share,
            "pct_share_percent": finance.HUNDRED - share if share is not None else None,
            "investment_to_recover": Decimal(investment) if investment else None,
            "splits": [],
            "examples": [],
        }
        if share is None:
            return result

        def split(amount, **extra):
            parts = finance.freed_up_resources_split(
                amount=amount, scale=scale, practices_share_percent=share
            )
            return {
                "freed_up": parts.freed_up,
                "returned": parts.returned_to_scheme,
                "practices": parts.to_practices,
                "pct": parts.to_pct,
                **extra,
            }

        result["splits"] = [split(row.freed_up) for row in scale]
        if len(scale) >= 2:
            # Between two rows: the first pair whose returns differ shows the straight line.
            for lower, upper in zip(
                [finance.ScaleRow(Decimal(0), Decimal(0)), *scale], scale, strict=False
            ):
                if lower.returned != upper.returned:
                    middle = (lower.freed_up + upper.freed_up) / 2
                    result["examples"].append(split(middle, position="between_steps"))
                    break
            step = scale[-1].freed_up - scale[-2].freed_up
            result["examples"].append(split(scale[-1].freed_up + step, position="beyond_last_step"))
        return result

    def present(self, data, *, context: KindContext):
        cleaned, invalid = self.checked(data, context=context)
        source = cleaned if cleaned is not None else (data or {})
        computed = self.figures(cleaned, context=context) if cleaned is not None else None
        share = computed["practices_share_percent"] if computed is not None else None
        share_field = Field(
            "practices_share_percent",
            "Share of the rest paid to practices, per cent",
            shown(source.get("practices_share_percent")),
            input="percent",
            width="3",
            hidden_label=False,
            hint="The PCT receives the rest.",
        )
        investment_field = Field(
            "investment_to_recover",
            "Investment the scale repays, in pounds",
            shown(source.get("investment_to_recover")),
            input="money",
            width="10",
            hidden_label=False,
        )
        all_fields, rows = [share_field, investment_field], []
        notes = {"between_steps": "between two steps", "beyond_last_step": "beyond the last step"}

        def split_display(split):
            shown_split = {
                key: finance.format_money(split[key])
                for key in ("freed_up", "returned", "practices", "pct")
            }
            if "position" in split:
                shown_split["note"] = notes[split["position"]]
            return shown_split

        for i, row in enumerate(source.get("scale") or []):
            which = f"step {i + 1}"
            fields = {
                "freed_up": Field(
                    f"s{i}-freed_up",
                    f"Resources freed up in pounds, {which}",
                    shown(row.get("freed_up")),
                    input="money",
                    width="10",
                ),
                "returned_to_scheme": Field(
                    f"s{i}-returned_to_scheme",
                    f"Returned to the scheme in pounds, {which}",
                    shown(row.get("returned_to_scheme")),
                    input="money",
                    width="10",
                ),
            }
            all_fields += fields.values()
            split = split_display(computed["splits"][i]) if share is not None else {}
            rows.append({"index": i, "fields": fields, "value": row, "split": split})
        figures = {
            "rows": rows,
            "share_field": share_field,
            "investment_field": investment_field,
            "computed": share is not None,
            "error": place_error(all_fields, invalid),
        }
        if share is not None:
            figures["share_display"] = finance.format_percentage(share)
            figures["pct_share_display"] = finance.format_percentage(computed["pct_share_percent"])
            figures["examples"] = [split_display(example) for example in computed["examples"]]
            if computed["investment_to_recover"] is not None:
                figures["investment_display"] = finance.format_money(
                    computed["investment_to_recover"]
                )
            if computed["scale"]:
                figures["last_display"] = finance.format_money(computed["scale"][-1]["freed_up"])
        return figures
