"""Is this a plan we sealed? The check behind the public verification page.

A file is *sealed* when it is byte for byte a signed PDF this service issued (its SHA-256 is
a ready signed document's), or the approved PDF of a plan whose form ends at approval
(decision 0457). Otherwise, if it carries this service's seal at all, it is
*altered*: changed since it was sealed, however slightly, even where the change falls outside
what the signature covers. Anything else is *unknown*: we did not seal it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from enum import StrEnum

from django.utils.formats import date_format
from django.utils.timezone import localtime

from . import seal
from .models import PlanDocument, SealCertificate, Signature
from .rendering import SEALED_KINDS
from .seal_certificates import seal_certificate_of, seal_certificates_known
from .signing import approval_given, approval_of


class Outcome(StrEnum):
    SEALED = "sealed"
    ALTERED = "altered"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Signatory:
    name: str  # the account holder's, as the PDF's sign-off block and certificate print it
    typed_name: str  # the signature they typed
    typed_otherwise: bool  # the typed signature is not simply the account holder's name
    title: str
    date: str


@dataclass(frozen=True)
class VerifyResult:
    outcome: Outcome
    file_sha256: str
    seal: seal.Verification
    plan_title: str = ""
    consortium: str = ""
    commissioner: str = ""
    period: str = ""
    form: str = ""
    content_sha256: str = ""
    sealed_on: str = ""
    signatories: list[Signatory] = field(default_factory=list)
    # For the PDF of a plan whose form ends at approval: who approved it (the person, for the
    # body the form names) and on what day.
    approved_by: str = ""
    approved_on: str = ""
    superseded: bool = False
    # The certificate on record that made the seal (current or replaced), if it is ours.
    certificate: SealCertificate | None = None

    @property
    def seal_intact(self) -> bool:
        return self.seal.intact and self.seal.whole_file


def _issued(digest: str) -> PlanDocument | None:
    return (
        PlanDocument.objects.filter(
            kind__in=SEALED_KINDS, state=PlanDocument.State.READY, file_sha256=digest
        )
        .select_related("plan__consortium__commissioner", "plan__template")
        .defer("pdf")
        .first()
    )


def verify_upload(data: bytes) -> VerifyResult:
    """What a person who uploads ``data`` may be told about it. Only what the signed plan
    itself shows: the plan, its consortium and period, who signed (the account holder's name and
    the signature they typed) as what and when; or, for an approved plan's PDF, who approved it
    and on what day."""
    digest = hashlib.sha256(data).hexdigest()
    checked = seal.verify_pdf(data, known=seal_certificates_known())
    certificate = seal_certificate_of(checked.signer_fingerprint) if checked.ours else None
    document = _issued(digest)
    if document is None:
        outcome = Outcome.ALTERED if checked.ours else Outcome.UNKNOWN
        return VerifyResult(
            outcome=outcome, file_sha256=digest, seal=checked, certificate=certificate
        )
    plan = document.plan
    finished = document.finished_at
    issued = VerifyResult(
        outcome=Outcome.SEALED,
        file_sha256=digest,
        seal=checked,
        plan_title=plan.title,
        consortium=plan.consortium.name,
        commissioner=plan.consortium.commissioner.name,
        period=plan.period,
        form=f"{plan.template.name}, {plan.template.version_label}",
        content_sha256=document.content_sha256,
        sealed_on=date_format(localtime(finished), "DATE_FORMAT") if finished else "",
        certificate=certificate,
    )
    if document.kind == PlanDocument.Kind.APPROVED:
        return _approved(issued, document)
    signed = Signature.objects.filter(
        plan=plan, content_sha256=document.content_sha256
    ).select_related("user")
    if finished is not None:
        signed = signed.filter(signed_at__lte=finished)
    # The signatures the file prints: for each role, the last one before the file was made.
    by_role = {s.role: s for s in signed.order_by("signed_at", "pk")}
    signatures = sorted(by_role.values(), key=lambda s: (s.position, s.signed_at))
    return replace(
        issued,
        signatories=[
            Signatory(
                name=s.signer,
                typed_name=s.typed_name,
                typed_otherwise=s.typed_otherwise,
                title=s.title,
                date=date_format(localtime(s.signed_at), "DATETIME_FORMAT"),
            )
            for s in signatures
        ],
        superseded=any(s.voided_at is not None for s in signatures),
    )


def _approved(issued: VerifyResult, document: PlanDocument) -> VerifyResult:
    """The approval the approved PDF prints (the last before it was asked for), and whether
    the plan has been sent back since."""
    approval = approval_given(document.plan, by=document.requested_at)
    current = approval_of(document.plan)
    return replace(
        issued,
        approved_by=approval.by_whom,
        approved_on=date_format(localtime(approval.on), "DATE_FORMAT") if approval.on else "",
        superseded=current is None or current.on != approval.on,
    )
