"""The assign page: the consortium's chair or an editor gives a part of the plan, or one
question, to one of its people by a date (docs/decisions/0434)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from consortia.dates import long_date
from consortia.models import User

from . import assignments, round_selectors, selectors
from .assignment_forms import AssignForm
from .errors import AnswerInvalid


@login_required
@require_http_methods(["GET", "POST"])
def plan_assign(request, plan_id: int):
    plan = get_object_or_404(selectors.plans_visible_to(request.user), pk=plan_id)
    if not assignments.may_assign(request.user, plan):
        raise PermissionDenied(
            "Only the consortium's chair or editors can assign sections, while it writes the plan."
        )
    parts = selectors.parts_with_questions(plan.template)
    form = AssignForm(
        request.POST or None,
        initial={"section": request.GET.get("section", "")},
        plan=plan,
        sections=assignments.assignable_sections(parts),
        people=assignments.assignable_people(plan),
        today=round_selectors.today(),
    )
    if request.method == "POST" and form.is_valid():
        kind, _, pk = form.cleaned_data["section"].partition("-")
        part = next((p for p in parts if kind == "part" and str(p.pk) == pk), None)
        question = next(
            (q for p in parts for q in p.questions.all() if kind == "question" and str(q.pk) == pk),
            None,
        )
        assignee = User.objects.filter(pk=form.cleaned_data["assignee"]).first()
        if part is None and question is None:
            form.add_error("section", "Choose a part or question from the list.")
        if assignee is None:
            form.add_error("assignee", "Choose a person from the list.")
        if not form.errors:
            try:
                assignment = assignments.assignment_set(
                    plan=plan,
                    part=part,
                    question=question,
                    assignee=assignee,
                    due_on=form.cleaned_data["due_on"],
                    user=request.user,
                )
            except AnswerInvalid as refused:
                form.add_error(refused.field or None, refused.message)
            else:
                messages.success(
                    request,
                    f"{assignments.section_label(assignment)} is assigned to "
                    f"{assignee.full_name or assignee.email}, due "
                    f"{long_date(assignment.due_on)}.",
                )
                return redirect("plan_detail", plan_id=plan.pk)
    return render(request, "plans/plan_assign.html", {"plan": plan, "form": form})
