"""Freed-up resources (BANES Appendix 2): a sliding scale first returns part of the investment
to the PBC and incentive scheme; the rest is split between the practices and the PCT. The
scale, the share and the investment are the template's parameters where it gives them (BANES's
in plans/definitions/banes-plan.yaml, docs/decisions/0400), else the plan's answer."""

from __future__ import annotations

from decimal import Decimal

from .. import finance
from ..errors import AnswerInvalid
from . import rows
from .base import (
    MONEY_PARAMETER,
    NO_PLAN,
    PERCENT_PARAMETER,
    SCALE_PARAMETER,
    KindContext,
    Parameter,
    refused,
)
from .rows import MONEY, PERCENT, Column, ListKind, RowSpec, figure_column

SCALE = RowSpec(
    name="scale",
    noun="step",
    max_rows=100,
    columns=(
        figure_column(
            "freed_up", "Resources freed up in pounds", MONEY, said="The resources freed up",
            heading="Resources freed up",
        ),
        figure_column(
            "returned_to_scheme", "Returned to the scheme in pounds", MONEY, said="The return",
            heading="Returned to the scheme",
        ),
    ),
    worked_out=("To practices", "To the PCT"),
    add_words="Add a step",
)  # fmt: skip


def _scale(steps) -> list[finance.ScaleRow]:
    return [
        finance.ScaleRow(
            freed_up=Decimal(step["freed_up"]), returned=Decimal(step["returned_to_scheme"])
        )
        for step in steps
    ]


SHARE = Column(
    "practices_share_percent", "Share of the rest paid to practices, per cent", PERCENT,
    width="3", visible_label=True, hint="The PCT receives the rest.",
    said="The practices' share",
)  # fmt: skip
INVESTMENT = Column(
    "investment_to_recover", "Investment the scale repays, in pounds", MONEY,
    width="10", visible_label=True, said="The investment",
)  # fmt: skip


