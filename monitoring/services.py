"""The verbs of in-year monitoring. The PCT lead opens a return for a signed plan and accepts it
or sends it back; the consortium (its editors and chair) fills it and submits it. Each refuses,
with the reason in the user's words, what the rules do not allow; none writes to the plan."""

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from consortia.dates import long_date
from consortia.numbers import NotANumber, finer_than_pence, in_pence, read_number
from consortia.permissions import Perm, allowed
from plans.assignments import DUE_WITHIN_YEARS
from plans.models import Plan
from plans.plan_years import plan_period
from plans.workflow import status_refusal
from signoff.errors import Refused
from signoff.signing import SigningState

from .models import ApiToken, MonitoringReturn, ReturnLine
from .signed_lines import signed_lines

Status = MonitoringReturn.Status
Kind = ReturnLine.Kind
MONITORED = frozenset({Plan.Status.SIGNED, Plan.Status.SUBMITTED_TO_PCT})
EDITABLE = frozenset({Status.OPEN, Status.SENT_BACK})
MILESTONE_STATUSES = {
    "not_started": "Not started",
    "on_track": "On track",
    "at_risk": "At risk",
    "missed": "Missed",
    "done": "Done",
}
CRITERION_STATUSES = {"met": "Met", "partly_met": "Partly met", "not_met": "Not met"}
MAX_LABEL_CHARACTERS = 100
MAX_TEXT_CHARACTERS = 10_000
MAX_MONEY = Decimal("999999999999.99")
# A token's last use is kept to within this, so that a program reading the API again and again
# writes once in a while, not on every read.
TOKEN_USE_INTERVAL = timedelta(minutes=5)


@dataclass(frozen=True)
class LineInput:
    """What was typed for one line, as typed: the service checks and converts it."""

    status: str = ""
    note: str = ""
    done_on: date | None = None
    actual_to_date: str = ""
    forecast_for_year: str = ""


def _signed_hash(plan: Plan) -> str:
    """The one content hash the plan's live signatures bind, checked against its content now
    in the canonical version they were given in (signoff.signing)."""
    state = SigningState.of(plan)
    hashes = state.signed_hashes
    if len(hashes) != 1:
        raise Refused("The plan has no complete set of live signatures to monitor against.")
    signed = next(iter(hashes))
    if state.content_sha256(plan) != signed:
        raise Refused("The plan's content no longer matches its signatures: ask for help.")
    return signed


