"""Reads of review records, scoped through the plans the user may see."""

from datetime import datetime
from typing import NamedTuple

from django.db.models import Count, Prefetch, Q, QuerySet

from consortia.models import User
from plans.models import Plan, TemplatePart
from plans.selectors import plans_visible_to
from plans.workflow import Action

from .models import Comment, PlanDocument, PlanEvent, Signature

REVIEW_ACTIONS = (Action.REQUEST_CHANGES, Action.APPROVE)


def last_reviewed_at(plan: Plan, user) -> datetime | None:
    """When ``user`` last sent the plan back or approved it."""
    return (
        PlanEvent.objects.filter(
            plan=plan, actor=user, kind=PlanEvent.Kind.TRANSITION, action__in=REVIEW_ACTIONS
        )
        .values_list("created_at", flat=True)
        .first()
    )


def live_signatures(plan: Plan) -> list[Signature]:
    return list(plan.signatures.filter(voided_at__isnull=True).select_related("user"))


# --- Review comments ------------------------------------------------------------------------
# A thread is a top-level Comment; its replies share its visibility. PCT-only threads, and the
# events about them (PlanEvent.about_comment), are never shown to consortium people.

COMMENT_EVENT_KINDS = (
    PlanEvent.Kind.COMMENT,
    PlanEvent.Kind.REPLY,
    PlanEvent.Kind.COMMENT_RESOLVED,
    PlanEvent.Kind.COMMENT_REOPENED,
)
_PEOPLE = ("author", "author__consortium", "author__commissioner")


def sees_internal_comments(user) -> bool:
    """Only the PCT's own people write and read PCT-only comments."""
    return bool(getattr(user, "is_authenticated", False)) and user.role in User.COMMISSIONER_ROLES


def comments_visible_to(user) -> QuerySet[Comment]:
    """Comments on the plans the user may see, without PCT-only ones unless they are PCT."""
    comments = Comment.objects.filter(plan__in=plans_visible_to(user))
    if not sees_internal_comments(user):
        comments = comments.exclude(visibility=Comment.Visibility.INTERNAL)
    return comments


def thread_visible_to(user, thread_id: int) -> Comment | None:
    """One thread (not a reply) the user may see, with its plan, or None."""
    return (
        comments_visible_to(user)
        .filter(pk=thread_id, parent__isnull=True)
        .select_related("plan", "plan__consortium", "question", "question__part", "part")
        .first()
    )


def comment_threads(plan: Plan, user, *, part: TemplatePart) -> list[Comment]:
    """The threads on a part's questions and on its guidance, oldest first, each with its
    replies, authors and organisations: two queries however many there are."""
    replies = Comment.objects.select_related(*_PEOPLE).order_by("created_at", "pk")
    return list(
        comments_visible_to(user)
        .filter(plan=plan, parent__isnull=True)
        .filter(Q(question__part=part) | Q(part=part))
        .select_related(*_PEOPLE, "resolved_by")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("created_at", "pk")
    )


class OpenThreads(NamedTuple):
    by_question: dict[int, int]
    by_part: dict[int, int]


def open_thread_counts(plan: Plan, user) -> OpenThreads:
    """How many open threads the user can see on each question and each part's guidance."""
    rows = (
        comments_visible_to(user)
        .filter(plan=plan, parent__isnull=True, resolved_at__isnull=True)
        .values("question_id", "part_id")
        .annotate(open=Count("pk"))
        .order_by()
    )
    counts = OpenThreads({}, {})
    for row in rows:
        if row["question_id"] is not None:
            counts.by_question[row["question_id"]] = row["open"]
        elif row["part_id"] is not None:
            counts.by_part[row["part_id"]] = row["open"]
    return counts


def event_is_internal(event: PlanEvent) -> bool:
    """Whether the event is about a PCT-only comment thread."""
    return (
        event.about_comment_id is not None
        and event.about_comment.visibility == Comment.Visibility.INTERNAL
    )


def events_visible_to(user, events: QuerySet[PlanEvent]) -> QuerySet[PlanEvent]:
    """``events`` without those about PCT-only comments, unless the user is PCT."""
    if sees_internal_comments(user):
        return events
    return events.exclude(about_comment__visibility=Comment.Visibility.INTERNAL)


def latest_events(plan: Plan, kinds, *, count: int) -> list[PlanEvent]:
    """The plan's ``count`` newest events of ``kinds``, with their actors."""
    return list(PlanEvent.objects.filter(plan=plan, kind__in=kinds).select_related("actor")[:count])


def last_transition(plan: Plan) -> PlanEvent | None:
    events = latest_events(plan, [PlanEvent.Kind.TRANSITION], count=1)
    return events[0] if events else None


def signed_document(plan: Plan) -> PlanDocument | None:
    """The sealed PDF of the plan's current signatures, once it is ready."""
    hashes = {s.content_sha256 for s in plan.signatures.filter(voided_at__isnull=True)}
    return (
        plan.documents.filter(
            kind=PlanDocument.Kind.SIGNED,
            state=PlanDocument.State.READY,
            content_sha256__in=hashes,
        )
        .defer("pdf")
        .first()
    )