class FreedUpResourcesKind(ListKind):
    template_name = "plans/structured/freed_up_resources.html"
    spec = SCALE
    PARAMETERS = {
        "scale": Parameter(
            SCALE_PARAMETER,
            "the sliding scale: rows of {freed_up, returned} in pounds, in increasing order",
        ),
        "practices_share_percent": Parameter(
            PERCENT_PARAMETER, "the per cent of what the scale leaves paid to practices"
        ),
        "investment_to_recover": Parameter(
            MONEY_PARAMETER, "the investment the scale repays, in pounds"
        ),
    }

    @property
    def scalars(self) -> tuple[Column, ...]:
        return tuple(
            column for column in (SHARE, INVESTMENT) if not self.parameters.get(column.key)
        )

    def template_scale(self) -> list[dict] | None:
        """The template's sliding scale as an answer stores one, or None if it sets none."""
        scale = self.parameters.get("scale")
        if not scale:
            return None
        return [
            {"freed_up": str(row["freed_up"]), "returned_to_scheme": str(row["returned"])}
            for row in scale
        ]

    def with_template(self, value: dict) -> dict:
        """A value with the figures the template sets put in: what the plan works from."""
        value = dict(value or {})
        scale = self.template_scale()
        if scale is not None:
            value["scale"] = scale
        for column in (SHARE, INVESTMENT):
            if self.parameters.get(column.key):
                value[column.key] = str(self.parameters[column.key])
        return value

    def value_from_post(self, post, *, prefix, current):
        if self.template_scale() is None:
            return super().value_from_post(post, prefix=prefix, current=current)
        value = dict(current or {})
        value.update({c.key: post.get(f"{prefix}-{c.key}", "") for c in self.scalars})
        return value, ""

    def clean(self, data, *, context: KindContext = NO_PLAN):
        if self.parameters:
            data = self._as_template_sets(data or {})
        scalars = self.clean_scalars(data)
        share = rows.amount(scalars, "practices_share_percent")
        investment = rows.amount(scalars, "investment_to_recover")
        steps = rows.clean(data, SCALE, what="steps of the scale")
        for i, step in enumerate(steps):
            if step["freed_up"] == "":
                raise AnswerInvalid(
                    "Enter the resources freed up, in pounds.", field=f"scale[{i}].freed_up"
                )
            if step["returned_to_scheme"] == "":
                raise AnswerInvalid(
                    "Enter the return to the scheme in pounds (0 for none).",
                    field=f"scale[{i}].returned_to_scheme",
                )
        if share is None and (steps or investment is not None):
            raise AnswerInvalid(
                "Enter the per cent of the rest paid to practices.", field="practices_share_percent"
            )
        try:
            finance.validate_sliding_scale(scale=_scale(steps))
            if share is not None:
                finance.split_payment(amount=Decimal(0), practices_share_percent=share)
        except finance.FinanceInputError as error:
            raise refused(error) from None
        cleaned = {"scale": steps, **scalars}
        # The template's figures are not kept in the answer: the page and the figures put
        # them back (``with_template``), and an answer gives nothing of its own until typed.
        fixed = self.with_template({})
        return {key: value for key, value in cleaned.items() if key not in fixed}

    def clean_scalars(self, value: dict) -> dict:
        columns = (SHARE, INVESTMENT)
        cleaned = {c.key: rows.clean_cell(value.get(c.key), c, field=c.key) for c in columns}
        return {key: item for key, item in cleaned.items() if item not in (None, "")}

    def _as_template_sets(self, data: dict) -> dict:
        """The posted value with the template's figures; a different figure is refused."""
        fixed = self.with_template({})
        for key, value in fixed.items():
            given = data.get(key)
            if given in (None, "", []):
                continue
            if key == "scale":
                given_rows = [
                    (str(row.get("freed_up")), str(row.get("returned_to_scheme")))
                    for row in rows.rows_of(data, SCALE, what="steps of the scale")
                ]
                same = [
                    (Decimal(a), Decimal(b)) for a, b in given_rows if a not in ("", "None")
                ] == [(Decimal(r["freed_up"]), Decimal(r["returned_to_scheme"])) for r in value]
            else:
                cleaned = self._clean_one(key, given)
                same = cleaned is not None and Decimal(cleaned) == Decimal(value)
            if not same:
                raise AnswerInvalid(
                    "The form sets the sliding scale, the practices' share and the investment: "
                    "they cannot be changed in a plan.",
                    field=key,
                )
        return {**data, **fixed}

    @staticmethod
    def _clean_one(key: str, given) -> str | None:
        column = SHARE if key == SHARE.key else INVESTMENT
        cleaned = rows.clean_cell(given, column, field=key)
        return cleaned or None

    def figures(self, value, *, context: KindContext) -> dict:
        """The scale, and with the practices' share: how each step's resources are split
        (returned to the scheme, to practices, to the PCT), and two worked examples, between
        two steps (on the straight line) and beyond the last."""
        value = self.with_template(value)
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
        source, computed, invalid = self.for_screen(data, context=context)
        source = self.with_template(source)
        share = computed["practices_share_percent"] if computed is not None else None
        fields = {field.name: field for field in self.scalar_fields(source)}
        share_field = fields.get(SHARE.key)
        investment_field = fields.get(INVESTMENT.key)
        notes = {"between_steps": "between two steps", "beyond_last_step": "beyond the last step"}

        def split_display(split):
            shown_split = {
                key: finance.format_money(split[key])
                for key in ("freed_up", "returned", "practices", "pct")
            }
            if "position" in split:
                shown_split["note"] = notes[split["position"]]
            return shown_split

        steps = rows.draw(source.get("scale") or [], SCALE)
        for step in steps:
            split = computed["splits"][step.index] if share is not None else None
            shown_split = split_display(split) if split is not None else {}
            step.extra = {"split": shown_split}
            step.worked_out = (shown_split.get("practices", ""), shown_split.get("pct", ""))
        figures = {
            "rows": steps,
            "table": rows.RowsTable(SCALE, steps, caption="Steps of the sliding scale"),
            "share_field": share_field,
            "investment_field": investment_field,
            "scale_set_by_form": self.template_scale() is not None,
            "computed": share is not None,
            "error": rows.place_error([*fields.values(), *rows.all_fields(steps)], invalid),
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
