"""The plan lifecycle as one table: who may take each action, from which states, to which.

action             from                       to                 who       also needs
submit             draft, changes requested   submitted          SUBMIT    nothing required empty
withdraw           submitted                  draft              SUBMIT    -
start review       submitted                  in review          REVIEW    -
request changes    in review                  changes requested  REVIEW    a summary
approve            in review                  approved           APPROVE   nothing required empty
sign               approved, signing          signing / signed   SIGN      their turn, password
reopen             approved, signing, signed  changes requested  APPROVE   a reason; signatures void
record submission  signed                     submitted to PCT   EXPORT    a sealed PDF

Who may change which answers in which state:

state               consortium edits  PCT lead edits
draft               consortium + both  -
submitted           -                  -
in review           -                  pct + both
changes requested   consortium + both  -
approved and later  -                  -  (content frozen for signatures)
"""

import enum
from dataclasses import dataclass

from django.conf import settings
from django.utils.text import capfirst

from consortia.permissions import Perm, allowed

from .models import CompletedBy, Plan, TemplateQuestion

Status = Plan.Status

CONSORTIUM_EDITS_IN = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED})
PCT_EDITS_IN = frozenset({Status.IN_REVIEW})
CONSORTIUM_OWNED = frozenset({CompletedBy.CONSORTIUM, CompletedBy.BOTH})
PCT_OWNED = frozenset({CompletedBy.PCT, CompletedBy.BOTH})
FROZEN = frozenset({Status.APPROVED, Status.SIGNING, Status.SIGNED, Status.SUBMITTED_TO_PCT})


@dataclass(frozen=True)
class EditRight:
    """A row of the module's second table: whose answers a permission writes, and when."""

    perm: Perm
    #: who holds the right, as a question's completed_by names them
    holder: str
    owned: frozenset[str]
    edits_in: frozenset[str]
    #: why not, in any other state that is not frozen
    closed: str


EDIT_RIGHTS = (
    EditRight(
        Perm.EDIT_CONSORTIUM_SECTIONS,
        CompletedBy.CONSORTIUM,
        CONSORTIUM_OWNED,
        CONSORTIUM_EDITS_IN,
        "the consortium can change it again only if the PCT asks for changes.",
    ),
    EditRight(
        Perm.EDIT_PCT_SECTIONS,
        CompletedBy.PCT,
        PCT_OWNED,
        PCT_EDITS_IN,
        "PCT-completed questions can be changed only while it is in review.",
    ),
)


class Action(enum.StrEnum):
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    START_REVIEW = "start_review"
    REQUEST_CHANGES = "request_changes"
    APPROVE = "approve"
    SIGN = "sign"
    REOPEN = "reopen"
    RECORD_SUBMISSION = "record_submission"


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[str]
    target: str
    perm: Perm
    label: str
    done: str
    needs_comment: str = ""
    # Whose required questions must be answered first (by CompletedBy).
    needs_answers_from: frozenset[str] = frozenset()


TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in (
        Transition(
            Action.SUBMIT,
            frozenset({Status.DRAFT, Status.CHANGES_REQUESTED}),
            Status.SUBMITTED,
            Perm.SUBMIT,
            "Submit the plan to the PCT",
            "submitted the plan",
            needs_answers_from=CONSORTIUM_OWNED,
        ),
        Transition(
            Action.WITHDRAW,
            frozenset({Status.SUBMITTED}),
            Status.DRAFT,
            Perm.SUBMIT,
            "Withdraw the submission",
            "withdrew the submission",
        ),
        Transition(
            Action.START_REVIEW,
            frozenset({Status.SUBMITTED}),
            Status.IN_REVIEW,
            Perm.REVIEW,
            "Start the review",
            "started the review",
        ),
        Transition(
            Action.REQUEST_CHANGES,
            frozenset({Status.IN_REVIEW}),
            Status.CHANGES_REQUESTED,
            Perm.REVIEW,
            "Request changes",
            "asked for changes",
            needs_comment="Say what the consortium needs to change.",
        ),
        Transition(
            Action.APPROVE,
            frozenset({Status.IN_REVIEW}),
            Status.APPROVED,
            Perm.APPROVE,
            "Approve the plan",
            "approved the plan",
            needs_answers_from=CONSORTIUM_OWNED | PCT_OWNED,
        ),
        Transition(
            Action.SIGN,
            frozenset({Status.APPROVED, Status.SIGNING}),
            Status.SIGNING,  # Status.SIGNED once the last signatory has signed.
            Perm.SIGN,
            "Sign the plan",
            "signed the plan",
        ),
        Transition(
            Action.REOPEN,
            frozenset({Status.APPROVED, Status.SIGNING, Status.SIGNED}),
            Status.CHANGES_REQUESTED,
            Perm.APPROVE,
            "Reopen the plan for changes",
            "reopened the plan for changes",
            needs_comment="Say why the plan is reopened: every signature given will be void.",
        ),
        Transition(
            Action.RECORD_SUBMISSION,
            frozenset({Status.SIGNED}),
            Status.SUBMITTED_TO_PCT,
            Perm.EXPORT,
            "Record the submission to the PCT",
            "recorded the plan's submission to the PCT",
        ),
    )
}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self):
        return self.allowed


