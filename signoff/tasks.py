"""Background work of sign-off: rendering and sealing the plan's PDFs, and the sweep that makes
sure every signed plan ends with its one signed PDF (docs/decisions/0203-pdf-stored-in-database.md).
"""

import hashlib
import logging
from datetime import timedelta

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from plans import exports
from plans.models import Plan

from .documents import plan_revision
from .models import PlanDocument, PlanEvent, Signature

logger = logging.getLogger(__name__)

State = PlanDocument.State
Kind = PlanDocument.Kind

# Worth another attempt after a pause: the database or a connection was briefly away. Anything
# else (a missing certificate, content that no longer matches its signatures, a template error)
# would fail the same way again, so it fails at once with its reason.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
MAX_RETRIES = 5
SIGNED_STATUSES = (Plan.Status.SIGNED, Plan.Status.SUBMITTED_TO_PCT)


class CannotRender(Exception):
    """The document cannot be produced as asked; ``reason`` says why, for the plan's page."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class RenderTask(DjangoTask):
    """Keeps the document's state in step with Celery's retries."""

    def on_retry(self, exc, task_id, args, kwargs, einfo):
        _waiting_for_retry(kwargs["document_id"], exc, attempt=self.request.retries + 1)

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Only transient errors reach here (the others are caught and recorded in the task):
        # the retries are used up.
        _mark_failed(
            kwargs["document_id"],
            f"The PDF could not be made after {MAX_RETRIES + 1} attempts because a service was "
            f"unavailable ({_describe(exc)}). An administrator can retry it.",
        )


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


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


def _claim(document_id: int, *, taking_over: bool) -> PlanDocument | None:
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


def _signed_content(plan: Plan, document: PlanDocument) -> list[Signature]:
    """The live signatures of exactly the content this document is for, in the form's order;
    ``CannotRender`` when the plan has moved on since."""
    if plan.status not in SIGNED_STATUSES:
        raise CannotRender(
            f"The plan is {plan.get_status_display().lower()}, not signed: a signed PDF is made "
            "only once every signatory has signed."
        )
    signatures = list(plan.signatures.filter(voided_at__isnull=True).select_related("user"))
    other = [s for s in signatures if s.content_sha256 != document.content_sha256]
    if other:
        raise CannotRender(
            "The live signatures are for different content ("
            + ", ".join(f"{s.typed_name}: {s.content_sha256[:12]}…" for s in other)
            + f") than this document ({document.content_sha256[:12]}…)."
        )
    signed_roles = {s.role for s in signatures}
    missing = [
        block.get("title", block.get("role", ""))
        for block in plan.template.signatories or []
        if block.get("role") not in signed_roles
    ]
    if missing:
        raise CannotRender(
            "Not every signatory has signed: waiting for " + ", ".join(missing) + "."
        )
    current = exports.content_sha256(plan)
    if current != document.content_sha256:
        raise CannotRender(
            f"The plan's content (SHA-256 {current[:12]}…) is no longer what was signed "
            f"({document.content_sha256[:12]}…), so its signed PDF cannot be made."
        )
    return signatures


def _render(document: PlanDocument) -> tuple[bytes, int, str, int]:
    """The finished file, its page count and the content hash and revision it shows."""
    from . import pdf, seal

    plan = Plan.objects.select_related("consortium__commissioner", "template").get(
        pk=document.plan_id
    )
    if document.kind == Kind.SIGNED:
        signatures = _signed_content(plan, document)
        rendered = pdf.render_plan_pdf(
            plan=plan, signatures=signatures, content_sha256=document.content_sha256
        )
        sealed = seal.seal_pdf(
            rendered.pdf,
            reason=(
                f"Signed {plan.title} ({plan.consortium.name}, {plan.period}); "
                f"content SHA-256 {document.content_sha256}"
            ),
            location=settings.SERVICE_NAME,
        )
        return sealed, rendered.page_count, document.content_sha256, document.revision
    # A draft shows the plan as it is when printed, and says which revision that is.
    content_sha256 = exports.content_sha256(plan)
    revision = plan_revision(plan)
    signatures = list(plan.signatures.filter(voided_at__isnull=True).select_related("user"))
    rendered = pdf.render_plan_pdf(
        plan=plan,
        signatures=signatures,
        content_sha256=content_sha256,
        draft=pdf.DraftMark(generated_at=timezone.now(), revision=revision),
    )
    return rendered.pdf, rendered.page_count, content_sha256, revision


def _store(document_id: int, data: bytes, page_count: int, content_sha256: str, revision: int):
    """Keeps the file, unless another run finished first: then theirs is the one."""
    from .services import event_record

    with transaction.atomic():
        document = _locked(document_id)
        if document is None or document.state == State.READY:
            return None
        if (
            document.kind == Kind.SIGNED
            and not document.plan.signatures.filter(
                voided_at__isnull=True, content_sha256=document.content_sha256
            ).exists()
        ):
            raise CannotRender("The signatures were voided while the PDF was being made.")
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
        if document.kind == Kind.SIGNED:
            event_record(
                plan=document.plan,
                kind=PlanEvent.Kind.PDF_READY,
                comment=(
                    f"{page_count} pages, sealed. SHA-256 of the file: {document.file_sha256}."
                ),
            )
    return document


def _mark_failed(document_id: int, reason: str) -> None:
    with transaction.atomic():
        document = _locked(document_id)
        if document is None or document.state == State.READY:
            return
        document.state = State.FAILED
        document.failure_reason = reason
        document.finished_at = timezone.now()
        document.save(update_fields=["state", "failure_reason", "finished_at"])


def _waiting_for_retry(document_id: int, exc: BaseException, *, attempt: int) -> None:
    try:
        with transaction.atomic():
            document = _locked(document_id)
            if document is None or document.state in (State.READY, State.FAILED):
                return
            document.state = State.QUEUED
            document.failure_reason = (
                f"Attempt {attempt} failed ({_describe(exc)}); it will be tried again shortly."
            )
            document.finished_at = timezone.now()
            document.save(update_fields=["state", "failure_reason", "finished_at"])
    except TRANSIENT_ERRORS:
        # The database is still away: the document stays "rendering" until the retry or the
        # sweep takes it over.
        logger.warning("Could not note the retry of document %s", document_id, exc_info=True)


def _failure_reason(exc: BaseException) -> str:
    if isinstance(exc, CannotRender):
        return exc.reason
    if isinstance(exc, SoftTimeLimitExceeded):
        return (
            f"Making the PDF took longer than {settings.PDF_RENDER_TIME_LIMIT // 60} minutes and "
            "was stopped."
        )
    return f"The PDF could not be made: {_describe(exc)}"


@shared_task(
    bind=True,
    base=RenderTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=30,
    retry_backoff_max=5 * 60,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
    soft_time_limit=settings.PDF_RENDER_TIME_LIMIT,
    time_limit=settings.PDF_RENDER_TIME_LIMIT + 60,
)
def render_document(self, *, document_id: int) -> str:
    """Renders (and, when signed, seals) one PlanDocument; safe to run any number of times.

    The row is locked only to claim it and to store the result; the render itself, which
    takes seconds, happens in between without a lock. Whatever the order of runs, a document
    gets one file: the first to finish stores it and the others find it ready.
    """
    delivery = self.request.delivery_info or {}
    taking_over = bool(delivery.get("redelivered")) or bool(self.request.retries)
    document = _claim(document_id, taking_over=taking_over)
    if document is None:
        return "nothing to do"
    started = timezone.now()
    try:
        data, page_count, content_sha256, revision = _render(document)
        stored = _store(document_id, data, page_count, content_sha256, revision)
    except TRANSIENT_ERRORS:
        raise
    except Exception as exc:
        logger.exception("Rendering %s (document %s) failed", document, document_id)
        _mark_failed(document_id, _failure_reason(exc))
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


@shared_task(acks_late=True)
def sweep_documents() -> dict[str, int]:
    """Sends again whatever should be rendering and is not (run by beat every few minutes).

    - a signed plan whose live signatures have no signed document at all gets one (a failed
      document is not retried here: it waits for an administrator, its reason on show);
    - a document queued for longer than it should wait (its message was lost) is sent again;
    - a document "rendering" for longer than any render takes (its worker died) is sent again.
    """
    from .services import signed_pdf_request

    now = timezone.now()
    live_hash = Subquery(
        Signature.objects.filter(plan=OuterRef("pk"), voided_at__isnull=True).values(
            "content_sha256"
        )[:1]
    )
    missing = (
        Plan.objects.filter(status__in=SIGNED_STATUSES)
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
    created = 0
    for plan in missing:
        hashes = set(
            plan.signatures.filter(voided_at__isnull=True).values_list("content_sha256", flat=True)
        )
        if len(hashes) != 1:
            logger.error("Plan %s is signed with mixed content hashes: %s", plan.pk, hashes)
            continue
        with transaction.atomic():
            signed_pdf_request(plan=plan, content_sha256=hashes.pop())
        created += 1
    queued_before = now - timedelta(seconds=settings.PDF_QUEUED_RESEND_SECONDS)
    # A document waits from its request, or from the end of its last attempt when retried.
    stuck = PlanDocument.objects.annotate(
        waiting_since=Greatest("requested_at", Coalesce("finished_at", "requested_at"))
    ).filter(
        Q(state=State.QUEUED, waiting_since__lt=queued_before)
        | Q(state=State.RENDERING, started_at__lt=_stale_before())
    )
    resent = 0
    for document_id in stuck.values_list("pk", flat=True):
        render_document.delay(document_id=document_id)
        resent += 1
    if created or resent:
        logger.info(
            "Document sweep: %s signed PDFs requested, %s renders sent again", created, resent
        )
    return {"requested": created, "resent": resent}


# --- Notification emails (signoff/notifications.py decides who is told and what it says) ---


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_email(*, notification_id: int) -> None:
    """Emails one notification, once, however often it runs; mail-server errors are retried.

    (smtplib's errors are OSErrors.)
    """
    from .notifications import notification_email_send

    notification_email_send(notification_id=notification_id)


@shared_task
def send_daily_digests() -> None:
    """Queues one digest for each person who chose a daily email and has something owed."""
    from .notifications import digest_recipients

    for user_id in digest_recipients():
        send_digest.delay(user_id=user_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_digest(*, user_id: int) -> None:
    """Emails one person everything they have not been told yet, in one message."""
    from .notifications import digest_send

    digest_send(user_id=user_id)
