"""Loads the plan templates and the demo plans transcribed from the seed documents.

Running it again changes nothing: templates are matched by file name, plans by consortium,
template and period, and a plan's answers are filled only when the plan is first created.
"""

from pathlib import Path

import yaml
from django.db import transaction

from consortia.models import Consortium

from . import template_files
from .models import Plan, PlanTemplate
from .sanitise import clean_cell, clean_html
from .services import plan_create

DEMO_DIR = Path(__file__).parent / "demo"
DEMO_PLANS = (
    "daccom-2006-07.yaml",
    "daccom-2006-draft.yaml",
    "red-house-2007-08.yaml",
    "banes-2007-08.yaml",
)
DEMO_CHANGE_REASON = "transcribed from the source document"


def read_demo_plan(name: str) -> dict:
    return yaml.safe_load((DEMO_DIR / name).read_text(encoding="utf-8"))


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
    for key in set(data.get("answers") or {}) | set(structured):
        answer = answers[key]
        content = (data.get("answers") or {}).get(key) or {}
        if "text" in content:
            answer.text = clean_html(content["text"])
        if "rows" in content:
            columns = [column["key"] for column in answer.question.columns]
            answer.rows = [
                {k: clean_cell(row.get(k, "")) for k in columns} for row in content["rows"]
            ]
        if key in structured:
            answer.data = structured[key]
        answer.version += 1
        answer._change_reason = DEMO_CHANGE_REASON
        answer.save()
    return plan


def load_plans() -> list[Plan]:
    template_files.load_all()
    return [load_demo_plan(read_demo_plan(name)) for name in DEMO_PLANS]
