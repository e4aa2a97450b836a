"""A signature records what confirmed it beside the password (docs/decisions/0498): the plan
page, its activity, the sealed PDF's sign-off trail and the admin say so; signatures given before
it was recorded say nothing, and their audit chain links still hold."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from consortia import credentials
from consortia.models import User
from plans.audit import audit_chain_verify
from plans.chain import link_sha256
from plans.models import Plan, PlanEvent
from signoff import pdf, services
from signoff.canonical import content_sha256
from signoff.models import SecondFactor, Signature
from tests.factories import PASSWORD, UserFactory
from tests.review_factories import (
    SIGNATORIES,
    person,
    put_in_state,
    sign,
    signature_for,
    three_signatory_plan,
)
from tests.two_factor import authenticator, next_code, signed_in

Role = User.Role
Status = Plan.Status
pytestmark = pytest.mark.django_db
APP = "Password and authenticator app code"


def approved_plan_and_chair() -> tuple[Plan, User]:
    plan = put_in_state(three_signatory_plan(), Status.APPROVED)
    return plan, person(Role.CONSORTIUM_EXECUTIVE_CHAIR, plan)


def signed_with_the_app(plan: Plan, chair: User) -> Signature:
    return sign(plan, chair, code=next_code(authenticator(chair)))


class TestWhatIsRecorded:
    def test_a_code_from_the_authenticator_app(self):
        signature = signed_with_the_app(*approved_plan_and_chair())

        assert signature.second_factor == SecondFactor.AUTHENTICATOR
        assert signature.confirmed_with == APP

    def test_a_recovery_code(self):
        signature = sign(*approved_plan_and_chair())  # sign gives a recovery code

        assert signature.second_factor == SecondFactor.RECOVERY_CODE
        assert signature.confirmed_with == "Password and recovery code"

    def test_the_password_alone_where_the_account_has_no_second_factor(self, monkeypatch):
        plan, chair = approved_plan_and_chair()
        monkeypatch.setattr(credentials, "SECOND_FACTOR_ROLES", frozenset())

        signature = services.signature_add(
            plan=plan, user=chair, password=PASSWORD, typed_name=chair.full_name, confirmed=True
        )

        assert signature.second_factor == SecondFactor.NONE
        assert signature.confirmed_with == "Password only (no second factor on the account)"

    def test_a_signature_given_before_it_was_recorded_says_nothing(self):
        plan, chair = approved_plan_and_chair()

        legacy = signature_for(plan, SIGNATORIES[0], 1, chair)

        assert legacy.second_factor == "" and legacy.confirmed_with == ""


class TestWhereItIsShown:
    def test_the_plan_page_and_its_activity_say_what_confirmed_the_signature(self):
        plan, chair = approved_plan_and_chair()
        signed_with_the_app(plan, chair)
        client = signed_in(person(Role.PCT_LEAD, plan))

        page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
        activity = client.get(reverse("plan_activity", args=[plan.pk])).content.decode()

        assert "(confirmed with password and authenticator app code)" in page
        assert "confirmed with password and authenticator app code." in activity

    def test_the_plan_page_says_nothing_of_it_for_a_signature_given_before(self):
        plan, chair = approved_plan_and_chair()
        signature_for(plan, SIGNATORIES[0], 1, chair)
        Plan.objects.filter(pk=plan.pk).update(status=Status.SIGNING)
        client = signed_in(person(Role.PCT_LEAD, plan))

        page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()

        assert f"by {chair.full_name} on" in page and "confirmed with" not in page

    def test_the_sealed_pdfs_trail_has_a_confirmed_with_row_only_where_recorded(self):
        plan, chair = approved_plan_and_chair()
        signed_with_the_app(plan, chair)
        legacy = signature_for(plan, SIGNATORIES[1], 2, person(Role.PEC_COMMITTEE_CHAIR, plan))

        html = pdf.plan_html(
            plan=plan, signatures=list(plan.signatures.all()), content_sha256=content_sha256(plan)
        )

        trail = html.split("Sign-off trail")[1]
        assert trail.count('<th scope="row">Confirmed with</th>') == 1
        assert f'<th scope="row">Confirmed with</th><td>{APP}</td>' in trail
        legacy_entry = trail.split(f"<caption>2. {legacy.title}</caption>")[1]
        assert "Confirmed with" not in legacy_entry.split("</table>")[0]

    def test_the_admin_shows_it_read_only(self):
        plan, chair = approved_plan_and_chair()
        signature = signed_with_the_app(plan, chair)
        admin = UserFactory(role=Role.SITE_ADMIN, is_staff=True, is_superuser=True)

        page = signed_in(admin).get(reverse("admin:signoff_signature_change", args=[signature.pk]))

        assert page.status_code == 200
        assert APP in page.content.decode()


class TestTheAuditChain:
    def test_a_new_signatures_link_covers_it(self):
        plan, chair = approved_plan_and_chair()
        signature = signed_with_the_app(plan, chair)
        assert audit_chain_verify(plan).intact

        Signature.objects.filter(pk=signature.pk).update(second_factor=SecondFactor.NONE)
        assert not audit_chain_verify(plan).intact
        Signature.objects.filter(pk=signature.pk).update(second_factor="")
        assert not audit_chain_verify(plan).intact

    def test_a_signature_chained_before_it_was_recorded_keeps_its_link(self):
        plan, chair = approved_plan_and_chair()
        legacy = signature_for(plan, SIGNATORIES[0], 1, chair)
        stored = Signature.objects.values(*Signature.AUDIT_FIELDS).get(pk=legacy.pk)

        # The link as it was made before second_factor existed: over AUDIT_FIELDS alone.
        assert legacy.audit_sha256 == link_sha256(
            record="signoff.signature",
            pk=legacy.pk,
            seq=legacy.audit_seq,
            previous=legacy.audit_previous_sha256,
            fields=stored,
        )
        assert audit_chain_verify(plan).intact
        # Nor can a factor be claimed for it afterwards.
        Signature.objects.filter(pk=legacy.pk).update(second_factor=SecondFactor.AUTHENTICATOR)
        assert not audit_chain_verify(plan).intact

    def test_the_plans_content_fingerprint_is_the_same_whatever_confirmed_the_signature(self):
        plan, chair = approved_plan_and_chair()
        before = content_sha256(plan)

        signature = signed_with_the_app(plan, chair)

        assert signature.content_sha256 == before == content_sha256(plan)
        event = PlanEvent.objects.filter(plan=plan, kind=PlanEvent.Kind.SIGNATURE).get()
        assert event.comment.endswith("confirmed with password and authenticator app code.")


BEFORE_IT_WAS_RECORDED = [("signoff", "0011_plan_document_approved")]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_migration_leaves_existing_signatures_saying_nothing_and_their_chain_intact():
    plan, chair = approved_plan_and_chair()
    signature_for(plan, SIGNATORIES[0], 1, chair)
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE_IT_WAS_RECORDED)
    finally:
        MigrationExecutor(connection).migrate(leaves)

    assert list(Signature.objects.values_list("second_factor", flat=True)) == [""]
    assert audit_chain_verify(plan).intact
