"""Who may do what, in one table: every access role x every action x every scope.

Each cell is checked against ``consortia.permissions.allowed``; where the action has a screen,
the same cell is checked again over HTTP on PostgreSQL. Later issues add their screens to
``HTTP_PROBES`` (and rows to ``MATRIX`` for new actions), so this stays the one table.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from consortia.demo import appoint_by_role
from consortia.models import Commissioner, Consortium, User
from consortia.permissions import Perm, allowed
from consortia.presenters import people_url
from monitoring.services import token_create
from plans.models import Plan
from tests.factories import CommissionerFactory, ConsortiumFactory, UserFactory
from tests.review_factories import put_in_state, three_signatory_plan

Role = User.Role
Y, N = True, False

# What the action is done to: the consortium (and, in later issues, its plans), or its PCT.
CONSORTIUM, PCT = "consortium", "PCT"

# Scopes, seen from the user: their own consortium (for PCT staff: a consortium of their PCT),
# another consortium of the same PCT, and a consortium of another PCT. On the PCT, the first
# two are the user's own PCT.
SCOPES = ("own", "same PCT", "other PCT")
# Y: allowed; N: refused (the organisation pages answer 404, so their existence does not leak).
# Confirming participation is the named practice lead's, whatever the role: nobody confirms for
# a whole consortium (tests/integration/plans/test_participation.py proves the lead's right).

# fmt: off
MATRIX = [
    # role                            action                         on   own, same PCT, other PCT
    (Role.CONSORTIUM_EDITOR,          Perm.VIEW,                     CONSORTIUM, Y, N, N),
    (Role.CONSORTIUM_EDITOR,          Perm.VIEW,                     PCT,        N, N, N),
    (Role.CONSORTIUM_EDITOR,          Perm.EDIT_CONSORTIUM_SECTIONS, CONSORTIUM, Y, N, N),
    (Role.CONSORTIUM_EDITOR,          Perm.EDIT_PCT_SECTIONS,        CONSORTIUM, N, N, N),
    (Role.CONSORTIUM_EDITOR,          Perm.COMMENT,                  CONSORTIUM, Y, N, N),
    (Role.CONSORTIUM_EDITOR,          Perm.SUBMIT,                   CONSORTIUM, Y, N, N),
    (Role.CONSORTIUM_EDITOR,          Perm.REVIEW,                   CONSORTIUM, N, N, N),
    (Role.CONSORTIUM_EDITOR,          Perm.APPROVE,                  CONSORTIUM, N, N, N),
    (Role.CONSORTIUM_EDITOR,          Perm.SIGN,                     CONSORTIUM, N, N, N),
    (Role.CONSORTIUM_EDITOR,          Perm.EXPORT,                   CONSORTIUM, N, N, N),
    (Role.CONSORTIUM_EDITOR,          Perm.ASSIGN_POSITIONS,         CONSORTIUM, N, N, N),
    (Role.CONSORTIUM_EDITOR,          Perm.ASSIGN_SECTIONS,          CONSORTIUM, Y, N, N),
    (Role.CONSORTIUM_EDITOR,          Perm.CONFIRM_PARTICIPATION,    CONSORTIUM, N, N, N),
    (Role.CONSORTIUM_EDITOR,          Perm.RECORD_PARTICIPATION,     CONSORTIUM, N, N, N),
    (Role.CONSORTIUM_EDITOR,          Perm.ADMINISTER,               CONSORTIUM, N, N, N),
    (Role.CONSORTIUM_EDITOR,          Perm.MANAGE_PEOPLE,            CONSORTIUM, N, N, N),
    (Role.CONSORTIUM_EDITOR,          Perm.MANAGE_PEOPLE,            PCT,        N, N, N),
    (Role.CONSORTIUM_EDITOR,          Perm.LOAD_FORMS,               PCT,        N, N, N),

    (Role.CONSORTIUM_EXECUTIVE_CHAIR, Perm.VIEW,                     CONSORTIUM, Y, N, N),
    (Role.CONSORTIUM_EXECUTIVE_CHAIR, Perm.VIEW,                     PCT,        N, N, N),
    (Role.CONSORTIUM_EXECUTIVE_CHAIR, Perm.EDIT_CONSORTIUM_SECTIONS, CONSORTIUM, Y, N, N),
    (Role.CONSORTIUM_EXECUTIVE_CHAIR, Perm.EDIT_PCT_SECTIONS,        CONSORTIUM, N, N, N),
    (Role.CONSORTIUM_EXECUTIVE_CHAIR, Perm.COMMENT,                  CONSORTIUM, Y, N, N),
    (Role.CONSORTIUM_EXECUTIVE_CHAIR, Perm.SUBMIT,                   CONSORTIUM, Y, N, N),
    (Role.CONSORTIUM_EXECUTIVE_CHAIR, Perm.REVIEW,                   CONSORTIUM, N, N, N),
    (Role.CONSORTIUM_EXECUTIVE_CHAIR, Perm.APPROVE,                  CONSORTIUM, N, N, N),
    (Role.CONSORTIUM_EXECUTIVE_CHAIR, Perm.SIGN,                     CONSORTIUM, Y, N, N),
    (Role.CONSORTIUM_EXECUTIVE_CHAIR, Perm.EXPORT,                   CONSORTIUM, Y, N, N),
    (Role.CONSORTIUM_EXECUTIVE_CHAIR, Perm.ASSIGN_POSITIONS,         CONSORTIUM, Y, N, N),
    (Role.CONSORTIUM_EXECUTIVE_CHAIR, Perm.ASSIGN_SECTIONS,          CONSORTIUM, Y, N, N),
    (Role.CONSORTIUM_EXECUTIVE_CHAIR, Perm.CONFIRM_PARTICIPATION,    CONSORTIUM, N, N, N),
    (Role.CONSORTIUM_EXECUTIVE_CHAIR, Perm.RECORD_PARTICIPATION,     CONSORTIUM, N, N, N),
    (Role.CONSORTIUM_EXECUTIVE_CHAIR, Perm.ASSIGN_POSITIONS,         PCT,        N, N, N),
    (Role.CONSORTIUM_EXECUTIVE_CHAIR, Perm.ADMINISTER,               CONSORTIUM, N, N, N),
    (Role.CONSORTIUM_EXECUTIVE_CHAIR, Perm.MANAGE_PEOPLE,            CONSORTIUM, Y, N, N),
    (Role.CONSORTIUM_EXECUTIVE_CHAIR, Perm.MANAGE_PEOPLE,            PCT,        N, N, N),
    (Role.CONSORTIUM_EXECUTIVE_CHAIR, Perm.LOAD_FORMS,               PCT,        N, N, N),

    (Role.PCT_LEAD,                   Perm.VIEW,                     CONSORTIUM, Y, Y, N),
    (Role.PCT_LEAD,                   Perm.VIEW,                     PCT,        Y, Y, N),
    (Role.PCT_LEAD,                   Perm.EDIT_CONSORTIUM_SECTIONS, CONSORTIUM, N, N, N),
    (Role.PCT_LEAD,                   Perm.EDIT_PCT_SECTIONS,        CONSORTIUM, Y, Y, N),
    (Role.PCT_LEAD,                   Perm.COMMENT,                  CONSORTIUM, Y, Y, N),
    (Role.PCT_LEAD,                   Perm.SUBMIT,                   CONSORTIUM, N, N, N),
    (Role.PCT_LEAD,                   Perm.REVIEW,                   CONSORTIUM, Y, Y, N),
    (Role.PCT_LEAD,                   Perm.APPROVE,                  CONSORTIUM, Y, Y, N),
    (Role.PCT_LEAD,                   Perm.SIGN,                     CONSORTIUM, N, N, N),
    (Role.PCT_LEAD,                   Perm.EXPORT,                   CONSORTIUM, N, N, N),
    (Role.PCT_LEAD,                   Perm.ASSIGN_POSITIONS,         CONSORTIUM, Y, Y, N),
    (Role.PCT_LEAD,                   Perm.ASSIGN_SECTIONS,          CONSORTIUM, N, N, N),
    (Role.PCT_LEAD,                   Perm.CONFIRM_PARTICIPATION,    CONSORTIUM, N, N, N),
    (Role.PCT_LEAD,                   Perm.RECORD_PARTICIPATION,     CONSORTIUM, Y, Y, N),
    (Role.PCT_LEAD,                   Perm.ASSIGN_POSITIONS,         PCT,        Y, Y, N),
    (Role.PCT_LEAD,                   Perm.ADMINISTER,               CONSORTIUM, N, N, N),
    (Role.PCT_LEAD,                   Perm.MANAGE_PEOPLE,            CONSORTIUM, Y, Y, N),
    (Role.PCT_LEAD,                   Perm.MANAGE_PEOPLE,            PCT,        Y, Y, N),
    (Role.PCT_LEAD,                   Perm.LOAD_FORMS,               PCT,        Y, Y, N),

    (Role.PEC_COMMITTEE_CHAIR,        Perm.VIEW,                     CONSORTIUM, Y, Y, N),
    (Role.PEC_COMMITTEE_CHAIR,        Perm.VIEW,                     PCT,        Y, Y, N),
    (Role.PEC_COMMITTEE_CHAIR,        Perm.EDIT_CONSORTIUM_SECTIONS, CONSORTIUM, N, N, N),
    (Role.PEC_COMMITTEE_CHAIR,        Perm.EDIT_PCT_SECTIONS,        CONSORTIUM, N, N, N),
    (Role.PEC_COMMITTEE_CHAIR,        Perm.COMMENT,                  CONSORTIUM, Y, Y, N),
    (Role.PEC_COMMITTEE_CHAIR,        Perm.SUBMIT,                   CONSORTIUM, N, N, N),
    (Role.PEC_COMMITTEE_CHAIR,        Perm.REVIEW,                   CONSORTIUM, N, N, N),
    (Role.PEC_COMMITTEE_CHAIR,        Perm.APPROVE,                  CONSORTIUM, N, N, N),
    (Role.PEC_COMMITTEE_CHAIR,        Perm.SIGN,                     CONSORTIUM, Y, Y, N),
    (Role.PEC_COMMITTEE_CHAIR,        Perm.EXPORT,                   CONSORTIUM, N, N, N),
    (Role.PEC_COMMITTEE_CHAIR,        Perm.ASSIGN_POSITIONS,         CONSORTIUM, N, N, N),
    (Role.PEC_COMMITTEE_CHAIR,        Perm.ASSIGN_SECTIONS,          CONSORTIUM, N, N, N),
    (Role.PEC_COMMITTEE_CHAIR,        Perm.CONFIRM_PARTICIPATION,    CONSORTIUM, N, N, N),
    (Role.PEC_COMMITTEE_CHAIR,        Perm.RECORD_PARTICIPATION,     CONSORTIUM, Y, Y, N),
    (Role.PEC_COMMITTEE_CHAIR,        Perm.ADMINISTER,               CONSORTIUM, N, N, N),
    (Role.PEC_COMMITTEE_CHAIR,        Perm.MANAGE_PEOPLE,            CONSORTIUM, N, N, N),
    (Role.PEC_COMMITTEE_CHAIR,        Perm.MANAGE_PEOPLE,            PCT,        N, N, N),
    (Role.PEC_COMMITTEE_CHAIR,        Perm.LOAD_FORMS,               PCT,        N, N, N),

    (Role.PCT_CHIEF_EXECUTIVE,        Perm.VIEW,                     CONSORTIUM, Y, Y, N),
    (Role.PCT_CHIEF_EXECUTIVE,        Perm.VIEW,                     PCT,        Y, Y, N),
    (Role.PCT_CHIEF_EXECUTIVE,        Perm.EDIT_CONSORTIUM_SECTIONS, CONSORTIUM, N, N, N),
    (Role.PCT_CHIEF_EXECUTIVE,        Perm.EDIT_PCT_SECTIONS,        CONSORTIUM, N, N, N),
    (Role.PCT_CHIEF_EXECUTIVE,        Perm.COMMENT,                  CONSORTIUM, Y, Y, N),
    (Role.PCT_CHIEF_EXECUTIVE,        Perm.SUBMIT,                   CONSORTIUM, N, N, N),
    (Role.PCT_CHIEF_EXECUTIVE,        Perm.REVIEW,                   CONSORTIUM, N, N, N),
    (Role.PCT_CHIEF_EXECUTIVE,        Perm.APPROVE,                  CONSORTIUM, N, N, N),
    (Role.PCT_CHIEF_EXECUTIVE,        Perm.SIGN,                     CONSORTIUM, Y, Y, N),
    (Role.PCT_CHIEF_EXECUTIVE,        Perm.EXPORT,                   CONSORTIUM, N, N, N),
    (Role.PCT_CHIEF_EXECUTIVE,        Perm.ASSIGN_POSITIONS,         CONSORTIUM, N, N, N),
    (Role.PCT_CHIEF_EXECUTIVE,        Perm.ASSIGN_SECTIONS,          CONSORTIUM, N, N, N),
    (Role.PCT_CHIEF_EXECUTIVE,        Perm.CONFIRM_PARTICIPATION,    CONSORTIUM, N, N, N),
    (Role.PCT_CHIEF_EXECUTIVE,        Perm.RECORD_PARTICIPATION,     CONSORTIUM, Y, Y, N),
    (Role.PCT_CHIEF_EXECUTIVE,        Perm.ADMINISTER,               CONSORTIUM, N, N, N),
    (Role.PCT_CHIEF_EXECUTIVE,        Perm.MANAGE_PEOPLE,            CONSORTIUM, N, N, N),
    (Role.PCT_CHIEF_EXECUTIVE,        Perm.MANAGE_PEOPLE,            PCT,        N, N, N),
    (Role.PCT_CHIEF_EXECUTIVE,        Perm.LOAD_FORMS,               PCT,        N, N, N),

    # A PCT officer (a Director of Finance) sees the PCT's plans and signs where they hold a
    # position the form names; signing follows positions held (docs/decisions/0360).
    (Role.PCT_OFFICER,                Perm.VIEW,                     CONSORTIUM, Y, Y, N),
    (Role.PCT_OFFICER,                Perm.VIEW,                     PCT,        Y, Y, N),
    (Role.PCT_OFFICER,                Perm.EDIT_CONSORTIUM_SECTIONS, CONSORTIUM, N, N, N),
    (Role.PCT_OFFICER,                Perm.EDIT_PCT_SECTIONS,        CONSORTIUM, N, N, N),
    (Role.PCT_OFFICER,                Perm.COMMENT,                  CONSORTIUM, Y, Y, N),
    (Role.PCT_OFFICER,                Perm.SUBMIT,                   CONSORTIUM, N, N, N),
    (Role.PCT_OFFICER,                Perm.REVIEW,                   CONSORTIUM, N, N, N),
    (Role.PCT_OFFICER,                Perm.APPROVE,                  CONSORTIUM, N, N, N),
    (Role.PCT_OFFICER,                Perm.SIGN,                     CONSORTIUM, Y, Y, N),
    (Role.PCT_OFFICER,                Perm.EXPORT,                   CONSORTIUM, N, N, N),
    (Role.PCT_OFFICER,                Perm.ASSIGN_POSITIONS,         CONSORTIUM, N, N, N),
    (Role.PCT_OFFICER,                Perm.ASSIGN_SECTIONS,          CONSORTIUM, N, N, N),
    (Role.PCT_OFFICER,                Perm.CONFIRM_PARTICIPATION,    CONSORTIUM, N, N, N),
    (Role.PCT_OFFICER,                Perm.RECORD_PARTICIPATION,     CONSORTIUM, Y, Y, N),
    (Role.PCT_OFFICER,                Perm.ADMINISTER,               CONSORTIUM, N, N, N),
    (Role.PCT_OFFICER,                Perm.MANAGE_PEOPLE,            CONSORTIUM, N, N, N),
    (Role.PCT_OFFICER,                Perm.MANAGE_PEOPLE,            PCT,        N, N, N),
    (Role.PCT_OFFICER,                Perm.LOAD_FORMS,               PCT,        N, N, N),

    # The site administrator sees everything and runs the admin, but takes no part in a plan.
    (Role.SITE_ADMIN,                 Perm.VIEW,                     CONSORTIUM, Y, Y, Y),
    (Role.SITE_ADMIN,                 Perm.VIEW,                     PCT,        Y, Y, Y),
    (Role.SITE_ADMIN,                 Perm.EDIT_CONSORTIUM_SECTIONS, CONSORTIUM, N, N, N),
    (Role.SITE_ADMIN,                 Perm.EDIT_PCT_SECTIONS,        CONSORTIUM, N, N, N),
    (Role.SITE_ADMIN,                 Perm.COMMENT,                  CONSORTIUM, N, N, N),
    (Role.SITE_ADMIN,                 Perm.SUBMIT,                   CONSORTIUM, N, N, N),
    (Role.SITE_ADMIN,                 Perm.REVIEW,                   CONSORTIUM, N, N, N),
    (Role.SITE_ADMIN,                 Perm.APPROVE,                  CONSORTIUM, N, N, N),
    (Role.SITE_ADMIN,                 Perm.SIGN,                     CONSORTIUM, N, N, N),
    (Role.SITE_ADMIN,                 Perm.EXPORT,                   CONSORTIUM, N, N, N),
    (Role.SITE_ADMIN,                 Perm.ASSIGN_POSITIONS,         CONSORTIUM, Y, Y, Y),
    (Role.SITE_ADMIN,                 Perm.ASSIGN_SECTIONS,          CONSORTIUM, N, N, N),
    (Role.SITE_ADMIN,                 Perm.CONFIRM_PARTICIPATION,    CONSORTIUM, N, N, N),
    (Role.SITE_ADMIN,                 Perm.RECORD_PARTICIPATION,     CONSORTIUM, N, N, N),
    (Role.SITE_ADMIN,                 Perm.ADMINISTER,               CONSORTIUM, Y, Y, Y),
    (Role.SITE_ADMIN,                 Perm.MANAGE_PEOPLE,            CONSORTIUM, Y, Y, Y),
    (Role.SITE_ADMIN,                 Perm.MANAGE_PEOPLE,            PCT,        Y, Y, Y),
    (Role.SITE_ADMIN,                 Perm.LOAD_FORMS,               PCT,        N, N, N),
]
# fmt: on


@dataclass(frozen=True)
class World:
    """Two PCTs: the user's own with two consortia, and another PCT with one."""

    own: Consortium
    same_pct: Consortium
    other_pct: Consortium

    def subject(self, scope: str, on: str) -> Consortium | Commissioner:
        consortium = {"own": self.own, "same PCT": self.same_pct, "other PCT": self.other_pct}[
            scope
        ]
        return consortium if on == CONSORTIUM else consortium.commissioner


