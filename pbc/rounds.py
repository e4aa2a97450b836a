"""The planning round pages: the PCT opens a round and follows its consortia; a consortium
starts its plan in it, empty or from last year's (docs/decisions/0430-0432)."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods, require_POST

from consortia.models import Consortium, User
from consortia.permissions import Perm, allowed
from consortia.plain_forms import reads_forms
from consortia.tables import Cell, Heading, Table
from plans import history, round_selectors, rounds
from plans.errors import AnswerInvalid
from plans.form_refusals import refusals_on
from plans.models import Plan, PlanningRound
from plans.presenters import Progress, figures_table
from plans.round_forms import RoundOpenForm
from plans.selectors import carried_to_check, plans_visible_to
from plans.workflow import may_edit_answer, who_edits_when
from signoff.presenters.dashboards import progress_of, with_progress


@dataclass
class RoundRow:
    consortium: Consortium
    plan: Plan | None
    due: round_selectors.Due
    #: the plan's progress as its own page words it; None before it is started
    progress: Progress | None = None

    @property
    def writing(self) -> bool:
        return self.plan is None or self.plan.status in round_selectors.WRITING

    @property
    def late(self) -> bool:
        return self.writing and self.due.overdue

    @property
    def percent(self) -> int:
        return self.progress.percent if self.progress is not None else 0


def round_rows(planning_round: PlanningRound) -> list[RoundRow]:
    """Every consortium of the round with its plan and progress, late plans first, then the
    least complete: three queries whatever the number of consortia."""
    due = round_selectors.due(planning_round.deadline)
    plans = with_progress(
        Plan.objects.filter(planning_round=planning_round).order_by(), open_threads=Q()
    )
    by_consortium = {plan.consortium_id: plan for plan in plans}
    rows = []
    for consortium in round_selectors.round_consortia(planning_round):
        plan = by_consortium.get(consortium.pk)
        progress = progress_of(plan) if plan is not None else None
        rows.append(RoundRow(consortium=consortium, plan=plan, due=due, progress=progress))
    rows.sort(key=lambda row: (not row.late, not row.writing, row.percent, row.consortium.name))
    return rows


def _round_cells(row: RoundRow) -> list[Cell]:
    if row.plan is None:
        plan, progress = Cell("Not started"), Cell("Nothing written yet")
    else:
        plan = Cell(row.plan.get_status_display(), href=reverse("plan_detail", args=[row.plan.pk]))
        progress = Cell(row.progress.sentence)
    return [Cell(row.consortium.name), plan, progress, _deadline(row)]


def _deadline(row: RoundRow) -> Cell:
    if not row.writing:
        return Cell("With the PCT")
    tag = row.due.tag
    return Cell("", tags=(tag,)) if tag else Cell(row.due.text)


def round_table(rows: list[RoundRow]) -> Table:
    return Table(
        caption=f"Consortia in the round ({len(rows)}), late plans first",
        headings=[
            Heading("Consortium"),
            Heading("Plan"),
            Heading("Progress"),
            Heading("Deadline"),
        ],
        rows=[_round_cells(row) for row in rows],
        empty="No consortium takes part in the round.",
        responsive=True,
    )


def _round(request, round_id: int) -> PlanningRound:
    return get_object_or_404(round_selectors.rounds_visible_to(request.user), pk=round_id)


def _may_open(user) -> bool:
    return user.commissioner_id is not None and allowed(
        user, Perm.EDIT_PCT_SECTIONS, user.commissioner
    )


@login_required
def round_list(request):
    planning_rounds = round_selectors.rounds_visible_to(request.user).order_by("-period")
    return render(
        request,
        "pbc/round_list.html",
        {"rounds": planning_rounds, "may_open": _may_open(request.user)},
    )


@reads_forms(RoundOpenForm)
@login_required
@require_http_methods(["GET", "POST"])
def round_open(request):
    if not _may_open(request.user):
        raise PermissionDenied("Only the PCT's leads can open its planning round.")
    commissioner = request.user.commissioner
    form = RoundOpenForm(
        request.POST or None,
        templates=round_selectors.templates_for_round(request.user),
        consortia=commissioner.consortia.order_by("name"),
        today=timezone.localdate(),
    )
    if request.method == "POST" and form.is_valid():
        with refusals_on(form, AnswerInvalid):
            planning_round = rounds.round_open(
                commissioner=commissioner,
                period=form.cleaned_data["period"],
                template=form.cleaned_data["template"],
                deadline=form.cleaned_data["deadline"],
                consortia=list(form.cleaned_data["consortia"]),
                interim_dates=form.cleaned_data["interim_dates"],
                user=request.user,
            )
            messages.success(request, f"The {planning_round.period} planning round is open.")
            for earlier in round_selectors.earlier_rounds_due_later(planning_round):
                messages.warning(
                    request,
                    f"The {planning_round.period} plans are due on "
                    f"{date_format(planning_round.deadline, 'DATE_FORMAT')}, before the "
                    f"{earlier.period} plans ({date_format(earlier.deadline, 'DATE_FORMAT')}).",
                )
            return redirect("round_detail", round_id=planning_round.pk)
    return render(
        request,
        "pbc/round_open.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def round_detail(request, round_id: int):
    """The PCT's view of the round: every consortium's plan, its progress and the deadline."""
    planning_round = _round(request, round_id)
    if request.user.role not in User.COMMISSIONER_ROLES:
        return redirect("round_start", round_id=planning_round.pk)
    return render(
        request,
        "pbc/round_detail.html",
        {"round": planning_round, "consortia": round_table(round_rows(planning_round))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_start(request, round_id: int):
    """A consortium starts its plan in the round, empty or from an earlier year's plan."""
    planning_round = _round(request, round_id)
    consortium = request.user.consortium
    if consortium is None:
        raise Http404("No consortium")
    existing = round_selectors.year_plan(planning_round, consortium)
    if existing is not None:
        if request.method == "POST":  # a page shown before another window started it
            _say_already_started(request, existing)
        return redirect("plan_detail", plan_id=existing.pk)
    earlier = list(
        round_selectors.earlier_plans(
            consortium, planning_round.period, family=planning_round.template.family
        )
    )
    error = ""
    if request.method == "POST":
        carry_from = None
        source = request.POST.get("source", "")
        if source:
            carry_from = next((p for p in earlier if str(p.pk) == source), None)
            if carry_from is None:
                error = "Choose one of the plans listed, or start an empty plan."
        if not error:
            try:
                plan, report = rounds.round_plan_start(
                    planning_round=planning_round,
                    consortium=consortium,
                    user=request.user,
                    carry_from=carry_from,
                )
            except AnswerInvalid as refused:
                existing = round_selectors.year_plan(planning_round, consortium)
                if existing is not None:  # the other window won by a moment
                    _say_already_started(request, existing)
                    return redirect("plan_detail", plan_id=existing.pk)
                error = refused.message
            else:
                if carry_from is None:
                    messages.success(request, "Your plan has been created.")
                    return redirect("plan_detail", plan_id=plan.pk)
                messages.success(
                    request,
                    f"{len(report.carried)} answers were carried forward from "
                    f"{carry_from.period}: check each one.",
                )
                return redirect("plan_carried", plan_id=plan.pk)
    return render(
        request,
        "pbc/round_start.html",
        {
            "round": planning_round,
            "due": round_selectors.due(planning_round.deadline),
            "earlier": earlier,
            "error": error,
        },
    )


