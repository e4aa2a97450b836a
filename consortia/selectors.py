"""Every read that is scoped to what a user may see starts here."""

from django.db.models import Count, QuerySet, Sum

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


def consortium_with_totals(queryset: QuerySet[Consortium], **lookup) -> Consortium:
    """One consortium, annotated with its practice count, known list sizes and their sum."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        queryset.annotate(
            practice_count=Count("practices", distinct=True),
            sized_practice_count=Count("practices__list_size", distinct=False),
            computed_population=Sum("practices__list_size"),
        ),
        **lookup,
    )


def practices_of(consortium: Consortium) -> QuerySet[Practice]:
    return consortium.practices.all()


def roles_of_consortium(consortium: Consortium) -> QuerySet[PersonRole]:
    return PersonRole.objects.filter(person__consortium=consortium).select_related("person")


def support_team_of(commissioner: Commissioner) -> QuerySet[PersonRole]:
    return PersonRole.objects.filter(
        person__commissioner=commissioner, kind=PersonRole.Kind.PCT_SUPPORT
    ).select_related("person")
