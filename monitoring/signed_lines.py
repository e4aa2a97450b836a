"""The lines of a return, read from the signed plan's content through the kinds' ``figures``
(plans/kinds): its milestones (6.2), savings targets (4.2) and success criteria (7.3)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from string import ascii_lowercase

from plans.models import Plan, TemplateQuestion
from plans.selectors import kind_context
from plans.structured import KINDS

from .models import ReturnLine

Kind = ReturnLine.Kind


@dataclass(frozen=True)
class SignedLine:
    kind: str
    key: str
    reference: str
    text: str
    planned_on: date | None = None
    planned_saving: Decimal | None = None


def _letter(index: int) -> str:
    return ascii_lowercase[index] if index < len(ascii_lowercase) else str(index + 1)


def signed_lines(plan: Plan) -> list[SignedLine]:
    """Every milestone, target and criterion of the plan, in that order (two queries for the
    answers and the consortium, one for the milestones' question number)."""
    context = kind_context(plan)
    number = (
        TemplateQuestion.objects.filter(template_id=plan.template_id, kind="milestones")
        .order_by("position")
        .values_list("number", flat=True)
        .first()
    ) or ""
    milestones = KINDS["milestones"].figures(context.sibling("milestones"), context=context)
    projects = KINDS["projects"].figures(context.sibling("projects"), context=context)
    criteria = KINDS["success_criteria"].figures(
        context.sibling("success_criteria"), context=context
    )
    lines = [
        SignedLine(
            Kind.MILESTONE,
            m["key"],
            f"{number}{_letter(i)}" if number else m["key"],
            m["item"],
            planned_on=m["due"],
        )
        for i, m in enumerate(milestones["milestones"])
    ]
    lines += [
        SignedLine(
            Kind.TARGET,
            target["code"] or f"{p + 1}.{t + 1}",
            target["code"] or f"{p + 1}.{t + 1}",
            target["title"],
            planned_saving=target["planned_saving"],
        )
        for p, project in enumerate(projects.get("projects") or [])
        for t, target in enumerate(project["targets"])
    ]
    lines += [
        SignedLine(
            Kind.CRITERION,
            criterion["letter"] or _letter(i),
            f"({criterion['letter'] or _letter(i)})",
            criterion["text"],
        )
        for i, criterion in enumerate(criteria["criteria"])
    ]
    return lines
