"""What the plan page says about review and sign-off, and which buttons it offers whom."""

from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.timezone import localtime

from plans.models import Plan
from plans.workflow import TRANSITIONS, Action, may_take

from . import selectors
from .models import PlanEvent
from .services import signatories

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


def _when(moment) -> str:
    return date_format(localtime(moment), "j F Y \\a\\t H:i")


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
        return heading, body, f"{latest.actor} on {_when(latest.created_at)}"
    if plan.status == Plan.Status.APPROVED and latest is not None and latest.comment:
        return "Approved", latest.comment, f"{latest.actor} on {_when(latest.created_at)}"
    return "", "", ""


def review_panel(plan: Plan, user, *, signatures) -> ReviewPanel:
    events = selectors.latest_events(
        plan, [PlanEvent.Kind.TRANSITION, PlanEvent.Kind.SIGNATURES_VOIDED], count=2
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
    if plan.status in (
        Plan.Status.APPROVED,
        Plan.Status.SIGNING,
        Plan.Status.SIGNED,
        Plan.Status.SUBMITTED_TO_PCT,
    ):
        by_role = {s.role: s for s in signatures}
        blocks = signatories(plan)
        waiting = next((b for b in blocks if b["role"] not in by_role), None)
        for block in blocks:
            given = by_role.get(block["role"])
            if given is not None:
                text = f"Signed by {given.typed_name} on {_when(given.signed_at)}"
            elif waiting is block:
                text = "Waiting to sign"
            else:
                text = f"Signs after the {waiting['title']}" if waiting else ""
            panel.signatories.append(
                SignatoryRow(
                    title=block["title"],
                    signed=given is not None,
                    text=text,
                    your_turn=waiting is block and user.role == block["role"],
                )
            )
        panel.may_sign = any(row.your_turn for row in panel.signatories) and bool(
            may_take(user, plan, Action.SIGN)
        )
        panel.may_record_submission = bool(may_take(user, plan, Action.RECORD_SUBMISSION))
    return panel
