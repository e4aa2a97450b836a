"""The home page's dashboards: where each plan stands and what is waiting on whom.

Every figure is worked out by the database, so a page costs the same few queries for 2 plans
or 2,000:

- days waiting: since the plan's last change of state (its newest event with a ``to_status``),
  or since it was started;
- open comments: threads (not replies) not yet resolved; a consortium counts only those it
  can see on the questions it completes (its own and joint questions). A frozen plan's
  (approved and later) are counted as the plan page counts them, with a note that no answer can
  change until it is reopened: a count of 0 beside the plan page's "1 open comment" gave a
  reader two answers (docs/decisions/0496, in place of 0472's none);
- progress: the required questions of the plan's form completed and started, in the sentence
  the plan page gives (``plans.presenters.Progress``, docs/decisions/0486). "Completed" is
  ``plans.selectors.done_answers``, the task list's "Completed": written (the text has a
  character outside its tags, a table row has a cell with something in it, or a structured
  answer holds any figure), and neither only typed (autosaved), nor carried forward unchecked,
  nor a table only filled in from the consortium's records and never saved (``prefilled``,
  docs/decisions/0494). (A timestamp such as ``updated_at`` would count a saved-then-emptied
  answer as done.) "Started" is every written answer
  (``answered_answers``), done or not. In a frozen plan every written answer counts as
  answered, as its task list says "Answered".

A group of plans in one state shows its first ``GROUP_SIZE`` (longest waiting first) with a
link to all of them, a page at a time.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    Sum,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.forms.models import model_to_dict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from consortia.models import User
from consortia.tables import Cell, Heading, Table, Tag
from plans.consistent_reads import consistent_reads
from plans.fragments import FRAGMENT_SECONDS, fragment_key
from plans.models import Answer, Plan, PlanEvent, QuestionKind, TemplateQuestion
from plans.presenters import Progress
from plans.selectors import NOT_YET_DONE, answered_answers, done_answers, plans_visible_to
from plans.workflow import CONSORTIUM_OWNED, FROZEN

from ..models import Comment, Signature
from ..signing import (
    SIGNING_STATUSES,
    Holders,
    SignatoryBlock,
    SigningState,
    approval_ends,
    blocks_held_by,
)

Status = Plan.Status
Role = User.Role
GROUP_SIZE = 50
# Between the signatory keys of one plan's live signatures, in the annotation they come back in.
KEY_SEPARATOR = ","

# The PCT's order: what is waiting on the PCT first.
PCT_STATE_ORDER = (
    Status.SUBMITTED,
    Status.IN_REVIEW,
    Status.CHANGES_REQUESTED,
    Status.DRAFT,
    Status.APPROVED,
    Status.SIGNING,
    Status.SIGNED,
    Status.SUBMITTED_TO_PCT,
)


def _count(queryset: QuerySet, group_by: str) -> Subquery:
    """The number of rows of a correlated ``queryset``, as a subquery (0 when none)."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _required_questions() -> QuerySet[TemplateQuestion]:
    return TemplateQuestion.objects.filter(required=True).exclude(kind=QuestionKind.SIGNOFF)


def waiting_since():
    """When the plan came into its state: its last change of state, or its start."""
    last_change = (
        PlanEvent.objects.filter(plan=OuterRef("pk"))
        .exclude(to_status="")
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )
    return Coalesce(Subquery(last_change), F("created_at"))


def _progress_but_answered(*, open_threads: Q) -> dict:
    """waiting_since, required_count and open_threads: the progress figures read by index, not
    by scanning every answer's text."""
    required = _required_questions().filter(template=OuterRef("template"))
    threads = Comment.objects.filter(
        open_threads, plan=OuterRef("pk"), parent__isnull=True, resolved_at__isnull=True
    )
    return {
        "waiting_since": waiting_since(),
        "required_count": _count(required, "template"),
        "open_threads": _count(threads, "plan"),
    }


def _unless_frozen(expression, *, then):
    """``expression`` for a plan that can still change, ``then`` for a frozen one."""
    return Case(When(status__in=FROZEN, then=then), default=expression)


