"""Reads of planning rounds, always through the user's scope."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Case, Prefetch, QuerySet, When
from django.utils import timezone

from consortia.dates import long_date
from consortia.models import Consortium, User
from consortia.tables import Tag

from . import diffs, finance, selectors, structured, workflow
from .kinds.hours import format_hours
from .kinds.milestones import STATUS_LABELS
from .models import Plan, PlanningRound, PlanTemplate, QuestionKind

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
        if self.days == 1:
            return "Due tomorrow"
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


@dataclass(frozen=True)
class Milestone:
    """One of the PCT's interim dates: what it wants by when."""

    label: str
    on: date
    due: Due


def milestones(planning_round: PlanningRound, *, on: date | None = None) -> list[Milestone]:
    """The round's interim dates still to come (today's included), soonest first."""
    today_ = on or today()
    return sorted(
        (
            Milestone(label, when, due(when, on=today_))
            for label, when in planning_round.interim
            if when >= today_
        ),
        key=lambda milestone: milestone.on,
    )


def next_milestone(planning_round: PlanningRound, *, on: date | None = None) -> Milestone | None:
    """The PCT's next interim date before the deadline, or None when none is left."""
    coming = milestones(planning_round, on=on)
    return coming[0] if coming else None


def earlier_rounds_due_later(planning_round: PlanningRound) -> QuerySet[PlanningRound]:
    """The PCT's rounds of earlier years still open whose deadline falls after this round's:
    most likely a mistyped deadline, worth a word when the round is opened."""
    return PlanningRound.objects.filter(
        commissioner_id=planning_round.commissioner_id,
        period__lt=planning_round.period,
        deadline__gt=planning_round.deadline,
        deadline__gte=today(),
    ).order_by("period")


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
    plans = Plan.objects.filter(consortium=consortium, period__lt=period).select_related("template")
    return _ranked(plans, family).order_by(
        "on_another_form", "-period", "not_approved", "-created_at"
    )


def _ranked(plans: QuerySet[Plan], family: str) -> QuerySet[Plan]:
    """``plans`` with what makes one likelier to be the consortium's plan: on a version of the
    round's form (``family``), and approved."""
    return plans.annotate(
        on_another_form=Case(When(template__family=family, then=0), default=1),
        not_approved=Case(When(status__in=workflow.FROZEN, then=0), default=1),
    )


def plans_of_the_year(consortia: list[int], period: str, *, family: str) -> QuerySet[Plan]:
    """The plans of ``period`` of the ``consortia``, each consortium's likeliest first: on a
    version of the round's form, then approved before a draft, then the newest."""
    plans = Plan.objects.filter(consortium_id__in=consortia, period=period)
    return _ranked(plans, family).order_by(
        "consortium_id", "on_another_form", "not_approved", "-created_at"
    )


def year_plan(planning_round: PlanningRound, consortium: Consortium) -> Plan | None:
    """The consortium's plan for the round's year: its plan in the round, else the likeliest of
    those it made for the year outside any round (one query)."""
    return (
        plans_of_the_year(
            [consortium.pk], planning_round.period, family=planning_round.template.family
        )
        .annotate(outside=Case(When(planning_round=planning_round, then=0), default=1))
        .order_by("outside", "on_another_form", "not_approved", "-created_at")
        .first()
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


#: figures named by their key in the diffs' way ("Held by pct") that read better in words
FIGURE_WORDS = {
    "held_by_pct": "Held by the PCT",
    "pct": "To the PCT",
    "practices": "To the practices",
    "returned": "Returned to the scheme",
    "share_percent": "Share of the identified savings",
    "practices_share_percent": "The practices' share",
    "pct_share_percent": "The PCT's share",
    "rate_per_patient": "Payment per patient",
    "target_count": "Number of targets",
    "to_practice": "Paid to the practice",
    "on": "Confirmed on",
    "confirmed_population": "Population of the practices that have confirmed",
    "unallocated": "Hours not allocated",
    "over_allocated": "More hours allocated than funded",
    "period_start": "Plan year starts",
    "period_end": "Plan year ends",
    "weighting_percent": "Weighting",
}
#: words for the values some kinds store as codes
VALUE_WORDS = {
    "status": dict(STATUS_LABELS),
    "position": {"between_steps": "Between two steps", "beyond_last_step": "Beyond the last step"},
}


def _des_words(kind) -> dict[str, str]:
    """The DES payment's figures under the form's own words: the payment for the declared
    population says it is if every practice took part, so it is not read as what the plan
    pays the practices that have confirmed (docs/decisions/0436). The same words whether or
    not a year has confirmations, so a figure stays on one row."""
    paid = kind.label("to_practices")
    return {
        "population": kind.label("population"),
        "total": kind.label("total"),
        "to_practices": f"{paid}, if every practice took part",
        "held_by_pct": kind.label("held_by_pct"),
        "to_confirmed_practices": f"{paid}, for the practices that have confirmed",
    }


def _shown(value, key: str, *, hours: bool):
    """A figure as the product shows it elsewhere: money in pounds with thousands separators,
    per cent rounded, hours, dates in words, whole numbers with separators; words for codes."""
    if isinstance(value, dict):
        return {k: _shown(v, str(k), hours=hours) for k, v in value.items()}
    if isinstance(value, list):
        return [_shown(item, key, hours=hours) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, date):
        return long_date(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Decimal):
        if "weighting" in key:
            return finance.format_percentage(value, places=1).replace(".0%", "%")
        if key.endswith("percent"):
            return finance.format_percentage(value)
        if hours:
            return format_hours(value)
        return finance.format_money(value)
    if isinstance(value, str) and key in VALUE_WORDS:
        return VALUE_WORDS[key].get(value, value)
    return value


def _worded(pairs: list[tuple[str, str]], words: dict[str, str]) -> list[tuple[str, str]]:
    """Each part of a label that is a figure's key in the diffs' way, in ``words``."""
    by_label = {diffs._label(key): text for key, text in words.items()}  # as flatten names it
    return [
        (
            diffs.SEPARATOR.join(by_label.get(part, part) for part in label.split(diffs.SEPARATOR)),
            value,
        )
        for label, value in pairs
    ]


def _worked_figures(plan: Plan) -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """{question key: (its heading, [(label, value)])}: the figures each structured answer
    works out (savings, funding, hours ...), as the plan's own form checks them, each shown
    as the product shows such a figure."""
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
        figures = figures or {}
        heading = f"{answer.question.number} {answer.question.title}".strip()
        words = FIGURE_WORDS | (
            _des_words(kind) if answer.question.kind == QuestionKind.DES_FUNDING else {}
        )
        shown = _shown(figures, "", hours=answer.question.kind == QuestionKind.HOURS)
        result[answer.question.key] = (heading, _worded(diffs.flatten(shown), words))
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
