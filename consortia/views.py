"""The organisation pages. Everything is read through the user's scope: outside it is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_POST

from . import presenters, selectors, services
from .forms import AssignPositionForm
from .permissions import Perm, allowed


def _positions(request, organisation, form=None):
    if form is None and allowed(request.user, Perm.ASSIGN_POSITIONS, organisation):
        form = AssignPositionForm(people=selectors.people_who_may_hold(organisation))
    return presenters.positions_section(
        organisation=organisation,
        positions=selectors.positions_of(organisation),
        user=request.user,
        form=form,
    )


def _consortium(request, slug: str):
    return selectors.consortium_with_totals(selectors.consortia_visible_to(request.user), slug=slug)


def _consortium_page(request, consortium, form=None, status=200):
    page = presenters.consortium_page(
        consortium=consortium,
        practices=selectors.practices_of(consortium),
        roles=selectors.roles_of_consortium(consortium),
        user=request.user,
    )
    return render(
        request,
        "consortia/consortium_detail.html",
        {"page": page, "positions": _positions(request, consortium, form)},
        status=status,
    )


def _commissioner_page(request, commissioner, form=None, status=200):
    page = presenters.commissioner_page(
        commissioner=commissioner,
        consortia=selectors.consortia_of(
            commissioner, visible_in=selectors.consortia_visible_to(request.user)
        ),
        support_team=selectors.support_team_of(commissioner),
    )
    return render(
        request,
        "consortia/commissioner_detail.html",
        {"page": page, "positions": _positions(request, commissioner, form)},
        status=status,
    )


@require_GET
@login_required
def consortium_detail(request, slug: str):
    return _consortium_page(request, _consortium(request, slug))


@require_GET
@login_required
def commissioner_detail(request, slug: str):
    return _commissioner_page(request, selectors.commissioner_for(request.user, slug=slug))


def _assign(request, organisation, page):
    if not allowed(request.user, Perm.ASSIGN_POSITIONS, organisation):
        raise PermissionDenied("Only the PCT's lead or the consortium's chair assigns positions.")
    form = AssignPositionForm(request.POST, people=selectors.people_who_may_hold(organisation))
    if form.is_valid():
        try:
            appointment = services.position_fill(
                organisation=organisation,
                body=form.cleaned_data["body"],
                name=form.cleaned_data["position"],
                user=form.cleaned_data["holder"],
                started_on=form.cleaned_data["started_on"],
            )
        except services.PositionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                f"{appointment.user} holds {appointment.position.label} from "
                f"{date_format(appointment.started_on, 'DATE_FORMAT')}.",
            )
            return redirect(f"{request.path.removesuffix('positions/')}#positions")
    return page(request, organisation, form, status=400)


@require_POST
@login_required
def consortium_positions(request, slug: str):
    return _assign(request, _consortium(request, slug), _consortium_page)


@require_POST
@login_required
def commissioner_positions(request, slug: str):
    return _assign(request, selectors.commissioner_for(request.user, slug=slug), _commissioner_page)
