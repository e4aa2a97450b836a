"""Reads of plans, always through the user's scope (consortia.selectors)."""

from django.db.models import (
    Count,
    FilteredRelation,
    Prefetch,
    Q,
    QuerySet,
    TextField,
)
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404

from consortia.models import Commissioner, Practice, User
from consortia.permissions import Perm, allowed
from consortia.selectors import consortia_visible_to

from .kinds.base import AnswerWarning, KindContext, PracticeStanding
from .models import (
    HAS_WORDS,
    Answer,
    Plan,
    PlanTemplate,
    TemplatePart,
    TemplateQuestion,
)
from .presenters import completed_by_label
from .structured import KINDS, kind_for
from .workflow import TRANSITIONS, Action

# A table with a cell holding something: a key whose string value is not empty.
HAS_CELL = r"\":\s*\"[^\"]"


def answered_answers() -> QuerySet[Answer]:
    """Answers that ``Answer.is_empty`` would call not empty, decided in SQL."""
    return Answer.objects.annotate(rows_text=Cast("rows", TextField())).filter(
        Q(text__regex=HAS_WORDS) | Q(rows_text__regex=HAS_CELL) | ~Q(data={})
    )


# A written answer not yet done, only started: saved only as it was typed (autosaved) and
# never saved by its person, last year's carried forward and not yet checked, or a table
# filled in from the consortium's records and not yet saved by anyone (docs/decisions/0431,
# 0468, 0494). ``Answer.is_done`` says the same of one answer in Python.
NOT_YET_DONE = Q(autosaved=True) | Q(carried_forward=True) | Q(prefilled=True)


def done_answers() -> QuerySet[Answer]:
    """Answers that count as done: written and neither of ``NOT_YET_DONE``. The one rule for
    every count of answers done (the dashboards, the round page, assignments), the task
    list's "Completed" (``Answer.is_done``) the same answers."""
    return answered_answers().exclude(NOT_YET_DONE)


def plans_visible_to(user) -> QuerySet[Plan]:
    return Plan.objects.filter(consortium__in=consortia_visible_to(user)).select_related(
        "consortium", "consortium__commissioner", "template"
    )


def answers_visible_to(user) -> QuerySet[Answer]:
    """Answers of the plans the user may see, each with its plan, the plan's consortium (who
    may edit it) and its question: one query where the plan and then its answer would be two."""
    return Answer.objects.filter(plan__consortium__in=consortia_visible_to(user)).select_related(
        "plan__consortium", "question"
    )


def templates_for_new_plan(user) -> QuerySet[PlanTemplate]:
    """Published forms issued by the PCT of the user's consortium."""
    return PlanTemplate.objects.filter(
        status=PlanTemplate.Status.PUBLISHED, issuer_id=user.commissioner_id
    ).select_related("issuer")


def forms_issued_by(commissioner: Commissioner) -> QuerySet[PlanTemplate]:
    """Every version of the PCT's plan forms (the caller found the PCT in the user's scope),
    each with how many plans are written on it."""
    return PlanTemplate.objects.filter(issuer=commissioner).annotate(plan_count=Count("plans"))


def pct_whose_forms_are_loaded_by(user) -> Commissioner | None:
    """The PCT whose plan forms ``user`` may load: their own, when they lead it
    (docs/decisions/0469). Asked only of a PCT's people, whose own PCT the header reads anyway
    for its link, so asking costs no query."""
    if user.role not in User.COMMISSIONER_ROLES or not user.commissioner_id:
        return None
    commissioner = user.commissioner
    return commissioner if allowed(user, Perm.LOAD_FORMS, commissioner) else None


def form_versions_by_status(commissioner: Commissioner) -> dict[str, int]:
    """How many versions of the PCT's forms are stored in each status: one query, however many."""
    versions = PlanTemplate.objects.filter(issuer=commissioner).order_by()
    return dict(versions.values_list("status").annotate(n=Count("pk")))


def form_issued_by(commissioner: Commissioner, *, slug: str) -> PlanTemplate:
    """One of the PCT's forms; 404 for any other PCT's."""
    return get_object_or_404(forms_issued_by(commissioner), slug=slug)


def newer_versions(plan: Plan) -> QuerySet[PlanTemplate]:
    """The published versions of the plan's form dated after its own (stored after it, where
    its own has no date): a plan moves forward only."""
    current = plan.template
    versions = PlanTemplate.objects.filter(
        family=current.family, status=PlanTemplate.Status.PUBLISHED
    ).exclude(pk=current.pk)
    if current.version_date is not None:
        return versions.filter(version_date__gt=current.version_date)
    return versions.filter(pk__gt=current.pk)


def parts_with_questions(template: PlanTemplate) -> list[TemplatePart]:
    return list(
        template.parts.prefetch_related(
            Prefetch("questions", queryset=TemplateQuestion.objects.order_by("position"))
        )
    )


def answers_by_question(plan: Plan, *, part: TemplatePart | None = None) -> dict[int, Answer]:
    answers = plan.answers.select_related("updated_by")
    if part is not None:
        answers = answers.filter(question__part=part)
    return {answer.question_id: answer for answer in answers}


def missing_required(plan: Plan) -> list[tuple[TemplateQuestion, str]]:
    """Required questions still empty, each with who completes it, in form order."""
    answers = answers_by_question(plan)
    missing = []
    for question in plan.template.questions.select_related("part").order_by("position"):
        if not question.required or not question.answerable:
            continue
        answer = answers.get(question.pk)
        if answer is None or answer.is_empty:
            missing.append((question, completed_by_label(question, plan)))
    return missing


