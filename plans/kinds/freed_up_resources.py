"""Freed-up resources (BANES Appendix 2): a sliding scale first returns part of the investment
to the PBC and incentive scheme; the rest is split between the practices and the PCT (70/30)."""

from __future__ import annotations

from decimal import Decimal

from .. import finance
from ..errors import AnswerInvalid
from . import rows
from .base import NO_PLAN, Field, Kind, KindContext, decimal, refused, shown, stored
from .rows import MONEY, Column, RowSpec

SCALE = RowSpec(
    name="scale",
    noun="step",
    max_rows=100,
    columns=(
        Column(
            "freed_up", "Resources freed up in pounds", MONEY, width="10",
            said="The resources freed up",
        ),
        Column(
            "returned_to_scheme", "Returned to the scheme in pounds", MONEY, width="10",
            said="The return",
        ),
    ),
)  # fmt: skip


def _scale(steps) -> list[finance.ScaleRow]:
    return [
        finance.ScaleRow(
            freed_up=Decimal(step["freed_up"]), returned=Decimal(step["returned_to_scheme"])
        )
        for step in steps
    ]


class FreedUpResourcesKind(Kind):
    template_name = "plans/structured/freed_up_resources.html"

    def value_from_post(self, post, *, prefix, current):
        if not rows.posted(post, prefix=prefix, spec=SCALE):
            return current or {}, ""
        steps, pressed = rows.apply_action(post, rows.read(post, prefix=prefix, spec=SCALE), SCALE)
        data = {
            "practices_share_percent": post.get(f"{prefix}-practices_share_percent", ""),
            "investment_to_recover": post.get(f"{prefix}-investment_to_recover", ""),
            "scale": steps,
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
        steps = rows.clean(data, SCALE, what="steps of the scale")
        for i, step in enumerate(steps):
            if step["freed_up"] == "":
                raise AnswerInvalid(
                    "Enter the resources freed up, like 300000.", field=f"scale[{i}].freed_up"
                )
            if step["returned_to_scheme"] == "":
                raise AnswerInvalid(
                    "Enter the return to the scheme, like 20000 (or 0).",
                    field=f"scale[{i}].returned_to_scheme",
                )
        if share is None and (steps or investment is not None):
            raise AnswerInvalid(
                "Enter the share paid to practices, like 70.", field="practices_share_percent"
            )
        try:
            finance.validate_sliding_scale(scale=_scale(steps))
            if share is not None:
                finance.split_payment(amount=Decimal(0), practices_share_percent=share)
        except finance.FinanceInputError as error:
            raise refused(error) from None
        result = {"scale": steps}
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
            step.extra = {"split": split_display(split) if split is not None else {}}
        figures = {
            "rows": steps,
            "share_field": share_field,
            "investment_field": investment_field,
            "computed": share is not None,
            "error": rows.place_error(
                [share_field, investment_field, *rows.all_fields(steps)], invalid
            ),
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
