"""Signing: each signatory signs the approved plan in the form's order, bound to its content."""

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice

from consortia import credentials
from consortia.names import direction_control_refusal
from plans.models import Plan, PlanEvent
from plans.workflow import Action, may_take

from ..errors import Refused
from ..models import SecondFactor, Signature
from ..signing import SignatoryBlock, SigningState
from .documents import signed_pdf_request
from .review import plan_locked, take_transition, what_happened

MAX_TYPED_NAME_CHARACTERS = 200


def _turn(user, plan: Plan) -> tuple[SigningState, SignatoryBlock]:
    """The plan's signing state and the signatory ``user`` signs as now; refused with why not."""
    decision = may_take(user, plan, Action.SIGN)
    if not decision:
        raise Refused(decision.reason + what_happened(plan))
    state = SigningState.of(plan)
    turn = state.turn_of(user, plan)
    if turn.block is None:
        raise Refused(turn.reason)
    return state, turn.block


def _second_factor(device) -> SecondFactor:
    """What confirmed the signature beside the password: the device the code matched."""
    if device is None:
        return SecondFactor.NONE
    if isinstance(device, StaticDevice):
        return SecondFactor.RECOVERY_CODE
    return SecondFactor.AUTHENTICATOR


def signature_add(
    *,
    plan: Plan,
    user,
    password: str,
    typed_name: str,
    confirmed: bool,
    code: str = "",
    request=None,
    ip_address: str | None = None,
    user_agent: str = "",
) -> Signature:
    """Signs the approved plan for the position the user holds, bound to the SHA-256 of its
    content.

    Refused, with the reason, when it is not the user's turn, they have signed already, they
    hold no position the form asks to sign, the password or the second-factor code is wrong
    (each counts towards the sign-in lockout of ``request``'s address) or they did not confirm.
    """
    typed_name = (typed_name or "").strip()
    if not confirmed:
        raise Refused("Confirm that you are signing the plan as it stands.")
    if not typed_name:
        raise Refused("Type your full name as your signature.")
    if len(typed_name) > MAX_TYPED_NAME_CHARACTERS:
        raise Refused(f"A name can have at most {MAX_TYPED_NAME_CHARACTERS} characters.")
    if problem := direction_control_refusal(typed_name):
        raise Refused(f"{problem}.")
    # Whose turn it is, read first without the lock, so that a post from a stale page spends
    # no code on a refusal; read again under the lock below, where it counts.
    _turn(user, Plan.objects.select_related("consortium", "template").get(pk=plan.pk))
    # Checked before the plan is locked: hashing a password is slow, and needs no lock.
    try:
        device = credentials.identity_confirm(
            request=request,
            user=user,
            password=password or "",
            code=code if credentials.second_factor_expected(user) else None,
        )
    except credentials.NotConfirmed as refusal:
        raise Refused(refusal.message, field=refusal.field or None) from None
    with transaction.atomic():
        locked = plan_locked(plan)
        state, mine = _turn(user, locked)
        content_hash = state.content_sha256(locked)
        if not state.hashes_consistent(content_hash):
            raise Refused(
                "The plan's content is not what the earlier signatories signed. Ask the PCT "
                "lead to reopen it for changes and approve it again."
            )
        signature = Signature.objects.create(
            plan=locked,
            role=mine.key,
            title=mine.title,
            position=mine.position,
            user=user,
            typed_name=typed_name,
            signed_at=timezone.now(),
            ip_address=ip_address,
            user_agent=(user_agent or "")[:500],
            content_sha256=content_hash,
            canonical_version=state.canonical_version,
            second_factor=_second_factor(device),
        )
        last = state.completed_by(mine)
        take_transition(
            plan=locked,
            user=user,
            action=Action.SIGN,
            comment=f"Signed as {mine.title} ({typed_name}), confirmed with "
            f"{signature.confirmed_with[0].lower()}{signature.confirmed_with[1:]}.",
            ip_address=ip_address,
            target=Plan.Status.SIGNED if last else Plan.Status.SIGNING,
            event_kind=PlanEvent.Kind.SIGNATURE,
        )
        if last:
            signed_pdf_request(plan=locked, content_sha256=content_hash)
    return signature
