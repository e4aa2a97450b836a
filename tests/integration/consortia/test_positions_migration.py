"""The signatory roles become positions (consortia 0004, plans 0006, signoff 0006) and back:
who signs, the stored sign-off blocks and the signatures given, with Red House's invented block."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from consortia.models import Appointment, Position, User
from plans import template_files
from plans.models import PlanTemplate
from signoff.signing import SigningState, blocks_held_by
from tests.factories import CommissionerFactory
from tests.review_factories import SIGNATORIES, person, put_in_state, three_signatory_plan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BEFORE_POSITIONS = [
    ("consortia", "0002_user_notify"),
    ("plans", "0004_planevent"),
    ("signoff", "0004_planevent_moved_to_plans"),
]
RED_HOUSE = template_files.DEFINITIONS_DIR / "red-house-plan.yaml"


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)


def latest() -> list:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_the_signatory_roles_become_positions_and_back_with_the_signatures_given():
    plan = put_in_state(three_signatory_plan(), "signing")  # the chair has signed
    chair = plan.signatures.get().user
    pec, chief = (
        person(User.Role.PEC_COMMITTEE_CHAIR, plan),
        person(User.Role.PCT_CHIEF_EXECUTIVE, plan),
    )
    CommissionerFactory(slug="west-herts-pct")
    red_house = template_files.load_file(RED_HOUSE)

    try:
        old = migrate(BEFORE_POSITIONS).loader.project_state(BEFORE_POSITIONS).apps
        OldTemplate = old.get_model("plans", "PlanTemplate")
        OldSignature = old.get_model("signoff", "Signature")
        assert OldTemplate.objects.get(pk=plan.template_id).signatories == [
            {"role": "consortium_executive_chair", "title": "Consortium Executive Chair"},
            {"role": "pec_committee_chair", "title": "Joint PEC Commissioning Committee Chair"},
            {"role": "pct_chief_executive", "title": "PCT Chief Executive"},
        ]
        assert list(OldSignature.objects.values_list("role", flat=True)) == [
            "consortium_executive_chair"
        ]
        old_red_house = OldTemplate.objects.get(pk=red_house.pk)
        assert [s["role"] for s in old_red_house.signatories] == [
            "consortium_executive_chair",
            "pec_committee_chair",
            "pct_chief_executive",
        ]
        assert old_red_house.parts.filter(key="signoff").exists()
        # Appointments went with their table; the migration forward makes them from the roles.
    finally:
        migrate(latest())

    plan.template.refresh_from_db()
    assert plan.template.signatories == SIGNATORIES
    assert list(plan.signatures.values_list("role", flat=True)) == ["consortium-executive-chair"]
    holders = {
        (a.position.consortium_id, a.position.body, a.position.name): a.user
        for a in Appointment.objects.select_related("position", "user")
    }
    pct = plan.consortium.commissioner
    assert holders[(plan.consortium_id, "", "Executive Chair")] == chair
    assert holders[(None, "Joint PEC Commissioning Committee", "Chair")] == pec
    assert holders[(None, "", "Chief Executive")] == chief
    assert Position.objects.filter(commissioner=pct, consortium__isnull=True).count() == 2
    state = SigningState.of(plan)
    assert state.is_signed(state.blocks[0]), "the chair's signature still counts"
    assert blocks_held_by(pec, plan, state.waiting_for) == [state.blocks[1]]
    red_house = PlanTemplate.objects.get(pk=red_house.pk)
    assert red_house.signatories == []
    assert red_house.approved_by == "clinical governance sub-committee"
    assert not red_house.parts.filter(key="signoff").exists()
    assert template_files.preview_file(RED_HOUSE).outcome == template_files.Outcome.UNCHANGED
