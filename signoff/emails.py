"""The emails that tell people of their plans: what each says, and sending them, once.

``signoff.notifications`` decides who is told of an event and why (a ``Reason``, kept on the
``Notification``); this module words it, for one email at a time or for the daily digest, and
sends it (the Celery tasks in signoff/tasks.py call the senders).
"""

import enum
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from consortia.models import User
from consortia.permissions import Perm, allowed
from consortia.presenters import site_url
from plans.models import Plan, PlanEvent

from .models import Notification
from .presenters import question_label, when
from .selectors import document_made_ready


class Reason(enum.StrEnum):
    """Why someone is told, as the email and the digest say it (kept on the notification)."""

    SUBMITTED = "The plan was submitted to your PCT for review."
    WITHDRAWN = "The plan's submission to your PCT was withdrawn."
    CHANGES_REQUESTED = "Your PCT has asked your consortium for changes."
    REOPENED = "The approved plan was reopened for changes."
    APPROVED = "Your consortium's plan was approved."
    SIGNATURE_REQUESTED = "It is your turn to sign the plan."
    SIGNED = "Every signatory has signed: the signed PDF is being prepared."
    SIGNATURES_VOIDED = "The plan was reopened and the signatures given are void."
    PDF_READY = "The signed PDF is ready for you to download and send."
    APPROVED_PDF_READY = "The PDF of the approved plan is ready for you to download and send."
    SUBMISSION_RECORDED = "The signed plan was recorded as submitted to your PCT."
    COMMENT = "Someone commented on a question you complete."
    REPLY = "Someone replied in a comment thread you wrote in."


# What happened, for subjects and digests: "{consortium} plan {period}: <headline>".
HEADLINES = {
    Reason.SUBMITTED: "submitted by {actor}",
    Reason.WITHDRAWN: "submission withdrawn by {actor}",
    Reason.CHANGES_REQUESTED: "changes requested by {actor}",
    Reason.REOPENED: "reopened for changes by {actor}",
    Reason.APPROVED: "approved by {actor}",
    Reason.SIGNATURE_REQUESTED: "your signature is requested",
    Reason.SIGNED: "signed by everyone; the signed PDF is being prepared",
    Reason.SIGNATURES_VOIDED: "reopened by {actor}; the signatures are void",
    Reason.PDF_READY: "the signed PDF is ready",
    Reason.APPROVED_PDF_READY: "the PDF of the approved plan is ready",
    Reason.SUBMISSION_RECORDED: "signed plan submitted to the PCT by {actor}",
    Reason.COMMENT: "{actor} commented on {question}",
    Reason.REPLY: "{actor} replied on {question}",
}
# What the text shown under the headline is called.
COMMENT_LABELS = {
    Reason.CHANGES_REQUESTED: "What needs to change",
    Reason.REOPENED: "Why it was reopened",
    Reason.SIGNATURES_VOIDED: "Details",
    Reason.APPROVED: "Note from the reviewer",
    Reason.COMMENT: "The comment",
    Reason.REPLY: "The reply",
}


def event_link(event: PlanEvent) -> str:
    if event.kind == PlanEvent.Kind.PDF_READY:
        document = document_made_ready(event)
        if document is not None:
            return site_url(
                reverse(
                    "document_download",
                    kwargs={"plan_id": event.plan_id, "document_id": document.pk},
                )
            )
    if event.question_id is not None:
        return site_url(
            reverse(
                "answer_edit",
                kwargs={"plan_id": event.plan_id, "question_key": event.question.key},
            )
        )
    return site_url(reverse("plan_detail", kwargs={"plan_id": event.plan_id}))


@dataclass
class Told:
    """One notification as an email or a digest shows it."""

    reason: str
    headline: str
    comment_label: str
    comment: str
    when: str
    link: str


def told(notification: Notification) -> Told:
    event = notification.event
    try:
        reason = Reason(notification.reason)
    except ValueError:
        reason = None
    actor = event.actor.full_name if event.actor else "The service"
    template = HEADLINES.get(reason, "{kind}")
    headline = template.format(
        actor=actor, question=question_label(event.question), kind=event.get_kind_display()
    ).replace("the PCT", f"the {settings.COMMISSIONER_WORD}")
    return Told(
        reason=str(notification.reason).replace("PCT", settings.COMMISSIONER_WORD),
        headline=headline,
        comment_label=COMMENT_LABELS.get(reason, "Note"),
        comment=event.comment,
        when=when(event.created_at),
        link=event_link(event),
    )


