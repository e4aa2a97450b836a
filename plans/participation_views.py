"""The participation page: the consortium's practices, where each stands in the plan and what
each is paid; a practice's lead confirms or withdraws it here, the PCT records a practice's
letter (docs/decisions/0435)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from consortia import plain_forms
from consortia.models import Practice

from . import participation, selectors
from .errors import AnswerInvalid


class WrittenForm(plain_forms.Form):
    """A PCT user recording a practice's letter: which practice, what it says, its date."""

    practice = forms.TypedChoiceField(
        label="Practice", coerce=int, error_messages={"required": "Choose the practice"}
    )
    decision = forms.ChoiceField(
        label="The letter",
        choices=[("confirm", "Confirms participation"), ("withdraw", "Withdraws")],
        widget=forms.RadioSelect,
        initial="confirm",
    )
    on = forms.DateField(
        label="Date of the letter",
        help_text="For example, 01/03/2007",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the date of the letter, such as 01/03/2007",
            "invalid": "Enter the date of the letter as a date, such as 01/03/2007",
        },
    )

    def __init__(self, *args, standings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practice"].choices = [("", "Choose a practice")] + [
            (s.practice_id, f"{s.name} ({s.code})") for s in standings
        ]


@login_required
@require_http_methods(["GET", "POST"])
def plan_participation(request, plan_id: int):
    plan = get_object_or_404(
        selectors.plans_visible_to(request.user).select_related("consortium__commissioner"),
        pk=plan_id,
    )
    des_question = participation.asking_question(plan)
    if des_question is None:
        # Reached by its address: the form asks nothing of the practices, so nothing is shown
        # or recorded here, whatever was posted (docs/decisions/0458).
        return render(request, "plans/participation_not_asked.html", {"plan": plan})
    page = participation.participation_page(plan, request.user, des_question=des_question)
    form = WrittenForm(
        request.POST if "written" in request.POST else None, standings=page.standings
    )
    if request.method == "POST":
        try:
            if "written" in request.POST:
                if not page.may_record:
                    raise PermissionDenied("Only the PCT's staff record a practice's letter.")
                if form.is_valid():
                    _record_written(request, plan, form)
                    return redirect("plan_participation", plan_id=plan.pk)
            else:
                _lead_decides(request, plan, page)
                return redirect("plan_participation", plan_id=plan.pk)
        except AnswerInvalid as refused:
            if not form.is_bound:
                # A lead's button posts no form to mark: the refusal is said above the page.
                messages.error(request, refused.message)
                return redirect("plan_participation", plan_id=plan.pk)
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
    return render(request, "plans/participation.html", {"page": page, "plan": plan, "form": form})


def _practice(plan, practice_id) -> Practice:
    if not str(practice_id).isdigit() or len(str(practice_id)) > 18:
        raise Http404("No such practice.")
    return get_object_or_404(Practice, pk=practice_id, consortium_id=plan.consortium_id)


def _record_written(request, plan, form) -> None:
    practice = _practice(plan, form.cleaned_data["practice"])
    if form.cleaned_data["decision"] == "withdraw":
        participation.participation_withdraw(
            plan=plan, practice=practice, withdrawn_on=form.cleaned_data["on"], user=request.user
        )
        messages.success(request, f"{practice.name}'s withdrawal is recorded.")
    else:
        participation.participation_record_written(
            plan=plan, practice=practice, confirmed_on=form.cleaned_data["on"], user=request.user
        )
        messages.success(request, f"{practice.name}'s written confirmation is recorded.")


def _lead_decides(request, plan, page) -> None:
    practice = _practice(plan, request.POST.get("practice", "0"))
    if request.POST.get("decision") == "withdraw":
        participation.participation_withdraw(plan=plan, practice=practice, user=request.user)
        messages.success(request, f"{practice.name} has withdrawn from the plan.")
    else:
        participation.participation_confirm(plan=plan, practice=practice, user=request.user)
        messages.success(request, f"{practice.name}'s participation is confirmed.")
