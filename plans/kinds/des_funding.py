"""The DES funding (DacCom 5.4): the declared population times the payment per patient, split
between the practices and a budget the PCT holds for invoices the consortium approves."""

from __future__ import annotations

from decimal import Decimal

from .. import finance
from ..errors import AnswerInvalid
from .base import NO_PLAN, Field, Kind, KindContext, blank, decimal, refused, shown, stored, whole
from .rows import place_error

DES_KEYS = ("population", "rate_per_patient", "practices_share_percent")


class DesFundingKind(Kind):
    template_name = "plans/structured/des_funding.html"

    def value_from_post(self, post, *, prefix, current):
        if f"{prefix}-population" not in post:
            return current or {}, ""
        return {key: post.get(f"{prefix}-{key}", "") for key in DES_KEYS}, ""

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
            raise refused(error) from None
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
