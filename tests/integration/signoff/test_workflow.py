"""Every (state, action, role): allowed ones succeed, all others are refused with a reason."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections

from consortia import credentials
from consortia.models import Position, User
from consortia.services import position_assign
from plans import services as plan_services
from plans.errors import AnswerInvalid
from plans.models import Plan, PlanEvent
from plans.workflow import TRANSITIONS, Action
from signoff import services
from signoff.errors import Refused
from signoff.models import Signature
from tests.factories import PASSWORD, UserFactory
from tests.review_factories import (
    SIGNATORIES,
    SIGNATORY_ROLES,
    person,
    put_in_state,
    sign,
    three_signatory_plan,
)
from tests.two_factor import recovery_code

Role = User.Role
Status = Plan.Status
EDITOR, CHAIR, LEAD = Role.CONSORTIUM_EDITOR, Role.CONSORTIUM_EXECUTIVE_CHAIR, Role.PCT_LEAD
PEC, CEO, ADMIN = Role.PEC_COMMITTEE_CHAIR, Role.PCT_CHIEF_EXECUTIVE, Role.SITE_ADMIN

# Written out rather than derived from plans.workflow, so the test checks the table.
# (state, action): (roles allowed, resulting state)
# fmt: off
ALLOWED = {
    (Status.DRAFT,             Action.SUBMIT):            ({EDITOR, CHAIR}, Status.SUBMITTED),
    (Status.CHANGES_REQUESTED, Action.SUBMIT):            ({EDITOR, CHAIR}, Status.SUBMITTED),
    (Status.SUBMITTED,         Action.WITHDRAW):          ({EDITOR, CHAIR}, Status.DRAFT),
    (Status.SUBMITTED,         Action.START_REVIEW):      ({LEAD}, Status.IN_REVIEW),
    (Status.IN_REVIEW,         Action.REQUEST_CHANGES):   ({LEAD}, Status.CHANGES_REQUESTED),
    (Status.IN_REVIEW,         Action.APPROVE):           ({LEAD}, Status.APPROVED),
    (Status.APPROVED,          Action.SIGN):              ({CHAIR}, Status.SIGNING),
    (Status.SIGNING,           Action.SIGN):              ({PEC}, Status.SIGNING),
    (Status.APPROVED,          Action.REOPEN):            ({LEAD}, Status.CHANGES_REQUESTED),
    (Status.SIGNING,           Action.REOPEN):            ({LEAD}, Status.CHANGES_REQUESTED),
    (Status.SIGNED,            Action.REOPEN):            ({LEAD}, Status.CHANGES_REQUESTED),
    (Status.SIGNED,            Action.RECORD_SUBMISSION): ({CHAIR}, Status.SUBMITTED_TO_PCT),
}
# fmt: on


def take(action: Action, plan: Plan, user: User) -> None:
    if action == Action.SIGN:
        sign(plan, user)
        return
    verb = services.review.VERBS[action]
    words = {Action.REQUEST_CHANGES: "summary", Action.REOPEN: "reason"}
    extra = {words[action]: "Please look again at 4.2."} if action in words else {}
    verb(plan=plan, user=user, **extra)


def test_the_table_names_every_action_of_the_workflow():
    assert {action for _state, action in ALLOWED} == set(TRANSITIONS)


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(Status), ids=str)
@pytest.mark.parametrize("action", list(Action), ids=str)
def test_each_role_may_take_exactly_the_actions_the_table_allows(state, action):
    allowed_roles, target = ALLOWED.get((state, action), (set(), None))
    outcomes = {}
    for role in Role:
        plan = put_in_state(three_signatory_plan(), state)
        user = person(role, plan)
        events_before = PlanEvent.objects.filter(plan=plan).count()
        try:
            take(action, plan, user)
        except Refused as refusal:
            assert refusal.message.strip(), f"{role} was refused {action} without a reason"
            plan.refresh_from_db()
            assert plan.status == state, "a refused action changed the plan"
            assert PlanEvent.objects.filter(plan=plan).count() == events_before
            outcomes[role] = None
        else:
            plan.refresh_from_db()
            outcomes[role] = plan.status
            event = PlanEvent.objects.filter(plan=plan, action=action).exclude(to_status="").get()
            assert (event.actor, event.from_status, event.to_status) == (user, state, target)

    assert outcomes == {role: target if role in allowed_roles else None for role in Role}


@pytest.mark.django_db
def test_submit_is_refused_with_the_consortiums_empty_required_questions():
    plan = three_signatory_plan(answered=False)
    editor = person(EDITOR, plan)

    with pytest.raises(Refused) as refusal:
        services.plan_submit(plan=plan, user=editor)

    assert "required questions are still empty" in refusal.value.message
    assert "2.1 (" in refusal.value.message
    assert "1.2" not in refusal.value.message, "the PCT completes its questions in review"
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT


@pytest.mark.django_db
def test_approval_waits_for_the_pcts_own_required_questions():
    plan = put_in_state(three_signatory_plan(), Status.IN_REVIEW)
    plan.answers.filter(question__key="fair-shares").update(text="")

    with pytest.raises(Refused, match=r"1 required question is still empty: 1\.2 \(the PCT\)"):
        services.plan_approve(plan=plan, user=person(LEAD, plan))


@pytest.mark.django_db
def test_request_changes_needs_a_summary_and_records_it():
    plan = put_in_state(three_signatory_plan(), Status.IN_REVIEW)
    lead = person(LEAD, plan)

    with pytest.raises(Refused, match="Say what the consortium needs to change"):
        services.plan_request_changes(plan=plan, user=lead, summary="   ")
    services.plan_request_changes(plan=plan, user=lead, summary="Show the savings by practice.")

    event = PlanEvent.objects.get(plan=plan, action=Action.REQUEST_CHANGES)
    assert event.comment == "Show the savings by practice."


@pytest.mark.django_db
def test_consortium_questions_lock_in_review_while_the_pct_completes_its_own():
    plan = put_in_state(three_signatory_plan(), Status.IN_REVIEW)
    editor, lead = person(EDITOR, plan), person(LEAD, plan)
    consortium_answer = plan.answers.get(question__key="question-1")
    pct_answer = plan.answers.get(question__key="fair-shares")

    with pytest.raises(plan_services.PermissionDenied):
        plan_services.answer_save(answer=consortium_answer, user=editor, base_version=1, text="x")
    saved = plan_services.answer_save(
        answer=pct_answer, user=lead, base_version=1, text="<p>Weighted 1.04.</p>"
    )

    assert saved.version == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "role", "key", "refusal"),
    [
        (
            Status.IN_REVIEW,
            EDITOR,
            "question-1",
            "The plan is in review: the consortium can change it again only if the PCT asks "
            "for changes.",
        ),
        (
            Status.DRAFT,
            LEAD,
            "fair-shares",
            "The plan is a draft: PCT-completed questions can be changed only while it is in "
            "review.",
        ),
    ],
)
def test_an_edit_out_of_its_sides_states_is_refused_with_the_plans_state(state, role, key, refusal):
    plan = put_in_state(three_signatory_plan(), state)
    answer = plan.answers.get(question__key=key)

    with pytest.raises(plan_services.PermissionDenied) as refused:
        plan_services.answer_save(
            answer=answer, user=person(role, plan), base_version=1, text="changed"
        )

    assert str(refused.value) == refusal


@pytest.mark.django_db
@pytest.mark.parametrize("state", [Status.APPROVED, Status.SIGNING, Status.SIGNED])
def test_content_is_frozen_after_approval_for_everyone(state):
    plan = put_in_state(three_signatory_plan(), state)
    for role, key in ((EDITOR, "question-1"), (LEAD, "fair-shares")):
        answer = plan.answers.get(question__key=key)
        with pytest.raises(plan_services.PermissionDenied, match="frozen for signature"):
            plan_services.answer_save(
                answer=answer, user=person(role, plan), base_version=1, text="changed"
            )


@pytest.mark.django_db
def test_the_event_log_cannot_be_changed_or_deleted():
    plan = put_in_state(three_signatory_plan(), Status.DRAFT)
    services.plan_submit(plan=plan, user=person(EDITOR, plan))
    event = PlanEvent.objects.get(plan=plan)

    event.comment = "rewritten"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


@pytest.mark.django_db
class TestSigning:
    def test_a_signatory_out_of_turn_is_refused_before_their_code_is_spent(self):
        plan = put_in_state(three_signatory_plan(), Status.APPROVED)
        ceo = person(CEO, plan)
        code = recovery_code(ceo)

        with pytest.raises(Refused, match="signs before you"):
            sign(plan, ceo, code=code)

        assert credentials.identity_confirm(request=None, user=ceo, code=code) is not None

    def test_signatures_follow_the_forms_order_and_the_last_one_signs_the_plan(
        self, django_capture_on_commit_callbacks
    ):
        plan = put_in_state(three_signatory_plan(), Status.APPROVED)
        chair, pec, ceo = (person(role, plan) for role in SIGNATORY_ROLES)

        with pytest.raises(Refused, match="signs before you"):
            take(Action.SIGN, plan, ceo)
        take(Action.SIGN, plan, chair)
        take(Action.SIGN, plan, pec)
        with django_capture_on_commit_callbacks() as callbacks:
            take(Action.SIGN, plan, ceo)

        plan.refresh_from_db()
        assert plan.status == Status.SIGNED
        signatures = list(plan.signatures.order_by("position"))
        assert [s.user for s in signatures] == [chair, pec, ceo]
        assert len({s.content_sha256 for s in signatures}) == 1
        assert len(signatures[0].content_sha256) == 64
        assert plan.documents.get().kind == "signed"
        assert len(callbacks) >= 1, "the PDF is rendered only after the commit"

    def test_a_wrong_password_is_refused_and_nothing_is_signed(self):
        plan = put_in_state(three_signatory_plan(), Status.APPROVED)
        chair = person(CHAIR, plan)

        with pytest.raises(Refused, match="not your password"):
            sign(plan, chair, password="wrong")
        assert not plan.signatures.exists()

    def test_signing_twice_or_without_confirming_or_a_name_is_refused(self):
        plan = put_in_state(three_signatory_plan(), Status.APPROVED)
        chair = person(CHAIR, plan)
        sign(plan, chair, typed_name="Dr G. B.")

        with pytest.raises(Refused, match="You signed as Consortium Executive Chair"):
            take(Action.SIGN, plan, chair)
        other_chair = person(CHAIR, plan)
        with pytest.raises(Refused, match="cannot sign"):
            take(Action.SIGN, plan, other_chair)  # holds no position yet
        # The chair's successor takes over the position: the chair's signature stands.
        chair_position = Position.objects.get(consortium=plan.consortium, name="Executive Chair")
        position_assign(position=chair_position, user=other_chair, started_on=date.today())
        # Named by the account, as every page names a signatory, not by what they typed.
        with pytest.raises(Refused, match=f"^{chair.full_name} signed as .* given once"):
            take(Action.SIGN, plan, other_chair)
        assert plan.signatures.live().get().user == chair
        pec = person(PEC, plan)
        with pytest.raises(Refused, match="Confirm"):
            services.signature_add(
                plan=plan, user=pec, password=PASSWORD, typed_name="P", confirmed=False
            )
        with pytest.raises(Refused, match="Type your full name"):
            services.signature_add(
                plan=plan, user=pec, password=PASSWORD, typed_name="  ", confirmed=True
            )
        assert plan.signatures.count() == 1

    def test_a_role_the_form_does_not_ask_to_sign_is_refused(self):
        plan = three_signatory_plan()
        plan.template.signatories = SIGNATORIES[:1]
        plan.template.save()
        put_in_state(plan, Status.APPROVED)

        with pytest.raises(Refused, match="does not ask for a signature"):
            take(Action.SIGN, plan, person(PEC, plan))

    def test_reopening_voids_every_signature_and_says_so(self):
        plan = put_in_state(three_signatory_plan(), Status.SIGNING)
        lead = person(LEAD, plan)

        services.plan_reopen(plan=plan, user=lead, reason="The savings figure is wrong.")

        plan.refresh_from_db()
        assert plan.status == Status.CHANGES_REQUESTED
        voided = Signature.objects.get(plan=plan)
        assert voided.voided_at is not None
        assert voided.voided_reason == "The savings figure is wrong."
        event = PlanEvent.objects.get(plan=plan, kind=PlanEvent.Kind.SIGNATURES_VOIDED)
        assert "Consortium Executive Chair" in event.comment
        assert not plan.signatures.live().exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_at_once_one_wins_and_the_other_is_told_what_happened():
    plan = put_in_state(three_signatory_plan(), Status.IN_REVIEW)
    approver = person(LEAD, plan, full_name="Ann Approver")
    sender = person(LEAD, plan, full_name="Sam Sender")
    start = threading.Barrier(2)
    results = {}

    def act(name, verb, **kwargs):
        start.wait()
        try:
            verb(plan=Plan.objects.get(pk=plan.pk), **kwargs)
            results[name] = "done"
        except Refused as refusal:
            results[name] = refusal.message
        finally:
            close_old_connections()

    threads = [
        threading.Thread(
            target=act, args=("approve", services.plan_approve), kwargs={"user": approver}
        ),
        threading.Thread(
            target=act,
            args=("request", services.plan_request_changes),
            kwargs={"user": sender, "summary": "More detail on 4.2"},
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results.values()).count("done") == 1
    loser = next(message for message in results.values() if message != "done")
    assert "Ann Approver approved the plan" in loser or "Sam Sender asked for changes" in loser
    assert PlanEvent.objects.filter(plan=plan, kind="transition").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_requests_by_one_signatory_give_exactly_one_signature():
    plan = put_in_state(three_signatory_plan(), Status.APPROVED)
    chair = person(CHAIR, plan)
    start = threading.Barrier(5)
    outcomes = []

    def sign_at_once():
        start.wait()
        try:
            take(Action.SIGN, Plan.objects.get(pk=plan.pk), chair)
            outcomes.append("signed")
        except Refused as refusal:
            outcomes.append(refusal.message)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=sign_at_once) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("signed") == 1
    assert Signature.objects.filter(plan=plan).count() == 1


@pytest.mark.django_db
def test_an_inactive_signatory_cannot_sign():
    plan = put_in_state(three_signatory_plan(), Status.APPROVED)
    chair = UserFactory(role=CHAIR, consortium=plan.consortium, is_active=False)

    with pytest.raises(Refused):
        take(Action.SIGN, plan, chair)


def test_answer_invalid_is_not_how_the_workflow_refuses():
    # Views catch Refused for workflow refusals; AnswerInvalid stays for answer content.
    assert not issubclass(Refused, AnswerInvalid)
