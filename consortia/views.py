"""The organisation pages. Everything is read through the user's scope: outside it is a 404."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import presenters, selectors


@require_GET
@login_required
def consortium_detail(request, slug: str):
    consortium = selectors.consortium_with_totals(
        selectors.consortia_visible_to(request.user), slug=slug
    )
    page = presenters.consortium_page(
        consortium=consortium,
        practices=selectors.practices_of(consortium),
        roles=selectors.roles_of_consortium(consortium),
        user=request.user,
    )
    return render(request, "consortia/consortium_detail.html", {"page": page})


@require_GET
@login_required
def commissioner_detail(request, slug: str):
    commissioner = selectors.commissioner_for(request.user, slug=slug)
    page = presenters.commissioner_page(
        commissioner=commissioner,
        consortia=selectors.consortia_of(
            commissioner, visible_in=selectors.consortia_visible_to(request.user)
        ),
        support_team=selectors.support_team_of(commissioner),
    )
    return render(request, "consortia/commissioner_detail.html", {"page": page})