@pytest.fixture
def world() -> World:
    own_pct = CommissionerFactory()
    return World(
        own=ConsortiumFactory(commissioner=own_pct),
        same_pct=ConsortiumFactory(commissioner=own_pct),
        other_pct=ConsortiumFactory(commissioner=CommissionerFactory()),
    )


def user_in(world: World, role: str) -> User:
    """Someone of ``role`` in the own consortium or PCT, holding the position their role
    stands for where it has one (signing follows the positions held)."""
    if role in User.CONSORTIUM_ROLES:
        user = UserFactory(role=role, consortium=world.own)
        appoint_by_role(user)
        return user
    if role in User.COMMISSIONER_ROLES:
        user = UserFactory(role=role, commissioner=world.own.commissioner)
        appoint_by_role(user)
        return user
    # Made as `createsuperuser` and the demo make one, so the superuser flag is covered too.
    return UserFactory(role=role, is_superuser=True)


# An HTTP probe requests the screen for an action on a subject and says whether it was allowed,
# failing on any answer that is neither the allowed nor the refused one.
Probe = Callable[..., bool]


def _status(client, url: str, *, allowed_status: int, refused: tuple[int, ...]) -> bool:
    status = client.get(url).status_code
    assert status in (allowed_status, *refused), f"GET {url} answered {status}"
    return status == allowed_status


