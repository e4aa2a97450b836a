"""Every read that is scoped to what a user may see starts here."""

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import (
    Appointment,
    Commissioner,
    Consortium,
    Invitation,
    PeopleEvent,
    PersonRole,
    Position,
    Practice,
    User,
)


def consortia_visible_to(user) -> QuerySet[Consortium]:
    consortia = Consortium.objects.select_related("commissioner")
    if not user.is_authenticated or not user.is_active:
        return consortia.none()
    if user.role == User.Role.SITE_ADMIN:
        return consortia
    if user.role in User.CONSORTIUM_ROLES:
        return consortia.filter(pk=user.consortium_id)
    if user.role in User.COMMISSIONER_ROLES:
        return consortia.filter(commissioner_id=user.commissioner_id)
    return consortia.none()


def commissioners_visible_to(user) -> QuerySet[Commissioner]:
    commissioners = Commissioner.objects.all()
    if not user.is_authenticated or not user.is_active:
        return commissioners.none()
    if user.role == User.Role.SITE_ADMIN:
        return commissioners
    if user.role in User.COMMISSIONER_ROLES:
        return commissioners.filter(pk=user.commissioner_id)
    return commissioners.none()


def with_totals(queryset: QuerySet[Consortium]) -> QuerySet[Consortium]:
    """Annotates each consortium with its practice count, known list sizes and their sum."""
    return queryset.annotate(
        practice_count=Count("practices", distinct=True),
        sized_practice_count=Count("practices__list_size", distinct=False),
        computed_population=Sum("practices__list_size"),
    )


def consortium_with_totals(queryset: QuerySet[Consortium], **lookup) -> Consortium:
    """One consortium of ``queryset`` with its totals; 404 when it is not there (or not yours)."""
    return get_object_or_404(with_totals(queryset), **lookup)


def consortia_of(commissioner: Commissioner, *, visible_in: QuerySet[Consortium]):
    """The commissioner's consortia that the caller's scope shows, with their totals."""
    return with_totals(visible_in.filter(commissioner=commissioner))


def commissioner_for(user, *, slug: str) -> Commissioner:
    return get_object_or_404(commissioners_visible_to(user), slug=slug)


def practices_of(consortium: Consortium) -> QuerySet[Practice]:
    return consortium.practices.all()


# People come in the order they were entered, which is the source documents' order; a role's
# position only orders one person's own roles, so it cannot order a list of people.
_REGISTRY_ORDER = ("person_id", "position")


def roles_of_consortium(consortium: Consortium) -> QuerySet[PersonRole]:
    return (
        PersonRole.objects.filter(person__consortium=consortium)
        .select_related("person")
        .order_by(*_REGISTRY_ORDER)
    )


def support_team_of(commissioner: Commissioner) -> QuerySet[PersonRole]:
    return (
        PersonRole.objects.filter(
            person__commissioner=commissioner,
            person__consortium__isnull=True,
            kind=PersonRole.Kind.PCT_SUPPORT,
        )
        .select_related("person")
        .order_by(*_REGISTRY_ORDER)
    )


# --- Positions ------------------------------------------------------------------------------------


def held_on(day: date | None = None) -> Q:
    """The appointments in force on ``day`` (today by default), as a filter on Appointment."""
    day = day or timezone.localdate()
    return Q(started_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))


def positions_here(*, commissioner_id: int, consortium_id: int | None) -> Q:
    """The positions that sign for a plan of ``consortium_id``: its own and its PCT's."""
    return Q(commissioner_id=commissioner_id) & (
        Q(consortium__isnull=True) | Q(consortium_id=consortium_id)
    )


def position_named(
    *, commissioner_id: int, consortium_id: int | None, body: str, name: str
) -> Position | None:
    """The PCT's (``consortium_id`` None) or the consortium's position of that name, if any."""
    positions = Position.objects.filter(
        commissioner_id=commissioner_id, body__iexact=body, name__iexact=name
    )
    if consortium_id is None:
        return positions.filter(consortium__isnull=True).first()
    return positions.filter(consortium_id=consortium_id).first()


