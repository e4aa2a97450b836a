"""Review: every change of a plan's state, with its checks and its record.

Each verb locks the plan's row, checks the workflow table (plans/workflow.py) against the
state it finds, changes it and appends to the plan's event log in one transaction, so two
people acting at once cannot both win; the loser is told what happened. Signing takes its
transition here too (services/signatures.py).
"""

from django.db import transaction
from django.utils import timezone

from consortia.dates import long_moment
from plans.events import event_record, last_transition
from plans.models import Plan, PlanEvent
from plans.selectors import missing_before, unchecked_before, unresolved_before
from plans.workflow import TRANSITIONS, Action, may_take

from ..errors import Refused
from ..models import Signature
from ..selectors import signed_document
from ..signing import approval_of
from .documents import approved_pdf_request

MAX_COMMENT_CHARACTERS = 10_000


def what_happened(plan: Plan) -> str:
    """Who last changed the plan's state and when, to follow a refusal."""
    last = last_transition(plan)
    if last is None or last.actor is None:
        return ""
    done = TRANSITIONS[Action(last.action)].done if last.action in Action else "changed it"
    when = long_moment(last.created_at)
    return f" {last.actor.full_name} {done} on {when}."


def plan_locked(plan: Plan) -> Plan:
    return (
        Plan.objects.select_for_update(of=("self",))
        .select_related("consortium", "template")
        .get(pk=plan.pk)
    )


def _clean_comment(text: str, *, required_message: str) -> str:
    text = (text or "").strip()
    if required_message and not text:
        raise Refused(required_message)
    if len(text) > MAX_COMMENT_CHARACTERS:
        raise Refused(
            f"This is {len(text):,} characters long; the most it can hold is "
            f"{MAX_COMMENT_CHARACTERS:,}."
        )
    return text


def take_transition(
    *,
    plan: Plan,
    user,
    action: Action,
    comment: str = "",
    ip_address: str | None = None,
    target: str | None = None,
    event_kind: str = PlanEvent.Kind.TRANSITION,
) -> Plan:
    """Takes ``action`` on the locked plan; the caller holds the transaction."""
    transition = TRANSITIONS[action]
    comment = _clean_comment(comment, required_message=transition.needs_comment)
    locked = plan_locked(plan)
    decision = may_take(user, locked, action)
    if not decision:
        raise Refused(decision.reason + what_happened(locked))
    missing = missing_before(locked, action)
    if missing:
        raise Refused(
            f"{len(missing)} required question{'s are' if len(missing) != 1 else ' is'} "
            "still empty: "
            + "; ".join(f"{q.number or q.title} ({who})" for q, who in missing)
            + "."
        )
    unresolved = unresolved_before(locked, action)
    if unresolved:
        raise Refused(
            f"{len(unresolved)} answer{'s do' if len(unresolved) != 1 else ' does'} not add up "
            "and must be fixed first: "
            + "; ".join(f"{q.number} {q.title}: {warning}".strip() for q, warning, _ in unresolved)
        )
    unchecked = unchecked_before(locked, action)
    if unchecked:
        carried = "answer carried forward from last year is"
        if len(unchecked) != 1:
            carried = "answers carried forward from last year are"
        raise Refused(
            f"{len(unchecked)} {carried} not yet checked. Change or confirm each on the "
            "“Carried forward” page first: "
            + "; ".join(f"{q.number or q.title} ({who})" for q, who in unchecked)
            + "."
        )
    from_status = locked.status
    locked.status = target or transition.target
    locked._change_reason = action.value
    locked._history_user = user
    locked.save(update_fields=["status"])
    event_record(
        plan=locked,
        kind=event_kind,
        actor=user,
        action=action,
        from_status=from_status,
        to_status=locked.status,
        comment=comment,
        ip_address=ip_address,
    )
    return locked


@transaction.atomic
def plan_submit(*, plan: Plan, user, ip_address: str | None = None) -> Plan:
    """Sends the plan to the PCT; refused with the list of what is missing."""
    return take_transition(plan=plan, user=user, action=Action.SUBMIT, ip_address=ip_address)


@transaction.atomic
def plan_withdraw(*, plan: Plan, user, ip_address: str | None = None) -> Plan:
    return take_transition(plan=plan, user=user, action=Action.WITHDRAW, ip_address=ip_address)


@transaction.atomic
def plan_start_review(*, plan: Plan, user, ip_address: str | None = None) -> Plan:
    return take_transition(plan=plan, user=user, action=Action.START_REVIEW, ip_address=ip_address)


@transaction.atomic
def plan_request_changes(*, plan: Plan, user, summary: str, ip_address: str | None = None) -> Plan:
    return take_transition(
        plan=plan,
        user=user,
        action=Action.REQUEST_CHANGES,
        comment=summary,
        ip_address=ip_address,
    )


@transaction.atomic
def plan_approve(*, plan: Plan, user, comment: str = "", ip_address: str | None = None) -> Plan:
    """Approves the plan and freezes its content for the signatories; a plan whose form asks
    for no signatures is then complete, and its sealed PDF is asked for (decision 0457)."""
    approved = take_transition(
        plan=plan, user=user, action=Action.APPROVE, comment=comment, ip_address=ip_address
    )
    if approval_of(approved) is not None:
        approved_pdf_request(plan=approved)
    return approved


@transaction.atomic
def plan_reopen(*, plan: Plan, user, reason: str, ip_address: str | None = None) -> Plan:
    """Sends an approved plan back for changes; every signature given so far becomes void."""
    reopened = take_transition(
        plan=plan, user=user, action=Action.REOPEN, comment=reason, ip_address=ip_address
    )
    voided = list(reopened.signatures.live())
    if voided:
        now = timezone.now()
        Signature.objects.filter(pk__in=[s.pk for s in voided]).update(
            voided_at=now, voided_reason=reason.strip()
        )
        names = ", ".join(f"{s.typed_name} ({s.title})" for s in voided)
        event_record(
            plan=reopened,
            kind=PlanEvent.Kind.SIGNATURES_VOIDED,
            actor=user,
            action=Action.REOPEN,
            comment=f"Void: {names}. Reason: {reason.strip()}",
            ip_address=ip_address,
        )
    return reopened


@transaction.atomic
def plan_record_submission(*, plan: Plan, user, ip_address: str | None = None) -> Plan:
    """The executive chair has the sealed PDF and sends it: the plan is submitted to the PCT."""
    if signed_document(plan) is None:
        raise Refused("The signed PDF is not ready yet: wait for it, then record the submission.")
    return take_transition(
        plan=plan, user=user, action=Action.RECORD_SUBMISSION, ip_address=ip_address
    )


# The verb for each transition a person takes with the plan's action form (signing has its own).
VERBS = {
    Action.SUBMIT: plan_submit,
    Action.WITHDRAW: plan_withdraw,
    Action.START_REVIEW: plan_start_review,
    Action.REQUEST_CHANGES: plan_request_changes,
    Action.APPROVE: plan_approve,
    Action.REOPEN: plan_reopen,
    Action.RECORD_SUBMISSION: plan_record_submission,
}
