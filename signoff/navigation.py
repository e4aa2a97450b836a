"""The header's link to the signed-in person's email settings (pbc.navigation puts each app's
links in the menu)."""

from django.urls import reverse


def items(request) -> list[dict]:
    return [{"text": "Email settings", "href": reverse("notification_settings")}]
