"""The render pipeline of the plan's PDFs: claim a document, check it may be made, render and
seal it, store it, or record why it failed; and the sweep that finds what should be rendering
and is not, so every signed plan ends with its one signed PDF
(docs/decisions/0203-pdf-stored-in-database.md), and every approved plan whose form asks for no
signatures with its approved PDF, sealed the same way (docs/decisions/0457).

The Celery tasks that run it are thin wrappers (signoff/tasks.py). weasyprint and pyHanko are
imported by the render itself, never with this module, so the web process that requests PDFs
does not load them (docs/decisions/0313).
"""

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from plans.content import PlanContent
from plans.events import event_record
from plans.models import Plan, PlanEvent

from .models import PlanDocument, Signature
from .selectors import approved_documents, plan_revision
from .signing import SIGNED_STATUSES, Approval, SigningState, approval_given, approval_of

logger = logging.getLogger(__name__)

State = PlanDocument.State
Kind = PlanDocument.Kind
# The plan's final PDFs, sealed: a reader can check them on the verification page.
SEALED_KINDS = (Kind.SIGNED, Kind.APPROVED)

# Worth another attempt after a pause: the database or a connection was briefly away. Anything
# else (a missing certificate, content that no longer matches its signatures, a template error)
# would fail the same way again, so it fails at once with its reason.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


