"""Plan templates as definition files: read, check and write them.

A file is checked whole before anything is stored, and every problem is reported with its
location, so an administrator can fix a file in one pass. The format is in
docs/definition-files.md.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from django.db import transaction
from django.utils.text import slugify

from consortia.models import Commissioner, User

from .models import CompletedBy, PlanTemplate, Prefill, QuestionKind, TemplatePart, TemplateQuestion
from .sanitise import clean_html
from .selectors import parts_with_questions

DEFINITIONS_DIR = Path(__file__).parent / "definitions"
SIGNATORY_ROLES = {choice.value for choice in User.Role} - {User.Role.SITE_ADMIN}


@dataclass(frozen=True)
class Problem:
    location: str
    message: str

    def __str__(self):
        return f"{self.location}: {self.message}"


class DefinitionError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def _require(data: dict, field: str, where: str, problems: list[Problem]) -> str:
    value = data.get(field)
    if value in (None, ""):
        problems.append(Problem(where, f"'{field}' is missing"))
        return ""
    return value


def check(data) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(data, dict):
        return [Problem("file", "is not a mapping of template fields")]
    for field in ("family", "issuer", "name", "version_label"):
        _require(data, field, "template", problems)
    if data.get("status", "draft") not in PlanTemplate.Status.values:
        problems.append(Problem("template", f"unknown status '{data.get('status')}'"))
    if data.get("issuer") and not Commissioner.objects.filter(slug=data["issuer"]).exists():
        problems.append(Problem("template", f"issuer '{data['issuer']}' is not a known PCT"))
    for index, signatory in enumerate(data.get("signatories") or []):
        if signatory.get("role") not in SIGNATORY_ROLES:
            problems.append(
                Problem(f"signatories[{index}]", f"unknown role '{signatory.get('role')}'")
            )
    parts = data.get("parts")
    if not isinstance(parts, list) or not parts:
        problems.append(Problem("template", "'parts' must list at least one part"))
        return problems
    part_keys: set[str] = set()
    question_keys: set[str] = set()
    for part_index, part in enumerate(parts):
        where = f"parts[{part_index}]"
        key = _require(part, "key", where, problems)
        _require(part, "title", f"{where} ({key or 'no key'})", problems)
        if key in part_keys:
            problems.append(Problem(where, f"duplicate part key '{key}'"))
        part_keys.add(key)
        for question_index, question in enumerate(part.get("questions") or []):
            qwhere = f"{where}.questions[{question_index}]"
            qkey = _require(question, "key", qwhere, problems)
            label = f"{qwhere} ({qkey or 'no key'})"
            _require(question, "title", label, problems)
            if qkey and qkey in question_keys:
                problems.append(Problem(label, f"duplicate question key '{qkey}'"))
            question_keys.add(qkey)
            if question.get("kind") not in QuestionKind.values:
                problems.append(Problem(label, f"unknown kind '{question.get('kind')}'"))
            if question.get("completed_by") not in CompletedBy.values:
                problems.append(
                    Problem(label, f"unknown completed_by '{question.get('completed_by')}'")
                )
            if question.get("kind") == QuestionKind.TABLE and not question.get("columns"):
                problems.append(Problem(label, "a table needs 'columns'"))
            if question.get("prefill") and question["prefill"] not in Prefill.values:
                problems.append(Problem(label, f"unknown prefill '{question['prefill']}'"))
    return problems


def _as_date(value) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


@transaction.atomic
def store(data: dict, *, slug: str) -> PlanTemplate:
    """Store a checked definition. A published template is never rewritten."""
    problems = check(data)
    if problems:
        raise DefinitionError(problems)
    existing = PlanTemplate.objects.filter(slug=slug).first()
    if existing is not None:
        if existing.status != PlanTemplate.Status.DRAFT:
            return existing
        existing.delete()
    template = PlanTemplate.objects.create(
        slug=slug,
        family=data["family"],
        issuer=Commissioner.objects.get(slug=data["issuer"]),
        name=data["name"],
        version_label=str(data["version_label"]),
        version_date=_as_date(data.get("version_date")),
        status=data.get("status", PlanTemplate.Status.DRAFT),
        return_instructions=clean_html(data.get("return_instructions") or ""),
        signatories=list(data.get("signatories") or []),
    )
    question_position = 0
    for part_position, part_data in enumerate(data["parts"]):
        part = TemplatePart.objects.create(
            template=template,
            key=part_data["key"],
            number=str(part_data.get("number") or ""),
            title=part_data["title"],
            guidance=clean_html(part_data.get("guidance") or ""),
            position=part_position,
        )
        questions = []
        for question in part_data.get("questions") or []:
            question_position += 1
            questions.append(
                TemplateQuestion(
                    template=template,
                    part=part,
                    key=question["key"],
                    number=str(question.get("number") or ""),
                    title=question["title"],
                    completed_by=question["completed_by"],
                    required=question.get("required", True),
                    note_ref=str(question.get("note_ref") or ""),
                    note=clean_html(question.get("note") or ""),
                    prompts=list(question.get("prompts") or []),
                    kind=question["kind"],
                    columns=list(question.get("columns") or []),
                    prefill=question.get("prefill") or "",
                    position=question_position,
                )
            )
        TemplateQuestion.objects.bulk_create(questions)
    return template


def parse(text: str, *, name: str) -> dict:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise DefinitionError([Problem(name, f"is not valid YAML: {error}")]) from error


def load_file(path: Path) -> PlanTemplate:
    return store(parse(path.read_text(encoding="utf-8"), name=path.name), slug=path.stem)


def new_draft_version(template: PlanTemplate, *, version_label: str) -> PlanTemplate:
    """A draft copy of a template, to edit into its next version; the original never changes."""
    data = export(template)
    data.update(version_label=version_label, status=PlanTemplate.Status.DRAFT, version_date=None)
    return store(data, slug=f"{template.family}-{slugify(version_label)}"[:50])


def dump(template: PlanTemplate) -> str:
    return yaml.safe_dump(export(template), sort_keys=False, allow_unicode=True, width=100)


def load_all() -> list[PlanTemplate]:
    return [load_file(path) for path in sorted(DEFINITIONS_DIR.glob("*.yaml"))]


def question_summary(question: TemplateQuestion) -> dict:
    """What identifies a question and who answers it, as definition files and exports say it."""
    return {
        "key": question.key,
        "number": question.number,
        "title": question.title,
        "completed_by": question.completed_by,
        "required": question.required,
        "kind": question.kind,
    }


def export(template: PlanTemplate) -> dict:
    """The definition of a stored template, in the same format as the files."""
    parts = []
    for part in parts_with_questions(template):
        questions = []
        for question in part.questions.all():
            item = question_summary(question)
            for field in ("note_ref", "note", "prompts", "columns", "prefill"):
                if getattr(question, field):
                    item[field] = getattr(question, field)
            questions.append(item)
        parts.append(
            {
                "key": part.key,
                "number": part.number,
                "title": part.title,
                "guidance": part.guidance,
                "questions": questions,
            }
        )
    return {
        "family": template.family,
        "issuer": template.issuer.slug,
        "name": template.name,
        "version_label": template.version_label,
        "version_date": template.version_date.isoformat() if template.version_date else None,
        "status": template.status,
        "return_instructions": template.return_instructions,
        "signatories": template.signatories,
        "parts": parts,
    }
