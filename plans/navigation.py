"""The header's link to the plans (pbc.navigation puts each app's links in the menu)."""

from django.urls import reverse

from consortia.models import User


def items(request) -> list[dict]:
    links = [{"text": "Plans", "href": reverse("plan_list")}]
    if getattr(request.user, "role", "") in User.COMMISSIONER_ROLES:
        links.append({"text": "Planning rounds", "href": reverse("round_list")})
    return links