def consortium_page(client, consortium: Consortium) -> bool:
    url = reverse("consortia:consortium", kwargs={"slug": consortium.slug})
    return _status(client, url, allowed_status=200, refused=(404,))


def commissioner_page(client, commissioner: Commissioner) -> bool:
    url = reverse("consortia:commissioner", kwargs={"slug": commissioner.slug})
    return _status(client, url, allowed_status=200, refused=(404,))


def admin_pages(client, consortium: Consortium) -> bool:
    # Others are sent to the admin's sign-in page (302); a signed-in non-administrator who
    # somehow reached it would get 403.
    index = _status(client, reverse("admin:index"), allowed_status=200, refused=(302, 403))
    change = reverse("admin:consortia_consortium_change", args=[consortium.pk])
    return index and _status(client, change, allowed_status=200, refused=(302, 403))


def consortium_and_plan_pages(client, consortium: Consortium) -> bool:
    plan = three_signatory_plan(consortium=consortium)
    plan_page = _status(
        client, reverse("plan_detail", args=[plan.pk]), allowed_status=200, refused=(404,)
    )
    # In-year monitoring's page of the plan is scoped exactly like the plan's own page.
    monitoring_page = _status(
        client, reverse("monitoring:plan", args=[plan.pk]), allowed_status=200, refused=(404,)
    )
    # And the read API's plan, probed in every scope, not only where the pages allow.
    api = api_plan(client, plan)
    return consortium_page(client, consortium) and plan_page and monitoring_page and api


