"""signoff's verbs, one module a sub-domain: review (the plan's transitions), signatures,
comments, documents (the PDFs) and preferences (how people hear of their plans). Views, tasks
and tests call them as ``services.<verb>``."""

from .comments import CommentRefused, comment_add, comment_reopen, comment_reply, comment_resolve
from .documents import (
    approved_pdf_request,
    document_retry,
    draft_pdf_request,
    may_retry,
    signed_pdf_download_record,
    signed_pdf_request,
)
from .preferences import notification_preference_set
from .review import (
    MAX_COMMENT_CHARACTERS,
    plan_approve,
    plan_record_submission,
    plan_reopen,
    plan_request_changes,
    plan_start_review,
    plan_submit,
    plan_withdraw,
)
from .signatures import MAX_TYPED_NAME_CHARACTERS, signature_add

__all__ = [
    "MAX_COMMENT_CHARACTERS",
    "MAX_TYPED_NAME_CHARACTERS",
    "CommentRefused",
    "approved_pdf_request",
    "comment_add",
    "comment_reopen",
    "comment_reply",
    "comment_resolve",
    "document_retry",
    "draft_pdf_request",
    "may_retry",
    "notification_preference_set",
    "plan_approve",
    "plan_record_submission",
    "plan_reopen",
    "plan_request_changes",
    "plan_start_review",
    "plan_submit",
    "plan_withdraw",
    "signature_add",
    "signed_pdf_download_record",
    "signed_pdf_request",
]
