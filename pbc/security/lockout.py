"""A locked-out user is emailed a link that unlocks their account (docs/decisions/0341).

The link is signed, expires after PBC_UNLOCK_LINK_MINUTES and names the failed attempt that
locked the account: unlocking clears the account's attempts, so the same link cannot unlock it
again. One email per lockout, however many more attempts are made during it.
"""

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from axes.utils import reset
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.dispatch import receiver
from django.urls import reverse

from consortia.models import User

from .. import tasks

SALT = "pbc.account-unlock"


def _emailed_key(user) -> str:
    return f"pbc:unlock-emailed:{user.pk}"


def unlock_token(user) -> str:
    attempt = (
        AccessAttempt.objects.filter(username=user.email.lower())
        .order_by("-attempt_time", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return signing.dumps({"user": user.pk, "attempt": attempt}, salt=SALT)


@receiver(user_locked_out)
def _email_unlock_link(sender, request=None, username=None, ip_address=None, **kwargs):
    user = User.objects.filter(email__iexact=username or "", is_active=True).first()
    if user is None:
        return
    cooloff = int(settings.AXES_COOLOFF_TIME.total_seconds())
    if not cache.add(_emailed_key(user), True, timeout=cooloff):
        return
    link = settings.SITE_URL + reverse("account_unlock", args=[unlock_token(user)])
    tasks.send_unlock_email.delay_on_commit(
        user_id=user.pk, link=link, address=ip_address or "an unknown address"
    )


def account_unlock(*, token: str) -> User | None:
    """Clears the lockout the link was sent for; None when the link is not (or no longer) good."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.PBC_UNLOCK_LINK_MINUTES * 60)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("user"), is_active=True).first()
    if (
        user is None
        or not AccessAttempt.objects.filter(
            pk=data.get("attempt"), username=user.email.lower()
        ).exists()
    ):
        return None
    reset(username=user.email.lower())
    cache.delete(_emailed_key(user))
    return user
