"""Changes to organisations and people. Views, admin and loaders call these; they hold the rules."""

import csv
import io
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from . import selectors
from .dates import long_date
from .models import (
    Appointment,
    Commissioner,
    Consortium,
    Invitation,
    PeopleEvent,
    Position,
    Practice,
    User,
)
from .names import direction_control_refusal
from .numbers import NotANumber, read_number
from .permissions import Perm, allowed

CSV_COLUMNS = ("name", "code", "list_size")
MAX_IMPORT_BYTES = 1_000_000


@dataclass(frozen=True)
class ImportProblem:
    """A problem on the line a person sees in their editor: ``line`` is where the record
    starts, ``last_line`` where it ends when a quoted cell holds a line break; 0 when the
    problem is the whole file's."""

    line: int
    message: str
    last_line: int = 0

    @property
    def where(self) -> str:
        if not self.line:
            return ""
        if self.last_line > self.line:
            return f"Lines {self.line} to {self.last_line}"
        return f"Line {self.line}"

    def __str__(self):
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass(frozen=True)
class CsvRecord:
    """One practice's row of the file, with the editor's lines it starts and ends on."""

    first_line: int
    last_line: int
    cells: dict[str, str]
    #: How many cells the line has, and those beyond the header's columns that hold something
    #: (a spreadsheet's trailing empty cells are not counted): each would be dropped unread.
    width: int = 0
    beyond_header: tuple[str, ...] = ()
    #: Why the record's cells cannot be read as a practice at all, or "".
    unreadable: str = ""


class PracticeImportError(Exception):
    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
UNCLOSED_QUOTE = (
    "A quote opened on this line is never closed, so the rest of the file was read as one "
    "cell: add the closing quote, or take the opening one out."
)
NULL_CHARACTER = (
    "The line holds a null character, which cannot be stored: save the file again from your "
    "spreadsheet as CSV UTF-8."
)


def _line_breaks(text: str) -> int:
    """The line breaks in ``text`` as an editor counts them: a Windows, Unix or old Mac one."""
    return len(_LINE_BREAK.findall(text))


