"""The planning year: a PCT's round with its deadline, plans started within it, and next year's
plan started from this year's (docs/decisions/0430, 0431, 0432).

Services: views, the admin and the beat call these verbs.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse

from consortia.dates import long_date
from consortia.models import Commissioner, Consortium, User
from consortia.permissions import Perm, allowed
from consortia.presenters import site_url

from . import assignments, round_selectors, selectors, structured
from .errors import AnswerInvalid, AnswersInvalid
from .models import (
    Answer,
    Plan,
    PlanningRound,
    PlanTemplate,
    QuestionKind,
    RoundReminder,
    TemplateQuestion,
)
from .plan_years import plan_year_refused
from .services import plan_create
from .workflow import may_edit_answer


def deadline_refused(deadline: date, *, today: date) -> str:
    """Why a round opened ``today`` cannot have ``deadline``; "" when it can. A round opened
    already late would send no reminders and show every plan as late at once."""
    if deadline <= today:
        return f"The submission deadline must be after today ({long_date(today)})."
    return ""


def interim_date_refused(item: dict, *, deadline: date | None, today: date) -> str:
    """Why the interim date ``item`` ({date, label} and, typed on a line, its line) cannot be
    in a round with ``deadline`` opened ``today``; "" when it can. A date past or today would
    never be reminded of; one after the deadline is not interim."""
    when, label = item["date"], item["label"]
    where = f"Line {item['line']}: " if "line" in item else ""
    if when <= today:
        return (
            f"{where}“{label}” is due on {long_date(when)}: an interim date must be after today "
            f"({long_date(today)})."
        )
    if deadline is not None and when > deadline:
        return f"{where}“{label}” falls after the deadline ({long_date(deadline)})."
    return ""


def _round_refusals(
    *,
    commissioner: Commissioner,
    period: str,
    template: PlanTemplate,
    deadline: date,
    consortia: list[Consortium],
    interim_dates: list[dict],
    today: date,
) -> Iterator[AnswerInvalid]:
    """Everything wrong with the round to be opened, each by its field."""
    if problem := plan_year_refused(period):
        yield AnswerInvalid(problem, field="period")
    if template.status != PlanTemplate.Status.PUBLISHED or template.issuer_id != commissioner.pk:
        yield AnswerInvalid("Choose a published form of this PCT.", field="template")
    if not consortia:
        yield AnswerInvalid("Choose at least one consortium.", field="consortia")
    elif any(consortium.commissioner_id != commissioner.pk for consortium in consortia):
        yield AnswerInvalid("Choose consortia of this PCT only.", field="consortia")
    if problem := deadline_refused(deadline, today=today):
        yield AnswerInvalid(problem, field="deadline")
    for item in interim_dates:
        if problem := interim_date_refused(item, deadline=deadline, today=today):
            yield AnswerInvalid(problem, field="interim_dates")


@transaction.atomic
def round_open(
    *,
    commissioner: Commissioner,
    period: str,
    template: PlanTemplate,
    deadline: date,
    consortia: list[Consortium],
    user,
    interim_dates: list[dict] | None = None,
    today: date | None = None,
) -> PlanningRound:
    """Open the PCT's planning round for ``period``; its consortia then see it on their
    dashboard with the deadline and start their plan within it. The deadline and each interim
    date fall after ``today`` (the local date unless given); everything refused is named at
    once, so a second look does not find more."""
    if not allowed(user, Perm.EDIT_PCT_SECTIONS, commissioner):
        raise PermissionDenied("Only the PCT's leads can open its planning round.")
    period = (period or "").strip()
    today = today or round_selectors.today()
    interim_dates = interim_dates or []
    refusals = list(
        _round_refusals(
            commissioner=commissioner,
            period=period,
            template=template,
            deadline=deadline,
            consortia=consortia,
            interim_dates=interim_dates,
            today=today,
        )
    )
    if refusals:
        raise AnswersInvalid(refusals)
    interim = sorted(
        ({"label": item["label"], "date": item["date"].isoformat()} for item in interim_dates),
        key=lambda item: item["date"],
    )
    try:
        with transaction.atomic():
            planning_round = PlanningRound.objects.create(
                commissioner=commissioner,
                period=period,
                template=template,
                deadline=deadline,
                interim_dates=interim,
                opened_by=user,
            )
    except IntegrityError as clash:
        raise AnswerInvalid(f"The {period} round is already open.", field="period") from clash
    planning_round.consortia.set(consortia)
    _adopt_plans(planning_round, consortia, user)
    return planning_round


def _adopt_plans(planning_round: PlanningRound, consortia: list[Consortium], user) -> None:
    """A consortium that already has a plan for the round's year gets it as its plan in the
    round, rather than being asked to start a second: the likeliest one where it has several
    (as ``plans_of_the_year`` orders them), the others left outside any round."""
    plans = round_selectors.plans_of_the_year(
        [consortium.pk for consortium in consortia],
        planning_round.period,
        family=planning_round.template.family,
    ).filter(planning_round__isnull=True)
    adopted = set()
    for plan in plans:
        if plan.consortium_id in adopted:
            continue
        adopted.add(plan.consortium_id)
        plan.planning_round = planning_round
        plan._change_reason = f"taken into the {planning_round.period} planning round"
        plan._history_user = user
        plan.save(update_fields=["planning_round"])


@dataclass
class CarryReport:
    """What starting from last year's plan did, question by question."""

    carried: list[TemplateQuestion] = field(default_factory=list)
    #: last year's answers with no place in the new form (their question was dropped or
    #: changed kind), each with why
    not_carried: list[tuple[Answer, str]] = field(default_factory=list)
    new_questions: list[TemplateQuestion] = field(default_factory=list)


