"""Plans at any point of review and sign-off, for tests of the workflow."""

from datetime import UTC, datetime

from consortia.demo import appoint_by_role
from consortia.models import User
from plans import services as plan_services
from plans import template_files
from plans.models import Plan
from plans.selectors import missing_required
from signoff import pdf, seal, services
from signoff.canonical import content_sha256
from signoff.models import Comment, PlanDocument, Signature
from tests.factories import PASSWORD, CommissionerFactory, ConsortiumFactory, UserFactory
from tests.plan_factories import template_definition
from tests.two_factor import recovery_code

Role = User.Role
Status = Plan.Status
SIGNATORIES = [
    {
        "key": "consortium-executive-chair",
        "title": "Consortium Executive Chair",
        "side": "consortium",
        "body": "",
        "position": "Executive Chair",
        "step": 1,
    },
    {
        "key": "pct-joint-pec-commissioning-committee-chair",
        "title": "Joint PEC Commissioning Committee Chair",
        "side": "pct",
        "body": "Joint PEC Commissioning Committee",
        "position": "Chair",
        "step": 2,
    },
    {
        "key": "pct-chief-executive",
        "title": "PCT Chief Executive",
        "side": "pct",
        "body": "",
        "position": "Chief Executive",
        "step": 3,
    },
]
# Who holds each of SIGNATORIES' positions, by the access role that stands for it.
SIGNATORY_ROLES = [
    Role.CONSORTIUM_EXECUTIVE_CHAIR,
    Role.PEC_COMMITTEE_CHAIR,
    Role.PCT_CHIEF_EXECUTIVE,
]


def three_signatory_plan(*, consortium=None, questions: int = 5, answered: bool = True) -> Plan:
    """A small plan on a form signed by the three signatories, its required answers filled."""
    consortium = consortium or ConsortiumFactory(commissioner=CommissionerFactory())
    definition = template_definition(
        questions=questions, issuer=consortium.commissioner.slug, family=f"review-{consortium.pk}"
    )
    definition["signatories"] = [{**block, "step": str(block["step"])} for block in SIGNATORIES]
    template = template_files.store(definition)
    plan = plan_services.plan_create(
        consortium=consortium, template=template, period="2006/07", title="Review test plan"
    )
    if answered:
        plan.answers.update(text="<p>Answered.</p>", version=1, prefilled=False)
    return plan


def sign(
    plan: Plan,
    user: User,
    *,
    password: str = PASSWORD,
    code: str | None = None,
    typed_name: str | None = None,
    **extra,
) -> Signature:
    """``user`` signs ``plan`` as a person would: password, a recovery code (or ``code``), their
    name typed (or ``typed_name``) and the confirmation ticked (``extra`` adds the request's
    address and agent)."""
    return services.signature_add(
        plan=plan,
        user=user,
        password=password,
        code=code or recovery_code(user),
        typed_name=typed_name or user.full_name,
        confirmed=True,
        **extra,
    )


def person(role: str, plan: Plan, **kwargs) -> User:
    """Someone holding ``role`` in the plan's consortium or its PCT; the first signatory of a
    role there holds the position the role stands for (consortia.demo.SIGNATORY_POSITIONS)."""
    if role in User.CONSORTIUM_ROLES:
        user = UserFactory(role=role, consortium=plan.consortium, **kwargs)
    elif role in User.COMMISSIONER_ROLES:
        user = UserFactory(role=role, commissioner=plan.consortium.commissioner, **kwargs)
    else:
        return UserFactory(role=role, **kwargs)
    appoint_by_role(user)
    return user


def signature_for(
    plan: Plan, block: dict, position: int, user: User, *, typed_name: str | None = None
) -> Signature:
    """``user``'s signature for ``block``, typed as their account's name unless ``typed_name``."""
    return Signature.objects.create(
        plan=plan,
        role=block["key"],
        title=block["title"],
        position=position,
        user=user,
        typed_name=typed_name or user.full_name,
        signed_at=plan.created_at,
        content_sha256=content_sha256(plan),
    )


def plan_document(plan: Plan, *, kind=PlanDocument.Kind.SIGNED, **fields) -> PlanDocument:
    """A document row of the plan, bound to the plan's content as it stands unless told."""
    fields.setdefault("content_sha256", content_sha256(plan))
    return PlanDocument.objects.create(plan=plan, kind=kind, **fields)


def pct_only_comment(plan: Plan, user: User, body: str, *, question) -> Comment:
    """A thread ``user`` (PCT staff) starts on ``question`` that the consortium never sees."""
    return services.comment_add(
        plan=plan,
        user=user,
        body=body,
        question=question,
        visibility=Comment.Visibility.INTERNAL,
    )


def put_in_state(plan: Plan, status: str) -> Plan:
    """Sets the status directly, with the signatures and PDF that state implies."""
    plan.status = status
    plan.save(update_fields=["status"])
    signed = {Status.SIGNING: 1, Status.SIGNED: 3, Status.SUBMITTED_TO_PCT: 3}.get(status, 0)
    for position, (block, role) in enumerate(
        zip(SIGNATORIES[:signed], SIGNATORY_ROLES, strict=False), start=1
    ):
        signature_for(plan, block, position, person(role, plan))
    if signed == 3:
        plan_document(
            plan,
            state=PlanDocument.State.READY,
            pdf=b"%PDF-1.7 test",
        )
    return plan


def issued_pdf(
    plan: Plan, *, names: list[str] | None = None, typed_names: list[str] | None = None
) -> bytes:
    """The plan signed by all three, rendered, sealed and stored as the service does (``names``:
    the accounts' names; ``typed_names``: what each typed, when not their account's name)."""
    names = names or [None] * len(SIGNATORIES)
    typed_names = typed_names or [None] * len(SIGNATORIES)
    signatures = [
        signature_for(
            plan, block, position, person(role, plan, **named(name)), typed_name=typed_name
        )
        for position, (block, role, name, typed_name) in enumerate(
            zip(SIGNATORIES, SIGNATORY_ROLES, names, typed_names, strict=True), start=1
        )
    ]
    digest = content_sha256(plan)
    rendered = pdf.render_plan_pdf(plan=plan, signatures=signatures, content_sha256=digest)
    data = seal.seal_pdf(rendered.pdf, reason="Signed plan", location="PBC Plans")
    plan_document(
        plan,
        content_sha256=digest,
        state=PlanDocument.State.READY,
        pdf=data,
        file_sha256=seal.sha256(data),
        page_count=rendered.page_count,
        finished_at=datetime.now(UTC),
    )
    return data


def named(name: str | None) -> dict:
    return {"full_name": name} if name else {}


def demo_user(prefix: str, organisation: str) -> User:
    """A demo person by their email's parts: ("lead", "dacorum-pct")."""
    return User.objects.get(email=f"{prefix}.{organisation}@example.org")


def approve(plan: Plan) -> Plan:
    """Through the workflow when the demo answers allow it, else straight to approved."""
    pct = plan.consortium.commissioner.slug
    lead = demo_user("lead", pct)
    if plan.status == Plan.Status.DRAFT and not missing_required(plan):
        services.plan_submit(plan=plan, user=demo_user("editor", plan.consortium.slug))
        services.plan_start_review(plan=plan, user=lead)
        services.plan_approve(plan=plan, user=lead)
    else:
        plan.status = Plan.Status.APPROVED
        plan.save(update_fields=["status"])
    plan.refresh_from_db()
    return plan