class CannotRender(Exception):
    """The document cannot be produced as asked; ``reason`` says why, for the plan's page."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


SEAL_UNAVAILABLE = (
    "The PDF could not be sealed: the service's seal, which shows the file is the plan as "
    "signed or approved, is not set up or cannot be read. A site administrator can see why in the "
    "service's log, put it right and try again."
)
FAULT = (
    "The PDF could not be made because of a fault in the service. A site administrator can "
    "see what went wrong in the service's log and try again."
)
SERVICE_AWAY = "the database or another service it needs did not answer"


def _stale_before():
    return timezone.now() - timedelta(seconds=settings.PDF_RENDER_STALE_SECONDS)


def _locked(document_id: int) -> PlanDocument | None:
    return (
        PlanDocument.objects.select_for_update()
        .defer("pdf")
        .select_related("plan")
        .filter(pk=document_id)
        .first()
    )


def claim(document_id: int, *, taking_over: bool) -> PlanDocument | None:
    """Marks the document rendering, in a short transaction; None when there is nothing to do.

    Ready and failed documents are left alone (a failure waits for someone to retry it). A
    document another worker started rendering recently is left to that worker, unless this
    delivery is Redis handing back the task of a worker that died, or Celery's own retry.
    """
    with transaction.atomic():
        document = _locked(document_id)
        if document is None or document.state in (State.READY, State.FAILED):
            return None
        if (
            document.state == State.RENDERING
            and not taking_over
            and document.started_at is not None
            and document.started_at > _stale_before()
        ):
            return None
        document.state = State.RENDERING
        document.attempts += 1
        document.started_at = timezone.now()
        document.finished_at = None
        document.save(update_fields=["state", "attempts", "started_at", "finished_at"])
    return document


def signed_content(
    plan: Plan, document: PlanDocument, *, content: PlanContent | None = None
) -> list[Signature]:
    """The live signatures of exactly the content this document is for, in the form's order;
    ``CannotRender`` when the plan (or ``content``, read of it) has moved on since."""
    if plan.status not in SIGNED_STATUSES:
        raise CannotRender(
            f"The plan is {plan.get_status_display().lower()}, not signed: a signed PDF is made "
            "only once every signatory has signed."
        )
    state = SigningState.of(plan)
    if not state.hashes_consistent(document.content_sha256):
        other = [s for s in state.signatures if s.content_sha256 != document.content_sha256]
        raise CannotRender(
            "The live signatures are for different content ("
            + ", ".join(f"{s.typed_name}: {s.content_sha256[:12]}…" for s in other)
            + f") than this document ({document.content_sha256[:12]}…)."
        )
    if not state.is_complete:
        raise CannotRender(
            "Not every signatory has signed: waiting for "
            + ", ".join(block.title for block in state.open_blocks)
            + "."
        )
    current = state.content_sha256(plan, content=content)
    if current != document.content_sha256:
        raise CannotRender(
            f"The plan's content (SHA-256 {current[:12]}…) is no longer what was signed "
            f"({document.content_sha256[:12]}…), so its signed PDF cannot be made."
        )
    return list(state.signatures)


def approved_content(
    plan: Plan, document: PlanDocument, *, content: PlanContent | None = None
) -> Approval:
    """The approval this approved document prints: the last one when it was asked for;
    ``CannotRender`` when the plan is no longer approved or its content has moved on since."""
    if approval_of(plan) is None:
        raise CannotRender(
            f"The plan is {plan.get_status_display().lower()}, not approved: the PDF of the "
            "approved plan is made only while it is approved."
        )
    current = SigningState.of(plan).content_sha256(plan, content=content)
    if current != document.content_sha256:
        raise CannotRender(
            f"The plan's content (SHA-256 {current[:12]}…) is no longer what was approved "
            f"({document.content_sha256[:12]}…), so the PDF of the approved plan cannot be made."
        )
    return approval_given(plan, by=document.requested_at)


def render(document: PlanDocument) -> tuple[bytes, int, str, int]:
    """The finished file, its page count and the content hash and revision it shows."""
    from . import pdf, seal
    from .seal_certificates import seal_certificate_current

    plan = Plan.objects.select_related("consortium__commissioner", "template").get(
        pk=document.plan_id
    )
    if document.kind in SEALED_KINDS:
        content = PlanContent.of(plan)
        if document.kind == Kind.SIGNED:
            done, approval = "Signed", None
            signatures = signed_content(plan, document, content=content)
        else:
            done, signatures = "Approved", []
            approval = approved_content(plan, document, content=content)
        try:
            # On record before it seals anything, so its PDFs verify after it is replaced.
            seal_certificate_current()
            rendered = pdf.render_plan_pdf(
                plan=plan,
                signatures=signatures,
                content=content,
                content_sha256=document.content_sha256,
                approval=approval,
            )
            sealed = seal.seal_pdf(
                rendered.pdf,
                reason=(
                    f"{done} {plan.title} ({plan.consortium.name}, {plan.period}); "
                    f"content SHA-256 {document.content_sha256}"
                ),
                location=settings.SERVICE_NAME,
            )
        except seal.SealUnavailable as unavailable:
            # What is wrong (a path, a setting) is for the log; the plan's readers are told
            # who can put it right.
            raise CannotRender(SEAL_UNAVAILABLE) from unavailable
        return sealed, rendered.page_count, document.content_sha256, document.revision
    # A draft shows the plan as it is when printed, and says which revision that is; once a
    # plan whose form asks for no signatures is approved, it is final: no longer a draft, and
    # it says who approved it and when (docs/decisions/0328).
    state = SigningState.of(plan)
    content = PlanContent.of(plan)
    content_sha256 = state.content_sha256(plan, content=content)
    revision = plan_revision(plan)
    approval = approval_of(plan)
    rendered = pdf.render_plan_pdf(
        plan=plan,
        signatures=state.signatures,
        content=content,
        content_sha256=content_sha256,
        draft=None if approval else pdf.DraftMark(generated_at=timezone.now(), revision=revision),
        approval=approval,
    )
    return rendered.pdf, rendered.page_count, content_sha256, revision


def store(document_id: int, data: bytes, page_count: int, content_sha256: str, revision: int):
    """Keeps the file, unless another run finished first: then theirs is the one."""
    with transaction.atomic():
        document = _locked(document_id)
        if document is None or document.state == State.READY:
            return None
        if (
            document.kind == Kind.SIGNED
            and not document.plan.signatures.live()
            .filter(content_sha256=document.content_sha256)
            .exists()
        ):
            raise CannotRender("The signatures were voided while the PDF was being made.")
        if document.kind == Kind.APPROVED and approval_of(document.plan) is None:
            raise CannotRender("The plan was sent back for changes while its PDF was being made.")
        document.pdf = data
        document.file_sha256 = hashlib.sha256(data).hexdigest()
        document.page_count = page_count
        document.content_sha256 = content_sha256
        document.revision = revision
        document.state = State.READY
        document.failure_reason = ""
        document.finished_at = timezone.now()
        document.save(
            update_fields=[
                "pdf", "file_sha256", "page_count", "content_sha256", "revision", "state",
                "failure_reason", "finished_at",
            ]
        )  # fmt: skip
        # Recorded once, as the document turns ready under its lock: the executive chair is
        # told it is ready to download (signoff.notifications), however often it is rendered.
        if document.kind in SEALED_KINDS:
            event_record(
                plan=document.plan,
                kind=PlanEvent.Kind.PDF_READY,
                comment=(
                    f"{page_count} pages, sealed. SHA-256 of the file: {document.file_sha256}."
                ),
            )
    return document


def mark_failed(document_id: int, reason: str) -> None:
    with transaction.atomic():
        document = _locked(document_id)
        if document is None or document.state == State.READY:
            return
        document.state = State.FAILED
        document.failure_reason = reason
        document.finished_at = timezone.now()
        document.save(update_fields=["state", "failure_reason", "finished_at"])


def note_retry(document_id: int, exc: BaseException, *, attempt: int) -> None:
    """Celery will try again: the document waits in the queue, saying why."""
    logger.warning("Attempt %s at document %s failed", attempt, document_id, exc_info=exc)
    try:
        with transaction.atomic():
            document = _locked(document_id)
            if document is None or document.state in (State.READY, State.FAILED):
                return
            document.state = State.QUEUED
            document.failure_reason = (
                f"Attempt {attempt} failed because {SERVICE_AWAY}; it will be tried again shortly."
            )
            document.finished_at = timezone.now()
            document.save(update_fields=["state", "failure_reason", "finished_at"])
    except TRANSIENT_ERRORS:
        # The database is still away: the document stays "rendering" until the retry or the
        # sweep takes it over.
        logger.warning("Could not note the retry of document %s", document_id, exc_info=True)


def failure_reason(exc: BaseException) -> str:
    if isinstance(exc, CannotRender):
        return exc.reason
    if isinstance(exc, SoftTimeLimitExceeded):
        return (
            f"Making the PDF took longer than {settings.PDF_RENDER_TIME_LIMIT // 60} minutes and "
            "was stopped."
        )
    return FAULT


def document_render(document_id: int, *, taking_over: bool) -> str:
    """Renders (and, when signed or approved, seals) one PlanDocument; safe to run any number
    of times.

    The row is locked only to claim it and to store the result; the render itself, which
    takes seconds, happens in between without a lock. Whatever the order of runs, a document
    gets one file: the first to finish stores it and the others find it ready. Transient
    errors are raised, for the task to retry; any other failure is recorded on the document.
    """
    document = claim(document_id, taking_over=taking_over)
    if document is None:
        return "nothing to do"
    started = timezone.now()
    try:
        data, page_count, content_sha256, revision = render(document)
        stored = store(document_id, data, page_count, content_sha256, revision)
    except TRANSIENT_ERRORS:
        raise
    except Exception as exc:
        logger.exception("Rendering %s (document %s) failed", document, document_id)
        mark_failed(document_id, failure_reason(exc))
        return "failed"
    seconds = (timezone.now() - started).total_seconds()
    if stored is None:
        logger.info("Document %s was already ready; this render is discarded", document_id)
        return "already ready"
    logger.info(
        "Rendered document %s: %s pages, %s bytes in %.1f s",
        document_id,
        page_count,
        len(data),
        seconds,
    )
    return "ready"


def signed_document_for(*, plan: Plan, content_sha256: str) -> tuple[PlanDocument, bool]:
    """The one signed document of this content, and whether it is new (to be rendered)."""
    return PlanDocument.objects.get_or_create(
        plan=plan, kind=Kind.SIGNED, content_sha256=content_sha256
    )


def approved_document_for(*, plan: Plan) -> tuple[PlanDocument | None, bool]:
    """The approved document of the plan's last approval, and whether it is new (to be
    rendered): one per approval, asked for after it, of the content it approved; None when the
    plan is not approved (or its form asks for signatures). The caller holds the transaction;
    the plan's row is locked first, so the approval, a request and the sweep make one."""
    plan = Plan.objects.select_for_update(of=("self",)).select_related("template").get(pk=plan.pk)
    approval = approval_of(plan)
    if approval is None:
        return None, False
    content_sha256 = SigningState.of(plan).content_sha256(plan)
    found = (
        approved_documents(plan, since=approval.on).filter(content_sha256=content_sha256).first()
    )
    if found is not None:
        return found, False
    return PlanDocument.objects.create(
        plan=plan, kind=Kind.APPROVED, content_sha256=content_sha256
    ), True


