"""Checking a plan's audit chain: every chained row (plans.models.AuditChained, in any app)
read back in order, each link's hash recomputed from its stored fields, and the first row that
does not hold named (docs/decisions/0370)."""

from dataclasses import dataclass

from django.apps import apps

from .chain import GENESIS, link_sha256
from .models import AuditChain, AuditChained, Plan


@dataclass(frozen=True)
class BrokenLink:
    """The first row where the chain does not hold, and why."""

    record: str  # "plans.planevent #42"
    seq: int | None
    reason: str

    def __str__(self):
        place = f"link {self.seq}" if self.seq is not None else "not in the chain"
        return f"{self.record} ({place}): {self.reason}"


@dataclass(frozen=True)
class ChainCheck:
    plan_id: int
    length: int
    head_sha256: str
    broken: BrokenLink | None

    @property
    def intact(self) -> bool:
        return self.broken is None


def chained_models() -> list[type[AuditChained]]:
    """Every concrete model that joins the plans' chain, whichever app defines it."""
    return [model for model in apps.get_models() if issubclass(model, AuditChained)]


def audit_chain_head(plan: Plan) -> tuple[int, str]:
    """The number of links in the plan's chain and the newest one's hash."""
    chain = AuditChain.objects.filter(plan=plan).first()
    return (chain.length, chain.head_sha256) if chain else (0, GENESIS)


def _name(model, pk) -> str:
    return f"{model._meta.label_lower} #{pk}"


def audit_chain_verify(plan: Plan | int) -> ChainCheck:
    plan_id = plan if isinstance(plan, int) else plan.pk
    links = []
    for model in chained_models():
        rows = model.objects.filter(plan_id=plan_id)
        unchained = rows.filter(model.audit_due(), audit_seq__isnull=True).values_list(
            "pk", flat=True
        )
        for pk in unchained[:1]:
            broken = BrokenLink(_name(model, pk), None, "the row is missing from the chain")
            return _check(plan_id, broken)
        chained = rows.filter(audit_seq__isnull=False).values(
            "pk", "audit_seq", "audit_previous_sha256", "audit_sha256", *model.audit_columns()
        )
        links.extend((row["audit_seq"], model, row) for row in chained.iterator())
    links.sort(key=lambda link: link[0])
    previous = GENESIS
    for expected, (seq, model, row) in enumerate(links, 1):
        record = _name(model, row["pk"])
        if seq != expected:
            reason = (
                f"link {expected} is missing (a row was removed)"
                if seq > expected
                else f"two rows claim link {seq}"
            )
            return _check(plan_id, BrokenLink(record, seq, reason))
        if row["audit_previous_sha256"] != previous:
            reason = (
                "the link before it is not the one it was chained to "
                "(a row was removed or replaced)"
            )
            return _check(plan_id, BrokenLink(record, seq, reason))
        digest = link_sha256(
            record=model._meta.label_lower,
            pk=row["pk"],
            seq=seq,
            previous=previous,
            fields=model.audit_fields(row),
        )
        if digest != row["audit_sha256"]:
            reason = "its stored content no longer matches its hash (the row was changed)"
            return _check(plan_id, BrokenLink(record, seq, reason))
        previous = digest
    for model in chained_models():
        unexplained = model.audit_unexplained(plan_id)
        if unexplained is not None:
            pk, reason = unexplained
            seq = model.objects.filter(pk=pk).values_list("audit_seq", flat=True).first()
            return _check(plan_id, BrokenLink(_name(model, pk), seq, reason))
    length, head = audit_chain_head(plan_id)
    if (length, head) != (len(links), previous):
        broken = BrokenLink(
            f"plans.auditchain #{plan_id}",
            length,
            f"the chain head records {length} links ending {head[:12]}…, the rows give "
            f"{len(links)} ending {previous[:12]}… (the newest rows were removed or the head "
            "was changed)",
        )
        return _check(plan_id, broken)
    return ChainCheck(plan_id=plan_id, length=length, head_sha256=head, broken=None)


def _check(plan_id: int, broken: BrokenLink) -> ChainCheck:
    length, head = audit_chain_head(plan_id)
    return ChainCheck(plan_id=plan_id, length=length, head_sha256=head, broken=broken)
