"""Review and sign-off: every change of a plan's state, with its checks and its record.

Each verb locks the plan's row, checks the workflow table (plans/workflow.py) against the
state it finds, changes it and appends to the plan's event log in one transaction, so two
people acting at once cannot both win; the loser is told what happened.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.timezone import localtime

from consortia import credentials
from consortia.permissions import Perm, allowed
from plans import exports
from plans.models import Answer, Plan, TemplatePart, TemplateQuestion
from plans.workflow import TRANSITIONS, Action, may_take, missing_before

from . import notifications, passages
from . import selectors as review_selectors
from .errors import Refused
from .models import Comment, PlanDocument, PlanEvent, Signature

MAX_COMMENT_CHARACTERS = 10_000
MAX_TYPED_NAME_CHARACTERS = 200


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
    about_comment: Comment | None = None,
    ip_address: str | None = None,
) -> PlanEvent:
    """Appends to the plan's log and records whom it should be told to."""
    event = PlanEvent.objects.create(
        plan=plan,
        kind=kind,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        question=question,
        comment=comment,
        about_comment=about_comment,
        ip_address=ip_address,
    )
    notifications.notify(event)
    return event


def _what_happened(plan: Plan) -> str:
    last = review_selectors.last_transition(plan)
    if last is None or last.actor is None:
        return ""
    done = TRANSITIONS[Action(last.action)].done if last.action in Action else "changed it"
    when = date_format(localtime(last.created_at), "j F Y \\a\\t H:i")
    return f" {last.actor.full_name} {done} on {when}."


def _locked(plan: Plan) -> Plan:
    return (
        Plan.objects.select_for_update(of=("self",))
        .select_related("consortium", "template")
        .get(pk=plan.pk)
    )


def _clean_comment(text: str, *, required_message: str) -> str:
    text = (text or "").strip()
    if required_message and not text:
        raise Refused(required_message)
    if len(text) > MAX_COMMENT_CHARACTERS:
        raise Refused(
            f"This is {len(text):,} characters long; the most it can hold is "
            f"{MAX_COMMENT_CHARACTERS:,}."
        )
    return text


def _transition(
    *,
    plan: Plan,
    user,
    action: Action,
    comment: str = "",
    ip_address: str | None = None,
    target: str | None = None,
    event_kind: str = PlanEvent.Kind.TRANSITION,
) -> Plan:
    """Takes ``action`` on the locked plan; the caller holds the transaction."""
    transition = TRANSITIONS[action]
    comment = _clean_comment(comment, required_message=transition.needs_comment)
    locked = _locked(plan)
    decision = may_take(user, locked, action)
    if not decision:
        raise Refused(decision.reason + _what_happened(locked))
    missing = missing_before(locked, action)
    if missing:
        raise Refused(
            f"{len(missing)} required question{'s are' if len(missing) != 1 else ' is'} "
            "still empty: "
            + "; ".join(f"{q.number or q.title} ({who})" for q, who in missing)
            + "."
        )
    from_status = locked.status
    locked.status = target or transition.target
    locked._change_reason = action.value
    locked._history_user = user
    locked.save(update_fields=["status"])
    event_record(
        plan=locked,
        kind=event_kind,
        actor=user,
        action=action,
        from_status=from_status,
        to_status=locked.status,
        comment=comment,
        ip_address=ip_address,
    )
    return locked


@transaction.atomic
def plan_submit(*, plan: Plan, user, ip_address: str | None = None) -> Plan:
    """Sends the plan to the PCT; refused with the list of what is missing."""
    return _transition(plan=plan, user=user, action=Action.SUBMIT, ip_address=ip_address)


@transaction.atomic
def plan_withdraw(*, plan: Plan, user, ip_address: str | None = None) -> Plan:
    return _transition(plan=plan, user=user, action=Action.WITHDRAW, ip_address=ip_address)


@transaction.atomic
def plan_start_review(*, plan: Plan, user, ip_address: str | None = None) -> Plan:
    return _transition(plan=plan, user=user, action=Action.START_REVIEW, ip_address=ip_address)


@transaction.atomic
def plan_request_changes(*, plan: Plan, user, summary: str, ip_address: str | None = None) -> Plan:
    return _transition(
        plan=plan,
        user=user,
        action=Action.REQUEST_CHANGES,
        comment=summary,
        ip_address=ip_address,
    )


@transaction.atomic
def plan_approve(*, plan: Plan, user, comment: str = "", ip_address: str | None = None) -> Plan:
    """Approves the plan and freezes its content for the signatories."""
    return _transition(
        plan=plan, user=user, action=Action.APPROVE, comment=comment, ip_address=ip_address
    )


