"""Plans built from small generated templates, or from the demo files."""

from datetime import date, timedelta

from consortia.models import Consortium, User
from plans import assignments, round_selectors, rounds, services, tasks, template_files
from plans.models import Answer, Assignment, Plan, PlanTemplate
from tests import demo_data
from tests.factories import CommissionerFactory, ConsortiumFactory, UserFactory


def template_definition(
    *,
    questions: int = 10,
    issuer: str,
    family: str = "test-form",
    asks_participation: bool = False,
) -> dict:
    """A published form with a practices table, a PCT question and ``questions`` in all, its
    slug made of the family and the version; ``asks_participation`` makes the last a DES
    payment to the practices who confirm their participation (docs/decisions/0329)."""
    items = [
        {
            "key": "practices",
            "number": "1.1",
            "title": "Practices",
            "completed_by": "consortium",
            "kind": "table",
            "columns": [{"key": "name", "label": "Practice"}, {"key": "code", "label": "Code"}],
            "prefill": "practices",
        },
        {
            "key": "fair-shares",
            "number": "1.2",
            "title": "Fair shares weighting",
            "completed_by": "pct",
            "kind": "rich_text",
        },
    ]
    items += [
        {
            "key": f"question-{n}",
            "number": f"2.{n}",
            "title": f"Question {n}",
            "completed_by": "consortium" if n % 3 else "both",
            "kind": "rich_text",
            "required": n != 3,
        }
        for n in range(1, questions - 1)
    ]
    if asks_participation:
        items[-1] |= {
            "kind": "des_funding",
            "title": "DES funding",
            "parameters": {"participation": "confirmed"},
        }
    return {
        "slug": f"{family}-v{questions}",
        "family": family,
        "issuer": issuer,
        "name": "Test commissioning plan",
        "version_label": f"v{questions}",
        "status": "published",
        "signatories": [{"title": "Chair", "side": "consortium", "position": "Executive Chair"}],
        "parts": [
            {"key": "one", "number": "1", "title": "Part one", "questions": items[:2]},
            {"key": "two", "number": "2", "title": "Part two", "questions": items[2:]},
            {
                "key": "sign-off",
                "number": "3",
                "title": "Sign-off",
                "questions": [
                    {
                        "key": "sign-off",
                        "number": "3",
                        "title": "Sign-off",
                        "completed_by": "both",
                        "kind": "signoff",
                        "required": False,
                    }
                ],
            },
        ],
    }


def plan_with_questions(
    *, questions: int = 10, consortium=None, user=None, asks_participation: bool = False
) -> Plan:
    consortium = consortium or ConsortiumFactory(commissioner=CommissionerFactory())
    template = template_files.store(
        template_definition(
            questions=questions,
            issuer=consortium.commissioner.slug,
            family=f"test-form-{consortium.pk}",
            asks_participation=asks_participation,
        )
    )
    return services.plan_create(
        consortium=consortium, template=template, period="2006/07", title="Test plan", user=user
    )


STRUCTURED_KINDS = [
    "projects", "savings_target", "business_cases", "milestones", "success_criteria", "hours",
    "des_funding", "outcome_framework", "freed_up_resources", "self_assessment",
]  # fmt: skip


def plan_with_every_kind(*, consortium=None) -> Plan:
    """A draft whose first part holds a question of every kind (a two-column table, two rich
    texts, each structured kind), the self-assessment rated against Dacorum's framework."""
    consortium = consortium or ConsortiumFactory(commissioner=CommissionerFactory())
    definition = template_definition(
        questions=4, issuer=consortium.commissioner.slug, family=f"every-kind-{consortium.pk}"
    )
    questions = definition["parts"][0]["questions"]
    questions += [
        {
            "key": kind.replace("_", "-"),
            "number": f"1.{number}",
            "title": kind.replace("_", " ").capitalize(),
            "completed_by": "both",
            "kind": kind,
            "required": False,
        }
        for number, kind in enumerate(STRUCTURED_KINDS, start=3)
    ]
    plan = services.plan_create(
        consortium=consortium,
        template=template_files.store(definition),
        period="2006/07",
        title="Every kind",
    )
    plan.answers.filter(question__kind="self_assessment").update(
        data={"framework": "dacorum-pbc-framework"}
    )
    return plan


