import pytest

from consortia import demo as consortia_demo
from consortia.models import User
from plans.models import Plan
from plans.selectors import missing_required
from signoff import services
from tests.plan_factories import demo_daccom_plan
from tests.two_factor import recovery_code


def demo_user(prefix: str, organisation: str) -> User:
    return User.objects.get(email=f"{prefix}.{organisation}@example.org")


def signed(plan: Plan) -> Plan:
    """The plan taken through review (straight to approved where the demo answers leave
    required questions empty) and signed by each of its signatories."""
    pct = plan.consortium.commissioner.slug
    lead = demo_user("lead", pct)
    if plan.status == Plan.Status.DRAFT and not missing_required(plan):
        services.plan_submit(plan=plan, user=demo_user("editor", plan.consortium.slug))
        services.plan_start_review(plan=plan, user=lead)
        services.plan_approve(plan=plan, user=lead)
    else:
        plan.status = Plan.Status.APPROVED
        plan.save(update_fields=["status"])
    for user in (
        demo_user("chair", plan.consortium.slug),
        demo_user("pec-chair", pct),
        demo_user("chief-executive", pct),
    ):
        services.signature_add(
            plan=plan,
            user=user,
            password=consortia_demo.DEMO_PASSWORD,
            code=recovery_code(user),
            typed_name=user.full_name,
            confirmed=True,
        )
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SIGNED
    return plan


@pytest.fixture
def signed_daccom(db):
    return signed(demo_daccom_plan())