def with_progress(plans: QuerySet[Plan], *, open_threads: Q) -> QuerySet[Plan]:
    """Annotates each plan with waiting_since, required_count, answered_count (its required
    questions done, or in a frozen plan written), started_count (written) and open_threads:
    what ``progress_of`` reads."""

    def required_of_plan(answers: QuerySet[Answer]) -> Subquery:
        answers = answers.filter(
            plan=OuterRef("pk"),
            question__template=OuterRef("template"),
            question__required=True,
        ).exclude(question__kind=QuestionKind.SIGNOFF)
        return _count(answers, "plan")

    written = required_of_plan(answered_answers())
    return plans.annotate(
        **_progress_but_answered(open_threads=open_threads),
        answered_count=_unless_frozen(required_of_plan(done_answers()), then=written),
        started_count=written,
    )


def progress_of(plan: Plan) -> Progress:
    """The progress of a plan annotated by ``with_progress``, as its plan page words it."""
    return Progress(
        required=plan.required_count,
        completed=plan.answered_count,
        started=plan.started_count,
        frozen=plan.status in FROZEN,
    )


# --- What a row shows --------------------------------------------------------------------------


def _days(since) -> str:
    days = (timezone.now() - since).days
    if days < 1:
        return "Less than a day"
    return f"{days} day{'s' if days != 1 else ''}"


@dataclass
class PlanRow:
    plan: Plan
    href: str
    status: str
    days_waiting: str
    open_threads: int
    progress: Progress
    next_step: str = ""
    # Positions the plan waits for that no one holds: it cannot go on until someone is assigned.
    unheld: list[str] = field(default_factory=list)

    @property
    def open_threads_note(self) -> str:
        """Why a frozen plan's open comments wait: they are open, but ask for no change now."""
        if self.open_threads and self.plan.status in FROZEN:
            return FROZEN_COMMENTS_NOTE
        return ""


# Beside a frozen plan's open comments, on the homes; the plan page says it at more length.
FROZEN_COMMENTS_NOTE = "No answer can change until the plan is reopened."


def _row(plan: Plan, holders: Holders | None = None) -> PlanRow:
    return PlanRow(
        plan=plan,
        href=reverse("plan_detail", kwargs={"plan_id": plan.pk}),
        status=plan.get_status_display(),
        days_waiting=_days(plan.waiting_since),
        open_threads=plan.open_threads,
        progress=progress_of(plan),
        unheld=(holders or Holders()).unheld(plan, _waiting_for(plan))
        if plan.status in SIGNING_STATUSES
        else [],
    )