@transaction.atomic
def plan_reopen(*, plan: Plan, user, reason: str, ip_address: str | None = None) -> Plan:
    """Sends an approved plan back for changes; every signature given so far becomes void."""
    reopened = _transition(
        plan=plan, user=user, action=Action.REOPEN, comment=reason, ip_address=ip_address
    )
    voided = list(reopened.signatures.filter(voided_at__isnull=True).select_related("user"))
    if voided:
        now = timezone.now()
        Signature.objects.filter(pk__in=[s.pk for s in voided]).update(
            voided_at=now, voided_reason=reason.strip()
        )
        names = ", ".join(f"{s.typed_name} ({s.title})" for s in voided)
        event_record(
            plan=reopened,
            kind=PlanEvent.Kind.SIGNATURES_VOIDED,
            actor=user,
            action=Action.REOPEN,
            comment=f"Void: {names}. Reason: {reason.strip()}",
            ip_address=ip_address,
        )
    return reopened


@transaction.atomic
def plan_record_submission(*, plan: Plan, user, ip_address: str | None = None) -> Plan:
    """The executive chair has the sealed PDF and sends it: the plan is submitted to the PCT."""
    if review_selectors.signed_document(plan) is None:
        raise Refused("The signed PDF is not ready yet: wait for it, then record the submission.")
    return _transition(plan=plan, user=user, action=Action.RECORD_SUBMISSION, ip_address=ip_address)


def signatories(plan: Plan) -> list[dict]:
    """The form's sign-off block, in signing order, each with its position."""
    return [
        {"role": item["role"], "title": item["title"], "position": position}
        for position, item in enumerate(plan.template.signatories, start=1)
    ]


def signature_add(
    *,
    plan: Plan,
    user,
    password: str,
    typed_name: str,
    confirmed: bool,
    code: str = "",
    request=None,
    ip_address: str | None = None,
    user_agent: str = "",
) -> Signature:
    """Signs the approved plan as the user's role, bound to the SHA-256 of its content.

    Refused, with the reason, when it is not the user's turn, they have signed already, their
    role is not asked to sign, the password or the second-factor code is wrong (each counts
    towards the sign-in lockout of ``request``'s address) or they did not confirm.
    """
    typed_name = (typed_name or "").strip()
    if not confirmed:
        raise Refused("Confirm that you are signing the plan as it stands.")
    if not typed_name:
        raise Refused("Type your full name as your signature.")
    if len(typed_name) > MAX_TYPED_NAME_CHARACTERS:
        raise Refused(f"A name can have at most {MAX_TYPED_NAME_CHARACTERS} characters.")
    # Checked before the plan is locked: hashing a password is slow, and needs no lock.
    try:
        credentials.identity_confirm(
            request=request,
            user=user,
            password=password or "",
            code=code if credentials.second_factor_expected(user) else None,
        )
    except credentials.NotConfirmed as refusal:
        raise Refused(refusal.message) from None
    with transaction.atomic():
        locked = _locked(plan)
        decision = may_take(user, locked, Action.SIGN)
        if not decision:
            raise Refused(decision.reason + _what_happened(locked))
        blocks = signatories(locked)
        mine = next((block for block in blocks if block["role"] == user.role), None)
        if mine is None:
            raise Refused(
                f"This form does not ask for a signature from a {user.get_role_display()}."
            )
        live = {
            s.role: s
            for s in locked.signatures.filter(voided_at__isnull=True).select_related("user")
        }
        given = live.get(mine["role"])
        if given is not None:
            when = date_format(localtime(given.signed_at), "j F Y \\a\\t H:i")
            who = "You" if given.user_id == user.pk else given.typed_name
            raise Refused(f"{who} signed as {given.title} on {when}. Each signature is given once.")
        waiting = next(block for block in blocks if block["role"] not in live)
        if waiting["role"] != mine["role"]:
            raise Refused(
                f"The {waiting['title']} signs before you: the form's signatures are given in "
                "its order. You will be told when it is your turn."
            )
        content_hash = exports.content_sha256(locked)
        if any(s.content_sha256 != content_hash for s in live.values()):
            raise Refused(
                "The plan's content is not what the earlier signatories signed. Ask the PCT "
                "lead to reopen it for changes and approve it again."
            )
        signature = Signature.objects.create(
            plan=locked,
            role=mine["role"],
            title=mine["title"],
            position=mine["position"],
            user=user,
            typed_name=typed_name,
            signed_at=timezone.now(),
            ip_address=ip_address,
            user_agent=(user_agent or "")[:500],
            content_sha256=content_hash,
        )
        last = len(live) + 1 == len(blocks)
        _transition(
            plan=locked,
            user=user,
            action=Action.SIGN,
            comment=f"Signed as {mine['title']} ({typed_name}).",
            ip_address=ip_address,
            target=Plan.Status.SIGNED if last else Plan.Status.SIGNING,
            event_kind=PlanEvent.Kind.SIGNATURE,
        )
        if last:
            signed_pdf_request(plan=locked, content_sha256=content_hash)
    return signature