def api_plan(client, plan: Plan) -> bool:
    """The read API's plan, with a token of the signed-in person: scoped like the page."""
    user = User.objects.get(pk=client.session["_auth_user_id"])
    _token, key = token_create(user=user, name="Matrix probe")
    status = client.get(f"/api/v1/plans/{plan.pk}", HTTP_AUTHORIZATION=f"Bearer {key}").status_code
    assert status in (200, 404), f"the API's plan answered {status}"
    return status == 200


def action_page(action: str, state: str) -> Probe:
    """The confirmation screen of a workflow action, on a plan in a state that allows it:
    404 outside the user's scope, 403 for a role that may not take it."""

    def probe(client, consortium: Consortium) -> bool:
        plan = put_in_state(three_signatory_plan(consortium=consortium), state)
        url = (
            reverse("plan_sign", args=[plan.pk])
            if action == "sign"
            else reverse("plan_action", args=[plan.pk, action])
        )
        return _status(client, url, allowed_status=200, refused=(403, 404))

    return probe


def assign_page(client, consortium: Consortium) -> bool:
    plan = three_signatory_plan(consortium=consortium)
    url = reverse("plan_assign", args=[plan.pk])
    return _status(client, url, allowed_status=200, refused=(403, 404))


def comment_post(client, consortium: Consortium) -> bool:
    plan = three_signatory_plan(consortium=consortium)
    status = client.post(
        reverse("comment_add", args=[plan.pk]),
        {"question": "question-1", "comment-q-question-1-body": "Whose definition of needs?"},
    ).status_code
    assert status in (302, 403, 404), f"posting a comment answered {status}"
    return status == 302


