"""The organisation pages. Everything is read through the user's scope: outside it is a 404."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import credentials, presenters, selectors, services
from .dates import long_date
from .forms import AcceptInvitationForm, AssignPositionForm, InviteForm, RoleForm
from .permissions import Perm, allowed
from .plain_forms import reads_forms


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
        {
            "page": page,
            "positions": _positions(request, commissioner, form),
            "may_load_forms": allowed(request.user, Perm.LOAD_FORMS, commissioner),
        },
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
    if request.method == "GET":
        # Reloading the address a refused form was posted to shows the page it came from.
        return redirect(f"{request.path.removesuffix('positions/')}#positions")
    if not allowed(request.user, Perm.ASSIGN_POSITIONS, organisation):
        raise PermissionDenied("Only the PCT's lead or the consortium's chair assigns positions.")
    form = AssignPositionForm(request.POST, people=selectors.people_who_may_hold(organisation))
    if form.is_valid():
        try:
            appointment = services.position_hand_over(
                actor=request.user,
                client_address=request.META.get("REMOTE_ADDR"),
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
                f"{long_date(appointment.started_on)}.",
            )
            return redirect(f"{request.path.removesuffix('positions/')}#positions")
    return page(request, organisation, form, status=400)


@reads_forms(AssignPositionForm)
@require_http_methods(["GET", "POST"])
@login_required
def consortium_positions(request, slug: str):
    return _assign(request, _consortium(request, slug), _consortium_page)


@reads_forms(AssignPositionForm)
@require_http_methods(["GET", "POST"])
@login_required
def commissioner_positions(request, slug: str):
    return _assign(request, selectors.commissioner_for(request.user, slug=slug), _commissioner_page)


# --- People ---------------------------------------------------------------------------------------


def _client(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _link_for(request):
    return lambda token: request.build_absolute_uri(
        reverse("consortia:invitation_accept", kwargs={"token": token})
    )


def _people(request, organisation):
    if not allowed(request.user, Perm.MANAGE_PEOPLE, organisation):
        raise PermissionDenied("Only those who run this organisation's people may see them.")
    roles = services.roles_grantable(actor=request.user, organisation=organisation)
    form = InviteForm(request.POST or None, roles=roles)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                invitation = services.invitation_send(
                    actor=request.user,
                    organisation=organisation,
                    email=form.cleaned_data["email"],
                    full_name=form.cleaned_data["full_name"],
                    role=form.cleaned_data["role"],
                    client_address=_client(request),
                    link_for=_link_for(request),
                )
            except services.PeopleRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, f"We have emailed an invitation to {invitation.email}.")
                return redirect(f"{presenters.people_url(organisation)}#invitations")
        status = 400
    page = presenters.people_page(
        organisation=organisation,
        people=selectors.people_of(organisation),
        invitations=selectors.invitations_of(organisation),
        events=selectors.people_events_of(organisation)[:20],
        now=timezone.now(),
        may_manage=lambda person: not services.why_not_manage(actor=request.user, person=person),
    )
    return render(request, "consortia/people.html", {"page": page, "form": form}, status=status)


@reads_forms(InviteForm)
@require_http_methods(["GET", "POST"])
@login_required
def consortium_people(request, slug: str):
    return _people(request, _consortium(request, slug))


@reads_forms(InviteForm)
@require_http_methods(["GET", "POST"])
@login_required
def commissioner_people(request, slug: str):
    return _people(request, selectors.commissioner_for(request.user, slug=slug))


def _person_page(request, person, form, status=200):
    refusal = services.why_not_manage(actor=request.user, person=person)
    page = presenters.person_page(
        person=person,
        positions=selectors.positions_held_by(person),
        to_come=selectors.appointments_to_come(person),
        events=selectors.people_events_of_person(person)[:20],
        refusal=refusal,
    )
    return render(request, "consortia/person.html", {"page": page, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def person_detail(request, pk: int):
    person = selectors.person_for(request.user, pk=pk)
    organisation = selectors.organisation_of(person)
    roles = (
        services.roles_grantable(actor=request.user, organisation=organisation)
        if organisation is not None
        else frozenset()
    )
    form = RoleForm(request.POST or None, roles=roles, initial={"role": person.role})
    if request.method == "POST":
        if problem := services.why_not_manage(actor=request.user, person=person):
            raise PermissionDenied(problem)
        if form.is_valid():
            try:
                services.user_change_role(
                    actor=request.user,
                    person=person,
                    role=form.cleaned_data["role"],
                    client_address=_client(request),
                )
            except services.PeopleRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, f"{person} is now {person.get_role_display()}.")
                return redirect("consortia:person", pk=person.pk)
        return _person_page(request, person, form, status=400)
    return _person_page(request, person, form)


def _person_to_manage(request, pk: int):
    person = selectors.person_for(request.user, pk=pk)
    if problem := services.why_not_manage(actor=request.user, person=person):
        raise PermissionDenied(problem)
    return person


def _confirm_page(request, person, template: str):
    page = presenters.person_page(
        person=person,
        positions=selectors.positions_held_by(person),
        to_come=selectors.appointments_to_come(person),
        events=(),
        refusal="",
    )
    return render(request, template, {"page": page})


@require_http_methods(["GET", "POST"])
@login_required
def person_deactivate(request, pk: int):
    """Asks first, saying what deactivating does; the post does it."""
    person = _person_to_manage(request, pk)
    if request.method == "GET":
        if not person.is_active:
            return redirect("consortia:person", pk=person.pk)
        return _confirm_page(request, person, "consortia/person_deactivate.html")
    try:
        outcomes = services.user_deactivate(
            actor=request.user, person=person, client_address=_client(request)
        )
    except services.PeopleRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("consortia:person", pk=person.pk)
    messages.success(request, presenters.deactivated_text(person, outcomes))
    return redirect(presenters.people_url(selectors.organisation_of(person)))


@require_http_methods(["GET", "POST"])
@login_required
def person_reactivate(request, pk: int):
    """Asks first, saying what reactivating does; the post does it."""
    person = _person_to_manage(request, pk)
    if request.method == "GET":
        if person.is_active:
            return redirect("consortia:person", pk=person.pk)
        return _confirm_page(request, person, "consortia/person_reactivate.html")
    try:
        services.user_reactivate(
            actor=request.user,
            person=person,
            client_address=_client(request),
            link_for=presenters.password_link_for(request),
        )
    except services.PeopleRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("consortia:person", pk=person.pk)
    messages.success(request, presenters.reactivated_text(person))
    return redirect(presenters.people_url(selectors.organisation_of(person)))


def _invitation_action(request, pk: int, act) -> object:
    invitation = selectors.invitation_for(request.user, pk=pk)
    if invitation.role not in services.roles_grantable(
        actor=request.user, organisation=invitation.organisation
    ):
        raise PermissionDenied("You may not manage this invitation.")
    try:
        text = act(invitation)
    except services.PeopleRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, text)
    return redirect(f"{presenters.people_url(invitation.organisation)}#invitations")


@require_POST
@login_required
def invitation_resend(request, pk: int):
    def act(invitation):
        services.invitation_resend(
            actor=request.user,
            invitation=invitation,
            client_address=_client(request),
            link_for=_link_for(request),
        )
        return f"We have emailed a new link to {invitation.email}; the earlier one stops working."

    return _invitation_action(request, pk, act)


@require_POST
@login_required
def invitation_revoke(request, pk: int):
    def act(invitation):
        services.invitation_revoke(
            actor=request.user, invitation=invitation, client_address=_client(request)
        )
        return f"The invitation to {invitation.email} is revoked: its link no longer works."

    return _invitation_action(request, pk, act)


@reads_forms(AcceptInvitationForm)
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    try:
        invitation = services.invitation_from_token(token)
    except services.InvitationRefused as refusal:
        return render(
            request, "consortia/invitation_refused.html", {"refusal": refusal}, status=410
        )
    form = AcceptInvitationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                user = services.invitation_accept(
                    token=token,
                    password=form.cleaned_data["password1"],
                    client_address=_client(request),
                )
            except services.InvitationRefused as refusal:
                return render(
                    request, "consortia/invitation_refused.html", {"refusal": refusal}, status=410
                )
            except ValidationError as error:
                form.add_error("password1", error)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, f"Welcome, {user}. Your account is ready.")
                return redirect("home")
        status = 400
    return render(
        request,
        "consortia/invitation_accept.html",
        {
            "invitation": invitation,
            "form": form,
            "second_factor": invitation.role in credentials.SECOND_FACTOR_ROLES,
        },
        status=status,
    )
