"""Plans signed through the workflow, their people and their returns, for tests of in-year
monitoring."""

from datetime import date

from consortia import demo as consortia_demo
from consortia.models import User
from monitoring import services
from monitoring.models import MonitoringReturn, ReturnLine
from monitoring.services import LineInput
from plans.models import Plan
from tests import demo_data
from tests.plan_factories import daccom_plan_as_loaded, demo_daccom_plan
from tests.review_factories import approve, demo_user, sign


def signed(plan: Plan) -> Plan:
    """The plan approved (tests.review_factories.approve) and signed by each of its
    signatories as a person would sign."""
    approve(plan)
    pct = plan.consortium.commissioner.slug
    for user in (
        demo_user("chair", plan.consortium.slug),
        demo_user("pec-chair", pct),
        demo_user("chief-executive", pct),
    ):
        sign(plan, user, password=consortia_demo.DEMO_PASSWORD)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SIGNED
    return plan


def _demo_daccom_signed() -> None:
    signed(demo_daccom_plan())


def signed_demo_daccom() -> Plan:
    """The demo loaded and DacCom's plan signed: the signing (three signatures, each hashing
    the whole plan) runs once in a test process and is copied after (tests/demo_data.py)."""
    demo_data.load(_demo_daccom_signed)
    plan = daccom_plan_as_loaded()
    assert plan.status == Plan.Status.SIGNED
    return plan


def lead_of(plan: Plan) -> User:
    return demo_user("lead", plan.consortium.commissioner.slug)


def editor_of(plan: Plan) -> User:
    return demo_user("editor", plan.consortium.slug)


def open_quarter(
    plan: Plan,
    label: str = "Q1 2006/07",
    period_end: date = date(2006, 6, 30),
    due_on: date = date(2006, 7, 31),
) -> MonitoringReturn:
    """The PCT's lead opens the signed plan's return for a quarter (by default DacCom's first)."""
    return services.return_open(
        plan=plan, user=lead_of(plan), label=label, period_end=period_end, due_on=due_on
    )


def filled(monitoring_return, *, overrides=None) -> dict[int, LineInput]:
    """Every line given a value, target 1.1's and any ``overrides`` (by reference) as given."""
    overrides = overrides or {}
    typed = {}
    for line in monitoring_return.lines.all():
        if line.reference in overrides:
            typed[line.pk] = overrides[line.reference]
        elif line.kind == ReturnLine.Kind.TARGET:
            typed[line.pk] = LineInput(
                actual_to_date="0", forecast_for_year=str(line.planned_saving)
            )
        elif line.kind == ReturnLine.Kind.MILESTONE:
            typed[line.pk] = LineInput(status="on_track")
        else:
            typed[line.pk] = LineInput(status="not_met")
    return typed


def save_filled(
    monitoring_return: MonitoringReturn,
    user: User,
    *,
    base_version: int | None = None,
    commentary: str = "",
    overrides: dict[str, LineInput] | None = None,
) -> MonitoringReturn:
    """``user`` saves the return with every line filled (``filled``, ``overrides`` as given),
    from a page loaded at ``base_version`` (by default the return's version now)."""
    return services.return_save(
        monitoring_return=monitoring_return,
        user=user,
        base_version=monitoring_return.version if base_version is None else base_version,
        commentary=commentary,
        lines=filled(monitoring_return, overrides=overrides),
    )


def accepted(monitoring_return: MonitoringReturn) -> MonitoringReturn:
    """The return filled in full (``filled``) and submitted by the consortium's editor, then
    accepted by the PCT's lead."""
    plan = monitoring_return.plan
    editor = editor_of(plan)
    save_filled(monitoring_return, editor)
    services.return_submit(monitoring_return=monitoring_return, user=editor)
    return services.return_accept(monitoring_return=monitoring_return, user=lead_of(plan))
