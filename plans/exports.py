"""The plan as a machine-readable record: all content, structure and who completes what."""

import dataclasses
import hashlib
import json
import re
from decimal import Decimal

from django.utils import timezone

from . import structured
from .content import PlanContent
from .kinds.base import Field
from .models import Plan
from .sanitise import html_to_text
from .template_files import question_summary


def plan_record(plan: Plan, *, content: PlanContent | None = None) -> dict:
    """The JSON export: every part and question in form order, each answer as stored, its
    table rows in column order, and a structured kind's figures both as the page shows them
    (``figures``) and as the computed domain values (``computed``, decimals as strings)."""
    return _record(content or PlanContent.of(plan), computed=True)


def _record(content: PlanContent, *, computed: bool) -> dict:
    plan = content.plan
    parts = []
    for part in content.parts:
        questions = []
        for item_content in part.questions:
            question, answer = item_content.question, item_content.answer
            item = question_summary(question)
            if answer is not None:
                rows = item_content.rows
                item["answer"] = {
                    "text": answer.text,
                    "rows": [row.as_dict() for row in rows],
                    "cells": [list(row.values) for row in rows],
                    "data": answer.data,
                    "version": answer.version,
                    "updated_at": answer.updated_at.isoformat() if answer.updated_at else None,
                    "updated_by": answer.updated_by.email if answer.updated_by else None,
                }
            kind = structured.structured_kind(question)
            if kind is not None:
                item["figures"] = jsonable(
                    kind.present(kind.value_of(answer), context=content.context)
                )
                if computed:
                    item["computed"] = jsonable(item_content.figures)
            questions.append(item)
        parts.append(
            {
                "key": part.part.key,
                "number": part.part.number,
                "title": part.part.title,
                "guidance_sections": guidance_sections(part.part.guidance),
                "guidance": part.part.guidance,
                "questions": questions,
            }
        )
    return {
        "plan": {
            "id": plan.pk,
            "title": plan.title,
            "period": plan.period,
            "status": plan.status,
            "consortium": {"slug": plan.consortium.slug, "name": plan.consortium.name},
            "commissioner": plan.consortium.commissioner.name,
        },
        "template": {
            "slug": plan.template.slug,
            "family": plan.template.family,
            "name": plan.template.name,
            "version_label": plan.template.version_label,
        },
        "parts": parts,
        "exported_at": timezone.now().isoformat(),
    }


# Who saved an answer when, and the plan's status, change nothing that is signed; the ordered
# cells repeat the rows, which the first signatures hashed alone.
_NOT_CONTENT = ("version", "updated_at", "updated_by", "cells")


def canonical_content(plan: Plan, *, content: PlanContent | None = None) -> dict:
    """Canonical content version 1, kept only so signatures given before version 2 still
    verify (signoff/canonical.py): every answer, table and structured figure as the page
    presented it, in form order, without the plan's status, export time or who last saved
    what. Never change what it returns."""
    record = _record(content or PlanContent.of(plan), computed=False)
    del record["exported_at"]
    del record["plan"]["status"]
    for part in record["parts"]:
        for question in part["questions"]:
            for name in _NOT_CONTENT:
                question.get("answer", {}).pop(name, None)
    return record


def canonical_bytes(content: dict) -> bytes:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def content_sha256(plan: Plan, *, content: PlanContent | None = None) -> str:
    """The version 1 hash (signoff/canonical.py chooses the version a signature needs)."""
    return hashlib.sha256(canonical_bytes(canonical_content(plan, content=content))).hexdigest()


# Inputs, the framework definition and working state are the page's business, not the record's;
# so is the practices' participation table, which ``computed`` carries as figures once recorded
# (and which canonical version 1 never held: docs/decisions/0437), and the tables of inputs
# (plans.kinds.rows.RowsTable), whose worked-out cells repeat figures the rows carry.
_NOT_EXPORTED = {
    "framework", "error", "invalid", "fields", "field", "choices", "participation", "table",
    "worked_out",
}  # fmt: skip


def jsonable(value):
    """The figures a structured kind presents, as JSON: every computed total, percentage and
    formatted amount, Decimals as strings, without the form's inputs."""
    if isinstance(value, Field):
        return None
    if isinstance(value, Decimal):
        return f"{value:f}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # Field by field, not ``asdict``, which copies everything first: what is not exported
        # is never walked, and may refer back to the row it sits in.
        return jsonable(
            {item.name: getattr(value, item.name) for item in dataclasses.fields(value)}
        )
    if isinstance(value, dict):
        return {
            str(key): jsonable(item)
            for key, item in value.items()
            if key not in _NOT_EXPORTED
            and not str(key).endswith("_field")
            and not isinstance(item, Field)
        }
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


_NUMBERED_HEADING = re.compile(r"<h[2-4]>\s*(\d+(?:\.\d+)*)\s+(.*?)</h[2-4]>", re.S)


def guidance_sections(guidance: str) -> list[dict]:
    """Numbered sections the form prints as guidance (DacCom 1.1-1.3), with their numbers."""
    return [
        {"number": number, "title": html_to_text(title)}
        for number, title in _NUMBERED_HEADING.findall(guidance)
    ]
