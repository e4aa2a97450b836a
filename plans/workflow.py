"""The plan lifecycle as one table, and who may change which answers in which state.

state               consortium edits  PCT lead edits
draft               consortium + both  -
submitted           -                  -
in_review           -                  pct + both
changes_requested   consortium + both  -
approved and later  -                  -  (content frozen for signatures)
"""

from dataclasses import dataclass

from consortia.permissions import Perm, allowed

from .models import CompletedBy, Plan, TemplateQuestion

Status = Plan.Status

CONSORTIUM_EDITS_IN = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED})
PCT_EDITS_IN = frozenset({Status.IN_REVIEW})
CONSORTIUM_OWNED = frozenset({CompletedBy.CONSORTIUM, CompletedBy.BOTH})
PCT_OWNED = frozenset({CompletedBy.PCT, CompletedBy.BOTH})


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self):
        return self.allowed


def may_edit_answer(user, plan: Plan, question: TemplateQuestion) -> Decision:
    if not question.answerable:
        return Decision(False, "The sign-off block is completed by signing, not by typing.")
    consortium_may = allowed(user, Perm.EDIT_CONSORTIUM_SECTIONS, plan)
    pct_may = allowed(user, Perm.EDIT_PCT_SECTIONS, plan)
    if consortium_may and question.completed_by in CONSORTIUM_OWNED:
        if plan.status in CONSORTIUM_EDITS_IN:
            return Decision(True)
        return Decision(
            False,
            f"The plan is {plan.get_status_display().lower()}: the consortium can change it "
            "again only if the PCT asks for changes.",
        )
    if pct_may and question.completed_by in PCT_OWNED:
        if plan.status in PCT_EDITS_IN:
            return Decision(True)
        return Decision(
            False, "PCT-completed questions can be changed while the plan is in review."
        )
    owner = question.get_completed_by_display()
    return Decision(False, f"This question is completed by the {owner.lower()}.")