def demo_daccom_plan() -> Plan:
    """The demo organisations and plans loaded (tests/demo_data.py), and DacCom's 2006/07 plan."""
    demo_data.load_organisations_and_plans()
    return daccom_plan_as_loaded()


def daccom_plan_as_loaded() -> Plan:
    """DacCom's 2006/07 demo plan as the database holds it; loads nothing."""
    return Plan.objects.get(consortium__slug="daccom", template__slug="daccom-locality-plan-2006")


def demo_template(slug: str) -> PlanTemplate:
    return PlanTemplate.objects.get(slug=slug)


def demo_daccom_plan_with_comments() -> Plan:
    """The demo DacCom plan with the reviewers' seed comments on their passages."""
    demo_data.load_with_comments()
    return daccom_plan_as_loaded()


# --- The planning year (plans/rounds.py) ---------------------------------------------------

# The keys the later DacCom form renumbers 7.1-7.8 to 7.2-7.9.
MOVED = {
    "quality-of-patient-care": ("7.1", "7.2"),
    "measuring-quality-of-care": ("7.2", "7.3"),
    "management-structure": ("7.3", "7.4"),
    "quality-requirements-and-nhs-targets": ("7.4", "7.5"),
    "stakeholder-involvement": ("7.5", "7.6"),
    "patient-and-carer-involvement": ("7.6", "7.7"),
    "risks": ("7.7", "7.8"),
    "workforce-skills": ("7.8", "7.9"),
}


def pct_lead(commissioner) -> User:
    return UserFactory(role=User.Role.PCT_LEAD, consortium=None, commissioner=commissioner)


def assign(plan, user, assignee, *, part=None, question=None, days=7) -> Assignment:
    """``user`` gives ``assignee`` the ``part`` or ``question`` (by default the form's first
    part), due ``days`` from today."""
    if part is None and question is None:
        part = plan.template.parts.first()
    return assignments.assignment_set(
        plan=plan,
        part=part,
        question=question,
        assignee=assignee,
        due_on=round_selectors.today() + timedelta(days=days),
        user=user,
    )


def daccom_round(**overrides):
    """Dacorum's 2007/08 round on the later DacCom form, DacCom taking part."""
    demo_daccom_plan()
    daccom = Consortium.objects.get(slug="daccom")
    arguments = {
        "commissioner": daccom.commissioner,
        "period": "2007/08",
        "template": demo_template("daccom-locality-plan-2006"),
        "deadline": date(2007, 3, 31),
        "consortia": [daccom],
        "user": pct_lead(daccom.commissioner),
        "today": date(2007, 1, 2),  # opened in the demo's year, before its deadline
    } | overrides
    return rounds.round_open(**arguments), daccom


def draft_on_the_earlier_form() -> Plan:
    """The demo 2006/07 draft on the May 2006 v2.0 form, its part 7 written for the test."""
    draft = Plan.objects.get(consortium__slug="daccom", template__slug="daccom-locality-plan-v2")
    for key in MOVED:
        Answer.objects.filter(plan=draft, question__key=key).update(
            text=f"<p>Last year's {key}.</p>"
        )
    return draft


def daccom_2007_08_from_2006_07():
    """DacCom's 2007/08 plan started from its 2006/07 draft on the earlier form: the plan, what
    carrying did, and the editor who started it."""
    planning_round, daccom = daccom_round()
    source = draft_on_the_earlier_form()
    editor = UserFactory(consortium=daccom)
    plan, report = rounds.round_plan_start(
        planning_round=planning_round, consortium=daccom, user=editor, carry_from=source
    )
    return plan, report, editor


def reminder_days(planning_round, mailoutbox, monkeypatch, *, days=range(20, -3, -1)) -> list[int]:
    """Runs the reminder beat twice on each day before the round's deadline, the clock frozen
    there: the days (before the deadline) on which mail went out."""
    days_sent = []
    for days_before in days:
        today = planning_round.deadline - timedelta(days=days_before)
        monkeypatch.setattr(round_selectors, "today", lambda today=today: today)
        before = len(mailoutbox)
        tasks.send_round_reminders()
        tasks.send_round_reminders()  # the beat running twice
        if len(mailoutbox) > before:
            days_sent.append(days_before)
    return days_sent
