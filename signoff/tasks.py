"""The Celery tasks of sign-off, thin wrappers: the render pipeline is signoff/rendering.py,
the notification emails signoff/emails.py."""

import logging

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.conf import settings

from . import emails, rendering

logger = logging.getLogger(__name__)

MAX_RETRIES = 5

#: An email task: mail-server errors (smtplib's are OSErrors) are retried, waiting longer each time.
email_task = shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)


class RenderTask(DjangoTask):
    """Keeps the document's state in step with Celery's retries."""

    def on_retry(self, exc, task_id, args, kwargs, einfo):
        rendering.note_retry(kwargs["document_id"], exc, attempt=self.request.retries + 1)

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Only transient errors reach here (the others are caught and recorded in the task):
        # the retries are used up.
        rendering.mark_failed(
            kwargs["document_id"],
            f"The PDF could not be made after {MAX_RETRIES + 1} attempts because "
            f"{rendering.SERVICE_AWAY}. A site administrator can try again.",
        )


@shared_task(
    bind=True,
    base=RenderTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=rendering.TRANSIENT_ERRORS,
    retry_backoff=30,
    retry_backoff_max=5 * 60,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
    soft_time_limit=settings.PDF_RENDER_TIME_LIMIT,
    time_limit=settings.PDF_RENDER_TIME_LIMIT + 60,
)
def render_document(self, *, document_id: int) -> str:
    """Renders one PlanDocument (rendering.document_render); safe to run any number of times.

    A delivery Redis hands back after its worker died, or Celery's own retry, takes over a
    render another worker started.
    """
    delivery = self.request.delivery_info or {}
    taking_over = bool(delivery.get("redelivered")) or bool(self.request.retries)
    return rendering.document_render(document_id, taking_over=taking_over)


@shared_task(acks_late=True)
def sweep_documents() -> dict[str, int]:
    """Sends to be rendered whatever should be rendering and is not (rendering.sweep); the
    beat runs it every few minutes."""
    found = rendering.sweep()
    for document_id in found.requested + found.stuck:
        render_document.delay(document_id=document_id)
    if found.requested or found.stuck:
        logger.info(
            "Document sweep: %s signed PDFs requested, %s renders sent again",
            len(found.requested),
            len(found.stuck),
        )
    return {"requested": len(found.requested), "resent": len(found.stuck)}


@email_task
def send_notification_email(*, notification_id: int) -> None:
    """Emails one notification, once, however often it runs."""
    emails.notification_email_send(notification_id=notification_id)


@shared_task
def send_daily_digests() -> None:
    """Queues one digest for each person who chose a daily email and has something owed."""
    for user_id in emails.digest_recipients():
        send_digest.delay(user_id=user_id)


@email_task
def send_digest(*, user_id: int) -> None:
    """Emails one person everything they have not been told yet, in one message."""
    emails.digest_send(user_id=user_id)
