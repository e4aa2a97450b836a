"""Who is told about each event of the plan's log, and why.

signoff subscribes to the log (``plans.events.event_recorded``, connected in its AppConfig):
``notify(event)`` runs inside the transaction that records the event, decides who should hear
of it, keeps one ``Notification`` per person and event, and queues the email, after the
commit, for those who asked to hear at once. Those who chose a daily digest get it with the
others the next morning (``signoff.tasks.send_daily_digests``). What the emails say is
signoff/emails.py.

For a comment or reply, who is told depends on its thread and its visibility, which live on
the ``Comment`` the event is about (``CommentEvent``). A PCT-only comment is told to PCT
people only.

Nobody is told of their own action; only active people who may see the plan are told.
"""

from django.db.models import Q, QuerySet

from consortia.models import User
from consortia.permissions import Perm, allowed
from plans.models import Answer, Plan, PlanEvent
from plans.workflow import CONSORTIUM_OWNED, PCT_OWNED, Action

from .emails import Reason
from .models import Comment, Notification, Signature
from .selectors import comment_of
from .signing import SigningState, holder_of
from .tasks import send_notification_email

Role = User.Role
Kind = PlanEvent.Kind


# --- Recipients ------------------------------------------------------------------------------


def _active() -> QuerySet[User]:
    return User.objects.filter(is_active=True)


def pct_leads(plan: Plan) -> QuerySet[User]:
    return _active().filter(role=Role.PCT_LEAD, commissioner_id=plan.consortium.commissioner_id)


def consortium_people(plan: Plan, *, roles=User.CONSORTIUM_ROLES) -> QuerySet[User]:
    return _active().filter(role__in=roles, consortium_id=plan.consortium_id)


def signature_requests(plan: Plan) -> dict[User, Reason]:
    """The holders of the positions whose turn it is to sign, in the form's order."""
    told: dict[User, Reason] = {}
    for block in SigningState.of(plan).waiting_for:
        holder = holder_of(plan, block)
        if holder is not None:
            told[holder] = Reason.SIGNATURE_REQUESTED
    return told


def _voided_signatories(plan: Plan) -> QuerySet[User]:
    """Those whose signatures the last reopening voided (all voided in one update)."""
    latest = (
        Signature.objects.voided()
        .filter(plan=plan)
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
        if not plan.signatures.live().exists():
            told.update(dict.fromkeys(consortium_people(plan), Reason.REOPENED))
    elif action == Action.APPROVE:
        told.update(dict.fromkeys(consortium_people(plan), Reason.APPROVED))
        told.update(signature_requests(plan))
    elif action == Action.RECORD_SUBMISSION:
        told.update(dict.fromkeys(pct_leads(plan), Reason.SUBMISSION_RECORDED))
    return told


def _signature_recipients(event: PlanEvent) -> dict[User, Reason]:
    plan = event.plan
    if event.to_status == Plan.Status.SIGNED:
        return dict.fromkeys(
            consortium_people(plan, roles=[Role.CONSORTIUM_EXECUTIVE_CHAIR]), Reason.SIGNED
        )
    return signature_requests(plan)


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
        # A form that ends at approval has no signed PDF: its sealed PDF is the approved one.
        ready = Reason.PDF_READY if event.plan.template.signatories else Reason.APPROVED_PDF_READY
        return dict.fromkeys(
            consortium_people(event.plan, roles=[Role.CONSORTIUM_EXECUTIVE_CHAIR]), ready
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
    immediate = {user.pk for user in kept if user.notify == User.Notify.IMMEDIATELY}
    for notification in notifications:
        if notification.recipient_id in immediate:
            send_notification_email.delay_on_commit(notification_id=notification.pk)
    return notifications


def notify(event: PlanEvent) -> list[Notification]:
    """Records the notifications an event owes and queues the immediate emails."""
    if event.kind in (Kind.COMMENT, Kind.REPLY):
        return notify_comment(event, comment_of(event))
    return _record(event, recipients(event))


def notify_comment(event: PlanEvent, comment: Comment) -> list[Notification]:
    """Tells people of a new comment or reply (``event`` records it); a comment for the PCT
    only is told to PCT people only. Safe to call again for the same event."""
    return _record(event, comment_recipients(event, comment))


def on_event_recorded(sender, *, event: PlanEvent, **kwargs) -> None:
    """The subscriber to the plan's log (connected in signoff's AppConfig)."""
    notify(event)
