"""The product's own limits (issue 16): a plan of 150 questions, the projects question with
5,000 targets and an answer with 100,000 revisions, for the query-budget test and the
benchmark of each main page's time (benchmarks/profile_pages.py --limits)."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from consortia.models import User
from plans.models import Answer, Plan
from tests.plan_factories import plan_with_questions
from tests.review_factories import person

QUESTIONS = 150
PROJECTS = 500
TARGETS_PER_PROJECT = 10
REVISIONS = 100_000
PROJECTS_QUESTION = "services-to-be-commissioned"
PROJECTS_PART = "commissioning-objectives"


@dataclass
class AtTheLimits:
    daccom: Plan  # the demo DacCom plan, its projects question holding every target
    wide: Plan  # a plan of QUESTIONS questions, one answer with REVISIONS revisions
    editor: User
    lead: User

    def pages(self) -> dict[str, tuple[User, str]]:
        """Each main page at the limits: who reads it, and where."""
        return {
            "part page (5,000 targets)": (
                self.editor,
                reverse("part_detail", args=[self.daccom.pk, PROJECTS_PART]),
            ),
            "task list (150 questions)": (
                self.editor,
                reverse("plan_detail", args=[self.wide.pk]),
            ),
            "dashboard (PCT lead)": (self.lead, reverse("home")),
            "plan history (100,000 revisions)": (
                self.editor,
                reverse("plan_history", args=[self.wide.pk]),
            ),
        }


def projects_of(count: int, *, targets_each: int) -> list[dict]:
    """The projects question's data: ``count`` projects of ``targets_each`` £1,000 targets."""
    return [
        {
            "number": str(p),
            "title": f"Project {p}",
            "leads": ["Dr A", "Dr B"],
            "targets": [
                {"code": f"{p}.{t}", "title": f"Target {t}", "planned_saving": "1000"}
                for t in range(1, targets_each + 1)
            ],
        }
        for p in range(1, count + 1)
    ]


def at_the_limits(daccom: Plan, *, revisions: int = REVISIONS) -> AtTheLimits:
    """Fills ``daccom`` (the demo DacCom plan) and a new plan of its consortium to the limits."""
    Answer.objects.filter(plan=daccom, question__key=PROJECTS_QUESTION).update(
        data={"projects": projects_of(PROJECTS, targets_each=TARGETS_PER_PROJECT)}
    )
    wide = plan_with_questions(questions=QUESTIONS, consortium=daccom.consortium)
    editor = person(User.Role.CONSORTIUM_EDITOR, daccom)
    lead = person(User.Role.PCT_LEAD, daccom)
    bulk_revisions(wide.answers.get(question__key="question-1"), editor, revisions)
    return AtTheLimits(daccom=daccom, wide=wide, editor=editor, lead=lead)


def bulk_revisions(answer: Answer, user: User, count: int) -> None:
    """``count`` saved revisions of ``answer`` in the last month, written in bulk: on
    PostgreSQL by one INSERT from generate_series (100,000 model objects took most of a
    minute to build and send), elsewhere through bulk_create."""
    start = timezone.now() - timedelta(days=30)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {Answer.history.model._meta.db_table} "  # noqa: S608 (our table)
                "(id, plan_id, question_id, text, rows, data, autosaved, carried_forward, "
                "prefilled, version, updated_at, updated_by_id, history_date, history_type, "
                "history_change_reason, history_user_id) "
                "SELECT %(id)s, %(plan)s, %(question)s, '<p>Revision ' || n || '</p>', "
                "'[]', '{}', false, false, false, n, %(start)s + n * interval '1 second', "
                "%(user)s, "
                "%(start)s + n * interval '1 second', '~', 'save', %(user)s "
                "FROM generate_series(1, %(count)s) AS n ORDER BY n",
                {
                    "id": answer.pk,
                    "plan": answer.plan_id,
                    "question": answer.question_id,
                    "start": start,
                    "user": user.pk,
                    "count": count,
                },
            )
        return
    Answer.history.model.objects.bulk_create(
        [
            Answer.history.model(
                id=answer.pk,
                plan_id=answer.plan_id,
                question_id=answer.question_id,
                text=f"<p>Revision {n}</p>",
                rows=[],
                data={},
                autosaved=False,
                version=n,
                updated_at=start + timedelta(seconds=n),
                updated_by=user,
                history_date=start + timedelta(seconds=n),
                history_type="~",
                history_change_reason="save",
                history_user=user,
            )
            for n in range(1, count + 1)
        ],
        batch_size=5000,
    )
