"""A payment per patient (DacCom 5.4's DES funding, Northbrook's management allowance): the
declared population times the payment per patient, split in two (to the practices and a budget
the PCT holds; or at the start of the year and on delivery). The rate, the split and every
label come from the template's parameters where it gives them (docs/decisions/0400); where it
does not, the plan gives the rate and the split."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from consortia.dates import long_date

from .. import finance
from ..errors import AnswerInvalid
from .base import (
    CHOICE_PARAMETER,
    LABELS_PARAMETER,
    MONEY_PARAMETER,
    NO_PLAN,
    PERCENT_PARAMETER,
    Kind,
    KindContext,
    Parameter,
    PracticeStanding,
    blank,
    decimal,
    refused,
    stored,
    whole,
)
from .rows import MONEY, PERCENT, WHOLE, Column, place_error, scalar_field

LABELS = {
    "population": "Declared population",
    "caption": "Payment per patient",
    "total": "The payment for the population",
    "to_practices": "Paid direct to the practices",
    "held_by_pct": "Held by the PCT",
    "note": "",
    "rate": "Payment per patient, in pounds",
    "rate_hint": "",
    "share": "Share paid direct to practices, per cent",
    "share_hint": "The PCT holds the rest.",
}
DES_KEYS = ("population", "rate_per_patient", "practices_share_percent")
#: The form pays its practices' share to the practices who confirm they take part (DacCom's
#: DES: "paid to practices who confirm their participation"); the default is that it does not
#: ask them to (docs/decisions/0329).
CONFIRMED, NO_PARTICIPATION = "confirmed", "none"


class DesFundingKind(Kind):
    template_name = "plans/structured/des_funding.html"
    LABELS = LABELS
    PARAMETERS = {
        "rate_per_patient": Parameter(MONEY_PARAMETER, "the payment per patient, in pounds"),
        "practices_share_percent": Parameter(
            PERCENT_PARAMETER, "the per cent of the payment in the first part (to practices)"
        ),
        "participation": Parameter(
            CHOICE_PARAMETER,
            "whether the first part is paid to the practices who confirm their participation: "
            "confirmed (the practices, where each stands and what each is paid are listed with "
            "the figures) or none (the default: the form asks nothing of the practices)",
            choices=(CONFIRMED, NO_PARTICIPATION),
        ),
        "labels": Parameter(
            LABELS_PARAMETER,
            "what the calculator calls its lines",
            labels={
                "population": "the population's input",
                "caption": "the table's caption",
                "total": "the whole payment",
                "to_practices": "the first part (the practices' share)",
                "held_by_pct": "the second part (the rest)",
                "note": "a sentence under the table",
                "rate": "the rate's input",
                "rate_hint": "the hint under the rate's input",
                "share": "the share's input",
                "share_hint": "the hint under the share's input",
            },
        ),
    }

    def inputs(self) -> tuple[Column, ...]:
        """The population, and the rate and share where the template does not set them."""
        columns = [
            Column("population", self.label("population"), WHOLE, width="10", visible_label=True)
        ]
        asked = (
            ("rate_per_patient", "rate", MONEY, "5"),
            ("practices_share_percent", "share", PERCENT, "3"),
        )
        for key, label, kind, width in asked:
            if self.fixed(key) is None:
                columns.append(
                    Column(
                        key, self.label(label), kind, width=width, visible_label=True,
                        hint=self.label(f"{label}_hint"),
                    )
                )  # fmt: skip
        return tuple(columns)

    def printed_columns(self) -> dict[str, dict]:
        # The rate and the share are stored even where the template sets them.
        return {
            "population": Column("population", self.label("population"), WHOLE).printed,
            "rate_per_patient": Column("rate_per_patient", self.label("rate"), MONEY).printed,
            "practices_share_percent": Column(
                "practices_share_percent", self.label("share"), PERCENT
            ).printed,
        }

    def value_from_post(self, post, *, prefix, current):
        if f"{prefix}-population" not in post:
            return current or {}, ""
        return {column.key: post.get(f"{prefix}-{column.key}", "") for column in self.inputs()}, ""

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
        rate = self.settled(
            "rate_per_patient", rate, shown=f"{self._fixed_money('rate_per_patient')} a patient"
        )
        share = self.settled(
            "practices_share_percent", share, shown=self._fixed_percent("practices_share_percent")
        )
        if population is None:
            raise AnswerInvalid("Enter the declared population.", field="population")
        if population == 0:
            raise AnswerInvalid("The population must be at least 1.", field="population")
        if rate is None:
            raise AnswerInvalid(
                "Enter the payment per patient in pounds and pence.", field="rate_per_patient"
            )
        if share is None:
            raise AnswerInvalid(
                "Enter the per cent paid direct to practices.", field="practices_share_percent"
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

    def _fixed_money(self, name: str) -> str:
        fixed = self.fixed(name)
        return finance.format_money(fixed, pence=True) if fixed is not None else ""

    def _fixed_percent(self, name: str) -> str:
        fixed = self.fixed(name)
        return finance.format_percentage(fixed, places=2).replace(".00%", "%") if fixed else ""

    def payments(self, value, *, context: KindContext) -> list[tuple[PracticeStanding, Decimal]]:
        """Each practice with what is paid direct to it: its list size times the rate times
        the practices' share when it has confirmed, else nothing (docs/decisions/0436)."""
        if not value:
            return []
        rate = Decimal(value["rate_per_patient"])
        share = Decimal(value["practices_share_percent"])
        return [
            (
                standing,
                finance.des_funding(
                    population=standing.list_size,
                    rate_per_patient=rate,
                    practices_share_percent=share,
                ).to_practices
                if standing.confirmed and standing.list_size
                else finance.ZERO,
            )
            for standing in context.participation
        ]

    def figures(self, value, *, context: KindContext) -> dict:
        """The funding for the declared population and its split, or {} before it is given;
        once any practice's participation is recorded, what each confirmed practice is paid
        too, so a confirmation that moves a figure is in what is signed (decision 0437)."""
        if not value:
            return {}
        result = finance.des_funding(
            population=value["population"],
            rate_per_patient=Decimal(value["rate_per_patient"]),
            practices_share_percent=Decimal(value["practices_share_percent"]),
        )
        return self._confirmed_figures(value, context=context) | {
            "population": result.population,
            "rate_per_patient": result.rate_per_patient,
            "total": result.total,
            "practices_share_percent": result.split.practices_share_percent,
            "to_practices": result.to_practices,
            "pct_share_percent": finance.HUNDRED - result.split.practices_share_percent,
            "held_by_pct": result.held_by_pct,
        }

    def _confirmed_figures(self, value, *, context: KindContext) -> dict:
        if not any(standing.state for standing in context.participation):
            # A plan with no record hashes as it did before confirmations were counted.
            return {}
        payments = self.payments(value, context=context)
        confirmed = [(standing, amount) for standing, amount in payments if standing.confirmed]
        return {
            "confirmed_practices": [
                {
                    "code": standing.code,
                    "list_size": standing.list_size,
                    "on": standing.on,
                    "to_practice": amount,
                }
                for standing, amount in confirmed
            ],
            "confirmed_population": sum(s.list_size or 0 for s, _amount in confirmed),
            "to_confirmed_practices": sum((amount for _s, amount in confirmed), finance.ZERO),
        }

    @property
    def asks_participation(self) -> bool:
        """Whether the form pays the practices who confirm their participation: only then are
        the practices and where they stand listed with the figures (docs/decisions/0329)."""
        return asks_participation(self.parameters)

    def present(self, data, *, context: KindContext):
        cleaned, invalid = self.checked(data, context=context)
        declared = context.declared_population
        fields = {column.key: scalar_field(data or {}, column) for column in self.inputs()}
        if declared:
            fields["population"].hint = f"The consortium's declared population is {declared:,}."
        figures = {
            "fields": fields,
            "error": place_error(fields.values(), invalid),
            "computed": False,
            "labels": self.labels(),
            "set_by_form": [
                shown
                for shown in (
                    self._fixed_money("rate_per_patient")
                    and f"{self._fixed_money('rate_per_patient')} a patient",
                    # The form's label as it writes it, never lower-cased ("Paid in April").
                    self._fixed_percent("practices_share_percent")
                    and f"{self.label('to_practices')}: "
                    f"{self._fixed_percent('practices_share_percent')}",
                )
                if shown
            ],
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
            if self.asks_participation:
                figures["participation"] = participation_rows(
                    self.payments(cleaned, context=context), paid=self.label("to_practices")
                )
        return figures


def asks_participation(parameters: Mapping | None) -> bool:
    """Whether a question of this kind set up with ``parameters`` (its template's) pays the
    practices who confirm their participation: the form then asks them to confirm."""
    return (parameters or {}).get("participation") == CONFIRMED


def participation_rows(payments: list[tuple[PracticeStanding, Decimal]], *, paid: str) -> dict:
    """The practices as a page or the PDF lists them: each with its list size, where it
    stands and what it is paid (under the form's own word for it, ``paid``), and the totals
    over the confirmed ones."""
    confirmed = [(standing, amount) for standing, amount in payments if standing.confirmed]
    return {
        "rows": [
            {
                "name": standing.name,
                "code": standing.code,
                "list_size": f"{standing.list_size:,}" if standing.list_size else "Not known",
                "standing": standing_text(standing),
                "confirmed": standing.confirmed,
                "amount": finance.format_money(amount) if standing.confirmed else "",
            }
            for standing, amount in payments
        ],
        "confirmed_count": len(confirmed),
        "confirmed_words": confirmed_words(len(confirmed)),
        "count": len(payments),
        "confirmed_population": f"{sum(s.list_size or 0 for s, _a in confirmed):,}",
        "total": finance.format_money(sum((amount for _s, amount in confirmed), finance.ZERO)),
        "paid": paid,
    }


def confirmed_words(count: int) -> str:
    """ "the 12 practices that have confirmed", said of the payment the plan makes, so a reader
    can tell it from the declared population's figure (if every practice took part)."""
    if count == 0:
        return "the practices that have confirmed (none yet)"
    if count == 1:
        return "the practice that has confirmed"
    return f"the {count} practices that have confirmed"


def standing_text(standing: PracticeStanding) -> str:
    """ "Confirmed on 3 March 2007 by Dr Ann Lee", "Withdrawn on ...", or "Not confirmed"."""
    if not standing.state:
        return "Not confirmed"
    verb = "Confirmed" if standing.confirmed else "Withdrawn"
    how = "in writing, recorded by" if standing.means == "written" else "by"
    return f"{verb} on {long_date(standing.on)} {how} {standing.recorded_by}"