class OpenRefused(Refused):
    """A return not opened for what was typed: ``problems`` says why by each field of the open
    form refused, all at once."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(" ".join(problems.values()))
        self.problems = problems


def open_problems(
    plan: Plan, *, label: str, period_end: date | None, due_on: date | None
) -> dict[str, str]:
    """Everything wrong with what was typed to open a return of ``plan``, by field; a date
    left out (one the form could not read) is not checked, nor a due date against it."""
    label = " ".join((label or "").split())
    problems = {}
    if not label:
        problems["label"] = "Enter the period the return covers, like Q1 2006/07."
    elif len(label) > MAX_LABEL_CHARACTERS:
        problems["label"] = f"The period can have at most {MAX_LABEL_CHARACTERS} characters."
    if period_end is not None and (problem := _period_end_refused(plan, period_end)):
        problems["period_end"] = problem
    if period_end is not None and due_on is not None:
        if due_on < period_end:
            problems["due_on"] = "The return cannot be due before its period ends."
        # As for a section's due date (plans.assignments): a year such as 9999 is a slip, told
        # from a period end that is none.
        elif "period_end" not in problems and due_on > (
            latest := date(period_end.year + DUE_WITHIN_YEARS, 12, 31)
        ):
            problems["due_on"] = f"Choose a due date by {long_date(latest)}."
    return problems


def _period_end_refused(plan: Plan, period_end: date) -> str:
    """Why ``period_end`` cannot end a period of the plan's year: a date in the year, or in the
    year after for a late return, can. A date far from it (0001-01-01) is a slip."""
    year = plan_period(plan.period)
    if year is not None:
        earliest, latest = year[0], year[1].replace(year=year[1].year + 1)
        if not earliest <= period_end <= latest:
            return (
                f"Choose a date the period ends from {long_date(earliest)} to {long_date(latest)}: "
                f"the plan is for {plan.period}."
            )
    return ""


def return_open(
    *, plan: Plan, user, label: str, period_end: date, due_on: date
) -> MonitoringReturn:
    """Opens a return for ``label`` (such as "Q1 2006/07") on a signed plan, its lines copied
    from the signed content, bound to the hash the signatures bind. Two periods that differ
    only in case or spacing are one: the second is refused (OpenRefused, by its field, as is
    everything wrong with what was typed, all at once)."""
    if not allowed(user, Perm.REVIEW, plan):
        raise Refused("Only the PCT's lead can open a monitoring return.")
    if plan.status not in MONITORED:
        raise Refused(status_refusal(plan, "returns are opened for signed plans only."))
    label = " ".join((label or "").split())
    if problems := open_problems(plan, label=label, period_end=period_end, due_on=due_on):
        raise OpenRefused(problems)
    signed = _signed_hash(plan)
    lines = signed_lines(plan)
    with transaction.atomic():
        # One open at a time per plan, so that the check for the same period holds.
        Plan.objects.select_for_update(of=("self",)).only("pk").get(pk=plan.pk)
        taken = MonitoringReturn.objects.filter(plan=plan, label__iexact=label).first()
        if taken is not None:
            raise OpenRefused({"label": f"There is already a return for {taken.label}."})
        opened = MonitoringReturn.objects.create(
            plan=plan,
            label=label,
            period_end=period_end,
            due_on=due_on,
            content_sha256=signed,
            opened_at=timezone.now(),
            opened_by=user,
        )
        bulk_create_with_history(
            [
                ReturnLine(
                    monitoring_return=opened,
                    kind=line.kind,
                    key=line.key,
                    reference=line.reference,
                    text=line.text,
                    position=position,
                    planned_on=line.planned_on,
                    planned_saving=line.planned_saving,
                )
                for position, line in enumerate(lines)
            ],
            ReturnLine,
        )
    return opened


def _money(value: str, *, what: str) -> Decimal | None:
    try:
        amount = read_number(value or "")
    except NotANumber:
        raise Refused(f"{what} must be an amount in pounds, like 40000.") from None
    if amount is None:
        return None
    if not amount.is_finite() or amount < 0:
        raise Refused(f"{what} must be an amount in pounds of £0 or more.")
    if amount > MAX_MONEY:
        raise Refused(f"{what} is more than this service can record.")
    if not in_pence(amount):
        raise Refused(finer_than_pence(what))
    return amount


def _text(value: str, *, what: str) -> str:
    text = (value or "").strip()
    if len(text) > MAX_TEXT_CHARACTERS:
        raise Refused(f"{what} can have at most {MAX_TEXT_CHARACTERS:,} characters.")
    return text


def _locked(monitoring_return: MonitoringReturn) -> MonitoringReturn:
    return (
        MonitoringReturn.objects.select_for_update(of=("self",))
        .select_related("plan", "plan__consortium")
        .get(pk=monitoring_return.pk)
    )


def _locked_for_consortium(monitoring_return: MonitoringReturn, user, *, doing: str):
    """The return locked for the consortium's change, refused when it is not theirs to make."""
    locked = _locked(monitoring_return)
    if not allowed(user, Perm.EDIT_CONSORTIUM_SECTIONS, locked):
        raise Refused(f"Only the consortium's people can {doing} its monitoring return.")
    if locked.status not in EDITABLE:
        raise Refused(f"The return is {locked.get_status_display().lower()}: it cannot change.")
    return locked


@dataclass(frozen=True)
class Problem:
    """One thing wrong with what was typed for a return: ``field`` names the LineInput field of
    line ``line_id``, or is "commentary" (``line_id`` None)."""

    line_id: int | None
    field: str
    message: str


class ReturnRefused(Refused):
    """What was typed for a return, refused with every problem at once, each by its field."""

    def __init__(self, problems: list[Problem]):
        super().__init__(" ".join(problem.message for problem in problems))
        self.problems = problems


