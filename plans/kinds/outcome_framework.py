"""The incentive outcome framework (BANES Appendix 1): outcome areas and their outcomes, each
with monitoring evidence and a weighting; the weightings add up to 100%, and the incentive pot
is the declared population at the rate per registered patient, which the template sets (its
``rate_per_patient`` parameter) or the plan gives.

Weightings that do not add up are saved with a warning beside them: a draft may be incomplete,
a submitted plan may not (docs/decisions/0401)."""

from __future__ import annotations

from decimal import Decimal

from .. import finance
from ..errors import AnswerInvalid, AnswersInvalid
from . import rows
from .base import (
    LABELS_PARAMETER,
    MONEY_PARAMETER,
    NO_PLAN,
    AnswerWarning,
    Field,
    KindContext,
    Parameter,
    decimal,
    refused,
    stored,
)
from .rows import LONG_TEXT, MONEY, PERCENT, Column, ListKind, RowSpec

WEIGHTING = Column(
    "weighting_percent", "Weighting, per cent", PERCENT, width="3", said="A weighting",
    heading="Weighting",
)  # fmt: skip
NUMBER = Column("number", "Number", width="3")
OUTCOMES = RowSpec(
    name="outcomes", noun="outcome", max_rows=50,
    columns=(
        NUMBER, Column("outcome", "Outcome", LONG_TEXT),
        Column("monitoring", "Monitoring evidence"), WEIGHTING,
    ),
    add_words="Add an outcome",
)  # fmt: skip
AREAS = RowSpec(
    name="areas", noun="area", max_rows=50, children=OUTCOMES, numbered_by="number",
    columns=(NUMBER, Column("area", "Outcome area"), WEIGHTING),
)  # fmt: skip


def _percent_shown(value: Decimal) -> str:
    return finance.format_percentage(value, places=1).replace(".0%", "%")


def _finance_areas(areas: list[dict]) -> list[finance.OutcomeArea]:
    """The areas as plans/finance.py weighs them, each by the number the page names it by; a
    row just added and left blank has no weighting and counts for nothing."""
    return [
        finance.OutcomeArea(
            key=AREAS.number(area, i),
            title=area["area"],
            weighting=rows.amount(area, "weighting_percent"),
            outcomes=tuple(
                finance.Outcome(
                    key=outcome["number"] or f"{AREAS.number(area, i)}.{j + 1}",
                    weighting=rows.amount(outcome, "weighting_percent"),
                    title=outcome["outcome"],
                )
                for j, outcome in enumerate(area.get("outcomes") or [])
            ),
        )
        for i, area in enumerate(areas)
    ]


def _unfinished(row: dict, spec: RowSpec, at: str, *, text: str, example: str):
    """The refusals of a row at path ``at`` that is begun but lacks its ``text`` cell or its
    weighting ("Enter the outcome area."); a row just added is saved blank, to be filled in
    or dropped on Save."""
    if spec.empty(row):
        return
    if not row[text]:
        label = next(column.label for column in spec.columns if column.key == text)
        yield AnswerInvalid(f"Enter the {label.lower()}.", field=f"{at}.{text}")
    if row["weighting_percent"] == "":
        yield AnswerInvalid(
            f"Enter the {spec.noun}'s weighting, like {example}.", field=f"{at}.weighting_percent"
        )


