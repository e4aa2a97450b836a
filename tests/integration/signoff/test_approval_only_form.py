"""A form with no sign-off block ends at approval: Red House's plan asks its clinical governance
sub-committee to approve it, and nothing waits for a signature afterwards."""

import pytest
from django.urls import reverse

from consortia.models import User
from plans import services as plan_services
from plans import template_files
from plans.models import Plan
from signoff import services
from signoff.signing import SigningState
from tests.factories import CommissionerFactory, ConsortiumFactory
from tests.review_factories import person
from tests.two_factor import SecondFactorClient

pytestmark = pytest.mark.django_db
APPROVED = (
    "The plan is approved by the clinical governance sub-committee, and its form asks for no "
    "signatures."
)


def page_for(user, url: str) -> str:
    client = SecondFactorClient()
    client.force_login(user)
    return client.get(url).content.decode()


def test_the_red_house_plan_ends_at_its_sub_committees_approval_with_no_signature_block():
    pct = CommissionerFactory(slug="west-herts-pct")
    template = template_files.load_file(template_files.DEFINITIONS_DIR / "red-house-plan.yaml")
    plan = plan_services.plan_create(
        consortium=ConsortiumFactory(commissioner=pct),
        template=template,
        period="2007/08",
        title="Red House PBC Plan 2007/08",
    )
    plan.answers.update(text="<p>Answered.</p>", version=1)
    lead = person(User.Role.PCT_LEAD, plan)
    chair = person(User.Role.CONSORTIUM_EXECUTIVE_CHAIR, plan)
    services.plan_submit(plan=plan, user=person(User.Role.CONSORTIUM_EDITOR, plan))
    services.plan_start_review(plan=plan, user=lead)
    lead_client = SecondFactorClient()
    lead_client.force_login(lead)
    approve_url = reverse("plan_action", args=[plan.pk, "approve"])
    approve_page = lead_client.get(approve_url).content.decode()
    approved = lead_client.post(approve_url, {"comment": ""}, follow=True).content.decode()

    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED
    assert not template.questions.filter(kind="signoff").exists()
    assert SigningState.of(plan).is_complete
    assert "on behalf of the clinical governance sub-committee" in approve_page
    assert "Its content is frozen: the plan is approved by the clinical governance" in approved
    plan_page = page_for(chair, reverse("plan_detail", args=[plan.pk]))
    assert APPROVED in plan_page
    assert "Sign the plan" not in plan_page
    assert f"Nothing: {APPROVED[0].lower()}{APPROVED[1:]}" in page_for(chair, reverse("home"))
