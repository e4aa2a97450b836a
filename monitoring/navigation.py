"""The header's link to monitoring (pbc.navigation puts each app's links in the menu)."""

from django.urls import reverse


def items(request) -> list[dict]:
    if not request.user.is_authenticated or not (
        request.user.consortium_id or request.user.commissioner_id
    ):
        return []
    return [{"text": "Monitoring", "href": reverse("monitoring:to_do")}]
