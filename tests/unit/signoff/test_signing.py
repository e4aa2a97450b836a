from datetime import UTC, datetime, timedelta

from plans.models import Plan, PlanTemplate
from signoff.models import Signature
from signoff.signing import SigningState, signatory_key
from tests.review_factories import SIGNATORIES

CHAIR, PEC, CHIEF = (signatory_key(block) for block in SIGNATORIES)
SIGNED_AT = datetime(2007, 7, 3, 14, 2, tzinfo=UTC)


def plan(signatories=SIGNATORIES) -> Plan:
    return Plan(template=PlanTemplate(signatories=[dict(block) for block in signatories]))


def signature(role: str, *, position: int, content: str = "a" * 64, minutes: int = 0):
    return Signature(
        role=role,
        title=role,
        position=position,
        signed_at=SIGNED_AT + timedelta(minutes=minutes),
        content_sha256=content,
    )


def test_the_first_signatory_in_the_forms_order_is_waited_for_first():
    state = SigningState.of(plan(), signatures=[])

    assert [block.key for block in state.waiting_for] == [CHAIR]
    assert [block.title for block in state.blocks] == [b["title"] for b in SIGNATORIES]
    assert not state.is_complete


def test_each_signature_moves_the_turn_to_the_next_signatory_until_complete():
    chair = signature(CHAIR, position=1)
    pec = signature(PEC, position=2, minutes=5)

    after_chair = SigningState.of(plan(), signatures=[chair])
    after_pec = SigningState.of(plan(), signatures=[pec, chair])
    complete = SigningState.of(plan(), signatures=[chair, pec, signature(CHIEF, position=3)])

    assert [block.key for block in after_chair.waiting_for] == [PEC]
    assert after_chair.signature_for(after_chair.block_for(CHAIR)) is chair
    assert [block.key for block in after_pec.waiting_for] == [CHIEF]
    assert after_pec.signatures == (chair, pec), "in the form's order"
    assert complete.is_complete and complete.waiting_for == []


def test_a_later_signatory_may_not_sign_before_an_earlier_one():
    state = SigningState.of(plan(), signatures=[])

    assert state.may_sign_now(state.block_for(CHAIR))
    assert not state.may_sign_now(state.block_for(PEC))
    assert not state.may_sign_now(state.block_for(CHIEF))


def test_only_the_last_open_block_completes_the_signing():
    state = SigningState.of(
        plan(), signatures=[signature(CHAIR, position=1), signature(PEC, position=2)]
    )

    assert state.completed_by(state.block_for(CHIEF))
    assert not SigningState.of(plan(), signatures=[]).completed_by(state.block_for(CHAIR))


def test_the_signed_keys_alone_give_the_same_turn_as_the_signatures():
    signatures = [signature(CHAIR, position=1)]

    from_keys = SigningState.of_signed_keys(plan(), [CHAIR])

    assert from_keys.waiting_for == SigningState.of(plan(), signatures=signatures).waiting_for
    assert from_keys.is_signed(from_keys.block_for(CHAIR))


def test_a_step_of_the_forms_block_with_several_signatories_waits_for_each_in_any_order():
    in_steps = [dict(block) for block in SIGNATORIES]
    in_steps[2]["step"] = 2  # the chief executive signs alongside the PEC chair
    signatories = plan(in_steps)

    both_open = SigningState.of_signed_keys(signatories, {CHAIR})
    one_left = SigningState.of_signed_keys(signatories, {CHAIR, CHIEF})

    assert [block.key for block in both_open.waiting_for] == [PEC, CHIEF]
    assert both_open.may_sign_now(both_open.block_for(CHIEF)), "either may sign first"
    assert [block.key for block in one_left.waiting_for] == [PEC]
    assert one_left.completed_by(one_left.block_for(PEC))
    assert not both_open.completed_by(both_open.block_for(PEC))


def test_a_block_names_its_position_with_its_side():
    state = SigningState.of_signed_keys(plan(), ())

    assert [block.label for block in state.blocks] == [
        "consortium Executive Chair",
        "PCT Joint PEC Commissioning Committee Chair",
        "PCT Chief Executive",
    ]
    assert [block.key for block in state.blocks] == [
        "consortium-executive-chair",
        "pct-joint-pec-commissioning-committee-chair",
        "pct-chief-executive",
    ]


def test_a_form_with_no_signatories_is_complete_at_approval():
    state = SigningState.of_signed_keys(plan([]), ())

    assert state.is_complete and state.waiting_for == []


def test_signatures_of_different_content_are_not_consistent():
    same = SigningState.of(
        plan(), signatures=[signature(CHAIR, position=1), signature(PEC, position=2)]
    )
    mixed = SigningState.of(
        plan(),
        signatures=[signature(CHAIR, position=1), signature(PEC, position=2, content="b" * 64)],
    )

    assert same.hashes_consistent()
    assert same.hashes_consistent("a" * 64)
    assert not same.hashes_consistent("c" * 64), "the plan's content has changed since"
    assert not mixed.hashes_consistent()
    assert SigningState.of(plan(), signatures=[]).hashes_consistent("c" * 64)


def test_a_signature_of_a_signatory_the_form_no_longer_names_is_kept_apart():
    old = signature("pct-retired-position", position=4)

    state = SigningState.of(plan(), signatures=[signature(CHAIR, position=1), old])

    assert state.unnamed_signatures == [old]
    assert [block.key for block in state.waiting_for] == [PEC]
