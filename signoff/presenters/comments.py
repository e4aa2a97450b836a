"""What the part page shows of review comments, worked out here so templates only lay it out."""

import html
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils.timezone import localtime

from consortia.permissions import Perm, allowed
from plans.fragments import fragment_key
from plans.models import Answer, Plan, TemplatePart, TemplateQuestion

from .. import passages, selectors
from ..forms import CommentForm, ReplyForm, comment_prefix, reply_prefix
from ..models import Comment
from . import when


def _organisation(user) -> str:
    if user.consortium_id:
        return user.consortium.name
    if user.commissioner_id:
        return user.commissioner.name
    return ""


@dataclass
class CommentView:
    """One comment or reply as written: who, in what role, when, and what they said."""

    pk: int
    author: str
    role: str
    organisation: str
    when: str
    when_iso: str
    body: str

    @classmethod
    def of(cls, comment: Comment) -> "CommentView":
        return cls(
            pk=comment.pk,
            author=comment.author.full_name or comment.author.email,
            role=comment.author.get_role_display(),
            organisation=_organisation(comment.author),
            when=when(comment.created_at),
            when_iso=localtime(comment.created_at).isoformat(timespec="minutes"),
            body=comment.body,
        )


@dataclass
class ThreadView:
    comment: CommentView
    quote: str
    outdated: bool
    internal: bool
    resolved: bool
    resolved_text: str
    replies: list[CommentView]
    may_reply: bool
    may_resolve: bool
    may_reopen: bool
    reply_form: ReplyForm | None = None

    @property
    def pk(self) -> int:
        return self.comment.pk

    @property
    def anchor(self) -> str:
        return f"comment-{self.comment.pk}"


@dataclass
class CommentBlock:
    """The threads on one question (or on a part's guidance) and the form to start one."""

    anchor: str
    label: str
    target: str  # "question" or "part": the field the add form posts
    target_key: str
    threads: list[ThreadView] = field(default_factory=list)
    form: CommentForm | None = None
    #: the cache key of the form's markup (plans.fragments): the same for every reader with
    #: the same choices, with the CSRF token left out
    form_key: str = ""
    #: the cache key of the whole block: a digest of the threads as this reader sees them and
    #: of what they may do, so a reader is served only markup made of what they may see
    key: str = ""

    @property
    def open_count(self) -> int:
        return sum(1 for thread in self.threads if not thread.resolved)

    @property
    def resolved_count(self) -> int:
        return len(self.threads) - self.open_count


@dataclass
class PartComments:
    questions: dict[int, CommentBlock]
    guidance: CommentBlock | None

    def for_question(self, question_id: int) -> CommentBlock | None:
        return self.questions.get(question_id)


def thread_view(thread: Comment, *, current_text: str, may_comment: bool) -> ThreadView:
    resolved = thread.resolved_at is not None
    resolved_text = ""
    if resolved:
        who = thread.resolved_by.full_name if thread.resolved_by else "Someone"
        resolved_text = f"Resolved by {who} on {when(thread.resolved_at)}"
    return ThreadView(
        comment=CommentView.of(thread),
        quote=thread.quote,
        outdated=bool(thread.quote) and not passages.contains(current_text, thread.quote),
        internal=thread.visibility == Comment.Visibility.INTERNAL,
        resolved=resolved,
        resolved_text=resolved_text,
        replies=[CommentView.of(reply) for reply in thread.replies.all()],
        may_reply=may_comment and not resolved,
        may_resolve=may_comment and not resolved,
        may_reopen=may_comment and resolved,
        reply_form=ReplyForm(prefix=reply_prefix(thread)) if may_comment and not resolved else None,
    )


def comment_threads(
    plan: Plan, user, answers: dict[int, Answer], part: TemplatePart
) -> PartComments:
    """Every answerable question's comments on the part page, and the guidance's.

    ``answers`` are the part's answers by question id (already read for the page): a thread
    is outdated when its quote is no longer in the answer as it stands. Two queries.
    """
    may_comment = allowed(user, Perm.COMMENT, plan)
    may_keep_internal = may_comment and selectors.sees_internal_comments(user)

    def new_form(**target):
        if not may_comment:
            return None
        return CommentForm(prefix=comment_prefix(**target), may_keep_internal=may_keep_internal)

    questions = {question.pk: question for question in part.questions.all()}
    blocks = {
        question.pk: CommentBlock(
            anchor=f"comments-question-{question.key}",
            label=question.number or question.title,
            target="question",
            target_key=question.key,
            form=new_form(question=question),
        )
        for question in questions.values()
        if question.answerable
    }
    guidance = None
    if part.guidance:
        guidance = CommentBlock(
            anchor=f"comments-{part.key}",
            label="the guidance",
            target="part",
            target_key=part.key,
            form=new_form(part=part),
        )
    texts: dict[int | None, str] = {}
    threads = selectors.comment_threads(plan, user, part=part)
    for thread in threads:
        if thread.part_id is not None:
            block = guidance
            key = None
            if key not in texts:
                texts[key] = passages.visible_text(part.guidance)
        else:
            block = blocks.get(thread.question_id)
            key = thread.question_id
            if block is not None and key not in texts:
                texts[key] = passages.answer_text(questions[key], answers.get(key))
        if block is None:
            continue
        block.threads.append(thread_view(thread, current_text=texts[key], may_comment=may_comment))
    for block in [*blocks.values(), guidance]:
        if block is not None and block.form is not None:
            block.form_key = fragment_key(
                "comment-form",
                [
                    plan.pk,
                    block.target,
                    block.target_key,
                    may_keep_internal,
                    settings.COMMISSIONER_WORD,
                ],
            )
    for block in [*blocks.values(), guidance]:
        if block is not None:
            block.threads.sort(key=lambda thread: thread.resolved)
            block.key = fragment_key(
                "comments",
                [
                    plan.pk,
                    block.anchor,
                    block.label,
                    block.target,
                    block.target_key,
                    block.form_key,
                    may_comment,
                    may_keep_internal,
                    settings.COMMISSIONER_WORD,
                    [_shown(thread) for thread in block.threads],
                ],
            )
    return PartComments(questions=blocks, guidance=guidance)