def _decoded(raw: bytes) -> str:
    if len(raw) > MAX_IMPORT_BYTES:
        raise PracticeImportError([ImportProblem(0, "The file is larger than 1 MB.")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # The file as a whole was saved in another encoding; the first line it shows on is
        # where a person can see it (an accented letter, a pound sign).
        line = _line_breaks(error.object[: error.start].decode("utf-8")) + 1
        raise PracticeImportError(
            [
                ImportProblem(
                    0,
                    f"The file is not UTF-8 text (line {line} is the first line that is not): "
                    "save it from Excel as CSV UTF-8.",
                )
            ]
        ) from error


def _read_rows(raw: bytes) -> list[CsvRecord]:
    text = _decoded(raw)
    # csv reads a quote that is never closed as a cell running to the end of the file, as if
    # all were well. A last line only this call knows shows it: read as a row of its own
    # when every quote is closed, or swallowed into that cell when one is not.
    end = secrets.token_hex(16)
    if text and not text.endswith(("\n", "\r")):
        text += "\n"
    end_line = _line_breaks(text) + 1
    # newline="" lets csv read an old Mac file's lone \r as the line break an editor shows.
    reader = csv.reader(io.StringIO(f"{text}{end}", newline=""))
    header: list[str] | None = None
    records = []
    ended = 0
    while True:
        first_line = ended + 1
        try:
            cells = next(reader)
        except csv.Error:
            # The one error csv raises on text: a cell longer than its limit, which in a file
            # of practices is a quote never closed.
            records.append(CsvRecord(first_line, first_line, {}, unreadable=UNCLOSED_QUOTE))
            break
        ended = reader.line_num
        if cells == [end]:
            break
        if cells and cells[-1].endswith(end):
            opened = end_line - _line_breaks(cells[-1])
            records.append(CsvRecord(opened, opened, {}, unreadable=UNCLOSED_QUOTE))
            break
        if header is None:
            header = [column.strip().lower() for column in cells]
        elif cells:  # not a blank line
            beyond = tuple(cell for cell in cells[len(header) :] if cell.strip())
            records.append(
                CsvRecord(
                    first_line, ended, dict(zip(header, cells, strict=False)), len(cells), beyond
                )
            )
    if header is None and records:
        return records  # the header row's quote is never closed
    if any(column not in (header or []) for column in CSV_COLUMNS):
        raise PracticeImportError(
            [ImportProblem(1, f"The header row needs the columns: {', '.join(CSV_COLUMNS)}.")]
        )
    return records


def _list_size(text: str) -> int | None:
    """A list size as the file writes it ("7200", "7,200", "7 200"), by the one rule for
    numbers (consortia/numbers.py), not int(), which would read "1_000" and "١٢٣"; None when
    blank or not a whole number."""
    try:
        number = read_number(text, marks=False)
    except NotANumber:
        return None
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


def _practice_or_problems(
    record: CsvRecord,
    *,
    consortium: Consortium,
    existing: dict[str, Practice],
    seen_codes: dict[str, int],
) -> Practice | list[str]:
    """The record's practice, ready to save, or every problem with it: a person mends the
    whole line at once, not one problem per upload."""
    if record.unreadable:
        return [record.unreadable]
    row = record.cells
    if record.beyond_header:
        # The cells past the first extra one are misplaced, so no other check would be true.
        return [
            f"The line has {record.width} cells but the header row names {len(row)} columns "
            f"(the first cell past them holds '{record.beyond_header[0]}'). A number with "
            'commas, such as 7,200, needs quotes around it ("7,200") or no commas.'
        ]
    code = (row.get("code") or "").strip().upper()
    name = (row.get("name") or "").strip()
    size_text = (row.get("list_size") or "").strip()
    problems = []
    if any("\x00" in cell for cell in row.values()):
        problems.append(NULL_CHARACTER)
    practice = Practice(code=code)
    if not code:
        problems.append("Enter the practice's code, for example A12345.")
    elif code in seen_codes:
        problems.append(f"Practice code {code} is also on line {seen_codes[code]}.")
    else:
        seen_codes[code] = record.first_line
        practice = existing.get(code) or practice
    if practice.pk and practice.consortium_id != consortium.pk:
        problems.append(f"Practice code {code} belongs to {practice.consortium}.")
    if not name:
        problems.append("Enter the practice's name.")
    size = _list_size(size_text)
    if size is None and size_text:
        problems.append(f"List size '{size_text}' is not a whole number.")
    elif size is not None and size < 0:
        problems.append("List size cannot be negative.")
    # What is reported above is not reported again in the model's words.
    checked = {"code": not code, "name": not name, "list_size": size is None or size < 0}
    practice.consortium = consortium
    practice.name = name
    practice.list_size = None if checked["list_size"] else size
    try:
        practice.full_clean(
            exclude=[field for field, done in checked.items() if done], validate_unique=False
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            label = field.replace("_", " ")
            problems.extend(f"{label}: {message}" for message in messages)
    return problems or practice


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
    for offset, record in enumerate(rows):
        found = _practice_or_problems(
            record, consortium=consortium, existing=existing, seen_codes=seen_codes
        )
        if isinstance(found, Practice):
            found.position = offset
            practices.append(found)
        else:
            problems.extend(
                ImportProblem(record.first_line, message, record.last_line) for message in found
            )
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
            to_come = current.started_on > timezone.localdate()
            if current.user_id == user.pk:
                if to_come:
                    raise PositionRefused(
                        f"{user} takes over as {locked.label} on {long_date(current.started_on)} "
                        "already."
                    )
                raise PositionRefused(
                    f"{user} holds {locked.label} already, since {long_date(current.started_on)}."
                )
            if started_on < current.started_on and to_come:
                return _assign_before_handover(locked, user, started_on, handover=current)
            if started_on < current.started_on:
                raise PositionRefused(
                    f"{current.user} holds {locked.label} from {long_date(current.started_on)}: "
                    "the next holder starts on that day or later."
                )
            current.ended_on = started_on
            current.save(update_fields=["ended_on"])
        return Appointment.objects.create(position=locked, user=user, started_on=started_on)


def _assign_before_handover(
    position: Position, user: User, started_on: date, *, handover: Appointment
) -> Appointment:
    """``user`` holds ``position`` from ``started_on`` until a handover recorded for a later day,
    which still happens: the days before it are theirs (the position's holder before them
    stops on ``started_on``), such as the days left without a holder when a holder left."""
    before = selectors.appointment_before(handover)
    if before is not None and started_on < before.started_on:
        raise PositionRefused(
            f"{before.user} holds {position.label} from {long_date(before.started_on)}: the next "
            "holder starts on that day or later."
        )
    overlapping = (
        position.appointments.filter(started_on__lt=handover.started_on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=started_on))
        .exclude(pk__in=[handover.pk, before.pk if before else None])
        .select_related("user")
        .first()
    )
    if overlapping is not None:
        raise PositionRefused(
            f"{overlapping.user} held {position.label} on {long_date(started_on)}: the next holder "
            f"starts on {long_date(overlapping.ended_on)} or later."
        )
    if before is not None:
        before.ended_on = started_on
        before.save(update_fields=["ended_on"])
    return Appointment.objects.create(
        position=position, user=user, started_on=started_on, ended_on=handover.started_on
    )


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


# --- People: invitations, roles, leavers ----------------------------------------------------------

INVITATION_DAYS = 7
INVITATION_SALT = "consortia.invitation"
Role = User.Role
Action = PeopleEvent.Action


class PeopleRefused(Exception):
    """A change to people that cannot be made, with the reason to show."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def _organisation_parts(organisation: Commissioner | Consortium):
    if isinstance(organisation, Consortium):
        return organisation.commissioner_id, organisation.pk
    return organisation.pk, None


def _record(
    action: str,
    organisation: Commissioner | Consortium,
    detail: str,
    *,
    by: tuple[User | None, str | None],
    subject: User | None = None,
    invitation: Invitation | None = None,
    position: Position | None = None,
) -> PeopleEvent:
    """An audit event: ``by`` is who did it and the address they did it from."""
    actor, client_address = by
    commissioner_id, consortium_id = _organisation_parts(organisation)
    return PeopleEvent.objects.create(
        at=timezone.now(),
        actor=actor,
        action=action,
        subject=subject,
        invitation=invitation,
        position=position,
        commissioner_id=commissioner_id,
        consortium_id=consortium_id,
        detail=detail,
        client_address=client_address or None,
    )


def roles_grantable(*, actor: User, organisation: Commissioner | Consortium) -> frozenset[str]:
    """The roles ``actor`` may give in ``organisation``: none outside their scope; a consortium's
    chair only its editors; a PCT's lead the PCT's roles and its consortia's."""
    if not allowed(actor, Perm.MANAGE_PEOPLE, organisation):
        return frozenset()
    if isinstance(organisation, Consortium):
        if actor.role == Role.CONSORTIUM_EXECUTIVE_CHAIR:
            return frozenset({Role.CONSORTIUM_EDITOR})
        return User.CONSORTIUM_ROLES
    return User.COMMISSIONER_ROLES


def why_not_manage(*, actor: User, person: User) -> str:
    """Why ``actor`` may not change ``person``'s role or account, or ""."""
    if person.pk == actor.pk:
        return "You cannot change your own role or account: ask whoever runs your organisation."
    organisation = selectors.organisation_of(person)
    if organisation is None:
        return "Site administrators are managed in the site administration."
    if person.role not in roles_grantable(actor=actor, organisation=organisation):
        return f"You may not manage a {person.get_role_display()} of {organisation}."
    return ""


def _refuse_unless_manages(*, actor: User, person: User) -> None:
    if problem := why_not_manage(actor=actor, person=person):
        raise PeopleRefused(problem)


def _refuse_unless_grants(*, actor: User, organisation, role: str) -> None:
    if role not in roles_grantable(actor=actor, organisation=organisation):
        label = Role(role).label if role in Role.values else role
        raise PeopleRefused(f"You may not give the role {label} in {organisation}.")


def _email(*, to: list[str], subject: str, template: str, context: dict) -> None:
    send_mail(
        subject=subject,
        message=render_to_string(template, context),
        from_email=None,
        recipient_list=to,
    )


def invitation_token(invitation: Invitation) -> str:
    """The link's token: Django's signing of the invitation and its nonce, with a timestamp."""
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=INVITATION_SALT)


def _send_invitation(invitation: Invitation, link_for: Callable[[str], str]) -> None:
    link = link_for(invitation_token(invitation))
    _email(
        to=[invitation.email],
        subject=f"You are invited to PBC Plans for {invitation.organisation}",
        template="consortia/invitation_email.txt",
        context={"invitation": invitation, "link": link, "days": INVITATION_DAYS},
    )


def invitation_send(
    *,
    actor: User,
    organisation: Commissioner | Consortium,
    email: str,
    full_name: str,
    role: str,
    client_address: str | None,
    link_for: Callable[[str], str],
) -> Invitation:
    """Invites someone to ``organisation`` with ``role``; the email's link works once, for
    INVITATION_DAYS days."""
    by = (actor, client_address)
    _refuse_unless_grants(actor=actor, organisation=organisation, role=role)
    email, full_name = email.strip().lower(), full_name.strip()
    if not full_name:
        raise PeopleRefused("Give the person's full name.")
    if problem := direction_control_refusal(full_name):
        raise PeopleRefused(f"{problem}.")
    if User.objects.filter(email__iexact=email).exists():
        raise PeopleRefused(f"{email} already has an account: change their role instead.")
    now = timezone.now()
    commissioner_id, consortium_id = _organisation_parts(organisation)
    with transaction.atomic():
        for open_one in Invitation.objects.select_for_update().filter(
            email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        ):
            if open_one.status_at(now) == Invitation.Status.PENDING:
                raise PeopleRefused(
                    f"{email} has an invitation to {open_one.organisation} waiting: send that "
                    "one again, or revoke it first."
                )
            open_one.revoked_at = now
            open_one.save(update_fields=["revoked_at"])
        invitation = Invitation.objects.create(
            email=email,
            full_name=full_name,
            role=role,
            commissioner_id=commissioner_id,
            consortium_id=consortium_id,
            invited_by=actor,
            nonce=secrets.token_urlsafe(24),
            sent_at=now,
            expires_at=now + timedelta(days=INVITATION_DAYS),
        )
        detail = f"{full_name} <{email}> as {invitation.get_role_display()}."
        _record(Action.INVITED, organisation, detail, by=by, invitation=invitation)
    _send_invitation(invitation, link_for)
    return invitation


def _refuse_unless_open(invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise PeopleRefused(f"{invitation.full_name} has accepted this invitation already.")
    if invitation.revoked_at is not None:
        raise PeopleRefused("This invitation was revoked.")


def invitation_resend(
    *,
    actor: User,
    invitation: Invitation,
    client_address: str | None,
    link_for: Callable[[str], str],
) -> Invitation:
    """Sends a new link for another INVITATION_DAYS days; the earlier link stops working."""
    by = (actor, client_address)
    _refuse_unless_grants(actor=actor, organisation=invitation.organisation, role=invitation.role)
    now = timezone.now()
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        _refuse_unless_open(invitation)
        invitation.nonce = secrets.token_urlsafe(24)
        invitation.sent_at = now
        invitation.expires_at = now + timedelta(days=INVITATION_DAYS)
        invitation.save(update_fields=["nonce", "sent_at", "expires_at"])
        detail = f"to {invitation.email}."
        _record(
            Action.INVITATION_RESENT, invitation.organisation, detail, by=by, invitation=invitation
        )
    _send_invitation(invitation, link_for)
    return invitation


def invitation_revoke(
    *, actor: User, invitation: Invitation, client_address: str | None
) -> Invitation:
    by = (actor, client_address)
    _refuse_unless_grants(actor=actor, organisation=invitation.organisation, role=invitation.role)
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        _refuse_unless_open(invitation)
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        detail = f"to {invitation.email}."
        _record(
            Action.INVITATION_REVOKED, invitation.organisation, detail, by=by, invitation=invitation
        )
    return invitation


LINK_REFUSED = {
    "unreadable": "This link is not a PBC Plans invitation, or it was copied incompletely.",
    "expired": f"This invitation has expired: invitations last {INVITATION_DAYS} days. Ask "
    "whoever invited you to send it again.",
    "replaced": "A newer invitation was sent to you: use the link in the latest email.",
    "accepted": "This invitation has been used already: sign in with your email address and "
    "password.",
    "revoked": "This invitation was withdrawn. Ask whoever invited you if you should have access.",
}


class InvitationRefused(Exception):
    def __init__(self, reason: str):
        self.reason = reason
        self.message = LINK_REFUSED[reason]
        super().__init__(self.message)


def invitation_from_token(token: str, *, for_update: bool = False) -> Invitation:
    """The open invitation the link stands for, or InvitationRefused saying why not."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=timedelta(days=INVITATION_DAYS))
    except signing.SignatureExpired as error:
        raise InvitationRefused("expired") from error
    except signing.BadSignature as error:
        raise InvitationRefused("unreadable") from error
    if not isinstance(data, dict) or not isinstance(data.get("i"), int):
        raise InvitationRefused("unreadable")
    invitations = Invitation.objects.select_related("commissioner", "consortium")
    if for_update:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(pk=data["i"]).first()
    if invitation is None:
        raise InvitationRefused("unreadable")
    if invitation.accepted_at is not None:
        raise InvitationRefused("accepted")
    if invitation.revoked_at is not None:
        raise InvitationRefused("revoked")
    if data.get("n") != invitation.nonce:
        raise InvitationRefused("replaced")
    if invitation.status_at(timezone.now()) == Invitation.Status.EXPIRED:
        raise InvitationRefused("expired")
    return invitation


def invitation_accept(*, token: str, password: str, client_address: str | None) -> User:
    """The invitee's account, made with the invitation's role and organisation and their
    password; the link works no more."""
    with transaction.atomic():
        invitation = invitation_from_token(token, for_update=True)
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise InvitationRefused("accepted")
        user = User(
            email=invitation.email,
            full_name=invitation.full_name,
            role=invitation.role,
            commissioner_id=invitation.commissioner_id,
            consortium_id=invitation.consortium_id,
        )
        password_validation.validate_password(password, user)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        detail = f"{user} joined as {user.get_role_display()}, invited by {invitation.invited_by}."
        _record(
            Action.JOINED,
            invitation.organisation,
            detail,
            by=(user, client_address),
            subject=user,
            invitation=invitation,
        )
    return user


def user_change_role(*, actor: User, person: User, role: str, client_address: str | None) -> User:
    """Gives ``person`` another role of their organisation; their positions stay theirs."""
    by = (actor, client_address)
    _refuse_unless_manages(actor=actor, person=person)
    organisation = selectors.organisation_of(person)
    _refuse_unless_grants(actor=actor, organisation=organisation, role=role)
    if role == person.role:
        raise PeopleRefused(f"{person} is {person.get_role_display()} already.")
    with transaction.atomic():
        before = person.get_role_display()
        person.role = role
        person.save(update_fields=["role"])
        detail = f"{person}: {before} to {person.get_role_display()}."
        _record(Action.ROLE_CHANGED, organisation, detail, by=by, subject=person)
    return person


@dataclass(frozen=True)
class PositionLeft:
    """What became of one of a leaver's positions, said in plain words for the page and the
    email. ``needs_holder``: the position has no holder for some days, and someone should be
    appointed."""

    position: Position
    sentence: str
    needs_holder: bool


def _leave_held(appointment: Appointment, person: User, today: date) -> PositionLeft:
    """A position ``person`` holds now: it is theirs no more from today. A handover already
    recorded for a later day stays, and the position has no holder until then."""
    label = appointment.position.label
    successor = selectors.appointment_after(appointment)
    appointment.ended_on = today
    appointment.save(update_fields=["ended_on"])
    if successor is not None and successor.started_on > today:
        return PositionLeft(
            appointment.position,
            f"{label} has no holder until {long_date(successor.started_on)}, when "
            f"{successor.user} takes over: {person} left. A plan that needs signing before "
            "then needs someone to hold it from an earlier day.",
            needs_holder=True,
        )
    return PositionLeft(
        appointment.position, f"{label} needs a new holder: {person} left.", needs_holder=True
    )


def _undo_handover(appointment: Appointment, person: User) -> PositionLeft:
    """A handover to ``person`` recorded for a later day: it will not happen, so whoever they
    were to take over from keeps the position until the next handover, if any.

    The appointment never began, so nothing was signed under it; it is removed, and the people
    events keep both the handover and its undoing."""
    label = appointment.position.label
    day = long_date(appointment.started_on)
    before = selectors.appointment_before(appointment)
    ended_on = appointment.ended_on
    appointment.delete()
    if before is not None and before.user.is_active:
        before.ended_on = ended_on
        before.save(update_fields=["ended_on"])
        until = f" until {long_date(ended_on)}" if ended_on else ""
        return PositionLeft(
            appointment.position,
            f"{person} was to take over as {label} on {day}; that handover is cancelled, and "
            f"{before.user} keeps {label}{until}.",
            needs_holder=False,
        )
    return PositionLeft(
        appointment.position,
        f"{person} was to take over as {label} on {day}; that handover is cancelled, and "
        f"{label} needs a holder from that day.",
        needs_holder=True,
    )


def user_deactivate(*, actor: User, person: User, client_address: str | None) -> list[PositionLeft]:
    """``person`` leaves: they cannot sign in from now, their open sessions end at their next
    request, and the positions they held are left vacant for someone else to take over.

    A position they hold now is theirs no more from today (a handover already recorded for a
    later day still happens then); a handover to them recorded for a later day is undone, so
    the holder they were to take over from keeps the position.

    Nothing they wrote, commented or signed changes: those records keep their name and the
    title they signed as (docs/decisions/0452-leavers-are-deactivated-never-deleted.md).
    """
    by = (actor, client_address)
    _refuse_unless_manages(actor=actor, person=person)
    if not person.is_active:
        raise PeopleRefused(f"{person} has left already.")
    organisation = selectors.organisation_of(person)
    today = timezone.localdate()
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        person.is_active = False
        # A new password hash ends every session: Django checks the session's hash of it.
        person.set_unusable_password()
        person.save(update_fields=["is_active", "password"])
        detail = f"{person} ({person.get_role_display()}) left."
        _record(Action.DEACTIVATED, organisation, detail, by=by, subject=person)
        outcomes = []
        appointments = (
            Appointment.objects.select_for_update(of=("self",))
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today), user=person)
            .select_related("position")
            .order_by("started_on", "pk")
        )
        for appointment in appointments:
            position = appointment.position
            # Lock the position as position_assign does, so no handover is recorded meanwhile.
            Position.objects.select_for_update().get(pk=position.pk)
            if appointment.started_on > today:
                outcome = _undo_handover(appointment, person)
                action = Action.HANDOVER_CANCELLED
            else:
                outcome = _leave_held(appointment, person, today)
                action = Action.POSITION_VACATED
            outcomes.append(outcome)
            _record(
                action,
                position.organisation,
                outcome.sentence,
                by=by,
                subject=person,
                position=position,
            )
    if outcomes:
        managers = selectors.people_who_manage(organisation).exclude(pk=actor.pk)
        recipients = [actor.email, *managers.values_list("email", flat=True)]
        to_hand_over = any(outcome.needs_holder for outcome in outcomes)
        what = "Positions to hand over" if to_hand_over else "Positions changed"
        _email(
            to=recipients,
            subject=f"{what}: {person} has left {organisation}",
            template="consortia/positions_vacated_email.txt",
            context={
                "person": person,
                "organisation": organisation,
                "outcomes": outcomes,
                "to_hand_over": to_hand_over,
            },
        )
    return outcomes


PasswordLink = Callable[[str, str], str]


def user_reactivate(
    *, actor: User, person: User, client_address: str | None, link_for: PasswordLink
) -> User:
    """``person`` comes back: they may sign in again, with the role they had, once they choose
    a new password from the link emailed to them. The positions they held stay with whoever
    holds them now, to be handed back on the organisation's page. ``link_for(uidb64, token)``
    is the address of the page that sets a password."""
    by = (actor, client_address)
    _refuse_unless_manages(actor=actor, person=person)
    if person.is_active:
        raise PeopleRefused(f"{person} can sign in already.")
    organisation = selectors.organisation_of(person)
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        person.is_active = True
        # Leaving took their password away. One nobody knows lets the sign-in page's
        # "Forgotten your password?" serve them too (Django's reset skips accounts with none),
        # should the emailed link lapse.
        person.set_password(secrets.token_urlsafe(32))
        person.save(update_fields=["is_active", "password"])
        detail = f"{person} ({person.get_role_display()}) came back."
        _record(Action.REACTIVATED, organisation, detail, by=by, subject=person)
    # Django's password reset token: it stops working once the password is set.
    link = link_for(
        urlsafe_base64_encode(force_bytes(person.pk)), default_token_generator.make_token(person)
    )
    _email(
        to=[person.email],
        subject=f"Your PBC Plans account at {organisation} is open again",
        template="consortia/reactivated_email.txt",
        context={
            "person": person,
            "actor": actor,
            "organisation": organisation,
            "link": link,
            "days": settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60),
        },
    )
    return person


def position_handed_over(*, actor: User, appointment: Appointment, client_address: str | None):
    """Records an appointment just made as a people event and tells the new holder."""
    position, user = appointment.position, appointment.user
    day = long_date(appointment.started_on)
    _record(
        Action.POSITION_ASSIGNED,
        position.organisation,
        f"{user} holds {position.label} from {day}.",
        by=(actor, client_address),
        subject=user,
        position=position,
    )
    _email(
        to=[user.email],
        subject=f"You hold {position.label} at {position.organisation}",
        template="consortia/position_handed_over_email.txt",
        context={"appointment": appointment, "organisation": position.organisation, "day": day},
    )


def position_hand_over(
    *,
    actor: User,
    organisation: Commissioner | Consortium,
    body: str,
    name: str,
    user: User,
    started_on: date,
    client_address: str | None,
) -> Appointment:
    """position_fill by someone running the organisation's people: recorded, and the new
    holder told."""
    with transaction.atomic():
        appointment = position_fill(
            organisation=organisation, body=body, name=name, user=user, started_on=started_on
        )
        position_handed_over(actor=actor, appointment=appointment, client_address=client_address)
    return appointment
