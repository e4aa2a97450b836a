"""Who a signatory signs after, in the words of the plan page and the sign page, from the one
reading of the form's order (signoff.signing.SigningState): the signatories of the step
immediately before theirs, not whoever the plan waits for now. On the Northbrook form (the
chair; then the Director of Finance and the Chief Executive; then the PEC chair), not DacCom's."""

import pytest
from django.urls import reverse

from tests.northbrook import TITLES, appoint_finance, approved_plan, organisation
from tests.review_factories import sign
from tests.two_factor import SecondFactorClient

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

STEP_TWO = f"the {TITLES['finance']} and the {TITLES['chief']}"


def page(user, name, plan) -> str:
    client = SecondFactorClient()
    client.force_login(user)
    return " ".join(client.get(reverse(name, args=[plan.pk])).content.decode().split())


def test_before_the_first_signature_the_last_step_signs_after_the_step_before_it_not_the_first():
    northbrook = organisation()
    appoint_finance(northbrook)
    plan = approved_plan(northbrook)
    pec = northbrook.signatories["pec"]

    plan_page = page(pec, "plan_detail", plan)
    sign_page = page(pec, "plan_sign", plan)

    assert f"Signs after {STEP_TWO}" in plan_page
    assert f"Signs after the {TITLES['chair']}" in plan_page  # step 2's own row
    assert plan_page.count(f"Signs after the {TITLES['chair']}") == 2
    assert f"The {TITLES['finance']} and the {TITLES['chief']} sign before you" in sign_page
    assert f"The plan is waiting for the {TITLES['chair']} to sign now." in sign_page


def test_once_the_chair_has_signed_the_sign_page_and_the_plan_page_name_the_same_signatories():
    northbrook = organisation()
    appoint_finance(northbrook)
    plan = approved_plan(northbrook)
    sign(plan, northbrook.signatories["chair"])
    pec = northbrook.signatories["pec"]

    plan_page = page(pec, "plan_detail", plan)
    sign_page = page(pec, "plan_sign", plan)

    assert f"Signs after {STEP_TWO}" in plan_page
    assert f"The {TITLES['finance']} and the {TITLES['chief']} sign before you" in sign_page
    assert "waiting for" not in sign_page.split("sign before you")[1][:200]