def _carry_reason(source: Answer, target: TemplateQuestion | None) -> str:
    if target is None:
        return "This year's form no longer asks it."
    return (
        f"This year's {target.number or 'question'} asks for "
        f"{target.get_kind_display().lower()}, last year's for "
        f"{source.question.get_kind_display().lower()}."
    )


def carry_plan(source: Plan, template: PlanTemplate) -> CarryReport:
    """Which of ``source``'s answers would carry into a plan on ``template``: matched by the
    question's stable key, whatever its number, when the question keeps its kind."""
    targets = {question.key: question for question in template.questions.all()}
    report = CarryReport()
    seen = set()
    for answer in source.answers.select_related("question").order_by("question__position"):
        seen.add(answer.question.key)
        target = targets.get(answer.question.key)
        if answer.is_empty:
            continue
        if target is not None and target.kind == answer.question.kind and target.answerable:
            report.carried.append(target)
        else:
            report.not_carried.append((answer, _carry_reason(answer, target)))
    report.new_questions = [
        question
        for key, question in sorted(targets.items(), key=lambda item: item[1].position)
        if key not in seen and question.answerable
    ]
    return report


def _carry_answers(plan: Plan, source: Plan, user) -> CarryReport:
    report = carry_plan(source, plan.template)
    sources = {answer.question.key: answer for answer in source.answers.select_related("question")}
    carried = []
    for answer in plan.answers.select_related("question").order_by("question__position"):
        if answer.question not in report.carried:
            continue
        old = sources[answer.question.key]
        # Read again for each, in form order, so a kind that checks a sibling carried before it
        # (7.3's criteria naming 6.2's milestones) finds it.
        context = selectors.kind_context(plan) if old.data or old.rows else None
        try:
            if answer.question.kind == QuestionKind.TABLE:
                answer.rows = structured.kind_for(answer.question).clean(old.rows, context=context)
            elif answer.question.kind in structured.KINDS and old.data:
                answer.data = structured.kind_for(answer.question).clean(old.data, context=context)
        except AnswerInvalid as refused:
            # This year's form checks the figures differently: listed, never stored half-way.
            report.not_carried.append((old, f"This year's form refuses them: {refused.message}"))
            continue
        if answer.question.has_text:
            answer.text = old.text
        answer.carried_forward = True
        answer.prefilled = False  # last year's rows stand in place of the records
        answer.version += 1
        answer._change_reason = f"carried forward from {source.period}"
        answer._history_user = user
        answer.save()
        carried.append(answer.question)
    report.carried = carried
    return report