def signed_pdf_request(*, plan: Plan, content_sha256: str) -> PlanDocument:
    """The one signed PDF of this content, queued for rendering after the commit if new."""
    from .tasks import render_document

    document, created = PlanDocument.objects.get_or_create(
        plan=plan, kind=PlanDocument.Kind.SIGNED, content_sha256=content_sha256
    )
    if created:
        render_document.delay_on_commit(document_id=document.pk)
    return document


# --- Review comments -----------------------------------------------------------------------
# A comment is about a question (its answer) or about a part's guidance, optionally quoting a
# passage of it. Replies belong to the thread and share its visibility. The event recorded
# for each points at its comment, so feeds and emails leave PCT-only threads out for
# consortium people (selectors.event_is_internal).


class CommentRefused(Refused):
    """A refused comment; ``field`` names the form field the reason is about, if one."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


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
    sees it, so tags, spacing and curly or straight quotes do not matter. The answer's version
    is kept, and the quote as written, so the comment still reads right after the passage
    changes.
    """
    _commenter(user, plan)
    if (question is None) == (part is None):
        raise Refused("Say which question, or which part's guidance, the comment is about.")
    if visibility not in Comment.Visibility.values:
        raise CommentRefused("Choose who can see the comment", field="visibility")
    pct = settings.COMMISSIONER_WORD
    if visibility == Comment.Visibility.INTERNAL and not review_selectors.sees_internal_comments(
        user
    ):
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
        text = passages.answer_text(answer)
    else:
        if part.template_id != plan.template_id:
            raise Refused("That part is not on this plan's form.")
        where = f"the guidance of {part}"
        text = passages.visible_text(part.guidance)
    if quote and not passages.contains(text, quote):
        raise CommentRefused(
            f"The words you quoted are not in {where} as it stands now. Select the passage "
            "again on the page, copy it exactly, or leave the quote empty.",
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
    event_record(
        plan=plan,
        kind=PlanEvent.Kind.COMMENT,
        actor=user,
        about_comment=comment,
        question=question,
        comment=body,
        ip_address=ip_address,
    )
    return comment


def _thread_for(user, thread: Comment) -> Comment:
    """The thread itself (a reply's own thread), locked, once the user may act on it."""
    locked = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("plan", "plan__consortium", "question", "part", "resolved_by")
        .get(pk=thread.parent_id or thread.pk)
    )
    if (
        locked.visibility == Comment.Visibility.INTERNAL
        and not review_selectors.sees_internal_comments(user)
    ):
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
    event_record(
        plan=thread.plan,
        kind=PlanEvent.Kind.REPLY,
        actor=user,
        about_comment=reply,
        question=thread.question,
        comment=body,
        ip_address=ip_address,
    )
    return reply


def _thread_resolution_set(*, thread: Comment, user, resolved: bool, ip_address) -> Comment:
    thread = _thread_for(user, thread)
    if resolved and thread.resolved_at is not None:
        who = thread.resolved_by.full_name if thread.resolved_by else "Someone"
        when = date_format(localtime(thread.resolved_at), "j F Y \\a\\t H:i")
        raise Refused(f"{who} resolved this comment on {when}.")
    if not resolved and thread.resolved_at is None:
        raise Refused("This comment is open already.")
    thread.resolved_at = timezone.now() if resolved else None
    thread.resolved_by = user if resolved else None
    thread.save(update_fields=["resolved_at", "resolved_by"])
    event_record(
        plan=thread.plan,
        kind=PlanEvent.Kind.COMMENT_RESOLVED if resolved else PlanEvent.Kind.COMMENT_REOPENED,
        actor=user,
        about_comment=thread,
        question=thread.question,
        comment=_event_about(thread),
        ip_address=ip_address,
    )
    return thread


@transaction.atomic
def comment_resolve(*, thread: Comment, user, ip_address: str | None = None) -> Comment:
    return _thread_resolution_set(thread=thread, user=user, resolved=True, ip_address=ip_address)


