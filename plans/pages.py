"""What plans puts on the pages composed above it (pbc.views): the plan's contents, and a part's
questions as the signed-in person may see and edit them. Review adds its panels and comments
there, around these (docs/decisions/0312)."""

from dataclasses import dataclass

from consortia.dates import long_moment
from consortia.models import Commissioner, Practice
from consortia.permissions import Perm, allowed

from . import assignments, fragments, history, presenters, selectors, task_list_cache
from .events import last_reviewed_at
from .forms import AnswerForm
from .models import Answer, Assignment, Participation, Plan, PlanTemplate, TemplatePart
from .pending_imports import pending_for
from .workflow import CONSORTIUM_EDITS_IN, TRANSITIONS, Action, may_edit_answer


def plan_contents(user, plan: Plan) -> dict:
    """The plan page's own part: its task list, and the newer forms it may move to."""
    writing = plan.status in CONSORTIUM_EDITS_IN and allowed(
        user, Perm.EDIT_CONSORTIUM_SECTIONS, plan
    )
    return {
        "plan": plan,
        "may_import_word": writing,
        # Whether it is ready to submit is asked only while it can be submitted.
        "may_be_submitted": plan.status in TRANSITIONS[Action.SUBMIT].sources,
        # Worked out only when a fragment of it is not cached (plans.task_list_cache).
        "tasks": task_list_cache.lazy_task_list(plan),
        "may_assign": assignments.may_assign(user, plan),
        # Moving to a newer form is offered only while the consortium may change the plan.
        "newer_versions": (
            selectors.newer_versions(plan)
            if plan.status in CONSORTIUM_EDITS_IN
            and allowed(user, Perm.EDIT_CONSORTIUM_SECTIONS, plan)
            else []
        ),
    }


@dataclass
class PartPage:
    part: TemplatePart
    previous_part: TemplatePart | None
    next_part: TemplatePart | None
    answers: dict[int, Answer]  # by question id
    questions: list[presenters.QuestionRow]


#: Published and retired versions of a form never change (docs/decisions/0331), so each process
#: reads their parts and questions once; a draft's are read on every page.
_FROZEN_PARTS: dict[tuple, list[TemplatePart]] = {}
_FROZEN_PARTS_KEPT = 32


@dataclass(frozen=True)
class HomeForms:
    """The PCT's plan forms as its lead's home page offers them (docs/decisions/0476)."""

    commissioner: Commissioner
    #: how many versions are loaded, in each status
    loaded: str
    #: the file the lead checked and has not loaded yet (plans.pending_imports), if any
    pending: dict | None


def home_forms(user, session) -> HomeForms | None:
    """The way to the PCT's plan forms, for the one who loads them; None for everyone else."""
    commissioner = selectors.pct_whose_forms_are_loaded_by(user)
    if commissioner is None:
        return None
    return HomeForms(
        commissioner=commissioner,
        loaded=presenters.versions_loaded(
            commissioner, selectors.form_versions_by_status(commissioner)
        ),
        pending=pending_for(session, loaded_for=commissioner.slug),
    )


def template_parts(template: PlanTemplate) -> list[TemplatePart]:
    """The form's parts in order, each with its questions (``selectors.parts_with_questions``)."""
    if template.status == PlanTemplate.Status.DRAFT:
        return selectors.parts_with_questions(template)
    # created_at as well: a test database may give a later template a deleted one's id.
    key = (template.pk, template.created_at)
    parts = _FROZEN_PARTS.get(key)
    if parts is None:
        if len(_FROZEN_PARTS) >= _FROZEN_PARTS_KEPT:
            _FROZEN_PARTS.clear()
        parts = _FROZEN_PARTS[key] = selectors.parts_with_questions(template)
    return parts


def template_part(plan: Plan, part_key: str) -> TemplatePart | None:
    return next((part for part in template_parts(plan.template) if part.key == part_key), None)


def part_page(user, plan: Plan, part_key: str) -> PartPage | None:
    """One part of the plan and its questions, or None when the form has no such part."""
    parts = template_parts(plan.template)
    part = next((p for p in parts if p.key == part_key), None)
    if part is None:
        return None
    answers = selectors.answers_by_question(plan, part=part)
    index = parts.index(part)
    return PartPage(
        part=part,
        previous_part=parts[index - 1] if index > 0 else None,
        next_part=parts[index + 1] if index + 1 < len(parts) else None,
        answers=answers,
        questions=_with_review_changes(
            user, plan, _question_rows(user, plan, part, answers), answers
        ),
    )


