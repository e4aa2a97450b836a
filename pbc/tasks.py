from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from signoff.tasks import email_task


def _still_active(user_id: int):
    """The person, or None if they have left since the email was queued: leavers get no mail."""
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


@email_task
def send_password_reset_email(*, user_id: int, domain: str, use_https: bool) -> None:
    if (user := _still_active(user_id)) is None:
        return
    context = {
        "user": user,
        "domain": domain,
        "protocol": "https" if use_https else "http",
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    subject = render_to_string("registration/password_reset_subject.txt", context).strip()
    body = render_to_string("registration/password_reset_email.txt", context)
    send_mail(subject, body, None, [user.email])


@email_task
def send_unlock_email(*, user_id: int, link: str, address: str) -> None:
    if (user := _still_active(user_id)) is None:
        return
    context = {
        "user": user,
        "link": link,
        "address": address,
        "minutes": settings.PBC_UNLOCK_LINK_MINUTES,
    }
    body = render_to_string("registration/unlock_email.txt", context)
    send_mail("Signing in to your PBC Plans account is locked", body, None, [user.email])
