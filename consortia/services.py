"""Changes to organisations and people. Views, admin and loaders call these; they hold the rules."""

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from . import selectors
from .models import Appointment, Commissioner, Consortium, Position, Practice, User

CSV_COLUMNS = ("name", "code", "list_size")
MAX_IMPORT_BYTES = 1_000_000


@dataclass(frozen=True)
class ImportProblem:
    line: int
    message: str

    def __str__(self):
        return f"Line {self.line}: {self.message}"


class PracticeImportError(Exception):
    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


def _read_rows(raw: bytes) -> list[dict[str, str]]:
    if len(raw) > MAX_IMPORT_BYTES:
        raise PracticeImportError([ImportProblem(0, "The file is larger than 1 MB.")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PracticeImportError(
            [ImportProblem(0, "The file is not UTF-8 text: save it from Excel as CSV UTF-8.")]
        ) from error
    # No database stores the null character; a file holding one is not a spreadsheet's CSV.
    unstorable = sorted(
        {number for number, row in enumerate(text.splitlines(), 1) if "\x00" in row}
    )
    if unstorable:
        raise PracticeImportError(
            [
                ImportProblem(
                    number,
                    "The line holds a null character, which cannot be stored: save the file "
                    "again from your spreadsheet as CSV UTF-8.",
                )
                for number in unstorable
            ]
        )
    reader = csv.DictReader(io.StringIO(text))
    header = [column.strip().lower() for column in (reader.fieldnames or [])]
    missing = [column for column in CSV_COLUMNS if column not in header]
    if missing:
        raise PracticeImportError(
            [ImportProblem(1, f"The header row needs the columns: {', '.join(CSV_COLUMNS)}.")]
        )
    reader.fieldnames = header
    return list(reader)


def practices_import_csv(*, consortium: Consortium, raw: bytes) -> list[Practice]:
    """Add or update the consortium's practices from a CSV file, all of it or none of it.

    Every problem in the file is reported with its line number before anything is written.
    """
    rows = _read_rows(raw)
    problems: list[ImportProblem] = []
    practices: list[Practice] = []
    seen_codes: dict[str, int] = {}
    existing = {practice.code: practice for practice in Practice.objects.all()}
    if not rows:
        problems.append(ImportProblem(2, "The file has no practices in it."))
    for offset, row in enumerate(rows):
        line = offset + 2
        code = (row.get("code") or "").strip().upper()
        size_text = (row.get("list_size") or "").strip().replace(",", "")
        if code in seen_codes:
            problems.append(
                ImportProblem(line, f"Practice code {code} is also on line {seen_codes[code]}.")
            )
            continue
        seen_codes[code] = line
        practice = existing.get(code) or Practice(code=code)
        if practice.pk and practice.consortium_id != consortium.pk:
            problems.append(
                ImportProblem(line, f"Practice code {code} belongs to {practice.consortium}.")
            )
            continue
        practice.consortium = consortium
        practice.name = (row.get("name") or "").strip()
        practice.position = offset
        if not size_text:
            practice.list_size = None
        elif not size_text.lstrip("-").isdigit():
            problems.append(ImportProblem(line, f"List size '{size_text}' is not a whole number."))
            continue
        elif int(size_text) < 0:
            problems.append(ImportProblem(line, "List size cannot be negative."))
            continue
        else:
            practice.list_size = int(size_text)
        try:
            practice.full_clean(validate_unique=False)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                label = field.replace("_", " ")
                problems.extend(ImportProblem(line, f"{label}: {message}") for message in messages)
            continue
        practices.append(practice)
    if problems:
        raise PracticeImportError(problems)
    with transaction.atomic():
        for practice in practices:
            practice.save()
    return practices


# --- Positions ------------------------------------------------------------------------------------


class PositionRefused(Exception):
    """An appointment that cannot be made, with the reason to show."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def position_get_or_create(
    *, commissioner: Commissioner, consortium: Consortium | None = None, body: str = "", name: str
) -> Position:
    """The organisation's position of that name (ignoring case), created if it is new."""
    name, body = name.strip(), body.strip()
    if not name:
        raise PositionRefused("Give the position's name, as the form prints it.")
    if consortium is not None and consortium.commissioner_id != commissioner.pk:
        raise PositionRefused(f"{consortium} belongs to {consortium.commissioner}.")
    found = selectors.position_named(
        commissioner_id=commissioner.pk,
        consortium_id=consortium.pk if consortium else None,
        body=body,
        name=name,
    )
    if found is not None:
        return found
    return Position.objects.create(
        commissioner=commissioner, consortium=consortium, body=body, name=name
    )


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _may_hold(position: Position, user: User) -> str:
    """Why ``user`` cannot hold ``position``, or ""."""
    if not user.is_active:
        return f"{user} cannot sign in any more: choose someone whose account is active."
    if position.consortium_id is not None:
        if user.consortium_id != position.consortium_id:
            return f"{user} does not work for {position.consortium}: choose one of its people."
    elif (
        user.role not in User.COMMISSIONER_ROLES or user.commissioner_id != position.commissioner_id
    ):
        return f"{user} is not on the staff of {position.commissioner}: choose one of its people."
    return ""


def position_assign(*, position: Position, user: User, started_on: date) -> Appointment:
    """``user`` holds ``position`` from ``started_on``; the holder before them stops that day.

    Nothing signed before changes: a signature records who signed, not who holds the post now.
    """
    with transaction.atomic():
        locked = Position.objects.select_for_update().get(pk=position.pk)
        if problem := _may_hold(locked, user):
            raise PositionRefused(problem)
        current = locked.appointments.filter(ended_on__isnull=True).first()
        if current is not None:
            if current.user_id == user.pk:
                raise PositionRefused(
                    f"{user} holds {locked.label} already, since {_day(current.started_on)}."
                )
            if started_on < current.started_on:
                raise PositionRefused(
                    f"{current.user} holds {locked.label} from {_day(current.started_on)}: "
                    "the next holder starts on that day or later."
                )
            current.ended_on = started_on
            current.save(update_fields=["ended_on"])
        return Appointment.objects.create(position=locked, user=user, started_on=started_on)


def position_vacate(*, position: Position, ended_on: date) -> None:
    """The holder leaves on ``ended_on`` and no one takes over yet."""
    with transaction.atomic():
        current = position.appointments.select_for_update().filter(ended_on__isnull=True).first()
        if current is None:
            raise PositionRefused(f"No one holds {position.label}.")
        if ended_on < current.started_on:
            raise PositionRefused(
                f"{current.user} started on {_day(current.started_on)}: "
                "the appointment cannot end before it starts."
            )
        current.ended_on = ended_on
        current.save(update_fields=["ended_on"])


def position_fill(
    *,
    organisation: Commissioner | Consortium,
    body: str,
    name: str,
    user: User,
    started_on: date,
) -> Appointment:
    """``user`` holds the organisation's position of that name from ``started_on``; the
    position is made if it is new."""
    if isinstance(organisation, Consortium):
        commissioner, consortium = organisation.commissioner, organisation
    else:
        commissioner, consortium = organisation, None
    with transaction.atomic():
        position = position_get_or_create(
            commissioner=commissioner, consortium=consortium, body=body, name=name
        )
        return position_assign(position=position, user=user, started_on=started_on)
