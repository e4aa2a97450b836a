"""Reads of monitoring returns, always through the user's scope (plans.selectors), and the
delivery figures computed from them with Decimal."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from plans.kinds.base import NO_PLAN
from plans.models import Answer, Plan
from plans.selectors import kind_context, plans_visible_to
from plans.structured import KINDS

from .models import MonitoringReturn, ReturnLine
from .services import MONITORED

Status = MonitoringReturn.Status
Kind = ReturnLine.Kind
ZERO = Decimal("0")
RAG = {
    "done": "green",
    "on_track": "green",
    "at_risk": "amber",
    "not_started": "amber",
    "missed": "red",
}


def returns_visible_to(user) -> QuerySet[MonitoringReturn]:
    return MonitoringReturn.objects.filter(plan__in=plans_visible_to(user)).select_related(
        "plan", "plan__consortium", "plan__consortium__commissioner"
    )


def return_visible_to(user, return_id: int) -> MonitoringReturn | None:
    return (
        returns_visible_to(user)
        .prefetch_related(Prefetch("lines", queryset=ReturnLine.objects.order_by("position")))
        .filter(pk=return_id)
        .first()
    )


def plan_returns(plan: Plan) -> list[MonitoringReturn]:
    return list(plan.monitoring_returns.order_by("period_end", "pk"))


def is_late(monitoring_return: MonitoringReturn, *, today: date) -> bool:
    return monitoring_return.status in (Status.OPEN, Status.SENT_BACK) and (
        monitoring_return.due_on < today
    )


def returns_to_do(user, *, today: date) -> list[MonitoringReturn]:
    """Returns in the user's scope waiting for the consortium or the PCT, the oldest due first,
    late ones (``is_late``) first."""
    waiting = list(
        returns_visible_to(user)
        .exclude(status=Status.ACCEPTED)
        .order_by("due_on", "plan__consortium__name", "pk")
    )
    return sorted(waiting, key=lambda item: not is_late(item, today=today))


def _sum_given(amounts) -> Decimal | None:
    """The amounts that are given (not None) summed, or None when none is."""
    given = [amount for amount in amounts if amount is not None]
    return sum(given, ZERO) if given else None


@dataclass(frozen=True)
class GivenTotal:
    """A column of the targets' savings in which a blank is not given, not £0
    (docs/decisions/0415): the amounts given, summed (None when no target gives one), and how
    many of the targets give none."""

    amount: Decimal | None
    missing: int
    targets: int

    @classmethod
    def of(cls, amounts: Iterable[Decimal | None]) -> "GivenTotal":
        amounts = list(amounts)
        missing = sum(1 for amount in amounts if amount is None)
        return cls(_sum_given(amounts), missing, len(amounts))


@dataclass
class TargetDelivery:
    reference: str
    text: str
    planned: Decimal
    actual: Decimal | None
    forecast: Decimal | None

    @property
    def variance(self) -> Decimal | None:
        """Forecast for the year against the planned saving (negative: short of plan)."""
        return None if self.forecast is None else self.forecast - self.planned


@dataclass
class Delivery:
    """The plan's delivery as its latest accepted return reports it."""

    source: MonitoringReturn | None
    targets: list[TargetDelivery] = field(default_factory=list)
    milestones: list[ReturnLine] = field(default_factory=list)
    criteria: list[ReturnLine] = field(default_factory=list)
    reward_pot: Decimal | None = None

    @property
    def planned_total(self) -> Decimal:
        return sum((t.planned for t in self.targets), ZERO)

    @property
    def actual(self) -> GivenTotal:
        return GivenTotal.of(t.actual for t in self.targets)

    @property
    def forecast(self) -> GivenTotal:
        return GivenTotal.of(t.forecast for t in self.targets)

    @property
    def variance_total(self) -> Decimal | None:
        """The forecasts given against those targets' planned savings only, so a blank forecast
        does not read as a shortfall; None when no forecast is given (0415)."""
        return _sum_given(t.variance for t in self.targets)

    @property
    def rag_counts(self) -> dict[str, int]:
        counts = {"green": 0, "amber": 0, "red": 0}
        for line in self.milestones:
            counts[RAG.get(line.status, "amber")] += 1
        return counts

    @property
    def criteria_met(self) -> int:
        return sum(1 for line in self.criteria if line.status == "met")

    @property
    def reward_released(self) -> Decimal | None:
        """The reward share held back by the PCT, released in proportion to the criteria met
        in full (docs/decisions/0442): None when the plan states no DES funding."""
        if self.reward_pot is None or not self.criteria:
            return None
        return (self.reward_pot * self.criteria_met / len(self.criteria)).quantize(Decimal("0.01"))


