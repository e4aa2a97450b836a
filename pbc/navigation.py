"""The header's menu: each app's own entries, in a fixed order; the current one is marked."""

from django.http import HttpRequest
from django.urls import reverse

from consortia import navigation as consortia_navigation
from monitoring import navigation as monitoring_navigation
from plans import navigation as plans_navigation
from signoff import navigation as signoff_navigation

from .security import second_factor

NavigationItem = dict[str, str | bool]


def items_for(request: HttpRequest) -> list[NavigationItem]:
    # Half signed in, every page but the second step leads back to it: the header's own
    # "Sign out" is all there is to offer.
    if second_factor.waiting_for_second_step(request):
        return []
    items: list[NavigationItem] = [
        {"text": "Home", "href": "/"},
        *consortia_navigation.items(request),
        *plans_navigation.items(request),
        *signoff_navigation.items(request),
        *monitoring_navigation.items(request),
        {"text": "Sign-in security", "href": reverse("account_security")},
    ]
    for item in items:
        href = str(item["href"])
        item["current"] = request.path == href or (href != "/" and request.path.startswith(href))
    return items
