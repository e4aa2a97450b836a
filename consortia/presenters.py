"""What the organisation pages show, worked out here so that the templates only lay it out."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from .dates import long_date, long_moment
from .models import Commissioner, Consortium, Invitation, PersonRole, Practice, User
from .permissions import Perm, allowed
from .tables import Cell, Heading, Table, Tag


def site_url(path: str) -> str:
    """The service's own address of ``path``, for the links in emails (PBC_SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + path


Role = User.Role


def role_label(role: str) -> str:
    """A person's role as a sentence names it beside them: "Jane Smith (PCT lead)"."""
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


Kind = PersonRole.Kind
NOT_KNOWN = "Not known"
DEMO = Tag("Demo", "nhsuk-tag--grey")
CHAIR = Tag("Chair", "nhsuk-tag--blue")
ACTIVE = Tag("Active", "nhsuk-tag--green")
LEFT = Tag("Left", "nhsuk-tag--grey")


def _number(value: int | None) -> str:
    return NOT_KNOWN if value is None else f"{value:,}"


@dataclass(frozen=True)
class Population:
    """The declared population beside the sum of list sizes, from ``selectors.with_totals``."""

    declared: int | None
    practice_count: int
    sized_practice_count: int
    sum_of_list_sizes: int | None

    @classmethod
    def of(cls, consortium: Consortium) -> "Population":
        return cls(
            declared=consortium.declared_population,
            practice_count=consortium.practice_count,
            sized_practice_count=consortium.sized_practice_count,
            sum_of_list_sizes=consortium.computed_population,
        )

    @property
    def computed(self) -> int | None:
        # A partial sum would understate the population, so it is only a total when every
        # practice has a list size.
        complete = self.practice_count and self.sized_practice_count == self.practice_count
        return self.sum_of_list_sizes if complete else None

    @property
    def difference(self) -> int | None:
        if self.declared is None or self.computed is None or self.declared == self.computed:
            return None
        return self.computed - self.declared

    @property
    def headline(self) -> str:
        """One figure for lists: the computed total, else the declared one, else not known."""
        if self.computed is not None:
            return _number(self.computed)
        if self.declared is not None:
            return f"{_number(self.declared)} (declared)"
        return NOT_KNOWN

    @property
    def declared_text(self) -> str:
        return "Not declared" if self.declared is None else _number(self.declared)

    @property
    def computed_text(self) -> str:
        if self.computed is not None:
            return _number(self.computed)
        return (
            f"{NOT_KNOWN}: {self.sized_practice_count} of {self.practice_count} practices "
            "have a list size"
        )

    @property
    def difference_text(self) -> str:
        if self.difference is None:
            return ""
        direction = "more" if self.difference > 0 else "fewer"
        return (
            f"The practices' list sizes add up to {_number(self.computed)}, "
            f"{abs(self.difference):,} {direction} than the declared {_number(self.declared)}."
        )


@dataclass(frozen=True)
class PracticeRow:
    name: str
    code: str
    list_size: str
    is_demo: bool


@dataclass(frozen=True)
class PersonRow:
    name: str
    detail: str
    is_chair: bool = False


def people_table(heading: str, rows: list[PersonRow], detail_label: str, empty: str) -> Table:
    """People from the registry, under a heading of the page that names them as the caption."""
    return Table(
        caption=heading,
        caption_hidden=True,
        headings=[Heading("Name"), Heading(detail_label)],
        rows=[
            [Cell(row.name, tags=(CHAIR,) if row.is_chair else ()), Cell(row.detail or "Not given")]
            for row in rows
        ],
        empty=empty,
    )


