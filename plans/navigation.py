"""The header's link to the plans (pbc.navigation puts each app's links in the menu)."""

from django.urls import reverse


def items(request) -> list[dict]:
    return [{"text": "Plans", "href": reverse("plan_list")}]
