"""Who is told about each event, and the emails that tell them.

``notify(event)`` runs inside the transaction that records the event (``event_record``): it
decides who should hear of it, keeps one ``Notification`` per person and event, and queues the
email, after the commit, for those who asked to hear at once. Those who chose a daily digest
get it with the others the next morning (``signoff.tasks.send_daily_digests``).

For a comment or reply, who is told depends on its thread and its visibility, which live on
the ``Comment`` the event points at (``PlanEvent.about_comment``). A PCT-only comment is told
to PCT people only.

Nobody is told of their own action; only active people who may see the plan are told.
"""

import enum
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime

from consortia.models import User
from consortia.permissions import Perm, allowed
from plans.models import Answer, Plan
from plans.sanitise import html_to_text
from plans.workflow import CONSORTIUM_OWNED, PCT_OWNED, Action

from .models import Comment, Notification, PlanEvent, Signature

Role = User.Role
Kind = PlanEvent.Kind


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


# --- Recipients ------------------------------------------------------------------------------


def _active() -> QuerySet[User]:
    return User.objects.filter(is_active=True)


def pct_leads(plan: Plan) -> QuerySet[User]:
    return _active().filter(role=Role.PCT_LEAD, commissioner_id=plan.consortium.commissioner_id)


def consortium_people(plan: Plan, *, roles=User.CONSORTIUM_ROLES) -> QuerySet[User]:
    return _active().filter(role__in=roles, consortium_id=plan.consortium_id)


def holders_of(plan: Plan, role: str) -> QuerySet[User]:
    """The people who hold a signatory role for this plan: in its consortium or its PCT."""
    if role in User.CONSORTIUM_ROLES:
        return consortium_people(plan, roles=[role])
    if role in User.COMMISSIONER_ROLES:
        return _active().filter(role=role, commissioner_id=plan.consortium.commissioner_id)
    return _active().none()


def next_signatory_role(plan: Plan) -> str | None:
    """The first role in the form's sign-off order without a live signature."""
    signed = set(
        Signature.objects.filter(plan=plan, voided_at__isnull=True).values_list("role", flat=True)
    )
    return next(
        (block["role"] for block in plan.template.signatories if block["role"] not in signed),
        None,
    )


def _voided_signatories(plan: Plan) -> QuerySet[User]:
    """Those whose signatures the last reopening voided (all voided in one update)."""
    latest = (
        Signature.objects.filter(plan=plan, voided_at__isnull=False)
        .order_by("-voided_at")
        .values_list("voided_at", flat=True)
        .first()
    )
    if latest is None:
        return _active().none()
    return _active().filter(
        pk__in=Signature.objects.filter(plan=plan, voided_at=latest).values("user_id")
    )


def _transition_recipients(event: PlanEvent) -> dict[User, Reason]:
    plan = event.plan
    told: dict[User, Reason] = {}
    action = event.action
    if action == Action.SUBMIT:
        told.update(dict.fromkeys(pct_leads(plan), Reason.SUBMITTED))
    elif action == Action.WITHDRAW:
        told.update(dict.fromkeys(pct_leads(plan), Reason.WITHDRAWN))
    elif action == Action.REQUEST_CHANGES:
        told.update(dict.fromkeys(consortium_people(plan), Reason.CHANGES_REQUESTED))
    elif action == Action.REOPEN:
        # With live signatures, the signatures-voided event that follows tells everyone.
        if not Signature.objects.filter(plan=plan, voided_at__isnull=True).exists():
            told.update(dict.fromkeys(consortium_people(plan), Reason.REOPENED))
    elif action == Action.APPROVE:
        told.update(dict.fromkeys(consortium_people(plan), Reason.APPROVED))
        first = next_signatory_role(plan)
        if first:
            told.update(dict.fromkeys(holders_of(plan, first), Reason.SIGNATURE_REQUESTED))
    elif action == Action.RECORD_SUBMISSION:
        told.update(dict.fromkeys(pct_leads(plan), Reason.SUBMISSION_RECORDED))
    return told


def _signature_recipients(event: PlanEvent) -> dict[User, Reason]:
    plan = event.plan
    if event.to_status == Plan.Status.SIGNED:
        return dict.fromkeys(
            consortium_people(plan, roles=[Role.CONSORTIUM_EXECUTIVE_CHAIR]), Reason.SIGNED
        )
    role = next_signatory_role(plan)
    return dict.fromkeys(holders_of(plan, role), Reason.SIGNATURE_REQUESTED) if role else {}


