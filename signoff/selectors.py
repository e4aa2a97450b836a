"""Reads of review records, scoped through the plans the user may see."""

from datetime import datetime
from typing import NamedTuple

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Length

from consortia.models import User
from plans.fragments import CompiledQuery
from plans.models import Plan, PlanEvent, TemplatePart
from plans.selectors import plans_visible_to

from .models import Comment, PlanDocument

# --- Review comments ------------------------------------------------------------------------
# A thread is a top-level Comment; its replies share its visibility. PCT-only threads, and the
# events about them (CommentEvent), are never shown to consortium people.

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


_PART_COMMENTS = CompiledQuery(
    lambda plan, part: (
        Comment.objects.filter(plan_id=plan)
        .filter(Q(question__part_id=part) | Q(part_id=part))
        .order_by("pk")
        .values_list(
            "pk",
            "parent_id",
            "question_id",
            "part_id",
            "body",
            "quote",
            "visibility",
            "created_at",
            "resolved_at",
            "resolved_by_id",
            "resolved_by__full_name",
            "author_id",
            "author__full_name",
            "author__email",
            "author__role",
            "author__consortium__name",
            "author__commissioner__name",
        )
    )
)


def part_comment_rows(plan: Plan, part: TemplatePart) -> list[tuple]:
    """Every comment and reply on a part's questions and guidance, PCT-only ones included, as
    the fields its thread shows (with its author's and resolver's): one query, no objects,
    compiled once per process (it is read for every part page's key)."""
    return _PART_COMMENTS.rows(plan=plan.pk, part=part.pk)


class OpenThreads(NamedTuple):
    by_question: dict[int, int]
    by_part: dict[int, int]

    @property
    def total(self) -> int:
        """Every open thread counted, on questions and on guidance: the PCT's home's figure."""
        return sum(self.by_question.values()) + sum(self.by_part.values())


_OPEN_THREADS = CompiledQuery(
    lambda plan: (
        Comment.objects.filter(plan_id=plan, parent__isnull=True, resolved_at__isnull=True)
        .values_list("question_id", "part_id", "visibility")
        .annotate(open=Count("pk"))
        .order_by()
    )
)


def open_thread_counts(plan: Plan, user) -> OpenThreads:
    """How many open threads the user can see on each question and each part's guidance of
    ``plan``, a plan the user may see (read through ``plans_visible_to``). One query, compiled
    once per process: the task list reads it for every request's key."""
    internal = sees_internal_comments(user)
    counts = OpenThreads({}, {})
    for question_id, part_id, visibility, open_count in _OPEN_THREADS.rows(plan=plan.pk):
        if visibility == Comment.Visibility.INTERNAL and not internal:
            continue
        if question_id is not None:
            by, key = counts.by_question, question_id
        elif part_id is not None:
            by, key = counts.by_part, part_id
        else:
            continue
        by[key] = by.get(key, 0) + open_count
    return counts


def comment_of(event: PlanEvent) -> Comment | None:
    """The comment or reply an event is about, if it is about one."""
    try:
        return event.comment_link.comment
    except ObjectDoesNotExist:
        return None


def event_is_internal(event: PlanEvent) -> bool:
    """Whether the event is about a PCT-only comment thread."""
    comment = comment_of(event)
    return comment is not None and comment.visibility == Comment.Visibility.INTERNAL


def events_visible_to(user, events: QuerySet[PlanEvent]) -> QuerySet[PlanEvent]:
    """``events`` without those about PCT-only comments, unless the user is PCT."""
    if sees_internal_comments(user):
        return events
    return events.exclude(comment_link__comment__visibility=Comment.Visibility.INTERNAL)


# --- PDFs ----------------------------------------------------------------------------------------


def plan_revision(plan: Plan) -> int:
    """The plan's revision number, printed on drafts: how many saves its answers have had.

    Every accepted save (autosaves and restores included) adds one to one answer's version, so
    the sum rises with every change and two prints share it only if nothing was saved between.
    """
    return plan.answers.aggregate(total=Sum("version"))["total"] or 0


def without_bytes(documents: QuerySet[PlanDocument]) -> QuerySet[PlanDocument]:
    """Documents with their file's size, never the file itself."""
    return documents.defer("pdf").annotate(pdf_size=Length("pdf"))


def _of_live_signatures(plan: Plan) -> QuerySet[PlanDocument]:
    live_hashes = plan.signatures.live().values("content_sha256")
    return plan.documents.filter(kind=PlanDocument.Kind.SIGNED, content_sha256__in=live_hashes)


def current_signed(plan: Plan) -> PlanDocument | None:
    """The signed document of the plan's live signatures, whatever its state (one query)."""
    return without_bytes(_of_live_signatures(plan)).order_by("-requested_at", "-pk").first()


def approved_documents(plan: Plan, *, since: datetime | None) -> QuerySet[PlanDocument]:
    """The approved documents asked for since the plan's last approval (``since``; all of
    them when its history does not say when), newest first, without their files."""
    documents = plan.documents.filter(kind=PlanDocument.Kind.APPROVED)
    if since is not None:
        documents = documents.filter(requested_at__gte=since)
    return without_bytes(documents).order_by("-requested_at", "-pk")


def document_made_ready(event: PlanEvent) -> PlanDocument | None:
    """The sealed PDF whose readiness ``event`` (a PDF_READY) records: the last of the plan's
    to be ready when it was recorded, in the same transaction (rendering.store)."""
    return (
        PlanDocument.objects.filter(
            plan_id=event.plan_id,
            state=PlanDocument.State.READY,
            finished_at__lte=event.created_at,
        )
        .exclude(kind=PlanDocument.Kind.DRAFT)
        .defer("pdf")
        .order_by("-finished_at", "-pk")
        .first()
    )


def signed_document(plan: Plan) -> PlanDocument | None:
    """The sealed PDF of the plan's current signatures, once it is ready."""
    return _of_live_signatures(plan).filter(state=PlanDocument.State.READY).defer("pdf").first()
