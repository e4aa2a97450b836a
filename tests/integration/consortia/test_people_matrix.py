"""Each people action, as each role, on an editor of the user's own consortium, of another
consortium of the same PCT, and of a consortium of another PCT: over HTTP on PostgreSQL.

Allowed actions answer as they should and take effect; refused ones answer 404 (outside what
the user runs, so nothing leaks) or 403 (inside it, for a role that may not), and change nothing.
"""

from collections.abc import Callable

import pytest
from django.urls import reverse

from consortia.models import Invitation, User
from consortia.presenters import people_url
from tests.factories import UserFactory, invitation_sent
from tests.integration.consortia import test_authorisation_matrix as matrix

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
# The same three consortia as the main matrix: the user's own, another of the same PCT, and
# one of another PCT.
world = matrix.world
SCOPES, user_in = matrix.SCOPES, matrix.user_in
Role = User.Role
Y, N = True, False


def _invitation(consortium) -> Invitation:
    inviter = UserFactory(role=Role.SITE_ADMIN)
    return invitation_sent(
        by=inviter, organisation=consortium, email=f"invited.{consortium.slug}@example.org"
    )


def see_people(client, consortium) -> bool:
    status = client.get(people_url(consortium)).status_code
    assert status in (200, 403, 404), status
    return status == 200


def invite(client, consortium) -> bool:
    email = f"new.{consortium.slug}@example.org"
    status = client.post(
        people_url(consortium),
        {"full_name": "New Person", "email": email, "role": Role.CONSORTIUM_EDITOR},
    ).status_code
    made = Invitation.objects.filter(email=email).exists()
    assert status in (302, 403, 404) and made == (status == 302), status
    return made


def change_role(client, consortium) -> bool:
    editor = UserFactory(consortium=consortium)
    status = client.post(
        reverse("consortia:person", args=[editor.pk]), {"role": Role.CONSORTIUM_EDITOR}
    ).status_code
    # Giving the role they have is refused with a message (400): reaching that answer means
    # the user may act on this person; 403 and 404 mean they may not.
    assert status in (400, 403, 404), status
    return status == 400


def raise_to_chair(client, consortium) -> bool:
    editor = UserFactory(consortium=consortium)
    status = client.post(
        reverse("consortia:person", args=[editor.pk]), {"role": Role.CONSORTIUM_EXECUTIVE_CHAIR}
    ).status_code
    editor.refresh_from_db()
    changed = editor.role == Role.CONSORTIUM_EXECUTIVE_CHAIR
    assert status in (302, 400, 403, 404) and changed == (status == 302), status
    return changed


def deactivate(client, consortium) -> bool:
    editor = UserFactory(consortium=consortium)
    status = client.post(reverse("consortia:person_deactivate", args=[editor.pk])).status_code
    editor.refresh_from_db()
    assert status in (302, 403, 404) and (not editor.is_active) == (status == 302), status
    return not editor.is_active


def ask_to_deactivate(client, consortium) -> bool:
    editor = UserFactory(consortium=consortium)
    status = client.get(reverse("consortia:person_deactivate", args=[editor.pk])).status_code
    assert status in (200, 403, 404), status
    return status == 200


def reactivate(client, consortium) -> bool:
    editor = UserFactory(consortium=consortium, is_active=False)
    status = client.post(reverse("consortia:person_reactivate", args=[editor.pk])).status_code
    editor.refresh_from_db()
    assert status in (302, 403, 404) and editor.is_active == (status == 302), status
    return editor.is_active


def invitation_action(name: str) -> Callable:
    def probe(client, consortium) -> bool:
        invitation = _invitation(consortium)
        before = (invitation.nonce, invitation.revoked_at)
        status = client.post(reverse(f"consortia:invitation_{name}", args=[invitation.pk]))
        invitation.refresh_from_db()
        changed = (invitation.nonce, invitation.revoked_at) != before
        assert status.status_code in (302, 403, 404), status.status_code
        assert changed == (status.status_code == 302)
        return changed

    return probe


ACTIONS = {
    "see people": see_people,
    "invite an editor": invite,
    "change an editor's role": change_role,
    "raise an editor to chair": raise_to_chair,
    "deactivate an editor": deactivate,
    "see the page that asks before deactivating": ask_to_deactivate,
    "reactivate an editor": reactivate,
    "send an invitation again": invitation_action("resend"),
    "revoke an invitation": invitation_action("revoke"),
}
EDITOR_ACTIONS = (
    "see people",
    "invite an editor",
    "change an editor's role",
    "deactivate an editor",
    "see the page that asks before deactivating",
    "reactivate an editor",
    "send an invitation again",
    "revoke an invitation",
)
NOBODYS = (N, N, N)
# role -> (own consortium, same PCT, other PCT) for the editor actions, and for raising to chair.
EXPECTED = {
    Role.CONSORTIUM_EDITOR: (NOBODYS, NOBODYS),
    Role.CONSORTIUM_EXECUTIVE_CHAIR: ((Y, N, N), NOBODYS),
    Role.PCT_LEAD: ((Y, Y, N), (Y, Y, N)),
    Role.PEC_COMMITTEE_CHAIR: (NOBODYS, NOBODYS),
    Role.PCT_CHIEF_EXECUTIVE: (NOBODYS, NOBODYS),
    Role.PCT_OFFICER: (NOBODYS, NOBODYS),
    Role.SITE_ADMIN: ((Y, Y, Y), (Y, Y, Y)),
}
ROWS = [
    (role, action, *(editors if action in EDITOR_ACTIONS else raising))
    for role, (editors, raising) in EXPECTED.items()
    for action in ACTIONS
]


def test_the_people_matrix_covers_every_role_and_every_people_action():
    assert {(role, action) for role, action, *_ in ROWS} == {
        (role, action) for role in Role for action in ACTIONS
    }


@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row[0]}-{row[1]}")
def test_people_screens_match_the_matrix(row, world, client):
    role, action, *expected = row
    client.force_login(user_in(world, role))
    subjects = {"own": world.own, "same PCT": world.same_pct, "other PCT": world.other_pct}

    found = [ACTIONS[action](client, subjects[scope]) for scope in SCOPES]

    assert found == expected


def test_a_chair_may_not_act_on_another_chair_of_their_consortium(world, client):
    chair = user_in(world, Role.CONSORTIUM_EXECUTIVE_CHAIR)
    other = UserFactory(role=Role.CONSORTIUM_EXECUTIVE_CHAIR, consortium=world.own)
    client.force_login(chair)

    response = client.post(reverse("consortia:person_deactivate", args=[other.pk]))

    other.refresh_from_db()
    assert response.status_code == 403 and other.is_active