def _shown(thread: ThreadView) -> list:
    """Everything of a thread its markup shows (the reply form only by whether there is one)."""
    return [
        asdict(thread.comment),
        thread.quote,
        thread.outdated,
        thread.internal,
        thread.resolved,
        thread.resolved_text,
        [asdict(reply) for reply in thread.replies],
        thread.may_reply,
        thread.may_resolve,
        thread.may_reopen,
        thread.reply_form is not None,
    ]


def part_comments_shown(plan: Plan, user, part: TemplatePart) -> list:
    """Everything of review that the part page's body shows, read without building threads:
    part of the key of the whole body's cache (pbc/part_pages.py), so it names every input of
    ``comment_threads`` and its templates.

    Every comment and reply on the part is named, PCT-only ones too whoever reads: such a
    comment only changes a consortium reader's key, never adds to their page, because which
    threads a reader sees follows from their rights, which are in the key.
    """
    may_comment = allowed(user, Perm.COMMENT, plan)
    return [
        may_comment,
        selectors.sees_internal_comments(user),
        settings.COMMISSIONER_WORD,
        selectors.part_comment_rows(plan, part),
    ]


@dataclass
class PassageSource:
    """What a comment can quote, shown again beside a refused comment so the passage can be
    selected there: the answer as it stands now (its text, then its table), or the guidance."""

    heading: str
    markup: str
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.markup or self.rows)


def quoted_text_now(thread: Comment) -> str:
    """What ``thread``'s quote is read against as the plan stands now, as its part page reads
    it: its question's answer, or its part's guidance. One query for an answer."""
    if thread.part_id is not None:
        return passages.visible_text(thread.part.guidance)
    answer = Answer.objects.filter(plan_id=thread.plan_id, question_id=thread.question_id).first()
    return passages.answer_text(thread.question, answer)


def passage_source(plan: Plan, *, question=None, part=None) -> PassageSource:
    """The text a comment on ``question`` (or on ``part``'s guidance) quotes from: one query
    for an answer, none for guidance."""
    if question is None:
        return PassageSource(heading=f"The guidance of {part}", markup=part.guidance)
    answer = Answer.objects.filter(plan=plan, question=question).first()
    name = question.number or question.title
    columns = [column.get("key") for column in question.columns or []]
    rows = [
        [html.unescape(str(row.get(key) or "")) for key in columns or list(row)]
        for row in (answer.rows if answer is not None else []) or []
    ]
    return PassageSource(
        heading=f"The answer to {name} as it stands now",
        markup=answer.text if answer is not None else "",
        columns=[column.get("label") or column.get("key") for column in question.columns or []],
        rows=rows,
    )


def comments_url(plan: Plan, *, question=None, part=None) -> str:
    """Where the threads on ``question``, or on ``part``'s guidance, are read: its part page."""
    if question is not None:
        return reverse("part_detail", args=[plan.pk, question.part.key]) + (
            f"#question-{question.key}"
        )
    return reverse("part_detail", args=[plan.pk, part.key]) + f"#comments-{part.key}"


@dataclass(frozen=True)
class OpenCommentsAt:
    """A question, or a part's guidance (``question`` None), with threads still open."""

    part: TemplatePart
    question: TemplateQuestion | None
    count: int
    href: str


@dataclass(frozen=True)
class OpenComments:
    places: list[OpenCommentsAt]

    @property
    def count(self) -> int:
        return sum(place.count for place in self.places)


def open_comments_at(plan: Plan, user) -> OpenComments:
    """Where the threads ``user`` can see on ``plan`` are still open (``open_thread_counts``),
    questions in form order, then parts' guidance: three queries however many there are."""
    counts = selectors.open_thread_counts(plan, user)
    places = []
    if counts.by_question:
        questions = TemplateQuestion.objects.filter(pk__in=counts.by_question)
        for question in questions.select_related("part").order_by("position"):
            places.append(
                OpenCommentsAt(
                    part=question.part,
                    question=question,
                    count=counts.by_question[question.pk],
                    href=comments_url(plan, question=question),
                )
            )
    if counts.by_part:
        for part in TemplatePart.objects.filter(pk__in=counts.by_part).order_by("position"):
            places.append(
                OpenCommentsAt(
                    part=part,
                    question=None,
                    count=counts.by_part[part.pk],
                    href=comments_url(plan, part=part),
                )
            )
    return OpenComments(places)