@dataclass(frozen=True)
class ConsortiumPage:
    consortium: Consortium
    commissioner_name: str
    commissioner_url: str
    population: Population
    practices: list[PracticeRow]
    directors: list[PersonRow]
    executive: list[PersonRow]
    clinical_leads: list[PersonRow]
    managerial_leads: list[PersonRow]

    @property
    def practices_table(self) -> Table:
        return Table(
            caption=f"Practices of {self.consortium.name}",
            caption_hidden=True,
            headings=[
                Heading("Practice"),
                Heading("Practice code"),
                Heading("Registered list size", numeric=True),
            ],
            rows=[
                [
                    Cell(practice.name, tags=(DEMO,) if practice.is_demo else ()),
                    Cell(practice.code),
                    Cell(practice.list_size, numeric=True),
                ]
                for practice in self.practices
            ],
            empty="No practices are recorded yet.",
            empty_as_row=True,
        )

    @property
    def people_tables(self) -> list[Table]:
        return [
            people_table("Directors", self.directors, "Discipline", "No directors are recorded."),
            people_table(
                "Executive committee",
                self.executive,
                "Discipline",
                "No executive committee is recorded.",
            ),
            people_table(
                "Clinical leads", self.clinical_leads, "Area", "No clinical leads are recorded."
            ),
            people_table(
                "Managerial leads",
                self.managerial_leads,
                "Area",
                "No managerial leads are recorded.",
            ),
        ]


def _people(roles: list[PersonRole], kind: str) -> list[PersonRow]:
    return [PersonRow(role.person.name, role.detail) for role in roles if role.kind == kind]


def _executive(roles: list[PersonRole]) -> list[PersonRow]:
    chairs = {role.person_id for role in roles if role.kind == Kind.EXECUTIVE_CHAIR}
    rows, listed = [], set()
    for role in roles:
        is_member = role.kind == Kind.EXECUTIVE_MEMBER
        # A chair recorded without a member role still sits on the committee.
        if (is_member or role.kind == Kind.EXECUTIVE_CHAIR) and role.person_id not in listed:
            listed.add(role.person_id)
            detail = role.detail if is_member else ""
            rows.append(PersonRow(role.person.name, detail, role.person_id in chairs))
    return rows


def consortium_page(
    *, consortium: Consortium, practices: Iterable[Practice], roles: Iterable[PersonRole], user
) -> ConsortiumPage:
    roles = list(roles)
    commissioner = consortium.commissioner
    return ConsortiumPage(
        consortium=consortium,
        commissioner_name=commissioner.name,
        commissioner_url=(
            organisation_url(commissioner) if allowed(user, Perm.VIEW, commissioner) else ""
        ),
        population=Population.of(consortium),
        practices=[
            PracticeRow(practice.name, practice.code, _number(practice.list_size), practice.is_demo)
            for practice in practices
        ],
        directors=_people(roles, Kind.DIRECTOR),
        executive=_executive(roles),
        clinical_leads=_people(roles, Kind.CLINICAL_LEAD),
        managerial_leads=_people(roles, Kind.MANAGERIAL_LEAD),
    )


@dataclass(frozen=True)
class ConsortiumRow:
    name: str
    url: str
    practice_count: int
    population: str


@dataclass(frozen=True)
class CommissionerPage:
    commissioner: Commissioner
    consortia: list[ConsortiumRow]
    support_heading: str
    support_team: list[PersonRow]

    @property
    def consortia_table(self) -> Table:
        return Table(
            caption=f"Consortia of {self.commissioner.name}",
            caption_hidden=True,
            headings=[
                Heading("Consortium"),
                Heading("Practices", numeric=True),
                Heading("Registered population", numeric=True),
            ],
            rows=[
                [
                    Cell(row.name, href=row.url),
                    Cell(str(row.practice_count), numeric=True),
                    Cell(row.population, numeric=True),
                ]
                for row in self.consortia
            ],
            empty=f"No consortia are recorded for this {settings.COMMISSIONER_WORD}.",
        )

    @property
    def support_table(self) -> Table:
        return people_table(
            self.support_heading, self.support_team, "Role", "No support team is recorded."
        )


