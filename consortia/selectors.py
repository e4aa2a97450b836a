"""Every read that is scoped to what a user may see starts here."""

from django.db.models import Count, QuerySet, Sum
from django.shortcuts import get_object_or_404

from .models import Commissioner, Consortium, PersonRole, Practice, User


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
