"""The second PCT's form (plans/definitions/examples/northbrook-pct-plan.yaml), its PCT, a
consortium, and the people who write, review and sign its plans, for the tests that take a plan
on that form from import to the signed PDF."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from consortia import services as organisation_services
from consortia.models import Commissioner, Consortium, User
from plans import services as plan_services
from plans import template_files
from plans.models import Plan, PlanTemplate
from signoff import services as review_services
from signoff.models import PlanDocument
from tests.factories import CommissionerFactory, ConsortiumFactory, PracticeFactory, UserFactory
from tests.integration.signoff.pdf_helpers import pdf_text

FORM = template_files.DEFINITIONS_DIR / "examples" / "northbrook-pct-plan.yaml"
TEXT = "<p>Written for the Northbrook form.</p>"
# The four signatories, by the form's steps: the chair, then the Director of Finance and the
# Chief Executive in either order, then the chair of the Professional Executive Committee.
TITLES = {
    "chair": "Chair, Northbrook Health Consortium",
    "finance": "Director of Finance, Northbrook PCT",
    "chief": "Chief Executive, Northbrook PCT",
    "pec": "Chair, Professional Executive Committee",
}
NAMES = {
    "chair": "Dr Nadia Chair",
    "finance": "Frank Finance",
    "chief": "Cath Chief",
    "pec": "Dr Peter Pec",
}


@dataclass
class Northbrook:
    pct: Commissioner
    consortium: Consortium
    editor: User
    lead: User
    signatories: dict[str, User]  # by TITLES' keys


def organisation() -> Northbrook:
    """Northbrook PCT, its consortium with two practices, and its people; the positions the form
    names are held, all but the Director of Finance's (``appoint_finance`` fills it)."""
    pct = CommissionerFactory(slug="northbrook-pct", name="Northbrook PCT")
    consortium = ConsortiumFactory(
        commissioner=pct, slug="northbrook-health", name="Northbrook Health Consortium"
    )
    PracticeFactory(consortium=consortium, name="Mill Lane Surgery", code="N81001", list_size=7200)
    PracticeFactory(consortium=consortium, name="Quay Street Practice", code="N81002")

    def pct_person(role, name):
        return UserFactory(role=role, commissioner=pct, full_name=name)

    signatories = {
        "chair": UserFactory(
            role=User.Role.CONSORTIUM_EXECUTIVE_CHAIR,
            consortium=consortium,
            full_name=NAMES["chair"],
        ),
        "finance": pct_person(User.Role.PCT_OFFICER, NAMES["finance"]),
        "chief": pct_person(User.Role.PCT_CHIEF_EXECUTIVE, NAMES["chief"]),
        "pec": pct_person(User.Role.PEC_COMMITTEE_CHAIR, NAMES["pec"]),
    }
    appoint(signatories["chair"], consortium=consortium, name="Chair")
    appoint(signatories["chief"], name="Chief Executive")
    appoint(signatories["pec"], body="Professional Executive Committee", name="Chair")
    return Northbrook(
        pct=pct,
        consortium=consortium,
        editor=UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=consortium),
        lead=pct_person(User.Role.PCT_LEAD, "Lena Lead"),
        signatories=signatories,
    )


def appoint(user: User, *, consortium=None, body: str = "", name: str) -> None:
    position = organisation_services.position_get_or_create(
        commissioner=user.commissioner, consortium=consortium, body=body, name=name
    )
    organisation_services.position_assign(position=position, user=user, started_on=date(2007, 4, 1))


def appoint_finance(northbrook: Northbrook) -> None:
    appoint(northbrook.signatories["finance"], name="Director of Finance")


def imported() -> PlanTemplate:
    return template_files.load_file(Path(FORM))


def northbrook_plan(northbrook: Northbrook, template: PlanTemplate) -> Plan:
    """The consortium's 2007/08 plan on ``template``, as its editor starts it."""
    return plan_services.plan_create(
        consortium=northbrook.consortium,
        template=template,
        period="2007/08",
        title="Northbrook Health Consortium PBC Plan 2007/08",
        user=northbrook.editor,
    )


def written_plan(northbrook: Northbrook, template: PlanTemplate) -> Plan:
    """A plan on the form with every question of the consortium's answered."""
    plan = northbrook_plan(northbrook, template)
    for answer in plan.answers.select_related("question"):
        question = answer.question
        if question.completed_by == "pct":
            continue
        if question.kind == "table":
            rows = answer.rows or [{}]
            filled = [
                {column["key"]: row.get(column["key"]) or "1" for column in question.columns}
                for row in rows
            ]
            plan_services.answer_save(
                answer=answer, user=northbrook.editor, base_version=answer.version, rows=filled
            )
        else:
            plan_services.answer_save(
                answer=answer, user=northbrook.editor, base_version=answer.version, text=TEXT
            )
    return plan


def approved(northbrook: Northbrook, plan: Plan) -> Plan:
    """``plan`` submitted, reviewed with the PCT's assessment written, and approved."""
    review_services.plan_submit(plan=plan, user=northbrook.editor)
    review_services.plan_start_review(plan=plan, user=northbrook.lead)
    assessment = plan.answers.get(question__key="pct-assessment")
    plan_services.answer_save(
        answer=assessment, user=northbrook.lead, base_version=assessment.version, text="<p>Ok.</p>"
    )
    return review_services.plan_approve(plan=plan, user=northbrook.lead)


def approved_plan(northbrook: Northbrook) -> Plan:
    """A plan on the imported form, written, reviewed and approved."""
    return approved(northbrook, written_plan(northbrook, imported()))


def signed_pdf(plan: Plan) -> bytes:
    """The signed plan's PDF, made, with every signatory's title and name in its text."""
    document = PlanDocument.objects.get(plan=plan, kind=PlanDocument.Kind.SIGNED)
    assert document.state == PlanDocument.State.READY, document.failure_reason
    text = pdf_text(document.pdf)
    for key in TITLES:
        assert TITLES[key] in text and NAMES[key] in text, key
    return bytes(document.pdf)