def plan_label(plan: Plan) -> str:
    return f"{plan.consortium.name} plan {plan.period}"


def _settings_link() -> str:
    return site_url(reverse("notification_settings"))


def notification_email(notification: Notification) -> tuple[str, str]:
    """The subject and plain-text body of one notification's email."""
    plan = notification.event.plan
    item = told(notification)
    context = {
        "recipient": notification.recipient,
        "plan": plan,
        "plan_label": plan_label(plan),
        "item": item,
        "settings_link": _settings_link(),
        "service_name": settings.SERVICE_NAME,
    }
    subject = f"{plan_label(plan)}: {item.headline}"
    body = render_to_string("signoff/email/notification.txt", context)
    return " ".join(subject.split()), body


@dataclass
class DigestPlan:
    label: str
    title: str
    link: str
    items: list[Told]


def digest_email(recipient: User, notifications: list[Notification]) -> tuple[str, str]:
    """One email listing every notification, grouped by plan, oldest first within a plan."""
    by_plan: dict[int, list[Notification]] = defaultdict(list)
    for notification in notifications:
        by_plan[notification.event.plan_id].append(notification)
    plans = []
    for group in by_plan.values():
        plan = group[0].event.plan
        plans.append(
            DigestPlan(
                label=plan_label(plan),
                title=plan.title,
                link=site_url(reverse("plan_detail", kwargs={"plan_id": plan.pk})),
                items=[told(n) for n in group],
            )
        )
    count, plan_count = len(notifications), len(plans)
    subject = (
        f"{settings.SERVICE_NAME}: {count} update{'s' if count != 1 else ''} on "
        f"{plan_count} plan{'s' if plan_count != 1 else ''}"
    )
    body = render_to_string(
        "signoff/email/digest.txt",
        {
            "recipient": recipient,
            "plans": plans,
            "settings_link": _settings_link(),
            "service_name": settings.SERVICE_NAME,
        },
    )
    return subject, body


# --- Sending (called by signoff.tasks) ------------------------------------------------------------

_FOR_EMAIL = ("recipient", "event__plan__consortium", "event__actor", "event__question")


def notification_email_send(*, notification_id: int) -> bool:
    """Sends one notification's email unless it has been sent; True when it sent one.

    The row stays locked while the email goes, so two workers cannot both send it. A
    notification about a plan its recipient may no longer see is dropped unsent.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related(*_FOR_EMAIL)
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.emailed_at is not None:
            return False
        recipient = notification.recipient
        if not recipient.is_active or not allowed(recipient, Perm.VIEW, notification.event.plan):
            notification.delete()
            return False
        subject, body = notification_email(notification)
        send_mail(subject, body, None, [recipient.email])
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def digest_recipients() -> list[int]:
    """People who chose the daily email and have notifications not yet sent."""
    return list(
        User.objects.filter(
            is_active=True,
            notify=User.Notify.DAILY,
            notifications__emailed_at__isnull=True,
        )
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def digest_send(*, user_id: int) -> int:
    """One email with everything the person has not been told; the number of items in it."""
    with transaction.atomic():
        recipient = User.objects.filter(pk=user_id, is_active=True).first()
        if recipient is None:
            return 0
        pending = list(
            Notification.objects.select_for_update(of=("self",))
            .select_related(*_FOR_EMAIL)
            .filter(recipient=recipient, emailed_at__isnull=True)
            .order_by("event__created_at", "pk")
        )
        visible = [n for n in pending if allowed(recipient, Perm.VIEW, n.event.plan)]
        hidden = [n.pk for n in pending if n not in visible]
        if hidden:
            Notification.objects.filter(pk__in=hidden).delete()
        if not visible:
            return 0
        subject, body = digest_email(recipient, visible)
        send_mail(subject, body, None, [recipient.email])
        Notification.objects.filter(pk__in=[n.pk for n in visible]).update(
            emailed_at=timezone.now()
        )
    return len(visible)
