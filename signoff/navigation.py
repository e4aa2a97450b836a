"""The header's link to the signed-in person's email settings."""

from django.urls import reverse

from pbc import navigation


@navigation.register
def email_settings_link(request) -> list[navigation.NavigationItem]:
    return [{"text": "Email settings", "href": reverse("notification_settings")}]
