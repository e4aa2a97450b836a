"""The header's links to the user's own organisation page (pbc.navigation puts each app's
links in the menu)."""

from django.conf import settings
from django.urls import reverse

from .models import User
from .permissions import Perm, allowed


def items(request) -> list[dict]:
    user = request.user
    if user.role in User.CONSORTIUM_ROLES and user.consortium_id:
        return [
            {
                "text": "Your consortium",
                "href": reverse("consortia:consortium", kwargs={"slug": user.consortium.slug}),
            }
        ]
    if user.role in User.COMMISSIONER_ROLES and user.commissioner_id:
        return [
            {
                "text": f"Your {settings.COMMISSIONER_WORD}",
                "href": reverse("consortia:commissioner", kwargs={"slug": user.commissioner.slug}),
            }
        ]
    if allowed(user, Perm.ADMINISTER):
        return [{"text": "Administration", "href": reverse("admin:index")}]
    return []