def people_page(client, organisation: Consortium | Commissioner) -> bool:
    return _status(client, people_url(organisation), allowed_status=200, refused=(403, 404))


def pct_forms_page(client, commissioner: Commissioner) -> bool:
    url = reverse("pct_forms", kwargs={"slug": commissioner.slug})
    return _status(client, url, allowed_status=200, refused=(403, 404))


# Every action with a screen, keyed by the capability it needs.
HTTP_PROBES: dict[tuple[Perm, str], Probe] = {
    (Perm.VIEW, CONSORTIUM): consortium_and_plan_pages,
    (Perm.VIEW, PCT): commissioner_page,
    (Perm.COMMENT, CONSORTIUM): comment_post,
    (Perm.SUBMIT, CONSORTIUM): action_page("submit", Plan.Status.DRAFT),
    (Perm.REVIEW, CONSORTIUM): action_page("request_changes", Plan.Status.IN_REVIEW),
    (Perm.APPROVE, CONSORTIUM): action_page("approve", Plan.Status.IN_REVIEW),
    (Perm.SIGN, CONSORTIUM): action_page("sign", Plan.Status.APPROVED),
    (Perm.EXPORT, CONSORTIUM): action_page("record_submission", Plan.Status.SIGNED),
    (Perm.ADMINISTER, CONSORTIUM): admin_pages,
    (Perm.ASSIGN_SECTIONS, CONSORTIUM): assign_page,
    # The people pages: 404 outside the user's scope, 403 inside it for those who may not
    # (each people action, by role and scope: tests/integration/consortia/test_people_matrix.py).
    (Perm.MANAGE_PEOPLE, CONSORTIUM): people_page,
    (Perm.MANAGE_PEOPLE, PCT): people_page,
    # A PCT's plan forms: its lead's alone; the site administrator loads forms in the admin.
    (Perm.LOAD_FORMS, PCT): pct_forms_page,
}