def missing_before(plan: Plan, action: Action) -> list[tuple[TemplateQuestion, str]]:
    """Required questions still empty that stop ``action``, each with who completes it."""
    owners = TRANSITIONS[action].needs_answers_from
    if not owners:
        return []
    return [(q, who) for q, who in missing_required(plan) if q.completed_by in owners]


def carried_to_check(plan: Plan) -> QuerySet[Answer]:
    """Answers copied from last year and not yet edited or confirmed, in form order."""
    return (
        plan.answers.filter(carried_forward=True)
        .select_related("question", "question__part")
        .order_by("question__position")
    )


def unchecked_before(plan: Plan, action: Action) -> list[tuple[TemplateQuestion, str]]:
    """Answers carried forward and not yet checked that stop ``action`` (the same questions as
    for missing answers), each with who completes it: last year's words are not sent on
    unread (docs/decisions/0431)."""
    owners = TRANSITIONS[action].needs_answers_from
    return [
        (answer.question, completed_by_label(answer.question, plan))
        for answer in carried_to_check(plan)
        if answer.question.completed_by in owners
    ]


def in_progress(plan: Plan) -> list[tuple[TemplateQuestion, str]]:
    """Answers saved only as they were typed (autosave) and never saved by pressing Save: the
    task list calls them in progress. Each with who completes it, in form order."""
    answers = (
        plan.answers.filter(autosaved=True)
        .select_related("question", "question__part")
        .order_by("question__position")
    )
    return [
        (answer.question, completed_by_label(answer.question, plan))
        for answer in answers
        if not answer.is_empty
    ]


def unresolved_answers(plan: Plan) -> list[tuple[TemplateQuestion, str, str]]:
    """Saved answers that do not add up (weightings not totalling 100%), each with the
    warning and who completes it, in form order: a draft keeps them, submission waits for
    them to be fixed (docs/decisions/0401)."""
    answers = (
        plan.answers.filter(question__kind__in=list(KINDS))
        .select_related("question", "question__part")
        .order_by("question__position")
    )
    context = None
    unresolved = []
    for answer in answers:
        if not answer.data:
            continue
        if context is None:
            context = kind_context(plan)
        for warning in answer_warnings(answer, context=context):
            unresolved.append(
                (answer.question, warning.message, completed_by_label(answer.question, plan))
            )
    return unresolved


def answer_warnings(answer: Answer, *, context: KindContext | None = None) -> list[AnswerWarning]:
    """What does not add up in a saved structured answer: kept in the draft, it stops
    submission (docs/decisions/0401)."""
    if answer.question.kind not in KINDS or not answer.data:
        return []
    context = context or kind_context(answer.plan)
    return kind_for(answer.question).warnings(answer.data, context=context)


def unresolved_before(plan: Plan, action: Action) -> list[tuple[TemplateQuestion, str, str]]:
    """Answers that do not add up and stop ``action``, the same questions as for missing
    answers: those completed by whoever must answer before it."""
    owners = TRANSITIONS[action].needs_answers_from
    if not owners:
        return []
    return [item for item in unresolved_answers(plan) if item[0].completed_by in owners]


def kind_context(plan: Plan, *, siblings: dict[str, dict] | None = None) -> KindContext:
    """What the plan's kinds may know of it (its year, population, commissioner, practices,
    and every structured answer's stored value by kind, the first in form order), in two
    queries, or one when the caller has read the stored values already (``siblings``)."""
    if siblings is None:
        siblings = {}
        rows = (
            Answer.objects.filter(plan=plan, question__kind__in=list(KINDS))
            .order_by("question__position")
            .values_list("question__kind", "data")
        )
        for kind, data in rows:
            siblings.setdefault(kind, data or {})
    consortium = plan.consortium
    participation = practice_standings(plan)
    return KindContext(
        period=plan.period,
        declared_population=consortium.declared_population,
        commissioner=consortium.commissioner.slug,
        siblings=siblings,
        practices=tuple(sorted(standing.name for standing in participation)),
        participation=participation,
    )


def practice_standings(plan: Plan) -> tuple[PracticeStanding, ...]:
    """The consortium's practices in its order, each with its newest participation record in
    the plan, in one query (docs/decisions/0435)."""
    # Each practice joined to its records in the plan, newest first, and its first row kept:
    # one join, where a subquery per field per practice cost every save a tenth of its time.
    rows = (
        Practice.objects.filter(consortium_id=plan.consortium_id)
        .annotate(
            record=FilteredRelation(
                "participations", condition=Q(participations__plan_id=plan.pk)
            )
        )
        .order_by("position", "name", "pk", "-record__recorded_at", "-record__pk")
        .values_list(
            "pk", "name", "code", "list_size", "lead_id",
            "record__state", "record__means", "record__on", "record__recorded_by__full_name",
        )
    )  # fmt: skip
    standings: dict[int, PracticeStanding] = {}
    for pk, name, code, list_size, lead_id, state, means, on, recorded_by in rows:
        if pk not in standings:
            # A practice with no record reads "" (its date None), as the dataclass's defaults.
            standings[pk] = PracticeStanding(
                practice_id=pk, name=name, code=code, list_size=list_size, lead_id=lead_id,
                state=state or "", means=means or "", on=on, recorded_by=recorded_by or "",
            )  # fmt: skip
    return tuple(standings.values())