# Each state in words, of "{plan}": "the plan" opening a sentence, "it" after one.
STATE_IN_WORDS = {
    Status.DRAFT: "{plan} is a draft",
    Status.SUBMITTED: "{plan} has been submitted for review",
    Status.IN_REVIEW: "{plan} is in review",
    Status.CHANGES_REQUESTED: "changes have been requested on {plan}",
    Status.APPROVED: "{plan} is approved",
    Status.SIGNING: "{plan} is being signed",
    Status.SIGNED: "{plan} is signed",
    Status.SUBMITTED_TO_PCT: "{plan} has been submitted to the PCT",
}


def status_refusal(plan: Plan, why: str) -> str:
    """A refusal that starts from the plan's state: "The plan is signed: <why>"."""
    state = STATE_IN_WORDS[plan.status].format(plan="the plan")
    return f"{state[0].upper()}{state[1:]}: {why}"


def may_take(user, plan: Plan, action: Action) -> Decision:
    """Whether the role and the plan's state allow ``action``; content checks come later."""
    transition = TRANSITIONS[action]
    if not allowed(user, transition.perm, plan):
        return Decision(False, f"Your role cannot {transition.label.lower()}.")
    if plan.status not in transition.sources:
        states = " or ".join(
            STATE_IN_WORDS[state].format(plan="it")
            for state in Status
            if state in transition.sources
        )
        return Decision(
            False, status_refusal(plan, f"“{transition.label}” is possible only when {states}.")
        )
    return Decision(True)


def frozen_refusal(plan: Plan) -> str:
    """Why the plan's content cannot change, when it is frozen for signature (approved and
    later), for anyone, the site administrator included; "" while it can."""
    if plan.status not in FROZEN:
        return ""
    return status_refusal(
        plan, "its content is frozen for signature. The PCT lead can reopen it for changes."
    )


def may_edit_answer(user, plan: Plan, question: TemplateQuestion) -> Decision:
    if not question.answerable:
        return Decision(False, "The sign-off block is completed by signing, not by typing.")
    rights = [right for right in EDIT_RIGHTS if allowed(user, right.perm, plan)]
    if rights and (frozen := frozen_refusal(plan)):
        return Decision(False, frozen)
    for right in rights:
        if question.completed_by in right.owned:
            if plan.status in right.edits_in:
                return Decision(True)
            return Decision(False, status_refusal(plan, right.closed))
    return Decision(False, f"This question is completed by {owner_label(question, plan)}.")


def _party_label(completed_by: str, plan: Plan) -> str:
    pct = settings.COMMISSIONER_WORD
    consortium = plan.consortium.name
    return {
        CompletedBy.CONSORTIUM: consortium,
        CompletedBy.PCT: f"the {pct}",
        CompletedBy.BOTH: f"{consortium} and the {pct}",
    }[completed_by]


def owner_label(question: TemplateQuestion, plan: Plan) -> str:
    """Who completes a question, as the form says it: one of the template's own parties
    ("each practice", "PCT finance") or the consortium, the PCT or both, by name. The one
    source of these words, for the refusals here and the pages alike."""
    if question.party:
        for party in plan.template.parties or []:
            if party.get("key") == question.party:
                return party.get("label") or question.party
    return _party_label(question.completed_by, plan)


def who_edits_when(question: TemplateQuestion, plan: Plan, *, verb: str = "changes") -> str:
    """Who may change (or confirm) a question's answer and in which states, read from the
    same table may_edit_answer asks: "The PCT confirms this when the plan is in review."."""
    if not question.answerable:
        return "The sign-off block is completed by signing, not by typing."
    if frozen := frozen_refusal(plan):
        return frozen
    whens = []
    for right in EDIT_RIGHTS:
        if question.completed_by in right.owned:
            states = " or ".join(
                STATE_IN_WORDS[state].format(plan="the plan")
                for state in Status
                if state in right.edits_in
            )
            whens.append((right.holder, states))
    (holder, states), *others = whens
    who = _party_label(holder, plan) if others else owner_label(question, plan)
    also = "".join(f"; {_party_label(other, plan)} when {when}" for other, when in others)
    return f"{capfirst(who)} {verb} this when {states}{also}."