def _row_id(row) -> str:
    role, perm, on, *_ = row
    return f"{role}-{perm.name.lower()}-{on}"


def _mismatches(row, world: World, check: Callable[[object], bool]) -> list[str]:
    _role, _perm, on, *expected = row
    found = {scope: check(world.subject(scope, on)) for scope in SCOPES}
    word = {True: "allow", False: "deny"}
    return [
        f"{scope}: expected {word[want]}, got {word[found[scope]]}"
        for scope, want in zip(SCOPES, expected, strict=True)
        if found[scope] != want
    ]


def test_the_matrix_covers_every_role_and_every_action():
    covered = {(role, perm) for role, perm, *_ in MATRIX}

    assert covered == {(role, perm) for role in Role for perm in Perm}
    assert len(MATRIX) == len({(role, perm, on) for role, perm, on, *_ in MATRIX})


@pytest.mark.django_db
@pytest.mark.parametrize("row", MATRIX, ids=_row_id)
def test_permission_rules_match_the_matrix(row, world):
    user = user_in(world, row[0])

    assert _mismatches(row, world, lambda subject: allowed(user, row[1], subject)) == []


HTTP_ROWS = [row for row in MATRIX if (row[1], row[2]) in HTTP_PROBES]


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("row", HTTP_ROWS, ids=_row_id)
def test_screens_match_the_matrix(row, world, client):
    user = user_in(world, row[0])
    client.force_login(user)
    probe = HTTP_PROBES[(row[1], row[2])]

    assert _mismatches(row, world, lambda subject: probe(client, subject)) == []


@pytest.mark.django_db
def test_an_inactive_account_may_do_nothing(world):
    user = UserFactory(role=Role.CONSORTIUM_EXECUTIVE_CHAIR, consortium=world.own, is_active=False)

    assert not any(allowed(user, perm, world.own) for perm in Perm)