def commissioner_page(
    *,
    commissioner: Commissioner,
    consortia: Iterable[Consortium],
    support_team: Iterable[PersonRole],
) -> CommissionerPage:
    return CommissionerPage(
        commissioner=commissioner,
        consortia=[
            ConsortiumRow(
                name=consortium.name,
                url=organisation_url(consortium),
                practice_count=consortium.practice_count,
                population=Population.of(consortium).headline,
            )
            for consortium in consortia
        ],
        support_heading=f"{settings.COMMISSIONER_WORD} support team",
        support_team=[PersonRow(role.person.name, role.detail) for role in support_team],
    )


@dataclass
class PositionsSection:
    """The positions that sign plans for an organisation, who holds them, and the form to
    assign someone where the user may."""

    table: Table
    action_url: str = ""
    form: object = None
    people_url: str = ""


def _holder_text(position) -> str:
    if position.holder:
        return str(position.holder.user)
    last = position.past[0].user if position.past else None
    if last is not None and not last.is_active:
        # Flagged for whoever runs the organisation's people: its holder left (0452).
        return f"No one since {last} left: assign someone"
    return "No one: assign someone"


def takes_over_text(appointment, *, name: bool = True) -> str:
    """A handover recorded for a later day, in plain words: "Bea Next takes over as Executive
    Chair on 1 April 2027" (without the name, "Takes over as ...", in a row about them)."""
    words = f"takes over as {appointment.position.label} on {long_date(appointment.started_on)}"
    return f"{appointment.user} {words}" if name else words[0].upper() + words[1:]


def positions_section(*, organisation, positions, user, form=None) -> PositionsSection:
    rows = [
        [
            Cell(position.label, header=True),
            Cell(
                _holder_text(position),
                note="; ".join(takes_over_text(a) for a in position.upcoming) + "."
                if position.upcoming
                else "",
            ),
            Cell(long_date(position.holder.started_on) if position.holder else ""),
            # earlier holders, newest first
            Cell(
                "; ".join(
                    f"{a.user} ({long_date(a.started_on)} to {long_date(a.ended_on)})"
                    for a in position.past
                )
            ),
        ]
        for position in positions
    ]
    table = Table(
        caption="Positions and who holds them",
        caption_hidden=True,
        headings=[
            Heading("Position"),
            Heading("Held by"),
            Heading("Since"),
            Heading("Held before by"),
        ],
        rows=rows,
        empty="No positions are recorded yet.",
    )
    section = PositionsSection(table=table)
    if allowed(user, Perm.ASSIGN_POSITIONS, organisation):
        section.action_url = _url_of(
            organisation,
            consortium="consortia:consortium_positions",
            commissioner="consortia:commissioner_positions",
        )
        section.form = form
    if allowed(user, Perm.MANAGE_PEOPLE, organisation):
        section.people_url = people_url(organisation)
    return section


# --- People ---------------------------------------------------------------------------------------


def _url_of(organisation, *, consortium: str, commissioner: str) -> str:
    """The address of the page named ``consortium`` or ``commissioner``, whichever
    ``organisation`` is, for that organisation."""
    name = commissioner if isinstance(organisation, Commissioner) else consortium
    return reverse(name, kwargs={"slug": organisation.slug})


def password_link_for(request):
    """What ``services.user_reactivate`` emails: the address of the page that sets a password."""
    return lambda uidb64, token: request.build_absolute_uri(
        reverse("password_reset_confirm", kwargs={"uidb64": uidb64, "token": token})
    )


def people_url(organisation) -> str:
    return _url_of(
        organisation,
        consortium="consortia:consortium_people",
        commissioner="consortia:commissioner_people",
    )


def organisation_url(organisation) -> str:
    return _url_of(
        organisation, consortium="consortia:consortium", commissioner="consortia:commissioner"
    )


@dataclass(frozen=True)
class InvitationRow:
    pk: int
    name: str
    email: str
    role: str
    status: str
    status_label: str
    sent: str
    expires: str
    invited_by: str
    is_open: bool


@dataclass(frozen=True)
class PeoplePage:
    organisation: object
    organisation_url: str
    accounts: Table
    invitations: list[InvitationRow]
    events: Table


