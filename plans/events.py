"""The plan's audit trail: everything that happened to it, appended in order, and its reads.

Every app that acts on a plan records here (plans its restores and named drafts; review and
sign-off its transitions, comments, signatures and PDFs). Apps that build on plans hear of each
new event through ``event_recorded``, sent inside the transaction that records it, so whatever
they do with it (the notifications owed) commits or rolls back with the event. plans does not
know who listens (docs/decisions/0310).
"""

from datetime import datetime

from django.dispatch import Signal

from .models import Plan, PlanEvent
from .workflow import Action

# Sent with ``event`` once it is recorded (and linked, for a caller that links it first).
event_recorded = Signal()

REVIEW_ACTIONS = (Action.REQUEST_CHANGES, Action.APPROVE)


def event_record(
    *,
    plan: Plan,
    kind: str,
    actor=None,
    action: str = "",
    from_status: str = "",
    to_status: str = "",
    question=None,
    comment: str = "",
    ip_address: str | None = None,
    announce: bool = True,
) -> PlanEvent:
    """Appends to the plan's log and tells the subscribers.

    A caller that links the event to something of its own first (review links a comment's
    events to the comment) passes ``announce=False`` and calls ``event_announce`` once the link
    is made, so the subscribers see the event whole.
    """
    event = PlanEvent.objects.create(
        plan=plan,
        kind=kind,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        question=question,
        comment=comment,
        ip_address=ip_address,
    )
    if announce:
        event_announce(event)
    return event


def event_announce(event: PlanEvent) -> None:
    event_recorded.send(sender=PlanEvent, event=event)


# --- Reads -----------------------------------------------------------------------------------


def latest_events(plan: Plan, kinds, *, count: int) -> list[PlanEvent]:
    """The plan's ``count`` newest events of ``kinds``, with their actors."""
    return list(PlanEvent.objects.filter(plan=plan, kind__in=kinds).select_related("actor")[:count])


def last_transition(plan: Plan) -> PlanEvent | None:
    events = latest_events(plan, [PlanEvent.Kind.TRANSITION], count=1)
    return events[0] if events else None


def last_reviewed_at(plan: Plan, user) -> datetime | None:
    """When ``user`` last sent the plan back or approved it."""
    return (
        PlanEvent.objects.filter(
            plan=plan, actor=user, kind=PlanEvent.Kind.TRANSITION, action__in=REVIEW_ACTIONS
        )
        .values_list("created_at", flat=True)
        .first()
    )
