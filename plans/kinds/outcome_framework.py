"""The incentive outcome framework (BANES Appendix 1): outcome areas and their outcomes, each
with monitoring evidence and a weighting; the weightings add up to 100%, and the incentive pot
is the declared population at the rate per registered patient (BANES: 95p)."""

from __future__ import annotations

from decimal import Decimal

from .. import finance
from ..errors import AnswerInvalid
from . import rows
from .base import NO_PLAN, Field, Kind, KindContext, decimal, refused, shown, stored
from .rows import LONG_TEXT, PERCENT, Column, RowSpec

WEIGHTING = Column(
    "weighting_percent", "Weighting, per cent", PERCENT, width="3", said="A weighting"
)
AREAS = RowSpec(
    name="areas",
    noun="area",
    max_rows=50,
    columns=(Column("number", "Number", width="3"), Column("area", "Outcome area"), WEIGHTING),
    children=RowSpec(
        name="outcomes",
        noun="outcome",
        max_rows=50,
        columns=(
            Column("number", "Number", width="3"),
            Column("outcome", "Outcome", LONG_TEXT),
            Column("monitoring", "Monitoring evidence"),
            WEIGHTING,
        ),
    ),
)


def _percent_shown(value: Decimal) -> str:
    return finance.format_percentage(value, places=1).replace(".0%", "%")


class OutcomeFrameworkKind(Kind):
    template_name = "plans/structured/outcome_framework.html"

    def value_from_post(self, post, *, prefix, current):
        if not rows.posted(post, prefix=prefix, spec=AREAS):
            return current or {}, ""
        areas, pressed = rows.apply_action(post, rows.read(post, prefix=prefix, spec=AREAS), AREAS)
        return {"rate_per_patient": post.get(f"{prefix}-rate_per_patient", ""), "areas": areas}, (
            pressed
        )

    def clean(self, data, *, context: KindContext = NO_PLAN):
        rate = decimal(
            data.get("rate_per_patient"),
            field="rate_per_patient",
            label="The incentive per patient",
        )
        areas = rows.clean(data, AREAS, what="outcome areas")
        finance_areas = []
        for i, area in enumerate(areas):
            if not area["area"]:
                raise AnswerInvalid("Enter the outcome area.", field=f"areas[{i}].area")
            if area["weighting_percent"] == "":
                raise AnswerInvalid(
                    "Enter the area's weighting, like 20.", field=f"areas[{i}].weighting_percent"
                )
            finance_outcomes = []
            for j, outcome in enumerate(area["outcomes"]):
                at = f"areas[{i}].outcomes[{j}]"
                if not outcome["outcome"]:
                    raise AnswerInvalid("Enter the outcome.", field=f"{at}.outcome")
                if outcome["weighting_percent"] == "":
                    raise AnswerInvalid(
                        "Enter the outcome's weighting, like 5.", field=f"{at}.weighting_percent"
                    )
                finance_outcomes.append(
                    finance.Outcome(
                        key=outcome["number"] or f"{i + 1}.{j + 1}",
                        weighting=Decimal(outcome["weighting_percent"]),
                        title=outcome["outcome"],
                    )
                )
            finance_areas.append(
                finance.OutcomeArea(
                    key=f"area {area['number'] or i + 1}",
                    title=area["area"],
                    weighting=Decimal(area["weighting_percent"]),
                    outcomes=tuple(finance_outcomes),
                )
            )
        if finance_areas:
            try:
                finance.validate_outcome_weightings(areas=finance_areas)
            except finance.FinanceInputError as error:
                raise refused(error) from None
        result = {"areas": areas}
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
        total_field = Field("areas", "Total weighting")
        areas = rows.draw(source.get("areas") or [], AREAS)
        for area in areas:
            figures = computed["areas"][area.index] if computed is not None else None
            area.extra = {
                "outcomes": area.children,
                "weighting_display": (
                    finance.format_percentage(figures["weighting_percent"]) if figures else ""
                ),
            }
            for outcome in area.children:
                weighting = (
                    figures["outcomes"][outcome.index]["weighting_percent"] if figures else None
                )
                outcome.extra = {
                    "weighting_display": _percent_shown(weighting) if weighting is not None else ""
                }
        screen = {
            "areas": areas,
            "rate_field": rate_field,
            "total_field": total_field,
            "computed": computed is not None,
            "error": rows.place_error([rate_field, total_field, *rows.all_fields(areas)], invalid),
        }
        if computed is not None:
            screen["total_display"] = finance.format_percentage(computed["total_weighting"])
            screen["sum_display"] = " + ".join(a["weighting_display"] for a in areas)
            rate = computed["rate_per_patient"]
            if rate is not None:
                screen["rate_display"] = (
                    f"{finance.round_money(rate * 100, places=0):f}p"
                    if rate < 1
                    else finance.format_money(rate, pence=True)
                )
            if computed["incentive_pot"] is not None:
                screen["population_display"] = f"{computed['registered_patients']:,}"
                screen["pot_display"] = finance.format_money(computed["incentive_pot"])
        return screen
