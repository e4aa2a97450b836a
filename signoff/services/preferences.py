"""How each person hears of their plans."""

from django.db import transaction

from consortia.models import User

from ..errors import Refused
from ..tasks import send_digest


@transaction.atomic
def notification_preference_set(*, user, notify: str):
    """Sets how the user hears of their plans: an email as each thing happens, or one a day.

    Moving to emails as things happen sends, after the commit, the digest of what they have
    not been told yet, so nothing waits for a morning email that will no longer come.
    """
    if notify not in User.Notify.values:
        raise Refused("Choose how often we email you")
    User.objects.filter(pk=user.pk).update(notify=notify)
    was, user.notify = user.notify, notify
    if was == User.Notify.DAILY and notify == User.Notify.IMMEDIATELY:
        send_digest.delay_on_commit(user_id=user.pk)
    return user
