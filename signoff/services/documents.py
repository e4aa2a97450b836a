"""The plan's PDFs: the signed one once the last signatory signs, the approved one once a plan
whose form asks for no signatures is approved, drafts on request, retrying a failed render, and
the chair's download of the signed or approved one. Rendering is signoff/rendering.py; signed
PDFs are requested by ``signed_pdf_request`` only, approved ones by ``approved_pdf_request``."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from consortia.permissions import Perm, allowed
from plans.events import event_record
from plans.models import Plan, PlanEvent

from ..errors import Refused
from ..models import PlanDocument
from ..rendering import SEALED_KINDS, approved_document_for, signed_document_for
from ..selectors import plan_revision, signed_document
from ..signing import SigningState
from ..tasks import render_document

DRAFT_REUSE_MINUTES = 10


def signed_pdf_request(*, plan: Plan, content_sha256: str) -> PlanDocument:
    """The one signed PDF of this content, queued for rendering after the commit if new."""
    document, created = signed_document_for(plan=plan, content_sha256=content_sha256)
    if created:
        render_document.delay_on_commit(document_id=document.pk)
    return document


def approved_pdf_request(*, plan: Plan) -> PlanDocument | None:
    """The sealed PDF of the plan's last approval, for a plan whose form asks for no
    signatures (decision 0457), queued for rendering after the commit if new; None when the
    plan is not approved."""
    with transaction.atomic():
        document, created = approved_document_for(plan=plan)
        if created:
            render_document.delay_on_commit(document_id=document.pk)
    return document


def draft_pdf_request(*, plan: Plan, user) -> PlanDocument:
    """A draft PDF of the plan as it stands, watermarked DRAFT with the date and revision; for
    an approved plan whose form asks for no signatures, its sealed approved PDF (0457).

    Anyone who may see the plan may ask. Asking again for the same content and revision within
    a few minutes returns the draft already queued, being made or ready, not another one.
    """
    if not allowed(user, Perm.VIEW, plan):
        raise Refused("You cannot see this plan, so you cannot print it.")
    approved = approved_pdf_request(plan=plan)
    if approved is not None:
        return approved
    content_hash = SigningState.of(plan).content_sha256(plan)
    revision = plan_revision(plan)
    reuse_since = timezone.now() - timedelta(minutes=DRAFT_REUSE_MINUTES)
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
                requested_at__gte=reuse_since,
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


def may_retry(user, document: PlanDocument) -> bool:
    """Site administrators retry any failed PDF; the executive chair their plan's signed or
    approved one. (A failed draft is simply asked for again.)"""
    if allowed(user, Perm.ADMINISTER):
        return True
    return document.kind in SEALED_KINDS and allowed(user, Perm.EXPORT, document.plan)


def document_retry(*, document: PlanDocument, user) -> PlanDocument:
    """Sends a failed PDF to be made again: site administrators, or for a signed or approved
    PDF the plan's executive chair."""
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
    """The executive chair took the signed PDF (or, for a form that ends at approval, the
    approved one: ``document``) to send it: recorded with the file's hash."""
    if not allowed(user, Perm.EXPORT, plan):
        raise Refused("Only the consortium's executive chair exports the signed plan.")
    document = document or signed_document(plan)
    if (
        document is None
        or document.plan_id != plan.pk
        or document.kind not in SEALED_KINDS
        or document.state != PlanDocument.State.READY
    ):
        raise Refused("The signed PDF is not ready yet.")
    which = "signed PDF" if document.kind == PlanDocument.Kind.SIGNED else "approved plan's PDF"
    return event_record(
        plan=plan,
        kind=PlanEvent.Kind.EXPORT,
        actor=user,
        comment=f"Downloaded the {which} (SHA-256 of the file: {document.file_sha256}).",
        ip_address=ip_address,
    )
