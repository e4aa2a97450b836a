"""The PCT's Total Identified Savings (DacCom 4.4), and the plan's share of it from the
projects' planned savings (4.2): "£2.68m (44%) of £6.106m", computed by
plans.finance.savings_totals, never typed."""

from __future__ import annotations

from decimal import Decimal

from .. import finance
from ..errors import AnswerInvalid
from .base import NO_PLAN, Field, Kind, KindContext, decimal, shown, stored
from .rows import MONEY, Column, place_error


def plan_savings(projects_data: dict, identified: Decimal | None) -> finance.SavingsTotals:
    projects = [
        finance.SavingsProject(
            title=project.get("title", ""),
            targets=tuple(
                finance.SavingsTarget(
                    key=target["code"],
                    title=target.get("title", ""),
                    amount=Decimal(target["planned_saving"]),
                )
                for target in project.get("targets") or []
                if target.get("code") and target.get("planned_saving") not in (None, "")
            ),
        )
        for project in projects_data.get("projects") or []
    ]
    return finance.savings_totals(projects=projects, total_identified_savings=identified)


def identified_savings(data: dict) -> Decimal | None:
    value = (data or {}).get("total_identified_savings")
    if value in (None, ""):
        return None
    number = Decimal(str(value))
    return number if number > 0 else None


def share_summary(figures: dict) -> str:
    """ "£2.68m (44%) of £6.106m", or the total alone without the PCT's figure."""
    total = finance.format_compact_money(figures["total"])
    if figures["share_percent"] is None:
        return total
    identified = finance.format_compact_money(
        figures["total_identified_savings"], millions_places=3
    )
    return f"{total} ({finance.format_percentage(figures['share_percent'])}) of {identified}"


def savings_figures(projects_data: dict, identified: Decimal | None) -> dict:
    """The plan's savings as domain values: each project's targets and total, the plan's
    total, and its share of the PCT's Total Identified Savings (None without that figure)."""
    totals = plan_savings(projects_data, identified)
    projects = []
    for project, computed in zip(projects_data.get("projects") or [], totals.projects, strict=True):
        projects.append(
            {
                "number": project.get("number", ""),
                "title": project.get("title", ""),
                "leads": list(project.get("leads") or []),
                "targets": [
                    {
                        "code": target.get("code", ""),
                        "title": target.get("title", ""),
                        "planned_saving": (
                            Decimal(target["planned_saving"])
                            if target.get("planned_saving") not in (None, "")
                            else None
                        ),
                    }
                    for target in project.get("targets") or []
                ],
                "total": computed.total,
            }
        )
    return {
        "projects": projects,
        "total": totals.total,
        "target_count": sum(len(p.targets) for p in totals.projects),
        "total_identified_savings": identified,
        "share_percent": totals.share_percent,
    }


def savings_display(figures: dict) -> dict:
    """The plan's total and share as the savings templates show them."""
    return {
        "total": figures["total"],
        "total_display": finance.format_money(figures["total"]),
        "total_compact": finance.format_compact_money(figures["total"]),
        "share_display": (
            finance.format_percentage(figures["share_percent"])
            if figures["share_percent"] is not None
            else ""
        ),
        "summary": share_summary(figures),
    }


IDENTIFIED = Column("total_identified_savings", "Total Identified Savings", MONEY)


class SavingsTargetKind(Kind):
    template_name = "plans/structured/savings_target.html"

    def printed_columns(self) -> dict[str, dict]:
        return {IDENTIFIED.key: IDENTIFIED.printed}

    def value_from_post(self, post, *, prefix, current):
        name = f"{prefix}-total_identified_savings"
        if name not in post:
            return current or {}, ""
        return {"total_identified_savings": post.get(name, "")}, ""

    def clean(self, data, *, context: KindContext = NO_PLAN):
        amount = decimal(
            data.get("total_identified_savings"),
            field="total_identified_savings",
            label="The Total Identified Savings",
            pounds=True,
        )
        if amount is None:
            return {}
        if amount == 0:
            raise AnswerInvalid(
                "The Total Identified Savings must be more than £0.",
                field="total_identified_savings",
            )
        return {"total_identified_savings": stored(amount)}

    def figures(self, value, *, context: KindContext) -> dict:
        identified = identified_savings(value)
        projects = context.sibling("projects")
        result = {
            "total_identified_savings": identified,
            "total": None,
            "share_percent": None,
        }
        if projects.get("projects"):
            try:
                totals = savings_figures(projects, identified)
            except (finance.FinanceInputError, KeyError, ArithmeticError):
                return result
            result.update(total=totals["total"], share_percent=totals["share_percent"])
        return result

    def present(self, data, *, context: KindContext):
        cleaned, invalid = self.checked(data, context=context)
        field = Field(
            "total_identified_savings",
            "Total Identified Savings in pounds",
            shown((data or {}).get("total_identified_savings")),
            input="money",
            width="10",
            hint="The savings the PCT's Financial Recovery Plan identifies, for example 6106000.",
            hidden_label=False,
        )
        error = place_error([field], invalid)
        computed = self.figures(cleaned, context=context) if cleaned is not None else None
        identified = computed["total_identified_savings"] if computed is not None else None
        screen = {"field": field, "error": error, "identified": identified, "computed": False}
        if identified is not None:
            screen["identified_display"] = finance.format_money(identified)
            screen["identified_compact"] = finance.format_compact_money(
                identified, millions_places=3
            )
        if computed is not None and computed["total"] is not None:
            screen.update(savings_display(computed), computed=True)
        return screen
