"""Where a plan's signing stands: the one reading of the form's sign-off block against the
live signatures, for every page, email, check and render that needs it.

The form lists its signatories in signing order, grouped in *steps*: a signatory waits until
every signatory of the steps before theirs has signed, and the signatories of one step sign in
any order. Each signatory is a position (the PCT's Director of Finance, the consortium's
chair): whoever holds it when the plan reaches it signs. Callers ask ``waiting_for`` (the blocks
open in the current step) rather than for one next signatory.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from django.conf import settings

from consortia import selectors as organisation_selectors
from consortia.dates import long_moment
from consortia.models import Position, User
from consortia.presenters import role_label
from plans.models import Plan, PlanEvent

from . import canonical
from .models import Signature

# The plan is in the signatories' hands, and it has every signature.
SIGNING_STATUSES = (Plan.Status.APPROVED, Plan.Status.SIGNING)
SIGNED_STATUSES = (Plan.Status.SIGNED, Plan.Status.SUBMITTED_TO_PCT)


@dataclass(frozen=True)
class SignatoryBlock:
    """One signatory of the form's sign-off block: who signs, as the form prints it."""

    key: str  # what its signatures are filed under (Signature.role)
    title: str
    side: str  # "consortium" or "pct": whose position it is
    body: str  # the committee or board the position belongs to, if any
    position_name: str  # "Director of Finance"
    position: int  # in the form's block, from 1
    step: int  # signatories sign after every earlier step is complete

    @property
    def label(self) -> str:
        """The position that signs, with its side: "PCT Director of Finance"."""
        side = "PCT" if self.side == "pct" else "consortium"
        return " ".join(part for part in (side, self.body, self.position_name) if part)

    def signed_by(self, position: Position, plan: Plan) -> bool:
        """Whether ``position`` is the one that signs this block for ``plan`` (names compared
        ignoring case, as positions are unique ignoring case)."""
        consortium_id = plan.consortium_id if self.side == "consortium" else None
        return (
            position.commissioner_id == plan.consortium.commissioner_id
            and position.consortium_id == consortium_id
            and position.body.casefold() == self.body.casefold()
            and position.name.casefold() == self.position_name.casefold()
        )


def _blocks(plan: Plan) -> tuple[SignatoryBlock, ...]:
    return tuple(
        SignatoryBlock(
            key=item["key"],
            title=item["title"],
            side=item["side"],
            body=item["body"],
            position_name=item["position"],
            position=position,
            step=item["step"],
        )
        for position, item in enumerate(plan.template.signatories or [], start=1)
    )


@dataclass(frozen=True)
class Turn:
    """Which of the form's signatories a person signs as now (``block``), or, when none, why
    they cannot sign now (``reason``): the same words on the sign page and on a refusal."""

    block: SignatoryBlock | None
    reason: str = ""