def _say_already_started(request, plan: Plan) -> None:
    """The plan this window meant to start exists already: say so, with how it began, so that
    "An empty plan" chosen here is not silently a plan carried from last year."""
    began = f" (from {plan.carried_from.period})" if plan.carried_from_id else ""
    messages.warning(
        request, f"Your {plan.period} plan was already started{began} in another window."
    )


def _plan(request, plan_id: int) -> Plan:
    return get_object_or_404(plans_visible_to(request.user), pk=plan_id)


@login_required
def plan_carried(request, plan_id: int):
    """What was carried forward from last year, still to check, and what could not be."""
    plan = _plan(request, plan_id)
    if plan.carried_from_id is None:
        raise Http404("Not started from an earlier plan")
    source = get_object_or_404(plans_visible_to(request.user), pk=plan.carried_from_id)
    report = rounds.carry_plan(source, plan.template)
    # The button is offered on the rule the confirming verb asks (may_edit_answer), so that
    # nobody is shown one they would be refused; the others say who confirms them, and when.
    yours, others = [], []
    for answer in carried_to_check(plan):
        answer.plan = plan
        if may_edit_answer(request.user, plan, answer.question):
            yours.append(answer)
        else:
            others.append((answer, who_edits_when(answer.question, plan, verb="confirms")))
    return render(
        request,
        "pbc/plan_carried.html",
        {
            "plan": plan,
            "source": source,
            "to_check": yours,
            "others_to_check": others,
            "not_carried": report.not_carried,
            "new_questions": report.new_questions,
        },
    )


@login_required
@require_POST
def answer_confirm_carried(request, plan_id: int, question_key: str):
    plan = _plan(request, plan_id)
    answer = get_object_or_404(
        plan.answers.select_related("question", "plan"), question__key=question_key
    )
    try:
        rounds.answer_confirm_carried(answer=answer, user=request.user)
    except PermissionDenied as refusal:
        # A page shown before the plan moved on (or another's role): say why, on the page.
        number = answer.question.number or "The answer"
        messages.error(request, f"{number} is not confirmed. {refusal}")
        return redirect("plan_carried", plan_id=plan.pk)
    messages.success(request, f"{answer.question.number or 'The answer'} is confirmed.")
    return redirect("plan_carried", plan_id=plan.pk)


@login_required
def plan_compare_years(request, plan_id: int):
    """This year's plan beside the one it started from, question by question, matched by the
    question's stable key: word differences, table rows and figures."""
    plan = _plan(request, plan_id)
    if plan.carried_from_id is None:
        raise Http404("Not started from an earlier plan")
    source = get_object_or_404(plans_visible_to(request.user), pk=plan.carried_from_id)
    changes = history.compare_contents(
        plan, history.current_content(source), history.current_content(plan)
    )
    last_numbers = dict(source.template.questions.values_list("key", "number"))
    changed = {change.key for change in changes}
    unchanged = [
        question
        for question in plan.template.questions.order_by("position")
        if question.answerable and question.key not in changed
    ]
    return render(
        request,
        "pbc/plan_compare_years.html",
        {
            "plan": plan,
            "source": source,
            "changes": [(change, last_numbers.get(change.key)) for change in changes],
            "figures": figures_table(plan, source, round_selectors.figures_by_year(plan, source)),
            "unchanged": unchanged,
        },
    )