def events_table(events) -> Table:
    return Table(
        caption="Changes to people, roles and positions, newest first",
        caption_hidden=True,
        headings=[Heading("When"), Heading("Who"), Heading("What"), Heading("From address")],
        rows=[
            [
                Cell(long_moment(event.at)),
                Cell(str(event.actor) if event.actor else ""),
                Cell(f"{event.get_action_display()}: {event.detail}"),
                Cell(event.client_address or ""),
            ]
            for event in events
        ],
        empty="No changes are recorded yet.",
    )


def _account_action(person, may_manage: bool) -> Cell:
    """The way to deactivate or reactivate ``person``: a link to the page that asks first."""
    if not may_manage:
        return Cell("")
    name = "person_deactivate" if person.is_active else "person_reactivate"
    return Cell(
        "Deactivate" if person.is_active else "Reactivate",
        href=reverse(f"consortia:{name}", kwargs={"pk": person.pk}),
        hidden_suffix=f" {person}",
    )


def _accounts_table(organisation, people, may_manage) -> Table:
    return Table(
        caption=f"Accounts of {organisation}",
        caption_hidden=True,
        headings=[
            Heading("Name"),
            Heading("Email address"),
            Heading("Role"),
            Heading("Positions held"),
            Heading("Status"),
            Heading("Actions"),
        ],
        rows=[
            [
                Cell(
                    str(person),
                    href=reverse("consortia:person", kwargs={"pk": person.pk}),
                    header=True,
                ),
                Cell(person.email),
                Cell(person.get_role_display()),
                Cell(
                    "; ".join(a.position.label for a in person.held_now) or "None",
                    note="; ".join(takes_over_text(a, name=False) for a in person.to_come),
                ),
                Cell("", tags=(ACTIVE if person.is_active else LEFT,)),
                _account_action(person, may_manage(person)),
            ]
            for person in people
        ],
        empty="No one has an account yet.",
        empty_as_row=True,
    )


def people_page(*, organisation, people, invitations, events, now, may_manage) -> PeoplePage:
    """``may_manage(person)``: whether the viewer may deactivate or reactivate them."""
    return PeoplePage(
        organisation=organisation,
        organisation_url=organisation_url(organisation),
        accounts=_accounts_table(organisation, people, may_manage),
        invitations=[
            InvitationRow(
                pk=invitation.pk,
                name=invitation.full_name,
                email=invitation.email,
                role=invitation.get_role_display(),
                status=(status := invitation.status_at(now)).value,
                status_label=status.label,
                sent=long_moment(invitation.sent_at),
                expires=long_moment(invitation.expires_at),
                invited_by=str(invitation.invited_by),
                is_open=status in (Invitation.Status.PENDING, Invitation.Status.EXPIRED),
            )
            for invitation in invitations
        ],
        events=events_table(events),
    )


@dataclass(frozen=True)
class PersonPage:
    person: object
    organisation: str
    people_url: str
    positions: list[str]
    events: Table
    refusal: str
    #: handovers to them recorded for a later day, in plain words
    to_come: list[str] = ()


def person_page(*, person, positions, events, refusal, to_come=()) -> PersonPage:
    organisation = person.consortium if person.consortium_id else person.commissioner
    return PersonPage(
        person=person,
        organisation=str(organisation or ""),
        people_url=people_url(organisation) if organisation else "",
        positions=[position.label for position in positions],
        events=events_table(events),
        refusal=refusal,
        to_come=[takes_over_text(appointment) + "." for appointment in to_come],
    )


def deactivated_text(person, outcomes) -> str:
    """The page's words after ``person`` is deactivated: what became of each position."""
    return " ".join([f"{person} can no longer sign in.", *(o.sentence for o in outcomes)])


def reactivated_text(person) -> str:
    """The words after ``person`` is reactivated, from the people page or the admin's tick alike:
    what they must do before they can sign in (services.user_reactivate emails the link)."""
    return (
        f"{person} can sign in again once they choose a new password: we have emailed them a link."
    )
