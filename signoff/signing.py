"""Where a plan's signing stands: the one reading of the form's sign-off block against the
live signatures, for every page, email, check and render that needs it.

The form lists its signatories in signing order. The order is kept as *steps*: a signatory
waits until every signatory of the steps before theirs has signed. Today every signatory is a
step of its own; a form whose step holds several signatories, who sign in any order, needs
only ``_blocks`` to read the steps from the template, not a change in the callers, which ask
``waiting_for`` (the blocks open in the current step) rather than for one next signatory.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

from plans.models import Plan

from .models import Signature

# The plan is in the signatories' hands, and it has every signature.
SIGNING_STATUSES = (Plan.Status.APPROVED, Plan.Status.SIGNING)
SIGNED_STATUSES = (Plan.Status.SIGNED, Plan.Status.SUBMITTED_TO_PCT)


@dataclass(frozen=True)
class SignatoryBlock:
    """One signatory of the form's sign-off block: who signs, as the form prints it."""

    role: str
    title: str
    position: int  # in the form's block, from 1
    step: int  # signatories sign after every earlier step is complete


def _blocks(plan: Plan) -> tuple[SignatoryBlock, ...]:
    return tuple(
        SignatoryBlock(
            role=item["role"], title=item.get("title", ""), position=position, step=position
        )
        for position, item in enumerate(plan.template.signatories or [], start=1)
    )


@dataclass(frozen=True)
class SigningState:
    blocks: tuple[SignatoryBlock, ...]
    signatures: tuple[Signature, ...]  # live, in the form's order; empty when built from roles
    signed_roles: frozenset[str]

    @classmethod
    def of(cls, plan: Plan, *, signatures: Iterable[Signature] | None = None) -> "SigningState":
        """The plan's state from its live signatures (one query, unless they are given)."""
        if signatures is None:
            signatures = plan.signatures.live().select_related("user")
        ordered = tuple(sorted(signatures, key=lambda s: (s.position, s.signed_at)))
        return cls(_blocks(plan), ordered, frozenset(s.role for s in ordered))

    @classmethod
    def of_signed_roles(cls, plan: Plan, roles: Iterable[str]) -> "SigningState":
        """The state from the roles that have signed alone, as a list of plans annotates them
        (no query); it knows who has signed, not their signatures."""
        return cls(_blocks(plan), (), frozenset(roles))

    # --- who has signed, who signs next ---

    def block_for(self, role: str) -> SignatoryBlock | None:
        return next((block for block in self.blocks if block.role == role), None)

    def signature_for(self, block: SignatoryBlock) -> Signature | None:
        return next((s for s in self.signatures if s.role == block.role), None)

    def is_signed(self, block: SignatoryBlock) -> bool:
        return block.role in self.signed_roles

    @property
    def open_blocks(self) -> list[SignatoryBlock]:
        return [block for block in self.blocks if not self.is_signed(block)]

    @property
    def waiting_for(self) -> list[SignatoryBlock]:
        """The blocks that may sign now: the unsigned ones of the first step not complete."""
        for _step, blocks in groupby(self.open_blocks, key=lambda block: block.step):
            return list(blocks)
        return []

    def may_sign_now(self, block: SignatoryBlock) -> bool:
        return block in self.waiting_for

    @property
    def is_complete(self) -> bool:
        return not self.open_blocks

    def completed_by(self, block: SignatoryBlock) -> bool:
        """Whether ``block``'s signature is the last one the form needs."""
        return self.open_blocks == [block]

    @property
    def unnamed_signatures(self) -> list[Signature]:
        """Live signatures of roles the form no longer names: printed, never dropped."""
        named = {block.role for block in self.blocks}
        return [s for s in self.signatures if s.role not in named]

    # --- what was signed ---

    @property
    def signed_hashes(self) -> set[str]:
        return {s.content_sha256 for s in self.signatures}

    def hashes_consistent(self, content_sha256: str | None = None) -> bool:
        """Whether every live signature is of the same content, and of ``content_sha256`` when
        given (the plan's content now, or the content a document is for)."""
        hashes = self.signed_hashes
        if content_sha256 is not None:
            return hashes <= {content_sha256}
        return len(hashes) <= 1
