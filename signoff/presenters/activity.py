"""A plan's activity feed: its events, newest first, as sentences people read.

"Jo Bloggs (PCT lead) asked for changes · 3 July 2007 at 14:02", then what they wrote.
Events about PCT-only comments are left out for everyone outside the PCT
(``selectors.events_visible_to``). Among the events, who changed which answer: one line per
person, question and day ("Pat Manager changed 4.2 Practice list (3 saves that day)"), read
from the answers' history (``plans.history.saves_by_day``), so autosaves do not flood it.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import CharField, F, QuerySet, TextField, Value
from django.db.models.functions import TruncDate
from django.urls import reverse

from consortia.presenters import role_label
from plans import history
from plans.models import Plan, PlanEvent, TemplateQuestion
from plans.workflow import TRANSITIONS, Action

from .. import selectors
from . import question_label

PAGE_SIZE = 50
Kind = PlanEvent.Kind
APPROVED_PDF_DID = {
    Kind.PDF_READY: "made the approved plan's PDF ready",
    Kind.EXPORT: "downloaded the approved plan's PDF",
}


def _did(event: PlanEvent, plan: Plan) -> str:
    if event.kind in APPROVED_PDF_DID and not plan.template.signatories:
        # A form that ends at approval: its sealed PDF is the approved one (decision 0457).
        return APPROVED_PDF_DID[event.kind]
    if event.kind in (Kind.TRANSITION, Kind.SIGNATURE) and event.action in Action:
        done = TRANSITIONS[Action(event.action)].done
        return done.replace("PCT", settings.COMMISSIONER_WORD)
    return {
        Kind.COMMENT: "commented on {on}",
        Kind.REPLY: "replied to a comment on {on}",
        Kind.COMMENT_RESOLVED: "resolved a comment on {on}",
        Kind.COMMENT_REOPENED: "reopened a comment on {on}",
        Kind.SNAPSHOT: "saved a named draft",
        Kind.RESTORE: "restored an earlier version of {on}",
        Kind.SIGNATURE: "signed the plan",
        Kind.SIGNATURES_VOIDED: "voided the signatures given",
        Kind.PDF_READY: "made the signed PDF ready",
        Kind.EXPORT: "downloaded the signed PDF",
        Kind.PARTICIPATION: "recorded a practice's participation",
        Kind.MOVE: "moved the plan to a newer version of its form",
    }.get(event.kind, event.get_kind_display().lower()).format(on=question_label(event.question))


@dataclass
class ActivityLine:
    who: str
    role: str
    did: str
    at: object
    comment: str
    status_change: str
    internal: bool
    link: str


def line(event: PlanEvent, plan: Plan) -> ActivityLine:
    actor = event.actor
    status_change = ""
    if event.from_status and event.to_status and event.from_status != event.to_status:
        status_change = (
            f"{Plan.Status(event.from_status).label} to {Plan.Status(event.to_status).label}"
        )
    link = ""
    if event.question is not None and event.kind in selectors.COMMENT_EVENT_KINDS:
        link = reverse(
            "answer_edit", kwargs={"plan_id": event.plan_id, "question_key": event.question.key}
        )
    return ActivityLine(
        who=actor.full_name if actor else "The service",
        role=role_label(actor.role) if actor else "",
        did=_did(event, plan),
        at=event.created_at,
        comment=event.comment,
        status_change=status_change,
        internal=selectors.event_is_internal(event),
        link=link,
    )


def saves_line(plan: Plan, row: dict) -> ActivityLine:
    """One person's saves of one answer on one day: "changed 4.2 Practice list (3 saves that
    day)", at their last save, linked to the answer's history."""
    question = TemplateQuestion(number=row["line_number"] or "", title=row["line_title"] or "")
    times = row["line_times"]
    did = f"changed {question_label(question)}"
    if times > 1:
        did += f" ({times} saves that day)"
    return ActivityLine(
        who=(row["line_name"] or row["line_email"]) if row["line_user"] else "The service",
        role=role_label(row["line_role"]) if row["line_user"] else "",
        did=did,
        at=row["line_at"],
        comment="",
        status_change="",
        internal=False,
        link=reverse("question_history", args=[plan.pk, row["line_key"]])
        if row["line_key"]
        else "",
    )


def _event_rows(events) -> QuerySet:
    """The events as rows shaped like ``history.saves_by_day``'s, so the two are paged
    together in one query; the line's own details are read from the events themselves."""
    text = {
        name: Value(None, output_field=CharField())
        for name in ("line_name", "line_email", "line_role", "line_number", "line_key")
    }
    return (
        events.annotate(
            line_day=TruncDate("created_at"),
            line_user=F("actor_id"),
            line_question=F("question_id"),
            line_title=Value(None, output_field=TextField()),
            **text,
        )
        .values(*history.SAVES_BY_DAY_GROUPS)
        .annotate(line_at=F("created_at"), line_id=F("pk"), line_times=Value(0))
    )


def activity_page(plan: Plan, user, page_number) -> tuple[Page, list[ActivityLine]]:
    """One page of what happened to the plan, newest first: the events the user may see and,
    among them, who changed which answer each day (one line per person, question and day, not
    one per save). Three queries however long the history: the count, the page's lines, and
    their events (none when the page has none)."""
    events = selectors.events_visible_to(user, PlanEvent.objects.filter(plan=plan))
    rows = (
        _event_rows(events)
        .annotate(line_kind=Value("event"))
        .union(history.saves_by_day(plan).annotate(line_kind=Value("saves")), all=True)
        .order_by("-line_at", "-line_id", "line_kind")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(page_number)
    found = PlanEvent.objects.select_related("actor", "question", "comment_link__comment").in_bulk(
        [row["line_id"] for row in page.object_list if row["line_kind"] == "event"]
    )
    return page, [
        line(found[row["line_id"]], plan) if row["line_kind"] == "event" else saves_line(plan, row)
        for row in page.object_list
    ]