@transaction.atomic
def comment_reopen(*, thread: Comment, user, ip_address: str | None = None) -> Comment:
    return _thread_resolution_set(thread=thread, user=user, resolved=False, ip_address=ip_address)


# --- Notification preferences ---------------------------------------------------------------


@transaction.atomic
def notification_preference_set(*, user, notify: str):
    """Sets how the user hears of their plans: an email as each thing happens, or one a day.

    Moving to emails as things happen sends, after the commit, the digest of what they have
    not been told yet, so nothing waits for a morning email that will no longer come.
    """
    from consortia.models import User

    from .tasks import send_digest

    if notify not in User.Notify.values:
        raise Refused("Choose how often we email you")
    User.objects.filter(pk=user.pk).update(notify=notify)
    was, user.notify = user.notify, notify
    if was == User.Notify.DAILY and notify == User.Notify.IMMEDIATELY:
        send_digest.delay_on_commit(user_id=user.pk)
    return user


# --- PDFs: drafts on request, retrying a failed render, the chair's download of the signed one
# (rendering is signoff/tasks.py; signed PDFs are requested by ``signed_pdf_request`` only).

DRAFT_REUSE_MINUTES = 10


def draft_pdf_request(*, plan: Plan, user) -> PlanDocument:
    """A draft PDF of the plan as it stands, watermarked DRAFT with the date and revision.

    Anyone who may see the plan may ask. Asking again for the same content and revision within
    a few minutes returns the draft already queued, being made or ready, not another one.
    """
    from datetime import timedelta

    from .documents import plan_revision
    from .tasks import render_document

    if not allowed(user, Perm.VIEW, plan):
        raise Refused("You cannot see this plan, so you cannot print it.")
    content_hash = exports.content_sha256(plan)
    revision = plan_revision(plan)
    with transaction.atomic():
        # Two clicks at once make one draft: the second waits here and then finds the first.
        Plan.objects.select_for_update().filter(pk=plan.pk).exists()
        recent = (
            PlanDocument.objects.filter(
                plan=plan,
                kind=PlanDocument.Kind.DRAFT,
                content_sha256=content_hash,
                revision=revision,
                state__in=[
                    PlanDocument.State.QUEUED,
                    PlanDocument.State.RENDERING,
                    PlanDocument.State.READY,
                ],
                requested_at__gte=timezone.now() - timedelta(minutes=DRAFT_REUSE_MINUTES),
            )
            .defer("pdf")
            .first()
        )
        if recent is not None:
            return recent
        document = PlanDocument.objects.create(
            plan=plan,
            kind=PlanDocument.Kind.DRAFT,
            content_sha256=content_hash,
            revision=revision,
            requested_by=user,
        )
        render_document.delay_on_commit(document_id=document.pk)
    return document


def document_retry(*, document: PlanDocument, user) -> PlanDocument:
    """Sends a failed PDF to be made again: site administrators, or for a signed PDF the
    plan's executive chair."""
    from .documents import may_retry
    from .tasks import render_document

    if not may_retry(user, document):
        raise Refused("Only a site administrator or the executive chair can retry a PDF.")
    with transaction.atomic():
        locked = PlanDocument.objects.select_for_update().defer("pdf").get(pk=document.pk)
        if locked.state != PlanDocument.State.FAILED:
            raise Refused(
                f"This PDF is {locked.get_state_display().lower()}, not failed: there is "
                "nothing to retry."
            )
        locked.state = PlanDocument.State.QUEUED
        locked.failure_reason = ""
        # Asked for again: the sweep measures its wait from now.
        locked.requested_at = timezone.now()
        locked.finished_at = None
        locked.save(update_fields=["state", "failure_reason", "requested_at", "finished_at"])
        render_document.delay_on_commit(document_id=locked.pk)
    return locked


def signed_pdf_download_record(
    *,
    plan: Plan,
    user,
    ip_address: str | None = None,
    document: PlanDocument | None = None,
) -> PlanEvent:
    """The executive chair took the signed PDF to send it: recorded with the file's hash."""
    if not allowed(user, Perm.EXPORT, plan):
        raise Refused("Only the consortium's executive chair exports the signed plan.")
    document = document or review_selectors.signed_document(plan)
    if (
        document is None
        or document.plan_id != plan.pk
        or document.kind != PlanDocument.Kind.SIGNED
        or document.state != PlanDocument.State.READY
    ):
        raise Refused("The signed PDF is not ready yet.")
    return event_record(
        plan=plan,
        kind=PlanEvent.Kind.EXPORT,
        actor=user,
        comment=f"Downloaded the signed PDF (SHA-256 of the file: {document.file_sha256}).",
        ip_address=ip_address,
    )