class _Checks:
    """Runs each field's check, keeping every refusal with the field it is about, so that one
    wrong figure does not hide the next."""

    def __init__(self):
        self.problems: list[Problem] = []

    def run(self, line_id: int | None, field: str, check, *args, **kwargs):
        try:
            return check(*args, **kwargs)
        except Refused as refusal:
            self.problems.append(Problem(line_id, field, refusal.message))
            return None


def _status(typed: str, choices: dict[str, str], *, name: str) -> str:
    if typed and typed not in choices:
        raise Refused(f"Choose the status of {name} from the list.")
    return typed


def _done_on(typed: LineInput, *, name: str) -> date | None:
    if typed.done_on is not None and typed.status != "done":
        raise Refused(f"Give a date done for {name} only when it is done.")
    if typed.done_on is not None and typed.done_on > timezone.localdate():
        raise Refused(f"The date {name} was done cannot be in the future.")
    return typed.done_on


def _values(line: ReturnLine, typed: LineInput, checks: _Checks) -> dict:
    """The line's fields as the typed input gives them, converted."""
    name = f"{line.get_kind_display()} {line.reference}"
    check = partial(checks.run, line.pk)
    if line.kind == Kind.TARGET:
        return {
            "actual_to_date": check(
                "actual_to_date", _money, typed.actual_to_date, what=f"The actual savings of {name}"
            ),
            "forecast_for_year": check(
                "forecast_for_year",
                _money,
                typed.forecast_for_year,
                what=f"The forecast for the year of {name}",
            ),
            "note": check("note", _text, typed.note, what=f"The note on {name}"),
        }
    choices = MILESTONE_STATUSES if line.kind == Kind.MILESTONE else CRITERION_STATUSES
    values = {
        "status": check("status", _status, typed.status, choices, name=name),
        "note": check(
            "note",
            _text,
            typed.note,
            what=f"The {'evidence' if line.kind == Kind.CRITERION else 'note'} for {name}",
        ),
    }
    if line.kind == Kind.MILESTONE:
        values["done_on"] = check("done_on", _done_on, typed, name=name)
    return values


def checked(
    lines: list[ReturnLine], typed: Mapping[int, LineInput], commentary: str
) -> tuple[dict[int, dict], str]:
    """Each typed line's fields and the commentary, converted; ReturnRefused names every
    problem found, in the order of the lines."""
    checks = _Checks()
    values = {line.pk: _values(line, typed[line.pk], checks) for line in lines if line.pk in typed}
    commentary = checks.run(None, "commentary", _text, commentary, what="The commentary")
    if checks.problems:
        raise ReturnRefused(checks.problems)
    return values, commentary


class StaleReturn(Exception):
    """Someone saved the return since the person's page was loaded: nothing of theirs was
    saved. ``current`` is the return as it is now, with who saved it and when."""

    def __init__(self, current: MonitoringReturn):
        self.current = current
        super().__init__(f"Return {current.pk} is at version {current.version}")


def return_save(
    *,
    monitoring_return: MonitoringReturn,
    user,
    base_version: int,
    commentary: str,
    lines: Mapping[int, LineInput],
) -> MonitoringReturn:
    """Records what the consortium typed, if nobody has saved since the page was loaded at
    ``base_version`` (StaleReturn otherwise): each line by its id, and the commentary. Every
    line is checked before any is saved, and every problem is refused at once
    (ReturnRefused)."""
    with transaction.atomic():
        locked = _locked_for_consortium(monitoring_return, user, doing="fill")
        if locked.version != base_version:
            raise StaleReturn(locked)
        known = {line.pk: line for line in locked.lines.all()}
        unknown = set(lines) - set(known)
        if unknown:
            raise Refused("The return has changed since the page was loaded: reload it.")
        values, locked.commentary = checked(list(known.values()), lines, commentary)
        for line_id, fields in values.items():
            line = known[line_id]
            for field, value in fields.items():
                setattr(line, field, value)
            # One save a line, not bulk_update, so that each change joins the line's history.
            line.save(update_fields=list(fields))
        locked.version += 1
        locked.saved_at = timezone.now()
        locked.saved_by = user
        locked.save(update_fields=["commentary", "version", "saved_at", "saved_by"])
    return locked