def recipients(event: PlanEvent) -> dict[User, Reason]:
    """Whom an event (other than a comment) should be told to, and why; before the filters."""
    if event.kind == Kind.TRANSITION:
        return _transition_recipients(event)
    if event.kind == Kind.SIGNATURE:
        return _signature_recipients(event)
    if event.kind == Kind.SIGNATURES_VOIDED:
        told = dict.fromkeys(consortium_people(event.plan), Reason.SIGNATURES_VOIDED)
        told.update(dict.fromkeys(_voided_signatories(event.plan), Reason.SIGNATURES_VOIDED))
        return told
    if event.kind == Kind.PDF_READY:
        return dict.fromkeys(
            consortium_people(event.plan, roles=[Role.CONSORTIUM_EXECUTIVE_CHAIR]),
            Reason.PDF_READY,
        )
    return {}


def _answer_editors(plan: Plan, question) -> QuerySet[User]:
    """Consortium people who have saved this answer at some point."""
    edited_by = Answer.history.filter(plan_id=plan.pk, question_id=question.pk).values(
        "history_user_id"
    )
    return consortium_people(plan).filter(pk__in=edited_by)


def comment_recipients(event: PlanEvent, comment: Comment) -> dict[User, Reason]:
    """Whom a new comment or reply is told to, and why; before the filters."""
    plan = event.plan
    internal = comment.visibility == Comment.Visibility.INTERNAL
    told: dict[User, Reason] = {}
    if comment.parent_id is not None:
        thread = Comment.objects.filter(Q(pk=comment.parent_id) | Q(parent_id=comment.parent_id))
        writers = _active().filter(pk__in=thread.values("author_id"))
        told.update(dict.fromkeys(writers, Reason.REPLY))
    elif internal:
        told.update(dict.fromkeys(pct_leads(plan), Reason.COMMENT))
    elif comment.question_id is not None:
        question = comment.question
        if question.completed_by in CONSORTIUM_OWNED:
            editors = list(_answer_editors(plan, question)) or list(
                consortium_people(plan, roles=[Role.CONSORTIUM_EDITOR])
            )
            told.update(dict.fromkeys(editors, Reason.COMMENT))
        if question.completed_by in PCT_OWNED:
            told.update(dict.fromkeys(pct_leads(plan), Reason.COMMENT))
    else:
        # A remark on the form's guidance: told to the other side of the review.
        author = comment.author
        other = (
            pct_leads(plan)
            if author.role in User.CONSORTIUM_ROLES
            else consortium_people(plan, roles=[Role.CONSORTIUM_EDITOR])
        )
        told.update(dict.fromkeys(other, Reason.COMMENT))
    if internal:
        told = {user: why for user, why in told.items() if user.role in User.COMMISSIONER_ROLES}
    return told


# --- Recording and queueing --------------------------------------------------------------------


def _record(event: PlanEvent, told: dict[User, Reason]) -> list[Notification]:
    plan = event.plan
    kept = {
        user: reason
        for user, reason in told.items()
        if user.pk != event.actor_id and user.is_active and allowed(user, Perm.VIEW, plan)
    }
    if not kept:
        return []
    Notification.objects.bulk_create(
        [Notification(recipient=user, event=event, reason=reason) for user, reason in kept.items()],
        ignore_conflicts=True,
    )
    notifications = list(
        Notification.objects.filter(event=event, recipient__in=list(kept), emailed_at__isnull=True)
    )
    from .tasks import send_notification_email

    immediate = {user.pk for user in kept if user.notify == User.Notify.IMMEDIATELY}
    for notification in notifications:
        if notification.recipient_id in immediate:
            send_notification_email.delay_on_commit(notification_id=notification.pk)
    return notifications


def notify(event: PlanEvent) -> list[Notification]:
    """Records the notifications an event owes and queues the immediate emails."""
    if event.kind in (Kind.COMMENT, Kind.REPLY):
        return notify_comment(event, event.about_comment)
    return _record(event, recipients(event))


def notify_comment(event: PlanEvent, comment: Comment) -> list[Notification]:
    """Tells people of a new comment or reply (``event`` records it); a comment for the PCT
    only is told to PCT people only. Safe to call again for the same event."""
    return _record(event, comment_recipients(event, comment))


# --- Emails ---------------------------------------------------------------------------------------


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def event_link(event: PlanEvent) -> str:
    if event.question_id is not None:
        return site_url(
            reverse(
                "answer_edit",
                kwargs={"plan_id": event.plan_id, "question_key": event.question.key},
            )
        )
    return site_url(reverse("plan_detail", kwargs={"plan_id": event.plan_id}))


def _question_label(question) -> str:
    if question is None:
        return "the form's guidance"
    return f"{question.number} {question.title}".strip() if question.number else question.title


def when(moment) -> str:
    return date_format(localtime(moment), "j F Y \\a\\t H:i")


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
        actor=actor, question=_question_label(event.question), kind=event.get_kind_display()
    ).replace("the PCT", f"the {settings.COMMISSIONER_WORD}")
    comment = html_to_text(event.comment)
    return Told(
        reason=str(notification.reason).replace("PCT", settings.COMMISSIONER_WORD),
        headline=headline,
        comment_label=COMMENT_LABELS.get(reason, "Note"),
        comment=comment,
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