@dataclass(frozen=True)
class SigningState:
    blocks: tuple[SignatoryBlock, ...]
    signatures: tuple[Signature, ...]  # live, in the form's order; empty when built from keys
    signed_keys: frozenset[str]

    @classmethod
    def of(cls, plan: Plan, *, signatures: Iterable[Signature] | None = None) -> "SigningState":
        """The plan's state from its live signatures (one query, unless they are given)."""
        if signatures is None:
            signatures = plan.signatures.live().select_related("user")
        ordered = tuple(sorted(signatures, key=lambda s: (s.position, s.signed_at)))
        return cls(_blocks(plan), ordered, frozenset(s.role for s in ordered))

    @classmethod
    def of_signed_keys(cls, plan: Plan, keys: Iterable[str]) -> "SigningState":
        """The state from the signatory keys that have signed alone, as a list of plans
        annotates them (no query); it knows who has signed, not their signatures."""
        return cls(_blocks(plan), (), frozenset(keys))

    # --- who has signed, who signs next ---

    def block_for(self, key: str) -> SignatoryBlock | None:
        return next((block for block in self.blocks if block.key == key), None)

    def signature_for(self, block: SignatoryBlock) -> Signature | None:
        return next((s for s in self.signatures if s.role == block.key), None)

    def is_signed(self, block: SignatoryBlock) -> bool:
        return block.key in self.signed_keys

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

    def signs_after(self, block: SignatoryBlock) -> list[SignatoryBlock]:
        """The signatories immediately before ``block`` in the form's order: every one of the
        nearest earlier step (none for the first step), whether or not they have signed."""
        earlier = [other.step for other in self.blocks if other.step < block.step]
        if not earlier:
            return []
        return [other for other in self.blocks if other.step == max(earlier)]

    def order_sentence(self, block: SignatoryBlock) -> str:
        """Who ``block`` signs after, as the plan page says it: "Director of Finance, Riverside
        PCT" (the sign page and a refusal name, of these, those still to sign: ``turn_of``)."""
        return " and the ".join(other.title for other in self.signs_after(block))

    def turn_of(self, user, plan: Plan) -> Turn:
        """Whether ``user`` signs ``plan`` now, and as which signatory (from the live
        signatures: a state built with ``of``)."""
        held = blocks_held_by(user, plan, self.blocks)
        if not held:
            return Turn(
                None,
                "This form does not ask for a signature from a position you hold; it asks for: "
                + "; ".join(block.label for block in self.blocks)
                + ".",
            )
        # Someone who holds two of the form's positions signs the one whose turn it is first.
        mine = next((block for block in held if self.may_sign_now(block)), None) or next(
            (block for block in held if not self.is_signed(block)), held[0]
        )
        given = self.signature_for(mine)
        if given is not None:
            when = long_moment(given.signed_at)
            who = "You" if given.user_id == user.pk else given.signer
            return Turn(
                None, f"{who} signed as {given.title} on {when}. Each signature is given once."
            )
        if not self.may_sign_now(mine):
            # Those of the step just before who have still to sign, and whoever the plan waits
            # for now when that is someone earlier.
            waiting = self.waiting_for
            before = [b for b in self.signs_after(mine) if not self.is_signed(b)] or waiting
            now = (
                ""
                if set(waiting) <= set(before)
                else f" The plan is waiting for the {' and the '.join(b.title for b in waiting)} "
                "to sign now."
            )
            return Turn(
                None,
                f"The {' and the '.join(b.title for b in before)} "
                f"{'signs' if len(before) == 1 else 'sign'} before you: the form's signatures are "
                f"given in its order.{now} You will be told when it is your turn.",
            )
        return Turn(mine)

    @property
    def is_complete(self) -> bool:
        return not self.open_blocks

    def completed_by(self, block: SignatoryBlock) -> bool:
        """Whether ``block``'s signature is the last one the form needs."""
        return self.open_blocks == [block]

    @property
    def unnamed_signatures(self) -> list[Signature]:
        """Live signatures of roles the form no longer names: printed, never dropped."""
        named = {block.key for block in self.blocks}
        return [s for s in self.signatures if s.role not in named]

    # --- what was signed ---

    @property
    def signed_hashes(self) -> set[str]:
        return {s.content_sha256 for s in self.signatures}

    @property
    def canonical_version(self) -> int:
        """The canonical content version the next signature hashes: the one the live
        signatures hashed (a signing begun under version 1 ends under it), else the current."""
        versions = {s.canonical_version for s in self.signatures}
        return versions.pop() if len(versions) == 1 else canonical.CURRENT

    def content_sha256(self, plan: Plan, *, content=None) -> str:
        """The plan's content hash now, in the version its signatures hash."""
        return canonical.content_sha256(plan, version=self.canonical_version, content=content)

    def hashes_consistent(self, content_sha256: str | None = None) -> bool:
        """Whether every live signature is of the same content, and of ``content_sha256`` when
        given (the plan's content now, or the content a document is for)."""
        hashes = self.signed_hashes
        if content_sha256 is not None:
            return hashes <= {content_sha256}
        return len(hashes) <= 1


# --- Who holds the positions that sign ------------------------------------------------------------


def _position_of(plan: Plan, block: SignatoryBlock) -> Position | None:
    return organisation_selectors.position_named(
        commissioner_id=plan.consortium.commissioner_id,
        consortium_id=plan.consortium_id if block.side == "consortium" else None,
        body=block.body,
        name=block.position_name,
    )


def holder_of(plan: Plan, block: SignatoryBlock) -> User | None:
    """Who holds the position that signs ``block`` for this plan today, if anyone."""
    return organisation_selectors.holder_of(_position_of(plan, block))