def missing_in(monitoring_return: MonitoringReturn) -> list[ReturnLine]:
    """The lines still to fill before the return can be submitted."""
    return [
        line
        for line in monitoring_return.lines.all()
        if (line.kind == Kind.TARGET and line.actual_to_date is None)
        or (line.kind != Kind.TARGET and not line.status)
    ]


def _still_to_fill(line: ReturnLine) -> Problem:
    """What the line needs before the return can be submitted, on the field that needs it."""
    name = f"{line.get_kind_display()} {line.reference}"
    if line.kind == Kind.TARGET:
        return Problem(
            line.pk, "actual_to_date", f"Enter the actual savings to date of {name} to submit."
        )
    return Problem(line.pk, "status", f"Choose the status of {name} to submit.")


def return_submit(*, monitoring_return: MonitoringReturn, user) -> MonitoringReturn:
    """Sends the return to the PCT; refused (ReturnRefused) while any line is still to fill,
    each on the field it needs, so that the page can point to every one."""
    with transaction.atomic():
        locked = _locked_for_consortium(monitoring_return, user, doing="submit")
        missing = missing_in(locked)
        if missing:
            raise ReturnRefused([_still_to_fill(line) for line in missing])
        locked.status = Status.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["status", "submitted_at"])
    return locked


def _review(
    monitoring_return: MonitoringReturn, user, *, to: str, comment: str
) -> MonitoringReturn:
    with transaction.atomic():
        locked = _locked(monitoring_return)
        if not allowed(user, Perm.REVIEW, locked):
            raise Refused("Only the PCT's lead can review a monitoring return.")
        if locked.status != Status.SUBMITTED:
            raise Refused(
                f"The return is {locked.get_status_display().lower()}: only a submitted return "
                "can be reviewed."
            )
        locked.status = to
        locked.review_comment = comment
        locked.reviewed_at = timezone.now()
        locked.save(update_fields=["status", "review_comment", "reviewed_at"])
    return locked


def return_accept(
    *, monitoring_return: MonitoringReturn, user, comment: str = ""
) -> MonitoringReturn:
    return _review(
        monitoring_return, user, to=Status.ACCEPTED, comment=_text(comment, what="The comment")
    )


def return_send_back(
    *, monitoring_return: MonitoringReturn, user, comment: str
) -> MonitoringReturn:
    comment = _text(comment, what="The comment")
    if not comment:
        raise Refused("Say what the consortium should change.")
    return _review(monitoring_return, user, to=Status.SENT_BACK, comment=comment)


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new API token for ``user``, and its key, which is shown this once and never kept."""
    name = (name or "").strip()
    if not name:
        raise Refused("Name the token, like Finance spreadsheet.")
    if len(name) > MAX_LABEL_CHARACTERS:
        raise Refused(f"A token's name can have at most {MAX_LABEL_CHARACTERS} characters.")
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, key_sha256=token_hash(key), prefix=key[:8]
    )
    return token, key


def token_record_use(*, token: ApiToken) -> None:
    """Notes that ``token`` opened the API now, unless a use within TOKEN_USE_INTERVAL is noted
    already. The one UPDATE rechecks that in SQL, so requests at once write it once."""
    now = timezone.now()
    stale_before = now - TOKEN_USE_INTERVAL
    if token.last_used_at is not None and token.last_used_at >= stale_before:
        return
    ApiToken.objects.filter(
        Q(last_used_at=None) | Q(last_used_at__lt=stale_before), pk=token.pk
    ).update(last_used_at=now)


def token_revoke(*, token_id: int, user) -> ApiToken:
    """Revokes one of the user's own tokens; a revoked token opens nothing."""
    token = ApiToken.objects.filter(pk=token_id, user=user, revoked_at=None).first()
    if token is None:
        raise Refused("That token is revoked already, or is not yours.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token