def with_signed_keys(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    """Annotates each plan with ``signed_keys``: the signatory keys of its live signatures,
    joined."""
    keys = (
        Signature.objects.live()
        .filter(plan=OuterRef("pk"))
        .order_by()
        .values("plan")
        .annotate(keys=StringAgg("role", delimiter=Value(KEY_SEPARATOR)))
        .values("keys")
    )
    return plans.annotate(signed_keys=Subquery(keys, output_field=TextField()))


def _waiting_for(plan: Plan) -> list[SignatoryBlock]:
    """Whose signatures the plan waits for (``with_signed_keys``), in the form's order."""
    keys = plan.signed_keys.split(KEY_SEPARATOR) if plan.signed_keys else []
    return SigningState.of_signed_keys(plan, keys).waiting_for


# --- The PCT's dashboard -------------------------------------------------------------------------


@dataclass
class StateGroup:
    status: str
    label: str
    count: int
    rows: list[PlanRow] = field(default_factory=list)
    see_all: str = ""


@dataclass
class PctDashboard:
    groups: list[StateGroup]
    total: int
    state: str = ""
    page: Page | None = None
    awaiting_signature: list[PlanRow] = field(default_factory=list)
    #: every state with plans and its count, for the filter (whichever state is shown)
    states: list[StateGroup] = field(default_factory=list)


def pct_dashboard(
    user, *, state: str = "", page_number=None, holders: Holders | None = None
) -> PctDashboard:
    """The plans of the PCT's consortia by state; with ``state``, all of one state by pages."""
    plans = plans_visible_to(user).order_by()
    counts = dict(plans.values_list("status").annotate(n=Count("pk")).order_by())
    # Shared and PCT-only threads.
    progress = with_signed_keys(with_progress(plans, open_threads=Q()))
    groups = [
        StateGroup(status=status, label=Status(status).label, count=counts[status])
        for status in PCT_STATE_ORDER
        if counts.get(status)
    ]
    dashboard = PctDashboard(groups=groups, total=sum(counts.values()), states=list(groups))
    if state in counts:
        dashboard.state = state
        one_state = progress.filter(status=state).order_by("waiting_since", "pk")
        dashboard.page = Paginator(one_state, GROUP_SIZE).get_page(page_number)
        group = next(g for g in groups if g.status == state)
        holders = holders or Holders()
        group.rows = [_row(plan, holders) for plan in dashboard.page.object_list]
        dashboard.groups = [group]
    elif groups:
        ranked = plans.annotate(
            waiting_since=waiting_since(),
            rank=Window(
                RowNumber(),
                partition_by=[F("status")],
                order_by=[F("waiting_since").asc(), F("pk").asc()],
            ),
        ).filter(rank__lte=GROUP_SIZE)
        first = progress.filter(pk__in=ranked.values("pk")).order_by("waiting_since", "pk")
        by_status: dict[str, list[PlanRow]] = {}
        holders = holders or Holders()
        for plan in first:
            by_status.setdefault(plan.status, []).append(_row(plan, holders))
        for group in groups:
            group.rows = by_status.get(group.status, [])
            if group.count > len(group.rows):
                group.see_all = f"{reverse('home')}?state={group.status}"
    return dashboard


# --- The PCT's dashboard, cached under all it shows (docs/decisions/0425) ----------------------
#
# The rule: no one is ever shown another reader's dashboard or a stale one. The key is a digest
# of the reader and of everything the dashboard shows of every plan they can see, read afresh on
# every request with one query (``_shown_of_plans``), so any change is a new key and an old entry
# is never read again. The one figure not read as shown is how many required questions are
# answered (a regular expression over every answer's text, the page's costliest query): in its
# place stand the number of the plan's answers and the sum of their versions, and an answer's
# version rises with every change to its words, rows or figures (plans.services.answer_save,
# the carry-forward, the admin's save and restore), so the sum moves whenever a count can. What
# else decides whether a written answer counts (plans.selectors.NOT_YET_DONE: only typed, or
# carried forward unchecked) stands beside them as the count of answers not yet done: one
# carried forward is confirmed as it stands without a save, and the key does not rely on every
# other change of those flags coming with one (docs/decisions/0468). Which questions are
# required is fixed for a form in use (a form a plan uses is never rewritten:
# plans.template_files.store_previewed), its required count in the key standing for them.
# "Waiting in this state" changes with the clock alone: an entry expires when the first of its
# rows would next show another day. On a miss the key is read again with the dashboard, from one
# snapshot (plans.consistent_reads), so what is kept under a key is what the key describes.

DAY_SECONDS = 24 * 60 * 60


def _shown_of_plans_query(plans: QuerySet[Plan]) -> QuerySet:
    """Each plan as the dashboard shows it, but for its answered count (see above)."""
    answers = Answer.objects.filter(plan=OuterRef("pk"))
    versions = answers.order_by().values("plan").annotate(sum=Sum("version")).values("sum")[:1]
    return (
        with_signed_keys(
            plans.annotate(
                **_progress_but_answered(open_threads=Q()),
                answer_count=_count(answers, "plan"),
                answer_versions=Coalesce(Subquery(versions, output_field=IntegerField()), Value(0)),
                not_yet_done_count=_count(answers.filter(NOT_YET_DONE), "plan"),
            )
        )
        .order_by("pk")
        .values_list(
            "pk",
            "status",
            "title",
            "period",
            "created_at",
            "template_id",
            "template__signatories",
            "consortium_id",
            "consortium__name",
            "consortium__commissioner__name",
            "waiting_since",
            "required_count",
            "open_threads",
            "signed_keys",
            "answer_count",
            "answer_versions",
            "not_yet_done_count",
        )
    )


# The SQL of _shown_of_plans_query for each PCT's people, compiled once a process: it depends on
# nothing but the PCT (they see its consortia's plans), and building and compiling it cost the
# worker more than the database takes to run it.
_SHOWN_OF_PLANS_SQL: dict[int, tuple[str, tuple]] = {}


def _shown_of_plans(user) -> list[tuple]:
    """The plans a PCT's person sees as their dashboard shows them: one query, no answer read."""
    compiled = _SHOWN_OF_PLANS_SQL.get(user.commissioner_id)
    if compiled is None:
        query = _shown_of_plans_query(plans_visible_to(user).order_by()).query
        compiled = _SHOWN_OF_PLANS_SQL[user.commissioner_id] = query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(*compiled)
        return cursor.fetchall()


def pct_dashboard_key(user, *, state: str, page_number, holders: Holders) -> str:
    """The cache key of ``user``'s dashboard, or "" for a reader who is not one of a PCT's
    people (a site administrator sees every PCT's plans: rendered afresh). ``holders`` is the
    page's own (already read for the signatures waiting): it decides what is unheld."""
    if user.role not in User.COMMISSIONER_ROLES or not user.commissioner_id:
        return ""
    shown = {
        "reader": [user.pk, user.role, user.commissioner_id],
        "page": [state, str(page_number or "")],
        "plans": _shown_of_plans(user),
        "holders": [
            [appointment.pk, appointment.user_id, model_to_dict(appointment.position)]
            for appointment in holders.held_in(user.commissioner_id)
        ],
        "language": get_language(),
    }
    return fragment_key("pct-dashboard", shown)


def _seconds_until_a_day_changes(dashboard: PctDashboard, since) -> int:
    """How long, from now, every row's "waiting" as worked out at ``since`` stays true."""
    sinces = [row.plan.waiting_since for group in dashboard.groups for row in group.rows]
    left = min(
        (DAY_SECONDS - (since - when).total_seconds() % DAY_SECONDS for when in sinces),
        default=FRAGMENT_SECONDS,
    )
    return max(0, int(left - (timezone.now() - since).total_seconds()))


def pct_dashboard_html(user, *, state: str = "", page_number=None, holders: Holders) -> str:
    """The PCT's dashboard rendered, from the cache when nothing it shows has changed."""
    key = pct_dashboard_key(user, state=state, page_number=page_number, holders=holders)
    if not key:
        return _rendered(pct_dashboard(user, state=state, page_number=page_number, holders=holders))
    html = cache.get(key)
    if html is None:
        # The key read again with the dashboard, from one snapshot: what is kept under it is
        # what it describes, whatever is saved meanwhile (plans.consistent_reads).
        with consistent_reads():
            key = pct_dashboard_key(user, state=state, page_number=page_number, holders=holders)
            started = timezone.now()
            dashboard = pct_dashboard(user, state=state, page_number=page_number, holders=holders)
            html = _rendered(dashboard)
        cache.set(key, html, _seconds_until_a_day_changes(dashboard, started))
    return mark_safe(html)  # noqa: S308 - rendered by the template, which escapes


def _rendered(dashboard: PctDashboard) -> str:
    return render_to_string("signoff/_pct_dashboard.html", {"dashboard": dashboard})


# --- Signatures waiting --------------------------------------------------------------------------


def awaiting_signature(user, holders: Holders | None = None) -> list[PlanRow]:
    """Approved plans whose next signature, in the form's order, is a position the user holds."""
    holders = holders or Holders()
    positions = holders.positions_of(user)
    if not positions:
        return []
    candidates = with_signed_keys(
        with_progress(plans_visible_to(user).filter(status__in=SIGNING_STATUSES), open_threads=Q())
    ).order_by("waiting_since", "pk")
    rows = []
    for plan in candidates:
        mine = next(iter(blocks_held_by(user, plan, _waiting_for(plan), positions=positions)), None)
        if mine is not None:
            row = _row(plan, holders)
            row.next_step = f"Sign as {mine.title}"
            rows.append(row)
    return rows[:GROUP_SIZE]


# --- The consortium's dashboard ------------------------------------------------------------------


def _consortium_threads() -> Q:
    """Open threads the consortium can see, on the questions it completes."""
    return Q(visibility=Comment.Visibility.SHARED, question__completed_by__in=CONSORTIUM_OWNED)


def _consortium_next_step(row: PlanRow, user, positions: list) -> str:
    plan = row.plan
    pct = settings.COMMISSIONER_WORD
    chair = user.role == Role.CONSORTIUM_EXECUTIVE_CHAIR
    missing = plan.required_count - plan.answered_count
    if plan.status in (Status.DRAFT, Status.CHANGES_REQUESTED):
        first = (
            f"Make the changes the {pct} asked for"
            if plan.status == Status.CHANGES_REQUESTED
            else "Complete the plan"
        )
        if missing > 0:
            return (
                f"{first}: {missing} required question{'s are' if missing != 1 else ' is'} "
                f"not completed yet. Then submit it to the {pct}."
            )
        if plan.status == Status.DRAFT:
            # Every required question is completed: nothing is left to complete.
            return f"Submit the plan to the {pct}."
        return f"{first} and submit it to the {pct}."
    if plan.status == Status.SUBMITTED:
        return f"Nothing: the plan is waiting for the {pct} to start its review."
    if plan.status == Status.IN_REVIEW:
        return f"Nothing: the {pct} is reviewing the plan."
    if plan.status in SIGNING_STATUSES:
        waiting = _waiting_for(plan)
        if not waiting:
            return f"Nothing: {approval_ends(plan)}"
        mine = next(iter(blocks_held_by(user, plan, waiting, positions=positions)), None)
        if mine is not None:
            return f"Sign the plan as {mine.title}."
        return f"Nothing: waiting for the {' and the '.join(b.title for b in waiting)} to sign."
    if plan.status == Status.SIGNED:
        if chair:
            return f"Download the signed PDF and record its submission to the {pct}."
        return f"Nothing: the executive chair sends the signed plan to the {pct}."
    return "Nothing: the plan has been submitted."


def consortium_dashboard(user, holders: Holders | None = None) -> list[PlanRow]:
    """The consortium's plans, newest year first, with what each needs from the user."""
    plans = with_signed_keys(
        with_progress(plans_visible_to(user), open_threads=_consortium_threads())
    ).order_by("-period", "-created_at", "-pk")[:GROUP_SIZE]
    rows = []
    holders = holders or Holders()
    positions = holders.positions_of(user)
    for plan in plans:
        row = _row(plan, holders)
        row.next_step = _consortium_next_step(row, user, positions)
        rows.append(row)
    return rows


# --- The home page -------------------------------------------------------------------------------


@dataclass
class Home:
    awaiting_signature: list[PlanRow]
    #: the PCT's dashboard, rendered (pct_dashboard_html)
    pct_html: str = ""
    consortium_plans: list[PlanRow] | None = None

    @property
    def consortium_table(self) -> Table:
        """The consortium's plans (consortium_dashboard), newest year first."""
        return Table(
            caption="Your consortium's plans, newest year first",
            caption_hidden=True,
            headings=[
                Heading("Plan"),
                Heading("Status"),
                Heading("Progress"),
                Heading("Open comments on your questions"),
                Heading("What next"),
            ],
            rows=[
                [
                    Cell(row.plan.title, href=row.href, after=f"({row.plan.period})"),
                    Cell("", tags=(Tag(row.status),), note=f"for {row.days_waiting.lower()}"),
                    Cell(row.progress.sentence),
                    Cell(str(row.open_threads), note=row.open_threads_note),
                    Cell(row.next_step, warnings=row.unheld),
                ]
                for row in self.consortium_plans or []
            ],
            responsive=True,
        )


def home(user, *, state: str = "", page_number=None) -> Home:
    """What the signed-in person's home page shows, by their role."""
    # Who holds which position is read once for the page (docs/decisions/0360).
    holders = Holders()
    page = Home(awaiting_signature=awaiting_signature(user, holders))
    if user.role in User.COMMISSIONER_ROLES or user.role == Role.SITE_ADMIN:
        page.pct_html = pct_dashboard_html(
            user, state=state, page_number=page_number, holders=holders
        )
    elif user.role in User.CONSORTIUM_ROLES:
        page.consortium_plans = consortium_dashboard(user, holders)
    return page