def _question_rows(user, plan, part, answers):
    """The part's questions; a block found in the cache is shown as it is, so its figures and
    answer form are worked out only for the blocks that are missing (plans.fragments)."""
    rows = []
    context = selectors.kind_context(plan)
    context_digest = fragments.context_digest(context)
    for question in part.questions.all():
        answer = answers.get(question.pk)
        row = presenters.task_row(question, answer, plan)
        row.last_changed = presenters.last_changed(answer)
        if answer is not None:
            row.edit = may_edit_answer(user, plan, question)
        row.fragment_key = fragments.question_key(row, plan, context=context_digest)
        rows.append(row)
    cached = fragments.cached_blocks(row.fragment_key for row in rows)
    for row in rows:
        row.fragment_html = cached.get(row.fragment_key)
        if row.fragment_html is not None:
            continue
        presenters.present_answer(row, plan, context=context, page=1)
        if row.edit:
            row.form = AnswerForm(
                question=row.question,
                initial={"base_version": row.answer.version, "text": row.answer.text},
            )
    return rows


def _with_review_changes(user, plan, rows, answers):
    """Marks each question changed since the signed-in reviewer last sent the plan back or
    approved it, with the diff from then to now (two queries, however many questions)."""
    if not allowed(user, Perm.REVIEW, plan):
        return rows
    since = last_reviewed_at(plan, user)
    if since is None:
        return rows
    questions = {row.question.pk: row.question for row in rows}
    changes = history.changes_since(plan, since, answers=answers, questions=questions)
    reviewed = long_moment(since)
    for row in rows:
        row.review_change = changes.get(row.question.pk)
        row.reviewed_at = reviewed
    return rows


# The reads of the part page's key (part_page_shown), compiled once per process.
_PRACTICES = fragments.CompiledQuery(
    lambda consortium: (
        Practice.objects.filter(consortium_id=consortium)
        .order_by("pk")
        .values_list(*(field.attname for field in Practice._meta.concrete_fields))
    )
)
_PARTICIPATIONS = fragments.CompiledQuery(
    lambda plan: (
        Participation.objects.filter(plan_id=plan)
        .order_by("pk")
        .values_list("pk", "practice_id", "state", "means", "on", "recorded_by__full_name")
    )
)
_HOLDER = fragments.CompiledQuery(
    lambda plan, part: Assignment.objects.filter(plan_id=plan, part_id=part).values_list(
        "pk", "assignee_id", "assignee__full_name", "due_on", "changed_at"
    )
)


def part_page_shown(user, plan: Plan, part: TemplatePart) -> dict:
    """Everything of plans that the part page's body shows, read without building a page:
    the key of the whole body's cache (pbc/part_pages.py), so it must name every input of
    ``part_page``, ``assignments.part_holder`` and the templates that show them.

    The answers are named by their versions, not their content: every write of an answer's
    text, rows or figures raises its version (plans.services, rounds, demo); the fields that
    change without it (confirming a carried answer, moving to a newer form, who saved it) are
    read as they are. What the kinds know of the plan (``selectors.kind_context``) is the
    plan's other answers (their versions here), the consortium, its practices and their
    participation records.
    """
    template = plan.template
    if template.status == PlanTemplate.Status.DRAFT:
        form = [
            fragments.fields_of(template),
            [
                [fragments.fields_of(p), [fragments.fields_of(q) for q in p.questions.all()]]
                for p in template_parts(template)
            ],
        ]
    else:
        form = [template.pk, template.created_at, template.status]
    reviewer = None
    if allowed(user, Perm.REVIEW, plan):
        # "Changed since your last review" is the reviewer's own.
        reviewer = [user.pk, last_reviewed_at(plan, user)]
    return {
        "form": form,
        "part": part.pk,
        "plan": fragments.fields_of(plan),
        "consortium": fragments.fields_of(plan.consortium),
        "commissioner": fragments.fields_of(plan.consortium.commissioner),
        "answers": fragments.ANSWERS_AS_KEYED.rows(plan=plan.pk),
        "practices": _PRACTICES.rows(consortium=plan.consortium_id),
        "participations": _PARTICIPATIONS.rows(plan=plan.pk),
        "holder": _HOLDER.rows(plan=plan.pk, part=part.pk),
        # The reader's rights that the page's questions are shown by (workflow.may_edit_answer).
        "edits": [
            allowed(user, Perm.EDIT_CONSORTIUM_SECTIONS, plan),
            allowed(user, Perm.EDIT_PCT_SECTIONS, plan),
        ],
        "reviewer": reviewer,
    }
