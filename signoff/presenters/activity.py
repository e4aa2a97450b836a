"""A plan's activity feed: its events, newest first, as sentences people read.

"Jo Bloggs (PCT lead) asked for changes · 3 July 2007 at 14:02", then what they wrote.
Events about PCT-only comments are left out for everyone outside the PCT
(``selectors.events_visible_to``).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.urls import reverse

from consortia.models import User
from plans.models import Plan, PlanEvent
from plans.workflow import TRANSITIONS, Action

from .. import selectors
from . import question_label

PAGE_SIZE = 50
Kind = PlanEvent.Kind
Role = User.Role


def role_label(role: str) -> str:
    pct = settings.COMMISSIONER_WORD
    return {
        Role.CONSORTIUM_EDITOR: "consortium editor",
        Role.CONSORTIUM_EXECUTIVE_CHAIR: "consortium executive chair",
        Role.PCT_LEAD: f"{pct} lead",
        Role.PEC_COMMITTEE_CHAIR: "PEC commissioning committee chair",
        Role.PCT_CHIEF_EXECUTIVE: f"{pct} chief executive",
        Role.PCT_OFFICER: f"{pct} officer",
        Role.SITE_ADMIN: "site administrator",
    }.get(role, "")


def _did(event: PlanEvent) -> str:
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


def line(event: PlanEvent) -> ActivityLine:
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
        did=_did(event),
        at=event.created_at,
        comment=event.comment,
        status_change=status_change,
        internal=selectors.event_is_internal(event),
        link=link,
    )


def activity_page(plan: Plan, user, page_number) -> tuple[Page, list[ActivityLine]]:
    """One page of the plan's events the user may see, newest first: two queries."""
    events = selectors.events_visible_to(
        user,
        PlanEvent.objects.filter(plan=plan)
        .select_related("actor", "question", "comment_link__comment")
        .order_by("-created_at", "-pk"),
    )
    page = Paginator(events, PAGE_SIZE).get_page(page_number)
    return page, [line(event) for event in page.object_list]