class OutcomeFrameworkKind(ListKind):
    template_name = "plans/structured/outcome_framework.html"
    spec = AREAS
    LABELS = {
        "rate": "Incentive per registered patient, in pounds",
        "rate_hint": "In pounds and pence: 0.50 for 50p.",
    }
    PARAMETERS = {
        "rate_per_patient": Parameter(
            MONEY_PARAMETER, "the incentive per registered patient, in pounds"
        ),
        "labels": Parameter(
            LABELS_PARAMETER,
            "what the framework calls its inputs",
            labels={"rate": "the rate's input", "rate_hint": "the hint under the rate's input"},
        ),
    }

    @property
    def scalars(self) -> tuple[Column, ...]:
        if self.fixed("rate_per_patient") is not None:
            return ()
        return (
            Column(
                "rate_per_patient", self.label("rate"), MONEY, width="5", visible_label=True,
                hint=self.label("rate_hint"), said="The incentive per patient",
            ),
        )  # fmt: skip

    def _rate(self, data) -> dict:
        """The rate per patient: the template's, or the one typed in."""
        given = decimal(
            data.get("rate_per_patient"),
            field="rate_per_patient",
            label="The incentive per patient",
        )
        fixed = self.fixed("rate_per_patient")
        shown = f"{finance.format_money(fixed, pence=True)} a patient" if fixed is not None else ""
        rate = self.settled("rate_per_patient", given, shown=shown)
        return {"rate_per_patient": stored(rate)} if rate is not None else {}

    def clean(self, data, *, context: KindContext = NO_PLAN):
        areas = rows.clean(data, AREAS, what="outcome areas")
        unfinished = []
        for i, area in enumerate(areas):
            unfinished += _unfinished(area, AREAS, f"areas[{i}]", text="area", example="20")
            for j, outcome in enumerate(area["outcomes"]):
                at = f"areas[{i}].outcomes[{j}]"
                unfinished += _unfinished(outcome, OUTCOMES, at, text="outcome", example="5")
        if unfinished:
            raise AnswersInvalid(unfinished)
        try:
            # Refuses what cannot be read; totals that do not add up are warnings.
            finance.outcome_weighting_mismatches(areas=_finance_areas(areas))
        except finance.FinanceInputError as error:
            raise refused(error) from None
        return {"areas": areas, **self._rate(data)}

    def warnings(self, value, *, context: KindContext) -> list[AnswerWarning]:
        """Weightings that do not add up to 100%, or outcomes that do not add up to their
        area's weighting: saved in a draft, they stop the plan being submitted."""
        areas = value.get("areas") or []
        if not areas:
            return []
        return [
            AnswerWarning(error.message, field=error.field or "")
            for error in finance.outcome_weighting_mismatches(areas=_finance_areas(areas))
        ]

    def figures(self, value, *, context: KindContext) -> dict:
        """Each area's and outcome's weighting (None for a row left blank), their total, and
        the incentive pot for the consortium's declared population at the rate given."""
        areas = [
            {
                "number": area["number"],
                "area": area["area"],
                "weighting_percent": rows.amount(area, "weighting_percent"),
                "outcomes": [
                    {
                        "number": outcome["number"],
                        "outcome": outcome["outcome"],
                        "weighting_percent": rows.amount(outcome, "weighting_percent"),
                    }
                    for outcome in area.get("outcomes") or []
                ],
            }
            for area in value.get("areas") or []
        ]
        rate = value.get("rate_per_patient") or self.fixed("rate_per_patient")
        rate = Decimal(rate) if rate else None
        declared = context.declared_population
        pot = None
        if rate is not None and declared:
            pot = finance.incentive_pot(registered_patients=declared, rate_per_patient=rate)
        return {
            "areas": areas,
            "total_weighting": sum(
                (a["weighting_percent"] for a in areas if a["weighting_percent"] is not None),
                Decimal(0),
            ),
            "rate_per_patient": rate,
            "registered_patients": declared if pot is not None else None,
            "incentive_pot": pot,
        }

    def present(self, data, *, context: KindContext):
        source, computed, invalid = self.for_screen(data, context=context)
        rate_fields = self.scalar_fields(source)
        total_field = Field("areas", "Total weighting")
        areas = rows.draw(source.get("areas") or [], AREAS)
        # A weighting that does not add up is saved: its warning stands on its area, beside the
        # figures to mend, as well as above the answer.
        warnings = self.warnings(source, context=context) if computed is not None else []
        for area in areas:
            figures = computed["areas"][area.index] if computed is not None else None
            weighting = figures["weighting_percent"] if figures else None
            area.extra = {
                "warnings": [w.message for w in warnings if w.field.startswith(f"{area.path}.")],
                "outcomes": area.children,
                "weighting_display": (
                    finance.format_percentage(weighting) if weighting is not None else ""
                ),
                "table": rows.RowsTable(
                    OUTCOMES,
                    area.children,
                    caption=f"Outcomes of {AREAS.which(area.value, area.index)}",
                    parent=area,
                    parent_spec=AREAS,
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
            "rate_field": rate_fields[0] if rate_fields else None,
            "total_field": total_field,
            "computed": computed is not None,
            "error": rows.place_error(
                [*rate_fields, total_field, *rows.all_fields(areas)], invalid
            ),
        }
        if computed is not None:
            screen["total_display"] = finance.format_percentage(computed["total_weighting"])
            screen["sum_display"] = " + ".join(
                a["weighting_display"] for a in areas if a["weighting_display"]
            )
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
