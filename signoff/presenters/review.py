"""What the plan page says about review and sign-off, and which buttons it offers whom."""

from dataclasses import dataclass, field

from plans.events import latest_events
from plans.models import Plan, PlanEvent
from plans.workflow import TRANSITIONS, Action, may_take

from ..signing import (
    SIGNED_STATUSES,
    SIGNING_STATUSES,
    Holders,
    SigningState,
    approval_ends,
    blocks_held_by,
)
from . import when

# Signing has its own page and record submission needs the PDF: both are offered separately.
BUTTON_ACTIONS = (
    Action.SUBMIT,
    Action.WITHDRAW,
    Action.START_REVIEW,
    Action.REQUEST_CHANGES,
    Action.APPROVE,
    Action.REOPEN,
)
SECONDARY = frozenset({Action.WITHDRAW, Action.REOPEN})


@dataclass
class ActionButton:
    action: Action
    label: str
    secondary: bool


@dataclass
class SignatoryRow:
    title: str
    signed: bool
    text: str
    your_turn: bool = False


@dataclass
class ReviewPanel:
    actions: list[ActionButton]
    notice_heading: str = ""
    notice: str = ""
    notice_by: str = ""
    signatories: list[SignatoryRow] = field(default_factory=list)
    may_sign: bool = False
    may_record_submission: bool = False
    # Waiting positions no one holds, and what approval means when the form has no signatories.
    unheld: list[str] = field(default_factory=list)
    complete: str = ""


def _notice(plan: Plan, events: list[PlanEvent]) -> tuple[str, str, str]:
    """The last thing the reviewers said, while it still matters."""
    latest = next((e for e in events if e.kind != PlanEvent.Kind.SIGNATURES_VOIDED), None)
    voided = next((e for e in events if e.kind == PlanEvent.Kind.SIGNATURES_VOIDED), None)
    if plan.status == Plan.Status.CHANGES_REQUESTED and latest is not None and latest.comment:
        heading = (
            "The plan was reopened for changes"
            if latest.action == Action.REOPEN
            else "The PCT has asked for changes"
        )
        body = latest.comment
        if voided is not None and voided.created_at >= latest.created_at:
            body = f"{body}\n\nSignatures given before are void. {voided.comment}"
        return heading, body, f"{latest.actor} on {when(latest.created_at)}"
    if plan.status == Plan.Status.APPROVED and latest is not None and latest.comment:
        return "Approved", latest.comment, f"{latest.actor} on {when(latest.created_at)}"
    return "", "", ""


#: The states in which the reviewers' last words are shown (``_notice``).
NOTICE_STATUSES = (Plan.Status.CHANGES_REQUESTED, Plan.Status.APPROVED)


def review_panel(plan: Plan, user) -> ReviewPanel:
    # Read only where they are shown: the task list is the page editors load most.
    events = (
        latest_events(plan, [PlanEvent.Kind.TRANSITION, PlanEvent.Kind.SIGNATURES_VOIDED], count=2)
        if plan.status in NOTICE_STATUSES
        else []
    )
    heading, notice, notice_by = _notice(plan, events)
    panel = ReviewPanel(
        actions=[
            ActionButton(action, TRANSITIONS[action].label, action in SECONDARY)
            for action in BUTTON_ACTIONS
            if may_take(user, plan, action)
        ],
        notice_heading=heading,
        notice=notice,
        notice_by=notice_by,
    )
    if plan.status in SIGNING_STATUSES + SIGNED_STATUSES:
        signing = SigningState.of(plan)
        waiting = signing.waiting_for
        mine = blocks_held_by(user, plan, waiting)
        holders = Holders()
        panel.unheld = holders.unheld(plan, waiting)
        if not signing.blocks:
            ends = approval_ends(plan)
            panel.complete = ends[0].upper() + ends[1:]
        for block in signing.blocks:
            given = signing.signature_for(block)
            if given is not None:
                # After the row's green "Signed" tag, which says the first word.
                text = f"by {given.signer} on {when(given.signed_at)}"
                if given.typed_otherwise:
                    text += f", typing “{given.typed_name}” as the signature"
                if given.confirmed_with:
                    text += f" (confirmed with {given.confirmed_with[0].lower()}"
                    text += f"{given.confirmed_with[1:]})"
            elif (
                block in waiting
                and block not in mine
                and (names := holders.names_holding(plan, block))
            ):
                text = f"Waiting for {names} to sign"
            elif block in waiting:
                text = "Waiting to sign"
            else:
                text = f"Signs after the {signing.order_sentence(block)}"
            panel.signatories.append(
                SignatoryRow(
                    title=block.title,
                    signed=given is not None,
                    text=text,
                    your_turn=block in mine,
                )
            )
        panel.may_sign = any(row.your_turn for row in panel.signatories) and bool(
            may_take(user, plan, Action.SIGN)
        )
        panel.may_record_submission = bool(may_take(user, plan, Action.RECORD_SUBMISSION))
    return panel
