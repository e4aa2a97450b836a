"""The header's links to the plans, and to the PCT's plan forms for the one who loads them
(pbc.navigation puts each app's links in the menu)."""

from django.urls import reverse

from consortia.models import User

from . import selectors


def items(request) -> list[dict]:
    links = [{"text": "Plans", "href": reverse("plan_list")}]
    if getattr(request.user, "role", "") in User.COMMISSIONER_ROLES:
        links.append({"text": "Planning rounds", "href": reverse("round_list")})
    commissioner = selectors.pct_whose_forms_are_loaded_by(request.user)
    if commissioner is not None:
        links.append(
            {"text": "Plan forms", "href": reverse("pct_forms", kwargs={"slug": commissioner.slug})}
        )
    return links
