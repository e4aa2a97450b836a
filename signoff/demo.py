"""The reviewers' margin comments of the demo DacCom plan (seed 004), on their passages.

Each seed comment names a question (or, for the form's own guidance, a part), the passage it
annotates and what the reviewer wrote. Loading again adds nothing; a quote that is not in the
demo text stops the load, saying which.
"""

from django.db import transaction

from consortia.models import User
from plans import demo as plans_demo
from plans.events import event_record
from plans.models import Plan, PlanEvent

from . import passages
from .models import Comment, CommentEvent

DEMO_PLAN_FILE = "daccom-2006-07.yaml"
DEMO_REVIEWER = "lead.dacorum-pct@example.org"  # consortia/demo.py: the Dacorum PCT lead


class SeedCommentNotAnchored(ValueError):
    """A seed comment's quote is not in the text it annotates."""


@transaction.atomic
def load_comments(plan: Plan, definition: dict, author: User) -> list[Comment]:
    """The plan's seed comments, shared with the consortium, authored by ``author``.

    Written as they stand rather than through ``services.comment_add``: they are the record
    of an earlier review, so nobody is emailed about them; each still gets its event in the
    plan's activity.
    """
    questions = {q.key: q for q in plan.template.questions.select_related("part")}
    parts = {p.key: p for p in plan.template.parts.all()}
    answers = {a.question_id: a for a in plan.answers.all()}
    loaded = []
    for number, item in enumerate(definition.get("comments") or [], start=1):
        question = part = None
        if item.get("question"):
            question = questions.get(item["question"])
            if question is None:
                raise SeedCommentNotAnchored(
                    f"Seed comment {number}: no question {item['question']!r} on {plan}."
                )
            answer = answers.get(question.pk)
            text = passages.answer_text(question, answer)
            version = answer.version if answer is not None else None
        else:
            part = parts.get(item.get("part", ""))
            if part is None:
                raise SeedCommentNotAnchored(
                    f"Seed comment {number}: no part {item.get('part')!r} on {plan}."
                )
            text = passages.visible_text(part.guidance)
            version = None
        quote = " ".join(str(item.get("quote") or "").split())
        body = str(item["body"]).strip()
        if quote and not passages.contains(text, quote):
            where = f"question {question.key}" if question else f"part {part.key}"
            raise SeedCommentNotAnchored(
                f"Seed comment {number}: {quote!r} is not in the text of {where}."
            )
        comment, created = Comment.objects.get_or_create(
            plan=plan,
            question=question,
            part=part,
            parent=None,
            quote=quote,
            body=body,
            defaults={
                "author": author,
                "visibility": Comment.Visibility.SHARED,
                "answer_version": version,
            },
        )
        if created:
            # Seeding tells nobody: the event is recorded, not announced.
            event = event_record(
                plan=plan,
                kind=PlanEvent.Kind.COMMENT,
                actor=author,
                question=question,
                comment=body,
                announce=False,
            )
            CommentEvent.objects.create(event=event, comment=comment)
        loaded.append(comment)
    return loaded


def load_demo_comments() -> list[Comment]:
    """The DacCom plan's seed comments, by the Dacorum PCT lead (after the demo plans load)."""
    definition = plans_demo.read_demo_plan(DEMO_PLAN_FILE)
    plan = Plan.objects.get(
        consortium__slug=definition["consortium"],
        template__slug=definition["template"],
        period=definition["period"],
    )
    author = User.objects.get(email=DEMO_REVIEWER)
    return load_comments(plan, definition, author)
