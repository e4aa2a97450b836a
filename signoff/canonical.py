"""What a signature binds: the plan's canonical content, serialised the same way on every
machine, in every locale, whatever the screens look like (docs/decisions/0382).

Version 2 (``CURRENT``) holds exactly these fields and nothing else:

- ``canonical``: 2, so the bytes say how to read them;
- ``plan``: its id, title and period, and the slugs of its consortium and PCT;
- ``template``: the form's slug, family and version label (the questions' wording and
  columns are the form's, so naming the form and its version binds them);
- ``questions``: one entry per question of the form, in form order, each with
  - ``key``: the question's key,
  - ``text``: the stored answer text (sanitised HTML) as stored, "" when unanswered,
  - ``columns``: a table's column keys, in the question's order,
  - ``rows``: a table's rows, each a list of its cells in that column order,
  - ``data``: a structured kind's stored value, as stored,
  - ``figures``: what its kind computes from that value (``Kind.figures``), as canonical
    strings: a Decimal written out plainly without trailing zeros ("2676000", "1.9"), a date
    as ISO 8601, a whole number in decimal digits, true/false, null; or null when the stored
    value is refused today.

Serialisation: JSON, keys sorted, no spaces, UTF-8, not ASCII-escaped. Nothing a presenter or
template makes (sentences, CSS classes, locale-formatted numbers and dates) is in it, so a
deployment that changes how the plan looks changes no hash.

Version 1 (``plans.exports.canonical_content``) hashed the JSON export with the figures as
the pages presented them. It stays, unchanged, for the signatures given under it: a signature
records the version it hashes (``Signature.canonical_version``), and a plan whose signing began
under version 1 is signed under version 1 to the end, as Django keeps a legacy password
hasher for the passwords made with it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal

from plans import exports
from plans.content import PlanContent, QuestionContent
from plans.models import Plan

LEGACY = 1
CURRENT = 2
VERSIONS = (LEGACY, CURRENT)


class NotCanonical(TypeError):
    """A figure of a type with no canonical form: a kind returned something it must not."""


def canonical_value(value):
    """A computed figure in its canonical form (see the module's docstring)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NotCanonical(f"A figure is not a finite number: {value}")
        written = f"{value:f}"
        if "." in written:
            written = written.rstrip("0").rstrip(".")
        return "0" if written in ("", "-0") else written
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise NotCanonical(f"A time figure has no time zone: {value!r}")
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return canonical_value(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(key): canonical_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [canonical_value(item) for item in value]
    raise NotCanonical(f"A figure of type {type(value).__name__} has no canonical form")


def _question(item: QuestionContent) -> dict:
    question = item.question
    return {
        "key": question.key,
        "text": item.text,
        "columns": [column["key"] for column in question.columns or []],
        "rows": [list(row.values) for row in item.rows],
        "data": item.data,
        "figures": canonical_value(item.figures),
    }


def canonical_v2(content: PlanContent) -> dict:
    """The version 2 fields of the plan's content (see the module's docstring)."""
    plan = content.plan
    return {
        "canonical": CURRENT,
        "plan": {
            "id": plan.pk,
            "title": plan.title,
            "period": plan.period,
            "consortium": plan.consortium.slug,
            "commissioner": plan.consortium.commissioner.slug,
        },
        "template": {
            "slug": plan.template.slug,
            "family": plan.template.family,
            "version_label": plan.template.version_label,
        },
        "questions": [_question(item) for item in content.questions()],
    }


def canonical_bytes(record: dict) -> bytes:
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def content_sha256(
    plan: Plan, *, version: int = CURRENT, content: PlanContent | None = None
) -> str:
    """The SHA-256 of the plan's canonical content in ``version`` (the one a signature
    records; new signatures use ``CURRENT``)."""
    content = content or PlanContent.of(plan)
    if version == LEGACY:
        return exports.content_sha256(plan, content=content)
    if version == CURRENT:
        return hashlib.sha256(canonical_bytes(canonical_v2(content))).hexdigest()
    raise ValueError(f"No canonical content version {version}; there are {VERSIONS}.")
