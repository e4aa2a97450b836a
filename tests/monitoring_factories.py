"""Plans signed through the workflow, their people and their returns, for tests of in-year
monitoring."""

from datetime import date

from consortia import demo as consortia_demo
from consortia.models import User
from monitoring import services
from monitoring.models import MonitoringReturn
from plans.models import Plan
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
