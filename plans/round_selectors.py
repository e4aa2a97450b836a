"""Reads of planning rounds, always through the user's scope."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Prefetch, QuerySet, When
from django.utils import timezone

from consortia.models import Consortium, User
from consortia.tables import Tag

from . import diffs, selectors, structured, workflow
from .models import Plan, PlanningRound, PlanTemplate

#: plans past these states are with the PCT: not late whatever the date
WRITING = (Plan.Status.DRAFT, Plan.Status.CHANGES_REQUESTED)
#: a deadline this close is shown as near
NEAR_DAYS = 7


def today() -> date:
    return timezone.localdate()


@dataclass(frozen=True)
class Due:
    """A deadline as a person reads it."""

    days: int  # days left; negative when past

    @property
    def overdue(self) -> bool:
        return self.days < 0

    @property
    def near(self) -> bool:
        return 0 <= self.days <= NEAR_DAYS

    @property
    def text(self) -> str:
        if self.days == 0:
            return "Due today"
        if self.days > 0:
            return f"Due in {self.days} day{'s' if self.days != 1 else ''}"
        late = -self.days
        return f"{late} day{'s' if late != 1 else ''} overdue"

    @property
    def tag(self) -> Tag | None:
        """Its text as a red tag when past, an orange one when near; None when far off."""
        if self.overdue:
            return Tag(self.text, "nhsuk-tag--red")
        if self.near:
            return Tag(self.text, "nhsuk-tag--orange")
        return None


def due(deadline: date, *, on: date | None = None) -> Due:
    return Due(days=(deadline - (on or today())).days)


def rounds_visible_to(user) -> QuerySet[PlanningRound]:
    """A PCT's people see its rounds; a consortium's people the rounds it takes part in."""
    rounds = PlanningRound.objects.select_related("commissioner", "template")
    if user.role in User.COMMISSIONER_ROLES and user.commissioner_id:
        return rounds.filter(commissioner_id=user.commissioner_id)
    if user.role in User.CONSORTIUM_ROLES and user.consortium_id:
        return rounds.filter(consortia=user.consortium_id)
    return rounds.none()


def home_rounds(user) -> list[tuple[PlanningRound, Plan | None, Due]]:
    """The rounds on the user's home page, newest year first: for a PCT lead, who runs them,
    the PCT's own (one query); for a consortium's people those it takes part in, each with
    the consortium's plan in it when started (two queries). Those who only sign see none."""
    if user.role == User.Role.PCT_LEAD:
        return [(r, None, due(r.deadline)) for r in rounds_visible_to(user).order_by("-period")]
    if user.role not in User.CONSORTIUM_ROLES or not user.consortium_id:
        return []
    plans = Plan.objects.filter(consortium_id=user.consortium_id)
    rounds = rounds_visible_to(user).prefetch_related(
        Prefetch("plans", queryset=plans, to_attr="own_plans")
    )
    return [
        (r, r.own_plans[0] if r.own_plans else None, due(r.deadline))
        for r in rounds.order_by("-period")
    ]


def round_consortia(planning_round: PlanningRound) -> QuerySet[Consortium]:
    return planning_round.consortia.order_by("name")


def templates_for_round(user) -> QuerySet[PlanTemplate]:
    return PlanTemplate.objects.filter(
        status=PlanTemplate.Status.PUBLISHED, issuer_id=user.commissioner_id
    ).order_by("family", "-version_date", "version_label")


def earlier_plans(consortium: Consortium, period: str, *, family: str) -> QuerySet[Plan]:
    """The consortium's plans of earlier years to start from, the likeliest first: those on a
    version of the round's form (``family``) before those on other forms, then the newest year,
    then a plan whose content the PCT approved before a draft, then the newest."""
    return (
        Plan.objects.filter(consortium=consortium, period__lt=period)
        .select_related("template")
        .annotate(
            on_another_form=Case(When(template__family=family, then=0), default=1),
            not_approved=Case(When(status__in=workflow.FROZEN, then=0), default=1),
        )
        .order_by("on_another_form", "-period", "not_approved", "-created_at")
    )


@dataclass(frozen=True)
class FigureRow:
    question: str  # "5.4 Resource Identification"
    label: str  # "total", or a path through the figures such as "Project 1, Target 1.3"
    last_year: str
    this_year: str

    @property
    def changed(self) -> bool:
        return self.last_year != self.this_year


def _worked_figures(plan: Plan) -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """{question key: (its heading, [(label, value)])}: the figures each structured answer
    works out (savings, funding, hours ...), as the plan's own form checks them."""
    context = selectors.kind_context(plan)
    result = {}
    answers = (
        plan.answers.filter(question__kind__in=list(structured.KINDS))
        .exclude(data={})
        .select_related("question")
        .order_by("question__position")
    )
    for answer in answers:
        kind = structured.kind_for(answer.question)
        _, figures, _ = kind.for_screen(answer.data, context=context)
        heading = f"{answer.question.number} {answer.question.title}".strip()
        result[answer.question.key] = (heading, diffs.flatten(figures or {}))
    return result


def figures_by_year(plan: Plan, source: Plan) -> list[FigureRow]:
    """Last year's figures against this year's, question by question (matched by stable key)
    and figure by figure, in this year's order: a figure only one year has is blank in the
    other."""
    last, this = _worked_figures(source), _worked_figures(plan)
    rows = []
    for key in [*this, *(k for k in last if k not in this)]:
        heading = (this.get(key) or last[key])[0]
        old = dict(last.get(key, ("", []))[1])
        new = dict(this.get(key, ("", []))[1])
        for label in [*new, *(k for k in old if k not in new)]:
            rows.append(FigureRow(heading, label, old.get(label, ""), new.get(label, "")))
    return rows