def positions_held_by(user) -> list[Position]:
    """Every position ``user`` holds today (one query), to match against plans' blocks."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(organisation_selectors.positions_held_by(user))


def blocks_held_by(
    user, plan: Plan, blocks: Iterable[SignatoryBlock], *, positions: list[Position] | None = None
) -> list[SignatoryBlock]:
    """The blocks whose positions ``user`` holds today for this plan, in the form's order
    (``positions``: what ``positions_held_by`` gave, for a list of plans)."""
    if positions is None:
        positions = positions_held_by(user)
    return [
        block for block in blocks if any(block.signed_by(position, plan) for position in positions)
    ]


def organisation_of(plan: Plan, block: SignatoryBlock):
    """The PCT or the consortium whose position signs ``block``."""
    return plan.consortium if block.side == "consortium" else plan.consortium.commissioner


class Holders:
    """Who holds which of a PCT's and its consortia's positions today: read once per PCT, so a
    list of plans costs one query per PCT, not one per plan."""

    def __init__(self):
        self._appointments: dict[int, list] = {}

    def _of(self, commissioner_id: int) -> list:
        if commissioner_id not in self._appointments:
            self._appointments[commissioner_id] = list(
                organisation_selectors.appointments_held(commissioner_id=commissioner_id)
            )
        return self._appointments[commissioner_id]

    def held_in(self, commissioner_id: int) -> list:
        """Today's appointments in the PCT and its consortia."""
        return self._of(commissioner_id)

    def positions_of(self, user) -> list[Position]:
        """The positions ``user`` holds today in their own PCT and its consortia."""
        if not getattr(user, "commissioner_id", None):
            return []
        return [a.position for a in self._of(user.commissioner_id) if a.user_id == user.pk]

    def names_holding(self, plan: Plan, block: SignatoryBlock) -> str:
        """Who holds ``block``'s position today, for those waiting on them: "Dr A Chair", or
        several joined by "or"; "" when no one does."""
        return " or ".join(
            str(appointment.user)
            for appointment in self._of(plan.consortium.commissioner_id)
            if block.signed_by(appointment.position, plan)
        )

    def unheld(self, plan: Plan, blocks: Iterable[SignatoryBlock]) -> list[str]:
        """A sentence for each of ``blocks`` whose position no one holds: the plan cannot go
        on until someone is assigned."""
        held = [appointment.position for appointment in self._of(plan.consortium.commissioner_id)]
        return [
            f"No one holds {block.label} at {organisation_of(plan, block)}: assign someone."
            for block in blocks
            if not any(block.signed_by(position, plan) for position in held)
        ]


@dataclass(frozen=True)
class Approval:
    """The approval that completes a plan whose form asks for no signatures (decision 0361)."""

    by: str  # the body the form names, with its article: "the Professional Executive Committee"
    on: datetime | None  # when the PCT recorded it, if the plan's history says
    # Who pressed Approve, as the plan's history records them: "Jane Smith (PCT lead)".
    approver: str = ""

    @property
    def by_whom(self) -> str:
        """Who approved the plan, as its PDF and the verification page say it: "Jane Smith
        (PCT lead) for the Professional Executive Committee", or the body alone when the
        plan's history does not say who pressed Approve."""
        return f"{self.approver} for {self.by}" if self.approver else self.by


def _approver(actor) -> str:
    if actor is None or not actor.full_name:
        return ""
    role = role_label(actor.role)
    return f"{actor.full_name} ({role})" if role else actor.full_name


def approved_by(plan: Plan) -> str:
    return f"the {plan.template.approved_by or settings.COMMISSIONER_WORD}"


def approval_of(plan: Plan) -> Approval | None:
    """For a plan whose form ends at approval, its approval once given: the plan is then
    complete and final (docs/decisions/0328). None for a form with signatories, or before."""
    if plan.template.signatories or plan.status not in SIGNING_STATUSES + SIGNED_STATUSES:
        return None
    return approval_given(plan)


def approval_given(plan: Plan, *, by: datetime | None = None) -> Approval:
    """The plan's last approval (before ``by``, when given), whatever the plan's status since:
    what the approved PDF asked for at ``by`` prints, and what checking that file reports."""
    approvals = PlanEvent.objects.filter(
        plan=plan, kind=PlanEvent.Kind.TRANSITION, to_status=Plan.Status.APPROVED
    )
    if by is not None:
        approvals = approvals.filter(created_at__lte=by)
    last = approvals.select_related("actor").order_by("-created_at", "-pk").first()
    if last is None:
        return Approval(by=approved_by(plan), on=None)
    return Approval(by=approved_by(plan), on=last.created_at, approver=_approver(last.actor))


def approval_ends(plan: Plan) -> str:
    """What approval means for a form with no sign-off block: the plan is complete."""
    return f"the plan is approved by {approved_by(plan)}, and its form asks for no signatures."
