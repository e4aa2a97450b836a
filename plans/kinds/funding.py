"""Hours allocation (DacCom 6.1), the DES funding split (DacCom 5.4), the incentive outcome
framework (BANES Appendix 1) and the freed-up resources sliding scale (BANES Appendix 2).
Every figure shown is computed by plans/finance.py from the rates kept in the answer."""

from __future__ import annotations

import re
from decimal import Decimal

from .. import finance
from ..errors import AnswerInvalid
from .base import (
    Field,
    Kind,
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

    def clean(self, data, *, plan=None):
        funded = decimal(data.get("funded_hours"), field="funded_hours", label="Funded hours")
        lines = data.get("lines", [])
        if not isinstance(lines, list) or len(lines) > 200:
            raise AnswerInvalid("The hours could not be read: reload the page.")
        cleaned = []
        for i, line in enumerate(lines):
            if blank(line, LINE_KEYS):
                cleaned.append(dict.fromkeys(LINE_KEYS, ""))
                continue
            item = {"activity": text(line.get("activity"))}
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

    def present(self, data, *, plan):
        cleaned, invalid = self.checked(data, plan=plan)
        source = cleaned if cleaned is not None else (data or {})
        allocation = None
        if cleaned is not None:
            funded = cleaned.get("funded_hours")
            allocation = finance.allocate_hours(
                lines=[_hours_line(line) for line in cleaned["lines"] if line.get("activity")],
                funded_hours=Decimal(funded) if funded not in (None, "") else None,
            )
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
        totals = iter(allocation.lines) if allocation else iter(())
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
                hours = next(totals).hours
                hours_display = format_hours(hours)
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
            figures.update(
                total=allocation.total,
                total_display=format_hours(allocation.total),
                funded_display=(
                    format_hours(allocation.funded_hours)
                    if allocation.funded_hours is not None
                    else ""
                ),
                unallocated_display=(
                    format_hours(abs(allocation.unallocated))
                    if allocation.unallocated is not None
                    else ""
                ),
                over_allocated=allocation.over_allocated,
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

    def clean(self, data, *, plan=None):
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

    def present(self, data, *, plan):
        cleaned, invalid = self.checked(data, plan=plan)
        source = data or {}
        declared = getattr(getattr(plan, "consortium", None), "declared_population", None)
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
        if cleaned:
            result = finance.des_funding(
                population=cleaned["population"],
                rate_per_patient=Decimal(cleaned["rate_per_patient"]),
                practices_share_percent=Decimal(cleaned["practices_share_percent"]),
            )
            pct_share = finance.HUNDRED - result.split.practices_share_percent
            figures.update(
                computed=True,
                population_display=f"{result.population:,}",
                rate_display=finance.format_money(result.rate_per_patient, pence=True),
                total_display=finance.format_money(result.total),
                total_compact=finance.format_compact_money(result.total),
                practices_display=finance.format_money(result.to_practices),
                practices_compact=finance.format_compact_money(result.to_practices),
                practices_share=finance.format_percentage(result.split.practices_share_percent),
                pct_display=finance.format_money(result.held_by_pct),
                pct_compact=finance.format_compact_money(result.held_by_pct),
                pct_share=finance.format_percentage(pct_share),
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

    def clean(self, data, *, plan=None):
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
                "number": text(area.get("number")),
                "area": text(area.get("area")),
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
                words = text(outcome.get("outcome"))
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
                        "monitoring": text(outcome.get("monitoring")),
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

    def present(self, data, *, plan):
        cleaned, invalid = self.checked(data, plan=plan)
        source = cleaned if cleaned is not None else (data or {})
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
        total = Decimal(0)
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
                if cleaned is not None:
                    shown_weighting = finance.format_percentage(
                        Decimal(outcome["weighting_percent"]), places=1
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
            if cleaned is not None:
                total += Decimal(area["weighting_percent"])
                weighting_display = finance.format_percentage(Decimal(area["weighting_percent"]))
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
            "computed": cleaned is not None,
            "error": place_error(all_fields, invalid),
        }
        if cleaned is not None:
            figures["total_display"] = finance.format_percentage(total)
            figures["sum_display"] = " + ".join(a["weighting_display"] for a in areas)
            if cleaned.get("rate_per_patient"):
                rate = Decimal(cleaned["rate_per_patient"])
                figures["rate_display"] = (
                    f"{finance.round_money(rate * 100, places=0):f}p"
                    if rate < 1
                    else finance.format_money(rate, pence=True)
                )
                declared = getattr(getattr(plan, "consortium", None), "declared_population", None)
                if declared:
                    pot = finance.incentive_pot(registered_patients=declared, rate_per_patient=rate)
                    figures["population_display"] = f"{declared:,}"
                    figures["pot_display"] = finance.format_money(pot)
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

    def clean(self, data, *, plan=None):
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

    def present(self, data, *, plan):
        cleaned, invalid = self.checked(data, plan=plan)
        source = cleaned if cleaned is not None else (data or {})
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
        scale = _scale(cleaned["scale"]) if cleaned is not None else []
        share = (
            Decimal(cleaned["practices_share_percent"])
            if cleaned and cleaned.get("practices_share_percent")
            else None
        )

        def split_row(amount, **extra):
            result = finance.freed_up_resources_split(
                amount=amount, scale=scale, practices_share_percent=share
            )
            return {
                "freed_up": finance.format_money(result.freed_up),
                "returned": finance.format_money(result.returned_to_scheme),
                "practices": finance.format_money(result.to_practices),
                "pct": finance.format_money(result.to_pct),
                **extra,
            }

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
            computed = split_row(Decimal(row["freed_up"])) if share is not None else {}
            rows.append({"index": i, "fields": fields, "value": row, "split": computed})
        figures = {
            "rows": rows,
            "share_field": share_field,
            "investment_field": investment_field,
            "computed": share is not None,
            "error": place_error(all_fields, invalid),
        }
        if share is not None:
            figures["share_display"] = finance.format_percentage(share)
            figures["pct_share_display"] = finance.format_percentage(finance.HUNDRED - share)
            examples = []
            if len(scale) >= 2:
                # Between two rows: the first pair whose returns differ shows the straight line.
                for lower, upper in zip(
                    [finance.ScaleRow(Decimal(0), Decimal(0)), *scale], scale, strict=False
                ):
                    if lower.returned != upper.returned:
                        middle = (lower.freed_up + upper.freed_up) / 2
                        examples.append(split_row(middle, note="between two steps"))
                        break
                step = scale[-1].freed_up - scale[-2].freed_up
                examples.append(split_row(scale[-1].freed_up + step, note="beyond the last step"))
            figures["examples"] = examples
            if cleaned.get("investment_to_recover"):
                figures["investment_display"] = finance.format_money(
                    Decimal(cleaned["investment_to_recover"])
                )
            if scale:
                figures["last_display"] = finance.format_money(scale[-1].freed_up)
        return figures
