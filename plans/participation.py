"""Practices confirming participation in a plan: by the practice's lead signing in, or by a PCT
user recording the practice's letter with its date. Records are only added: a withdrawal is a
record too, and the newest record of a practice is where it stands (docs/decisions/0435).

Services and the participation page's read; the DES funding kind pays the confirmed practices
(plans/kinds/des_funding.py, docs/decisions/0436).
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction

from consortia.dates import long_date
from consortia.models import Practice
from consortia.permissions import Perm, allowed

from . import round_selectors, selectors
from .errors import AnswerInvalid
from .events import event_record
from .finance import ZERO
from .kinds.base import PracticeStanding
from .kinds.des_funding import participation_rows
from .models import Participation, Plan, PlanEvent, QuestionKind, TemplateQuestion
from .plan_years import plan_period
from .structured import kind_for
from .workflow import FROZEN, status_refusal

State, Means = Participation.State, Participation.Means


def participation_confirm(*, plan: Plan, practice: Practice, user) -> Participation:
    """The practice's lead, signed in, confirms the practice takes part in the plan today."""
    if not allowed(user, Perm.CONFIRM_PARTICIPATION, practice):
        raise PermissionDenied("Only the practice's own lead can confirm its participation.")
    _refuse_if_confirmed(plan, practice)
    return _record(
        plan=plan, practice=practice, state=State.CONFIRMED, means=Means.SIGNED_IN,
        on=round_selectors.today(), user=user,
    )  # fmt: skip


def participation_record_written(
    *, plan: Plan, practice: Practice, confirmed_on: date, user
) -> Participation:
    """A PCT user records the practice's written confirmation, dated ``confirmed_on``."""
    if not allowed(user, Perm.RECORD_PARTICIPATION, plan):
        raise PermissionDenied("Only the PCT's staff can record a practice's written confirmation.")
    _refuse_if_confirmed(plan, practice)
    return _record(
        plan=plan, practice=practice, state=State.CONFIRMED, means=Means.WRITTEN,
        on=confirmed_on, user=user,
    )  # fmt: skip


def participation_withdraw(
    *, plan: Plan, practice: Practice, withdrawn_on: date | None = None, user
) -> Participation:
    """The practice withdraws: its lead, signed in, today; or the PCT, recording its letter
    dated ``withdrawn_on``. Its earlier confirmation stays in the history."""
    if allowed(user, Perm.CONFIRM_PARTICIPATION, practice):
        means, on = Means.SIGNED_IN, round_selectors.today()
    elif allowed(user, Perm.RECORD_PARTICIPATION, plan):
        if withdrawn_on is None:
            raise AnswerInvalid("Enter the date of the practice's letter.", field="on")
        means, on = Means.WRITTEN, withdrawn_on
    else:
        raise PermissionDenied(
            "Only the practice's own lead, or the PCT's staff, can record its withdrawal."
        )
    current = _standing(plan, practice)
    if current is None or current.state != State.CONFIRMED:
        raise AnswerInvalid(f"{practice.name} has not confirmed: there is nothing to withdraw.")
    if on < current.on:
        raise AnswerInvalid(
            f"The withdrawal cannot be dated before {practice.name}'s confirmation on "
            f"{long_date(current.on)}: enter the date on the practice's letter.",
            field="on",
        )
    return _record(
        plan=plan, practice=practice, state=State.WITHDRAWN, means=means, on=on, user=user
    )


def _frozen(plan: Plan) -> str:
    """Why participation cannot change now: the confirmations are in the figures that are
    signed, so they freeze with the plan's content (docs/decisions/0437)."""
    if plan.status not in FROZEN:
        return ""
    return status_refusal(
        plan,
        "the practices taking part are frozen with its figures. "
        "The PCT lead can reopen it for changes.",
    )


def _refuse_if_confirmed(plan: Plan, practice: Practice) -> None:
    """A second confirmation would silently replace the date the practice stands confirmed
    from, which the payment and the history rest on: it is refused, naming that date."""
    current = _standing(plan, practice)
    if current is not None and current.state == State.CONFIRMED:
        raise AnswerInvalid(
            f"{practice.name} is confirmed already, on {long_date(current.on)}: "
            "a second confirmation is not recorded."
        )