def round_plan_start(
    *, planning_round: PlanningRound, consortium: Consortium, user, carry_from: Plan | None = None
) -> tuple[Plan, CarryReport]:
    """Start the consortium's plan in the round, empty or from last year's plan, whose answers
    are copied where this year's form asks the same question and marked to be checked."""
    if not allowed(user, Perm.EDIT_CONSORTIUM_SECTIONS, consortium):
        raise PermissionDenied("Only the consortium's own editors can start its plan.")
    if not planning_round.consortia.filter(pk=consortium.pk).exists():
        raise PermissionDenied("This consortium does not take part in the round.")
    if carry_from is not None and (
        carry_from.consortium_id != consortium.pk or carry_from.period >= planning_round.period
    ):
        raise AnswerInvalid("Start only from one of the consortium's earlier plans.")
    with transaction.atomic():
        # One start at a time per consortium, so two clicks make one plan.
        Consortium.objects.select_for_update().only("pk").get(pk=consortium.pk)
        # A plan of the year made before the round opened counts as started: one plan a year.
        if Plan.objects.filter(consortium=consortium, period=planning_round.period).exists():
            raise AnswerInvalid(
                f"{consortium.name} has already started its {planning_round.period} plan."
            )
        plan = plan_create(
            consortium=consortium,
            template=planning_round.template,
            period=planning_round.period,
            title=f"{consortium.name} Practice Based Commissioning Plan {planning_round.period}",
            user=user,
            planning_round=planning_round,
        )
        if carry_from is not None:
            plan.carried_from = carry_from
            plan._change_reason = f"started from the {carry_from.period} plan"
            plan.save(update_fields=["carried_from"])
        report = _carry_answers(plan, carry_from, user) if carry_from else CarryReport()
    return plan, report


def answer_confirm_carried(*, answer: Answer, user) -> Answer:
    """Say last year's answer still holds: it stops counting as carried forward."""
    decision = may_edit_answer(user, answer.plan, answer.question)
    if not decision:
        raise PermissionDenied(decision.reason)
    Answer.objects.filter(pk=answer.pk).update(carried_forward=False)
    answer.carried_forward = False
    return answer


# --- Deadline reminders ---------------------------------------------------------------------

#: days before the deadline a reminder goes out: two weeks, one week, two days and on the day
REMINDER_DAYS = (14, 7, 2, 0)


def reminder_recipients(planning_round: PlanningRound) -> QuerySet[User]:
    """The consortium people whose plan in the round is still being written (or not started):
    the people with unfinished work. Where the plan has sections assigned, only the people
    holding a section not yet answered (docs/decisions/0434). Nobody else hears."""
    finished = planning_round.plans.exclude(status__in=round_selectors.WRITING).values("consortium")
    assigned = planning_round.plans.filter(
        status__in=round_selectors.WRITING, assignments__isnull=False
    )
    writers = User.objects.filter(
        is_active=True,
        role__in=User.CONSORTIUM_ROLES,
        consortium__in=planning_round.consortia.exclude(pk__in=finished).exclude(
            pk__in=assigned.values("consortium")
        ),
    )
    holders = assignments.unfinished_assignees(assigned.values("pk"))
    return (writers | holders).select_related("consortium").order_by("pk")


def round_reminders_send(*, on: date) -> int:
    """Send the reminders due ``on`` (14, 7, 2 and 0 days before each deadline), each person
    once whatever the number of runs: the row is recorded first, its unique key refusing a
    second. Returns how many went out."""
    deadlines = [on + timedelta(days=days) for days in REMINDER_DAYS]
    sent = 0
    for planning_round in PlanningRound.objects.filter(deadline__in=deadlines).select_related(
        "commissioner", "template"
    ):
        days = (planning_round.deadline - on).days
        plans = dict(planning_round.plans.values_list("consortium_id", "pk"))
        for user in reminder_recipients(planning_round):
            with transaction.atomic():
                _, created = RoundReminder.objects.get_or_create(
                    planning_round=planning_round, user=user, days_before=days
                )
                if not created:
                    continue
                due = round_selectors.due(planning_round.deadline, on=on)
                plan = plans.get(user.consortium_id)
                context = {
                    "round": planning_round,
                    "user": user,
                    "due": due,
                    "started": plan is not None,
                    "link": site_url(
                        reverse("plan_detail", args=[plan])
                        if plan
                        else reverse("round_start", args=[planning_round.pk])
                    ),
                }
                send_mail(
                    f"{planning_round.period} plan: {due.text.lower()}",
                    render_to_string("plans/email/round_reminder.txt", context),
                    None,
                    [user.email],
                )
            sent += 1
    return sent