def reward_pot(plan: Plan) -> Decimal | None:
    """The DES reward the PCT holds back (funding less the practices' share), as the signed
    plan's own rates give it."""
    return _pot_of(plan, kind_context(plan).sibling("des_funding"))


def _pot_of(plan: Plan, funding: dict | None) -> Decimal | None:
    """The PCT's held-back share of the plan's DES funding answer's stored value (its figures
    need nothing of the plan around it); None while the plan is reopened, its rates no longer
    the signed ones."""
    if plan.status not in MONITORED:
        return None
    return KINDS["des_funding"].figures(funding or {}, context=NO_PLAN).get("held_by_pct")


_LINES = Prefetch("lines", queryset=ReturnLine.objects.order_by("position"))


def delivery_from(latest: MonitoringReturn | None, *, pot: Decimal | None = None) -> Delivery:
    """The delivery a return reports (its lines prefetched in order)."""
    result = Delivery(source=latest, reward_pot=pot)
    if latest is None:
        return result
    for line in latest.lines.all():
        if line.kind == Kind.TARGET:
            result.targets.append(
                TargetDelivery(
                    line.reference,
                    line.text,
                    line.planned_saving or ZERO,
                    line.actual_to_date,
                    line.forecast_for_year,
                )
            )
        elif line.kind == Kind.MILESTONE:
            result.milestones.append(line)
        else:
            result.criteria.append(line)
    return result


def delivery(plan: Plan) -> Delivery:
    """Planned against actual and forecast savings per target and in total, the milestones'
    RAG, the criteria met and the reward they release, from the plan's latest accepted
    return."""
    latest = (
        plan.monitoring_returns.filter(status=Status.ACCEPTED)
        .order_by("-period_end", "-pk")
        .prefetch_related(_LINES)
        .first()
    )
    return delivery_from(latest, pot=reward_pot(plan))


def deliveries_visible_to(user) -> list[tuple[Plan, Delivery]]:
    """Every plan in the user's scope that is signed, or was and has returns (reopened since,
    docs/decisions/0309), with the delivery its latest accepted return reports and the reward
    it releases, in three queries however many plans (the first DES funding answer in form
    order read with the plans)."""
    funding = (
        Answer.objects.filter(plan=OuterRef("pk"), question__kind="des_funding")
        .order_by("question__position")
        .values("data")[:1]
    )
    plans = list(
        plans_visible_to(user)
        .annotate(
            des_funding=Subquery(funding),
            has_returns=Exists(MonitoringReturn.objects.filter(plan=OuterRef("pk"))),
        )
        .filter(Q(status__in=MONITORED) | Q(has_returns=True))
        .order_by("consortium__name", "period", "pk")
    )
    latest: dict[int, MonitoringReturn] = {}
    for item in (
        MonitoringReturn.objects.filter(plan__in=plans, status=Status.ACCEPTED)
        .order_by("plan_id", "-period_end", "-pk")
        .prefetch_related(_LINES)
    ):
        latest.setdefault(item.plan_id, item)
    return [
        (plan, delivery_from(latest.get(plan.pk), pot=_pot_of(plan, plan.des_funding)))
        for plan in plans
    ]


@dataclass(frozen=True)
class LowerActual:
    """A target whose actual savings to date read lower than an earlier accepted return's."""

    reference: str
    actual: Decimal
    earlier: Decimal
    earlier_label: str


def actuals_lower_than_before(item: MonitoringReturn) -> list[LowerActual]:
    """The return's targets whose cumulative actual to date is below the one the latest earlier
    accepted return gave: a slip to warn of, not to refuse (a correction may be real)."""
    earlier = (
        item.plan.monitoring_returns.filter(status=Status.ACCEPTED, period_end__lt=item.period_end)
        .order_by("-period_end", "-pk")
        .first()
    )
    if earlier is None:
        return []
    before = {
        line.reference: line.actual_to_date
        for line in earlier.lines.filter(kind=Kind.TARGET, actual_to_date__isnull=False)
    }
    return [
        LowerActual(line.reference, line.actual_to_date, before[line.reference], earlier.label)
        for line in item.lines.filter(kind=Kind.TARGET, actual_to_date__isnull=False).order_by(
            "position"
        )
        if line.reference in before and line.actual_to_date < before[line.reference]
    ]
