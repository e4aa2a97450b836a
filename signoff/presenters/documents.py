"""The plan's PDFs as pages show them: their state in words, file names and links. Reads
only; the verbs are signoff/services/documents.py, the rendering signoff/rendering.py."""

from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.text import slugify

from consortia.permissions import Perm, allowed
from consortia.tables import Cell, Heading, Table
from plans.models import Plan

from ..models import PlanDocument
from ..rendering import SEALED_KINDS
from ..selectors import approved_documents, current_signed
from ..services.documents import may_retry
from ..signing import SIGNED_STATUSES, approval_of
from . import when

State = PlanDocument.State
Kind = PlanDocument.Kind


def plan_file_stem(plan: Plan) -> str:
    """What every file of the plan is named from: ``daccom-pbc-plan-2006-07``."""
    return "-".join(
        part
        for part in (
            slugify(plan.consortium.slug or plan.consortium.name),
            "pbc-plan",
            slugify(plan.period.replace("/", "-")),
        )
        if part
    )


def download_filename(document: PlanDocument) -> str:
    """Chosen by the server: ``daccom-pbc-plan-2006-07-signed.pdf``, ``...-draft-r12.pdf``."""
    stem = plan_file_stem(document.plan)
    if document.kind == Kind.SIGNED:
        return f"{stem}-signed.pdf"
    if document.kind == Kind.APPROVED or is_final(document):
        return f"{stem}-approved.pdf"
    return f"{stem}-draft-r{document.revision}.pdf"


def is_final(document: PlanDocument) -> bool:
    """Whether a draft PDF was asked for once its form's last step, approval, was taken: it is
    printed final, not as a draft (docs/decisions/0328; since 0457 such a plan's PDF is the
    sealed approved one, and only drafts made before say so)."""
    if document.kind != Kind.DRAFT:
        return False
    approval = approval_of(document.plan)
    return approval is not None and (approval.on is None or approval.on <= document.requested_at)


@dataclass
class DocumentState:
    """One document's state in words, for the page, the status JSON and the plan's panel."""

    id: int
    kind: str
    state: str
    title: str
    heading: str
    message: str
    done: bool
    failed: bool
    tag_class: str
    state_label: str
    detail_url: str
    status_url: str
    download_url: str = ""
    download_text: str = ""
    filename: str = ""
    may_retry: bool = False
    retry_url: str = ""

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "state": self.state,
            "state_label": self.state_label,
            "heading": self.heading,
            "message": self.message,
            "done": self.done,
            "failed": self.failed,
            "download_url": self.download_url,
            "download_text": self.download_text,
            "filename": self.filename,
        }


TAGS = {
    State.QUEUED: "nhsuk-tag--grey",
    State.RENDERING: "nhsuk-tag--blue",
    State.READY: "nhsuk-tag--green",
    State.FAILED: "nhsuk-tag--red",
}


def document_state(document: PlanDocument, user) -> DocumentState:
    """``document`` comes from ``without_bytes`` (for its size)."""
    if document.kind == Kind.SIGNED:
        noun, title = "the signed PDF", "Signed PDF"
    elif document.kind == Kind.APPROVED or is_final(document):
        noun, title = "the approved plan's PDF", "PDF of the approved plan"
    else:
        noun = f"the draft PDF (revision {document.revision})"
        title = f"Draft PDF, revision {document.revision}"
    arguments = {"plan_id": document.plan_id, "document_id": document.pk}
    state = DocumentState(
        id=document.pk,
        kind=document.kind,
        state=document.state,
        title=title,
        heading="",
        message="",
        done=document.state in (State.READY, State.FAILED),
        failed=document.state == State.FAILED,
        tag_class=TAGS[document.state],
        state_label=document.get_state_display(),
        detail_url=reverse("document_detail", kwargs=arguments),
        status_url=reverse("document_status", kwargs=arguments),
    )
    if document.state == State.QUEUED:
        state.heading = "Waiting to start"
        state.message = (
            f"{noun[0].upper()}{noun[1:]} is waiting for the next free worker. "
            "This usually takes a few seconds."
        )
        if document.failure_reason:
            state.message += f" {document.failure_reason}"
    elif document.state == State.RENDERING:
        state.heading = "Being made"
        state.message = (
            f"{noun[0].upper()}{noun[1:]} is being made now. A long plan takes up to a minute."
        )
    elif document.state == State.READY:
        pages = f"{document.page_count} page{'' if document.page_count == 1 else 's'}"
        state.heading = "Ready to download"
        state.message = (
            f"{noun[0].upper()}{noun[1:]} is ready: {pages}, made on {when(document.finished_at)}."
        )
        state.filename = download_filename(document)
        state.download_url = reverse("document_download", kwargs=arguments)
        size = getattr(document, "pdf_size", None)
        details = f"PDF, {filesizeformat(size)}" if size else "PDF"
        state.download_text = f"Download {noun} ({details})"
    else:
        state.heading = "It could not be made"
        state.message = document.failure_reason or "The reason was not recorded."
    # Offered once it has failed; the page keeps the form hidden until then.
    state.may_retry = may_retry(user, document)
    if state.may_retry:
        state.retry_url = reverse("document_retry", kwargs=arguments)
    elif state.failed:
        state.message += (
            " The consortium's executive chair or a site administrator can try making it again."
            if document.kind in SEALED_KINDS
            else " Ask for a new draft PDF from the plan's page."
        )
    return state


@dataclass
class DocumentsPanel:
    """The PDFs part of the plan's page: the sealed PDF's state and the draft button.

    ``signed`` is the plan's sealed PDF: the signed one, or, once a plan whose form asks for no
    signatures is approved (``approved_by``), the approved one (decision 0457)."""

    plan_id: int
    signed: DocumentState | None
    signed_expected: bool
    may_record_export: bool
    may_request_draft: bool
    approved_by: str = ""

    @property
    def sealed_noun(self) -> str:
        return "PDF of the approved plan" if self.approved_by else "signed PDF"


def documents_panel(plan: Plan, user) -> DocumentsPanel:
    approval = approval_of(plan)
    if approval is not None:
        sealed = approved_documents(plan, since=approval.on).first()
    else:
        sealed = current_signed(plan) if plan.status in SIGNED_STATUSES else None
    return DocumentsPanel(
        plan_id=plan.pk,
        signed=document_state(sealed, user) if sealed is not None else None,
        signed_expected=plan.status in SIGNED_STATUSES or approval is not None,
        may_record_export=allowed(user, Perm.EXPORT, plan),
        # Once approved, such a plan is final: its sealed PDF is the one to print.
        may_request_draft=allowed(user, Perm.VIEW, plan) and approval is None,
        approved_by=approval.by if approval is not None else "",
    )


def signatories_table(signatories) -> Table:
    """Who signed a sealed PDF, as the check of an uploaded file read them from its seal
    (signoff.verification.Signatory): the account holder, and under their name the signature
    they typed where it is something else, as the PDF prints both."""
    return Table(
        caption="Who signed the plan, as what and when",
        caption_hidden=True,
        headings=[Heading("Name"), Heading("Signed as"), Heading("When (UK time)")],
        rows=[
            [
                Cell(
                    signatory.name,
                    note=f"Typed signature: {signatory.typed_name}"
                    if signatory.typed_otherwise
                    else "",
                ),
                Cell(signatory.title),
                Cell(signatory.date),
            ]
            for signatory in signatories
        ],
    )
