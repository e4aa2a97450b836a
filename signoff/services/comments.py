"""Review comments. A comment is about a question (its answer) or about a part's guidance,
optionally quoting a passage of it. Replies belong to the thread and share its visibility. The
event recorded for each is linked to its comment (CommentEvent), so feeds and emails leave
PCT-only threads out for consortium people (selectors.event_is_internal).
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from consortia.dates import long_moment
from consortia.permissions import Perm, allowed
from plans.events import event_announce, event_record
from plans.models import Answer, Plan, PlanEvent, TemplatePart, TemplateQuestion

from .. import passages
from ..errors import Refused
from ..models import Comment, CommentEvent
from ..selectors import sees_internal_comments
from .review import MAX_COMMENT_CHARACTERS


class CommentRefused(Refused):
    """A refused comment."""


def _commenter(user, plan: Plan) -> None:
    if not allowed(user, Perm.COMMENT, plan):
        raise Refused(
            "Only the consortium's people and the staff of its "
            f"{settings.COMMISSIONER_WORD} can comment on this plan."
        )


def _comment_body(body: str, *, what: str = "comment") -> str:
    body = (body or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not body:
        raise CommentRefused(f"Enter your {what}", field="body")
    if len(body) > MAX_COMMENT_CHARACTERS:
        raise CommentRefused(
            f"Your {what} is {len(body):,} characters long; a comment can have at most "
            f"{MAX_COMMENT_CHARACTERS:,}. Shorten it, or say the rest in a reply.",
            field="body",
        )
    return body


def _event_about(thread: Comment) -> str:
    return Truncator(thread.body).chars(200)


def _event_record(*, comment: Comment, kind: str, user, text: str, ip_address) -> PlanEvent:
    """Records an event about ``comment`` in the plan's log, linked to the comment before
    anyone is told of it, so the notifications know its thread and visibility."""
    event = event_record(
        plan=comment.plan,
        kind=kind,
        actor=user,
        question=comment.question,
        comment=text,
        ip_address=ip_address,
        announce=False,
    )
    CommentEvent.objects.create(event=event, comment=comment)
    event_announce(event)
    return event


@transaction.atomic
def comment_add(
    *,
    plan: Plan,
    user,
    body: str,
    question: TemplateQuestion | None = None,
    part: TemplatePart | None = None,
    quote: str = "",
    visibility: str = Comment.Visibility.SHARED,
    ip_address: str | None = None,
) -> Comment:
    """Starts a thread on a question, or on a part's guidance, quoting a passage if given.

    The quote must be in the answer as it stands (or in the guidance): compared as a reader
    sees it, so tags, spacing and curly or straight quotes do not matter, and a table's cells
    read as the page prints them ("£15,000") or as stored ("15000"). The answer's version
    is kept, and the quote as written, so the comment still reads right after the passage
    changes.
    """
    _commenter(user, plan)
    if (question is None) == (part is None):
        raise Refused("Say which question, or which part's guidance, the comment is about.")
    if visibility not in Comment.Visibility.values:
        raise CommentRefused("Choose who can see the comment", field="visibility")
    pct = settings.COMMISSIONER_WORD
    if visibility == Comment.Visibility.INTERNAL and not sees_internal_comments(user):
        raise CommentRefused(
            f"Only {pct} staff can keep a comment to the {pct}.", field="visibility"
        )
    body = _comment_body(body)
    quote = " ".join((quote or "").split())
    if len(quote) > MAX_COMMENT_CHARACTERS:
        raise CommentRefused(
            f"The quoted passage can have at most {MAX_COMMENT_CHARACTERS:,} characters: "
            "quote the words that matter.",
            field="quote",
        )
    answer = None
    if question is not None:
        if question.template_id != plan.template_id:
            raise Refused("That question is not on this plan's form.")
        answer = Answer.objects.filter(plan=plan, question=question).first()
        where = f"the answer to {question.number or question.title}"
        text = passages.answer_text(question, answer)
    else:
        if part.template_id != plan.template_id:
            raise Refused("That part is not on this plan's form.")
        where = f"the guidance of {part}"
        text = passages.visible_text(part.guidance)
    if quote and not passages.contains(text, quote):
        raise CommentRefused(
            f"The words you quoted are not in {where} as it stands now. Select the passage "
            "again on the page, or press Quote a passage and delete the words your comment is "
            "not about, or leave the quote empty.",
            field="quote",
        )
    comment = Comment.objects.create(
        plan=plan,
        question=question,
        part=part,
        author=user,
        body=body,
        quote=quote,
        visibility=visibility,
        answer_version=answer.version if answer is not None else None,
    )
    _event_record(
        comment=comment, kind=PlanEvent.Kind.COMMENT, user=user, text=body, ip_address=ip_address
    )
    return comment


def _thread_for(user, thread: Comment) -> Comment:
    """The thread itself (a reply's own thread), locked, once the user may act on it."""
    locked = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("plan", "plan__consortium", "question", "part", "resolved_by")
        .get(pk=thread.parent_id or thread.pk)
    )
    if locked.visibility == Comment.Visibility.INTERNAL and not sees_internal_comments(user):
        raise Refused("That comment is not one you can see.")
    _commenter(user, locked.plan)
    return locked


@transaction.atomic
def comment_reply(*, thread: Comment, user, body: str, ip_address: str | None = None) -> Comment:
    """Adds a reply to an open thread; it has the thread's visibility."""
    thread = _thread_for(user, thread)
    body = _comment_body(body, what="reply")
    if thread.resolved_at is not None:
        raise Refused("This comment has been resolved. Reopen it to reply.")
    reply = Comment.objects.create(
        plan=thread.plan,
        question=thread.question,
        part=thread.part,
        parent=thread,
        author=user,
        body=body,
        visibility=thread.visibility,
    )
    _event_record(
        comment=reply, kind=PlanEvent.Kind.REPLY, user=user, text=body, ip_address=ip_address
    )
    return reply


def _thread_resolution_set(*, thread: Comment, user, resolved: bool, ip_address) -> Comment:
    thread = _thread_for(user, thread)
    if resolved and thread.resolved_at is not None:
        who = thread.resolved_by.full_name if thread.resolved_by else "Someone"
        when = long_moment(thread.resolved_at)
        raise Refused(f"{who} resolved this comment on {when}.")
    if not resolved and thread.resolved_at is None:
        raise Refused("This comment is open already.")
    thread.resolved_at = timezone.now() if resolved else None
    thread.resolved_by = user if resolved else None
    thread.save(update_fields=["resolved_at", "resolved_by"])
    _event_record(
        comment=thread,
        kind=PlanEvent.Kind.COMMENT_RESOLVED if resolved else PlanEvent.Kind.COMMENT_REOPENED,
        user=user,
        text=_event_about(thread),
        ip_address=ip_address,
    )
    return thread


@transaction.atomic
def comment_resolve(*, thread: Comment, user, ip_address: str | None = None) -> Comment:
    return _thread_resolution_set(thread=thread, user=user, resolved=True, ip_address=ip_address)


@transaction.atomic
def comment_reopen(*, thread: Comment, user, ip_address: str | None = None) -> Comment:
    return _thread_resolution_set(thread=thread, user=user, resolved=False, ip_address=ip_address)
