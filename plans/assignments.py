"""Sections assigned to people: the consortium's chair or an editor gives a part of the plan, or
one question, to a person of the consortium with a due date (docs/decisions/0434).

Services and the reads that go with them; views, the home page and the reminders call these.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string

from consortia.dates import long_date
from consortia.models import User
from consortia.permissions import Perm, allowed

from . import round_selectors
from .errors import AnswerInvalid
from .models import Assignment, CompletedBy, Plan, QuestionKind, TemplatePart, TemplateQuestion
from .selectors import done_answers

#: A plan is written within a year: a due date after the end of the year after next is a slip.
DUE_WITHIN_YEARS = 2


def may_assign(user, plan: Plan) -> bool:
    return plan.status in round_selectors.WRITING and allowed(user, Perm.ASSIGN_SECTIONS, plan)


def assignable_people(plan: Plan) -> QuerySet[User]:
    """Who a section of the plan can be given to: the consortium's active people."""
    return User.objects.filter(
        consortium_id=plan.consortium_id, role__in=User.CONSORTIUM_ROLES, is_active=True
    ).order_by("full_name", "email")


def assignable_sections(parts) -> list[tuple[TemplatePart, list[TemplateQuestion]]]:
    """The parts a person of the consortium can be given, each with the questions in it they
    answer, in form order; a part with none (guidance only, the PCT's own questions, sign-off)
    is left out. ``parts`` come with their questions prefetched."""
    sections = []
    for part in parts:
        questions = [question for question in part.questions.all() if question.consortium_answers]
        if questions:
            sections.append((part, questions))
    return sections


def _name(section) -> str:
    return " ".join(bit for bit in (section.number, section.title) if bit)


def _not_the_consortiums(part: TemplatePart | None, question: TemplateQuestion | None) -> str:
    """Why the section is nobody's work in the consortium, or "" when it is theirs to answer."""
    pct = settings.COMMISSIONER_WORD
    if question is not None:
        if question.kind == QuestionKind.SIGNOFF:
            return f"{_name(question)} is signed, not written. Choose a question to answer."
        if question.completed_by == CompletedBy.PCT:
            return (
                f"{_name(question)} is answered by the {pct}, not the consortium. "
                "Choose a question the consortium answers."
            )
        return ""
    if not any(question.consortium_answers for question in part.questions.all()):
        return (
            f"Part {_name(part)} has no questions for the consortium to answer. "
            "Choose a part with questions the consortium answers."
        )
    return ""


def _in_consortium(user: User, plan: Plan) -> bool:
    return (
        user.is_active
        and user.role in User.CONSORTIUM_ROLES
        and user.consortium_id == plan.consortium_id
    )


def assignment_set(
    *,
    plan: Plan,
    part: TemplatePart | None = None,
    question: TemplateQuestion | None = None,
    assignee: User,
    due_on: date,
    user,
) -> Assignment:
    """Give ``part`` or ``question`` of the plan to ``assignee`` by ``due_on``. A section already
    held changes hands: the new holder and the one before are both told by email."""
    if not allowed(user, Perm.ASSIGN_SECTIONS, plan):
        raise PermissionDenied("Only the consortium's chair or editors can assign its sections.")
    if plan.status not in round_selectors.WRITING:
        raise AnswerInvalid("Sections can be assigned only while the plan is being written.")
    if (part is None) == (question is None):
        raise AnswerInvalid("Choose a part or a single question.", field="section")
    section = part if part is not None else question
    if section.template_id != plan.template_id:
        raise AnswerInvalid("Choose a part or a question of this plan's form.", field="section")
    if refusal := _not_the_consortiums(part, question):
        raise AnswerInvalid(refusal, field="section")
    if not _in_consortium(assignee, plan):
        raise AnswerInvalid(
            f"{assignee.full_name or assignee.email} is not one of {plan.consortium.name}'s "
            "people. Choose someone in the consortium.",
            field="assignee",
        )
    today = round_selectors.today()
    if due_on < today:
        raise AnswerInvalid("Choose a due date from today on.", field="due_on")
    latest = date(today.year + DUE_WITHIN_YEARS, 12, 31)
    if due_on > latest:
        # A year such as 9999 or 20207 is a slip of the keyboard, not a plan.
        raise AnswerInvalid(f"Choose a due date by {long_date(latest)}.", field="due_on")
    with transaction.atomic():
        # One change at a time per plan, so two people assigning the same part make one row.
        Plan.objects.select_for_update(of=("self",)).only("pk").get(pk=plan.pk)
        assignment = Assignment.objects.filter(plan=plan, part=part, question=question).first()
        previous = assignment.assignee if assignment is not None else None
        if assignment is None:
            assignment = Assignment(plan=plan, part=part, question=question)
        assignment.assignee, assignment.due_on, assignment.assigned_by = assignee, due_on, user
        assignment._change_reason = (
            f"reassigned from {previous.full_name}"
            if previous is not None and previous != assignee
            else "assigned"
        )
        assignment._history_user = user
        assignment.save()
    _notify(assignment, to=assignee, template="plans/email/assignment_given.txt")
    if previous is not None and previous != assignee:
        _notify(assignment, to=previous, template="plans/email/assignment_taken.txt")
    return assignment