def held_position_names(*, commissioner_id: int) -> set[tuple[int | None, str, str]]:
    """(consortium id or None for the PCT's own, body, name) of each position of the PCT and its
    consortia that someone holds today, body and name in lower case: the positions a form's
    signatories may name without waiting, read at once however many consortia the PCT has."""
    held = Position.objects.filter(
        commissioner_id=commissioner_id,
        appointments__in=Appointment.objects.filter(held_on(), user__is_active=True),
    ).values_list("consortium_id", "body", "name")
    return {(consortium_id, body.lower(), name.lower()) for consortium_id, body, name in held}


def holder_of(position: Position | None, *, day: date | None = None) -> User | None:
    if position is None:
        return None
    appointment = (
        position.appointments.filter(held_on(day), user__is_active=True)
        .select_related("user")
        .first()
    )
    return appointment.user if appointment else None


def positions_held_by(user) -> QuerySet[Position]:
    """The positions ``user`` holds today."""
    return Position.objects.filter(
        pk__in=Appointment.objects.filter(held_on(), user=user).values("position")
    )


def appointments_held(*, commissioner_id: int) -> QuerySet[Appointment]:
    """Who holds the PCT's and its consortia's positions today (active people only)."""
    return Appointment.objects.filter(
        held_on(), user__is_active=True, position__commissioner_id=commissioner_id
    ).select_related("position", "user")


def holds_a_position(user, *, commissioner_id: int, consortium_id: int | None) -> bool:
    """Whether ``user`` holds today a position that signs for a plan of ``consortium_id``."""
    return (
        positions_held_by(user)
        .filter(positions_here(commissioner_id=commissioner_id, consortium_id=consortium_id))
        .exists()
    )


def positions_of(organisation: Commissioner | Consortium) -> list[Position]:
    """An organisation's positions, each with ``holder`` (or None) and ``past`` appointments."""
    if isinstance(organisation, Consortium):
        positions = Position.objects.filter(consortium=organisation)
    else:
        positions = Position.objects.filter(commissioner=organisation, consortium__isnull=True)
    positions = list(
        positions.prefetch_related(
            Prefetch(
                "appointments",
                queryset=Appointment.objects.select_related("user"),
            )
        )
    )
    today = timezone.localdate()
    for position in positions:
        appointments = list(position.appointments.all())
        position.holder = next(
            (
                a
                for a in appointments
                if a.started_on <= today and (a.ended_on is None or a.ended_on > today)
            ),
            None,
        )
        position.past = [a for a in appointments if a.ended_on is not None and a.ended_on <= today]
        # handovers recorded to start on a later day, soonest first
        position.upcoming = sorted(
            (a for a in appointments if a.started_on > today), key=lambda a: (a.started_on, a.pk)
        )
    return positions


def starts_later(day: date | None = None) -> Q:
    """The appointments recorded to begin after ``day`` (today by default): handovers to come."""
    return Q(started_on__gt=day or timezone.localdate())


def appointments_to_come(user) -> QuerySet[Appointment]:
    """The positions ``user`` is to take over on a later day, soonest first."""
    return (
        Appointment.objects.filter(starts_later(), user=user)
        .select_related("position")
        .order_by("started_on", "pk")
    )


def _neighbour_of(appointment: Appointment, meets: Q, *, latest_first: bool) -> Appointment | None:
    """The other appointment of the same position whose dates meet ``appointment``'s, with its
    holder; when several do, the nearest by start date."""
    order = ("-started_on", "-pk") if latest_first else ("started_on", "pk")
    return (
        Appointment.objects.filter(meets, position_id=appointment.position_id)
        .exclude(pk=appointment.pk)
        .select_related("user")
        .order_by(*order)
        .first()
    )


def appointment_before(appointment: Appointment) -> Appointment | None:
    """The appointment of the same position that ends on the day ``appointment`` starts: the
    holder it takes over from, if any."""
    return _neighbour_of(appointment, Q(ended_on=appointment.started_on), latest_first=True)