@dataclass
class Sweep:
    """What the sweep found to send to be rendered."""

    requested: list[int] = field(default_factory=list)  # new signed and approved documents
    stuck: list[int] = field(default_factory=list)  # documents sent again


def sweep() -> Sweep:
    """Whatever should be rendering and is not (the beat runs it every few minutes):

    - a signed plan whose live signatures have no signed document at all gets one (a failed
      document is not retried here: it waits for an administrator, its reason on show);
    - an approved plan whose form asks for no signatures and whose last approval has no
      approved document gets one (as at approval: approved_document_for);
    - a document queued for longer than it should wait (its message was lost) is sent again;
    - a document "rendering" for longer than any render takes (its worker died) is sent again.
    """
    found = Sweep()
    now = timezone.now()
    live_hash = Subquery(
        Signature.objects.live().filter(plan=OuterRef("pk")).values("content_sha256")[:1]
    )
    missing = (
        Plan.objects.filter(status__in=SIGNED_STATUSES)
        .select_related("template")
        .annotate(live_hash=live_hash)
        .filter(live_hash__isnull=False)
        .filter(
            ~Exists(
                PlanDocument.objects.filter(
                    plan=OuterRef("pk"), kind=Kind.SIGNED, content_sha256=OuterRef("live_hash")
                )
            )
        )
    )
    for plan in missing:
        state = SigningState.of(plan)
        if not state.hashes_consistent():
            logger.error(
                "Plan %s is signed with mixed content hashes: %s", plan.pk, state.signed_hashes
            )
            continue
        with transaction.atomic():
            document, created = signed_document_for(plan=plan, content_sha256=plan.live_hash)
        if created:
            found.requested.append(document.pk)
    for plan in _approved_without_document():
        with transaction.atomic():
            document, created = approved_document_for(plan=plan)
        if created:
            found.requested.append(document.pk)
    queued_before = now - timedelta(seconds=settings.PDF_QUEUED_RESEND_SECONDS)
    # A document waits from its request, or from the end of its last attempt when retried.
    stuck = PlanDocument.objects.annotate(
        waiting_since=Greatest("requested_at", Coalesce("finished_at", "requested_at"))
    ).filter(
        Q(state=State.QUEUED, waiting_since__lt=queued_before)
        | Q(state=State.RENDERING, started_at__lt=_stale_before())
    )
    found.stuck = list(stuck.values_list("pk", flat=True))
    return found


def _approved_without_document():
    """Approved plans whose form asks for no signatures, with no approved document asked for
    since their last approval."""
    last_approval = Subquery(
        PlanEvent.objects.filter(
            plan=OuterRef("pk"), kind=PlanEvent.Kind.TRANSITION, to_status=Plan.Status.APPROVED
        )
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )
    approved = PlanDocument.objects.filter(plan=OuterRef("pk"), kind=Kind.APPROVED)
    return (
        Plan.objects.filter(status=Plan.Status.APPROVED, template__signatories=[])
        .select_related("template")
        .annotate(approved_at=last_approval)
        .filter(~Exists(approved.filter(requested_at__gte=OuterRef("approved_at"))))
        # A plan whose history does not say when it was approved: any approved document will do.
        .exclude(Q(approved_at__isnull=True) & Exists(approved))
    )