def _notify(assignment: Assignment, *, to: User, template: str) -> None:
    context = {"assignment": assignment, "user": to, "section": section_label(assignment)}
    subject = f"{assignment.plan.period} plan: {section_label(assignment)}"
    send_mail(subject, render_to_string(template, context), None, [to.email])


def section_label(assignment: Assignment) -> str:
    """ "Part 4 Delivery" or "Question 4.2 Targets", as a person reads it."""
    section = assignment.section
    word = "Part" if assignment.part_id else "Question"
    return " ".join(bit for bit in (word, section.number, section.title) if bit)


# --- Reads ----------------------------------------------------------------------------------


def with_done(assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """Each assignment with ``done``: every question it covers that the consortium answers has
    an answer, and none is last year's, carried forward and not yet checked (in SQL, so a list
    of assignments costs one query)."""
    unanswered = (
        TemplateQuestion.objects.filter(
            Q(part_id=OuterRef("part_id")) | Q(pk=OuterRef("question_id"))
        )
        .exclude(kind=QuestionKind.SIGNOFF)
        # The PCT's own questions are not the consortium's work.
        .exclude(completed_by=CompletedBy.PCT)
        .exclude(
            Exists(
                done_answers().filter(
                    plan_id=OuterRef(OuterRef("plan_id")), question=OuterRef("pk")
                )
            )
        )
    )
    return assignments.annotate(done=~Exists(unanswered))


@dataclass(frozen=True)
class Task:
    assignment: Assignment
    due: round_selectors.Due

    @property
    def label(self) -> str:
        return section_label(self.assignment)

    @property
    def late(self) -> bool:
        return self.due.overdue and not self.assignment.done


@dataclass(frozen=True)
class HomeTasks:
    #: the person's own sections, soonest due first
    mine: list[Task]
    #: for a chair, every section assigned in the consortium's plans being written
    consortium: list[Task]

    @property
    def overdue(self) -> list[Task]:
        """Sections past their date and not yet answered."""
        return [task for task in self.consortium if task.late]


def home_tasks(user) -> HomeTasks:
    """The home page's "Your tasks" and, for a consortium's chair, every section assigned in
    its plans being written, overdue ones apart: one query whatever the number (none for
    people outside consortia)."""
    if user.role not in User.CONSORTIUM_ROLES or not user.consortium_id:
        return HomeTasks(mine=[], consortium=[])
    today = round_selectors.today()
    chair = user.role == User.Role.CONSORTIUM_EXECUTIVE_CHAIR
    assignments = with_done(
        Assignment.objects.filter(
            plan__consortium_id=user.consortium_id, plan__status__in=round_selectors.WRITING
        )
    )
    if not chair:
        assignments = assignments.filter(assignee=user)
    tasks = [
        Task(assignment, round_selectors.due(assignment.due_on, on=today))
        for assignment in assignments.select_related(
            "plan", "part", "question__part", "assignee"
        ).order_by("due_on", "pk")
    ]
    return HomeTasks(
        mine=[task for task in tasks if task.assignment.assignee_id == user.pk],
        consortium=tasks if chair else [],
    )


def holders(plan: Plan) -> dict[tuple[str, int], Assignment]:
    """Who holds each section of the plan: {("part", id) or ("question", id): assignment}."""
    return {
        ("part", a.part_id) if a.part_id else ("question", a.question_id): a
        for a in plan.assignments.select_related("assignee")
    }


def part_holder(plan: Plan, part: TemplatePart) -> Assignment | None:
    return plan.assignments.filter(part=part).select_related("assignee").first()


def unfinished_assignees(plan_ids) -> QuerySet[User]:
    """The people holding a section of these plans that is not yet answered."""
    open_work = with_done(Assignment.objects.filter(plan_id__in=plan_ids)).filter(done=False)
    return User.objects.filter(pk__in=open_work.values("assignee_id"), is_active=True)