def appointment_after(appointment: Appointment) -> Appointment | None:
    """The appointment of the same position that starts on the day ``appointment`` ends: the
    holder who takes over from it, if any."""
    if appointment.ended_on is None:
        return None
    return _neighbour_of(appointment, Q(started_on=appointment.ended_on), latest_first=False)


def people_who_may_hold(organisation: Commissioner | Consortium) -> QuerySet[User]:
    """The active people a position of ``organisation`` may be given to."""
    users = User.objects.filter(is_active=True)
    if isinstance(organisation, Consortium):
        return users.filter(consortium=organisation)
    return users.filter(commissioner=organisation, role__in=User.COMMISSIONER_ROLES)


# --- People ---------------------------------------------------------------------------------------


def _organisation_filter(organisation: Commissioner | Consortium) -> Q:
    if isinstance(organisation, Consortium):
        return Q(consortium=organisation)
    return Q(commissioner=organisation, consortium__isnull=True)


def people_who_manage(organisation: Commissioner | Consortium) -> QuerySet[User]:
    """Who runs the people of ``organisation``: its chair (for a consortium) and its PCT's leads."""
    users = User.objects.filter(is_active=True)
    if isinstance(organisation, Consortium):
        return users.filter(
            Q(role=User.Role.PCT_LEAD, commissioner_id=organisation.commissioner_id)
            | Q(role=User.Role.CONSORTIUM_EXECUTIVE_CHAIR, consortium=organisation)
        )
    return users.filter(role=User.Role.PCT_LEAD, commissioner=organisation)


def people_of(organisation: Commissioner | Consortium) -> QuerySet[User]:
    """An organisation's accounts, those who left last, each with the positions held today
    (``held_now``) and those they take over on a later day (``to_come``)."""
    return (
        User.objects.filter(_organisation_filter(organisation))
        .select_related("commissioner", "consortium")
        .prefetch_related(
            Prefetch(
                "appointments",
                queryset=Appointment.objects.filter(held_on()).select_related("position"),
                to_attr="held_now",
            ),
            Prefetch(
                "appointments",
                queryset=Appointment.objects.filter(starts_later())
                .select_related("position")
                .order_by("started_on", "pk"),
                to_attr="to_come",
            ),
        )
        .order_by("-is_active", "full_name", "pk")
    )


def invitations_of(organisation: Commissioner | Consortium) -> QuerySet[Invitation]:
    return Invitation.objects.filter(_organisation_filter(organisation)).select_related(
        "invited_by", "commissioner", "consortium"
    )


def people_events_of(organisation: Commissioner | Consortium) -> QuerySet[PeopleEvent]:
    return PeopleEvent.objects.filter(_organisation_filter(organisation)).select_related(
        "actor", "subject"
    )


def _managed_scope(user) -> Q | None:
    """The accounts and invitations whose organisation ``user`` may run people of (None: none)."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role == User.Role.SITE_ADMIN:
        return Q()
    if user.role == User.Role.PCT_LEAD:
        return Q(commissioner_id=user.commissioner_id)
    if user.role == User.Role.CONSORTIUM_EXECUTIVE_CHAIR:
        return Q(consortium_id=user.consortium_id)
    return None


def person_for(user, *, pk: int) -> User:
    """An account in the organisations ``user`` runs people of; 404 for anyone else's."""
    scope = _managed_scope(user)
    users = User.objects.select_related("commissioner", "consortium")
    return get_object_or_404(users.filter(scope) if scope is not None else users.none(), pk=pk)


def invitation_for(user, *, pk: int) -> Invitation:
    scope = _managed_scope(user)
    invitations = Invitation.objects.select_related("commissioner", "consortium")
    return get_object_or_404(
        invitations.filter(scope) if scope is not None else invitations.none(), pk=pk
    )


def people_events_of_person(person: User) -> QuerySet[PeopleEvent]:
    return PeopleEvent.objects.filter(subject=person).select_related("actor")


def organisation_of(person: User) -> Commissioner | Consortium | None:
    """The consortium someone works for, else their PCT (None for a site administrator)."""
    return person.consortium if person.consortium_id else person.commissioner
