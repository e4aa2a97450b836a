"""Loads the plan templates and the demo plans transcribed from the seed documents.

Running it again changes nothing: templates are matched by the slug written in their file (an
unchanged file is not stored again), plans by consortium, template and period, and a plan's
answers are filled only when the plan is first created.
"""

from pathlib import Path

import yaml
from django.db import transaction

from consortia.models import Consortium

from . import selectors, template_files
from .kinds.self_assessment import template_definition as self_assessment_template
from .models import Plan, PlanTemplate
from .sanitise import clean_html
from .services import plan_create
from .structured import KINDS, kind_for, structured_kind

DEMO_DIR = Path(__file__).parent / "demo"
DEMO_PLANS = (
    "daccom-2006-07.yaml",
    "daccom-2006-draft.yaml",
    "red-house-2007-08.yaml",
    "banes-2007-08.yaml",
)
DEMO_SELF_ASSESSMENTS = ("daccom-self-assessment.yaml",)
DEMO_CHANGE_REASON = "transcribed from the source document"


def read_demo_plan(name: str) -> dict:
    return yaml.load((DEMO_DIR / name).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


@transaction.atomic
def load_demo_plan(data: dict) -> Plan:
    consortium = Consortium.objects.get(slug=data["consortium"])
    template = PlanTemplate.objects.get(slug=data["template"])
    existing = Plan.objects.filter(
        consortium=consortium, template=template, period=data["period"]
    ).first()
    if existing is not None:
        return existing
    plan = plan_create(
        consortium=consortium, template=template, period=data["period"], title=data["title"]
    )
    answers = {answer.question.key: answer for answer in plan.answers.select_related("question")}
    structured = data.get("structured") or {}
    keys = set(data.get("answers") or {}) | set(structured)
    # In form order, so a kind that checks a sibling (7.3's criteria, 6.2's milestones) finds it.
    for key in sorted(keys, key=lambda k: answers[k].question.position):
        answer = answers[key]
        content = (data.get("answers") or {}).get(key) or {}
        if "text" in content:
            answer.text = clean_html(content["text"])
        if "rows" in content:
            # Through the table's own checks: typed cells kept canonical, totals and
            # computed cells worked out as on any save.
            answer.rows = kind_for(answer.question).clean(
                content["rows"], context=selectors.kind_context(plan)
            )
        if key in structured:
            # Through the kind's own checks, so the demo proves its figures are valid.
            kind = structured_kind(answer.question)
            answer.data = (
                kind.clean(structured[key], context=selectors.kind_context(plan))
                if kind
                else structured[key]
            )
        answer.version += 1
        answer.prefilled = False  # the demo's own answer, written as its consortium would save it
        answer._change_reason = DEMO_CHANGE_REASON
        answer.save()
    return plan


@transaction.atomic
def load_self_assessment(data: dict) -> Plan:
    """A consortium's self-assessment against its PCT's PBC Framework, as a plan on a
    one-question form built from the framework file (docs/decisions/0201-...)."""
    slug = f"{data['framework']}-self-assessment"
    template = template_files.store({**self_assessment_template(data["framework"]), "slug": slug})
    consortium = Consortium.objects.get(slug=data["consortium"])
    period = str(data.get("period") or "2006/07")
    existing = Plan.objects.filter(consortium=consortium, template=template, period=period).first()
    if existing is not None:
        return existing
    plan = plan_create(consortium=consortium, template=template, period=period, title=data["title"])
    answer = plan.answers.select_related("question").get(question__kind="self_assessment")
    answer.text = clean_html(data.get("summary") or "")
    answer.data = KINDS["self_assessment"].clean(
        {
            "framework": data["framework"],
            "ratings": data.get("ratings") or {},
            "funding_comments": data.get("funding_comments") or {},
        },
        context=selectors.kind_context(plan),
    )
    answer.version += 1
    answer._change_reason = DEMO_CHANGE_REASON
    answer.save()
    return plan


def load_plans() -> list[Plan]:
    template_files.load_all()
    plans = [load_demo_plan(read_demo_plan(name)) for name in DEMO_PLANS]
    return plans + [load_self_assessment(read_demo_plan(name)) for name in DEMO_SELF_ASSESSMENTS]
