"""The header's links to the user's own organisation page (pbc.navigation puts each app's
links in the menu)."""

from django.conf import settings
from django.urls import reverse

from .models import User
from .permissions import Perm, allowed
from .presenters import organisation_url, people_url


def _people(user, organisation) -> list[dict]:
    if not allowed(user, Perm.MANAGE_PEOPLE, organisation):
        return []
    return [{"text": "People", "href": people_url(organisation)}]


def items(request) -> list[dict]:
    user = request.user
    if user.role in User.CONSORTIUM_ROLES and user.consortium_id:
        return [
            {
                "text": "Your consortium",
                "href": organisation_url(user.consortium),
            },
            *_people(user, user.consortium),
        ]
    if user.role in User.COMMISSIONER_ROLES and user.commissioner_id:
        return [
            {
                "text": f"Your {settings.COMMISSIONER_WORD}",
                "href": organisation_url(user.commissioner),
            },
            *_people(user, user.commissioner),
        ]
    if allowed(user, Perm.ADMINISTER):
        return [{"text": "Administration", "href": reverse("admin:index")}]
    return []