def _standing(plan: Plan, practice: Practice) -> Participation | None:
    return Participation.objects.filter(plan=plan, practice=practice).first()


def _record(
    *, plan: Plan, practice: Practice, state: str, means: str, on: date, user
) -> Participation:
    if practice.consortium_id != plan.consortium_id:
        raise AnswerInvalid(
            f"{practice.name} is not one of {plan.consortium.name}'s practices.", field="practice"
        )
    if on > round_selectors.today():
        raise AnswerInvalid(
            f"The date {long_date(on)} is in the future: enter the date on the practice's letter.",
            field="on",
        )
    year = plan_period(plan.period)
    # A practice answers for the year ahead during the year before it, never earlier.
    if year is not None and on < year[0].replace(year=year[0].year - 1):
        raise AnswerInvalid(
            f"The date {long_date(on)} is more than a year before the {plan.period} plan year: "
            "enter the date on the practice's letter.",
            field="on",
        )
    with transaction.atomic():
        # One record at a time per plan, so the newest record is the latest decision; the
        # state is read under the lock, so a plan frozen meanwhile refuses the record.
        locked = Plan.objects.select_for_update(of=("self",)).only("pk", "status").get(pk=plan.pk)
        if frozen := _frozen(locked):
            raise AnswerInvalid(frozen)
        record = Participation.objects.create(
            plan=plan, practice=practice, state=state, means=means, on=on, recorded_by=user
        )
        event_record(
            plan=plan,
            kind=PlanEvent.Kind.PARTICIPATION,
            actor=user,
            action=state,
            comment=f"{practice.name} ({practice.code}) {record.get_state_display().lower()} "
            f"on {long_date(on)}, {record.get_means_display()}.",
        )
    return record


# --- Reads -----------------------------------------------------------------------------------


def asking_question(plan: Plan) -> TemplateQuestion | None:
    """The question of the plan's form that pays the practices who confirm their participation,
    or None: a form that does not ask its practices to confirm has no participation page
    (docs/decisions/0329, 0458)."""
    question = TemplateQuestion.objects.filter(
        part__template_id=plan.template_id, kind=QuestionKind.DES_FUNDING
    ).first()
    return question if question is not None and kind_for(question).asks_participation else None


@dataclass(frozen=True)
class ParticipationPage:
    plan: Plan
    #: des_funding.participation_rows: the practices, their standing and payment, the totals
    table: dict
    standings: tuple[PracticeStanding, ...]
    des_question: TemplateQuestion
    #: the practices this user leads, which they may confirm or withdraw
    led: tuple[PracticeStanding, ...]
    may_record: bool
    #: why nobody may change participation now, or ""
    frozen: str


def participation_page(plan: Plan, user, *, des_question: TemplateQuestion) -> ParticipationPage:
    """The practices of the plan, where each stands and what each is paid by ``des_question``
    (``asking_question``): the same number of queries for 3 practices or 19."""
    context = selectors.kind_context(plan)
    standings = context.participation
    kind = kind_for(des_question)
    value, _invalid = kind.checked(context.sibling(QuestionKind.DES_FUNDING), context=context)
    if value:
        table = participation_rows(
            kind.payments(value, context=context), paid=kind.label("to_practices")
        )
    else:
        # Nothing worked out yet to pay: the practices and where they stand.
        table = participation_rows([(standing, ZERO) for standing in standings], paid="") | {
            "total": ""
        }
    frozen = _frozen(plan)
    return ParticipationPage(
        plan=plan,
        table=table,
        standings=standings,
        des_question=des_question,
        led=()
        if frozen
        else tuple(s for s in standings if allowed(user, Perm.CONFIRM_PARTICIPATION, s)),
        may_record=not frozen and allowed(user, Perm.RECORD_PARTICIPATION, plan),
        frozen=frozen,
    )
