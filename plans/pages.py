"""What plans puts on the pages composed above it (pbc.views): the plan's contents, and a part's
questions as the signed-in person may see and edit them. Review adds its panels and comments
there, around these (docs/decisions/0312)."""

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.timezone import localtime

from consortia.permissions import Perm, allowed

from . import assignments, fragments, history, presenters, selectors
from .events import last_reviewed_at
from .forms import AnswerForm
from .models import Answer, Plan, TemplatePart
from .workflow import CONSORTIUM_EDITS_IN, may_edit_answer


def plan_contents(user, plan: Plan) -> dict:
    """The plan page's own part: its task list, and the newer forms it may move to."""
    parts = selectors.parts_with_questions(plan.template)
    writing = plan.status in CONSORTIUM_EDITS_IN and allowed(
        user, Perm.EDIT_CONSORTIUM_SECTIONS, plan
    )
    return {
        "plan": plan,
        "may_import_word": writing,
        "tasks": presenters.task_list(
            plan, parts, selectors.answers_by_question(plan), assignments.holders(plan)
        ),
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


def part_page(user, plan: Plan, part_key: str) -> PartPage | None:
    """One part of the plan and its questions, or None when the form has no such part."""
    parts = selectors.parts_with_questions(plan.template)
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
    reviewed = date_format(localtime(since), "DATETIME_FORMAT")
    for row in rows:
        row.review_change = changes.get(row.question.pk)
        row.reviewed_at = reviewed
    return rows
