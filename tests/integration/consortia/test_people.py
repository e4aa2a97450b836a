"""People come and go: invitations by email, each organisation running its own people, and
leavers who lose access at once but keep what they wrote and signed (issue 20)."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consortia import services
from consortia.demo import appoint_by_role
from consortia.models import Appointment, Invitation, PeopleEvent, User
from consortia.presenters import people_url, reactivated_text
from plans.audit import audit_chain_verify
from signoff.models import Signature
from signoff.verification import Outcome, verify_upload
from tests.factories import (
    CommissionerFactory,
    ConsortiumFactory,
    UserFactory,
    invitation_sent,
)
from tests.pages import refused_on
from tests.queries import page_queries
from tests.review_factories import issued_pdf, three_signatory_plan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
Role = User.Role
NEW_PASSWORD = "a long new passphrase 2007"


def invite(client, organisation, *, email="new.person@example.org", role=Role.CONSORTIUM_EDITOR):
    return client.post(
        people_url(organisation), {"full_name": "New Person", "email": email, "role": role}
    )


def link_in_last_email() -> str:
    return re.search(r"https?://\S+/join/\S+/", mail.outbox[-1].body).group(0)


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def accept(link: str, password: str = NEW_PASSWORD):
    return Client().post(path_of(link), {"password1": password, "password2": password})


@pytest.fixture
def lead():
    return UserFactory(role=Role.PCT_LEAD)


@pytest.fixture
def consortium(lead):
    return ConsortiumFactory(commissioner=lead.commissioner)


@pytest.fixture
def chair(consortium):
    return UserFactory(role=Role.CONSORTIUM_EXECUTIVE_CHAIR, consortium=consortium)


def test_a_pct_lead_invites_a_chair_who_sets_a_password_and_then_a_second_factor(
    client, lead, consortium
):
    client.force_login(lead)

    response = invite(
        client, consortium, email="New.Chair@Example.org", role=Role.CONSORTIUM_EXECUTIVE_CHAIR
    )

    assert response.status_code == 302
    assert mail.outbox[-1].to == ["new.chair@example.org"]
    link = link_in_last_email()
    page = Client().get(path_of(link))
    assert page.status_code == 200
    assert "second factor" in page.content.decode()

    newcomer = Client()
    response = newcomer.post(path_of(link), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    user = User.objects.get(email="new.chair@example.org")

    assert response.status_code == 302 and response.url == reverse("home")
    assert user.role == Role.CONSORTIUM_EXECUTIVE_CHAIR and user.consortium == consortium
    assert user.check_password(NEW_PASSWORD)
    assert newcomer.get(reverse("home")).url.startswith(reverse("two_factor_set_up"))
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == user
    actions = list(PeopleEvent.objects.order_by("at", "pk").values_list("action", "actor"))
    assert actions == [
        (PeopleEvent.Action.INVITED, lead.pk),
        (PeopleEvent.Action.JOINED, user.pk),
    ]


def test_an_editor_joins_without_a_second_factor_and_lands_on_their_home_page(client, chair):
    client.force_login(chair)
    invite(client, chair.consortium)
    newcomer = Client()
    newcomer.post(
        path_of(link_in_last_email()), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert newcomer.get(reverse("home")).status_code == 200


def test_a_used_link_is_refused_with_a_clear_page(client, chair):
    client.force_login(chair)
    invite(client, chair.consortium)
    link = link_in_last_email()
    accept(link)

    again = accept(link, "another long passphrase 99")

    assert again.status_code == 410
    assert "has been used already" in again.content.decode()
    assert User.objects.filter(email="new.person@example.org").count() == 1


def test_an_expired_link_is_refused_with_a_clear_page(client, chair):
    client.force_login(chair)
    invite(client, chair.consortium)
    Invitation.objects.update(expires_at=timezone.now())

    response = accept(link_in_last_email())

    assert response.status_code == 410
    assert "has expired" in response.content.decode()
    assert not User.objects.filter(email="new.person@example.org").exists()


def test_a_link_older_than_seven_days_is_refused_by_its_signature_alone(chair, monkeypatch):
    invitation = invitation_sent(by=chair, organisation=chair.consortium, email="late@example.org")
    now = signing.time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now - 8 * 24 * 3600)
    stale = services.invitation_token(invitation)
    monkeypatch.setattr(signing.time, "time", lambda: now)

    with pytest.raises(services.InvitationRefused) as refusal:
        services.invitation_from_token(stale)

    assert refusal.value.reason == "expired"


def test_a_revoked_link_is_refused_and_the_list_shows_it_revoked(client, chair):
    client.force_login(chair)
    invite(client, chair.consortium)
    link = link_in_last_email()

    client.post(reverse("consortia:invitation_revoke", args=[Invitation.objects.get().pk]))

    assert "was withdrawn" in accept(link).content.decode()
    assert "Revoked" in client.get(people_url(chair.consortium)).content.decode()


def test_sending_again_replaces_the_earlier_link(client, chair):
    client.force_login(chair)
    invite(client, chair.consortium)
    first = link_in_last_email()

    client.post(reverse("consortia:invitation_resend", args=[Invitation.objects.get().pk]))
    second = link_in_last_email()

    assert first != second
    assert "newer invitation" in accept(first).content.decode()
    assert accept(second).status_code == 302


def test_a_link_cannot_be_turned_into_another_organisations_invitation(client, chair, lead):
    client.force_login(chair)
    invite(client, chair.consortium, email="mine@example.org")
    ours = link_in_last_email()
    client.force_login(lead)
    other = ConsortiumFactory(commissioner=lead.commissioner)
    invite(client, other, email="theirs@example.org")
    theirs = Invitation.objects.get(email="theirs@example.org")
    token = path_of(ours).rstrip("/").rsplit("/", 1)[1]
    _payload, rest = token.split(":", 1)
    forged_payload = signing.dumps({"i": theirs.pk, "n": theirs.nonce}, salt="x").split(":")[0]

    response = accept(f"http://testserver/join/{forged_payload}:{rest}/")

    assert response.status_code == 410
    assert "not a PBC Plans invitation" in response.content.decode()
    assert not User.objects.filter(email="theirs@example.org").exists()
    assert accept(ours).status_code == 302
    assert User.objects.get(email="mine@example.org").consortium == chair.consortium


def test_a_chair_may_invite_only_editors_of_their_own_consortium(client, chair):
    client.force_login(chair)

    raised = invite(client, chair.consortium, role=Role.CONSORTIUM_EXECUTIVE_CHAIR)
    elsewhere = invite(client, ConsortiumFactory(commissioner=chair.consortium.commissioner))

    assert raised.status_code == 400
    assert elsewhere.status_code == 404
    assert not Invitation.objects.exists()


def test_someone_with_an_account_is_not_invited_again(client, chair):
    existing = UserFactory(consortium=chair.consortium)
    client.force_login(chair)

    response = invite(client, chair.consortium, email=existing.email.upper())

    assert response.status_code == 400
    assert "already has an account" in response.content.decode()


def test_nobody_changes_their_own_role_or_deactivates_themselves(client, lead):
    client.force_login(lead)

    role = client.post(reverse("consortia:person", args=[lead.pk]), {"role": Role.PCT_OFFICER})
    leave = client.post(reverse("consortia:person_deactivate", args=[lead.pk]))

    lead.refresh_from_db()
    assert (role.status_code, leave.status_code) == (403, 403)
    assert lead.role == Role.PCT_LEAD and lead.is_active


def test_a_chair_cannot_raise_an_editor_to_chair(client, chair):
    editor = UserFactory(consortium=chair.consortium)
    client.force_login(chair)

    response = client.post(
        reverse("consortia:person", args=[editor.pk]), {"role": Role.CONSORTIUM_EXECUTIVE_CHAIR}
    )

    editor.refresh_from_db()
    assert response.status_code == 400 and editor.role == Role.CONSORTIUM_EDITOR


def test_a_pct_lead_changes_a_role_and_it_is_recorded_with_the_address(client, lead, consortium):
    editor = UserFactory(consortium=consortium)
    client.force_login(lead)

    response = client.post(
        reverse("consortia:person", args=[editor.pk]),
        {"role": Role.CONSORTIUM_EXECUTIVE_CHAIR},
        REMOTE_ADDR="192.0.2.7",
    )

    editor.refresh_from_db()
    event = PeopleEvent.objects.get(action=PeopleEvent.Action.ROLE_CHANGED)
    assert response.status_code == 302 and editor.role == Role.CONSORTIUM_EXECUTIVE_CHAIR
    assert (event.actor, event.subject, event.client_address) == (lead, editor, "192.0.2.7")


def test_deactivating_ends_the_leavers_open_session_at_their_next_request(client, chair):
    editor = UserFactory(consortium=chair.consortium)
    theirs = Client()
    theirs.force_login(editor)
    assert theirs.get(reverse("home")).status_code == 200
    client.force_login(chair)

    client.post(reverse("consortia:person_deactivate", args=[editor.pk]))

    response = theirs.get(reverse("consortia:consortium", args=[chair.consortium.slug]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    editor.refresh_from_db()
    assert not editor.is_active and not editor.has_usable_password()


def test_a_leavers_positions_are_left_vacant_and_the_managers_told(client, lead, consortium):
    chair = UserFactory(role=Role.CONSORTIUM_EXECUTIVE_CHAIR, consortium=consortium)
    appoint_by_role(chair)
    held = Appointment.objects.get(user=chair)
    client.force_login(lead)

    client.post(reverse("consortia:person_deactivate", args=[chair.pk]))

    held.refresh_from_db()
    assert held.ended_on == timezone.localdate()
    vacated = PeopleEvent.objects.get(action=PeopleEvent.Action.POSITION_VACATED)
    assert vacated.position == held.position
    assert mail.outbox[-1].to == [lead.email]
    assert held.position.label in mail.outbox[-1].body
    page = client.get(reverse("consortia:consortium", args=[consortium.slug])).content.decode()
    assert f"No one since {chair} left: assign someone" in page


def test_a_deactivated_signatorys_signatures_still_verify_with_their_name_and_title(lead):
    plan = three_signatory_plan(consortium=ConsortiumFactory(commissioner=lead.commissioner))
    data = issued_pdf(plan, names=["Dr Ada Chair", None, None])
    signer = Signature.objects.get(plan=plan, typed_name="Dr Ada Chair").user

    services.user_deactivate(actor=lead, person=signer, client_address=None)

    result = verify_upload(data)
    assert result.outcome == Outcome.SEALED
    assert result.signatories[0].name == "Dr Ada Chair"
    assert result.signatories[0].title == Signature.objects.get(user=signer).title
    assert audit_chain_verify(plan).intact


def test_a_pct_lead_cannot_reach_another_pcts_people(client, lead):
    stranger = UserFactory(consortium=ConsortiumFactory(commissioner=CommissionerFactory()))
    client.force_login(lead)

    assert client.get(reverse("consortia:person", args=[stranger.pk])).status_code == 404
    assert client.get(people_url(stranger.consortium)).status_code == 404
    assert (
        client.post(reverse("consortia:person_deactivate", args=[stranger.pk])).status_code == 404
    )
    stranger.refresh_from_db()
    assert stranger.is_active


def test_an_unreadable_link_is_refused_not_an_error():
    for token in ("nonsense", "a:b:c", "%00", "x" * 3000):
        assert Client().get(f"/join/{token}/").status_code in (404, 410)


PEOPLE_PAGE_QUERY_BUDGET = 14


def _queries(client, url: str, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(PEOPLE_PAGE_QUERY_BUDGET):
        return page_queries(client, url)


def _grow(consortium, chair, count: int) -> None:
    """``count`` more editors (one holding a position) and invitations."""
    for number in range(count):
        appoint_by_role(UserFactory(role=Role.CONSORTIUM_EXECUTIVE_CHAIR, consortium=consortium))
        UserFactory(consortium=consortium)
        invitation_sent(by=chair, organisation=consortium, email=f"guest{number}@example.org")


def test_the_people_page_queries_do_not_grow_with_people_and_invitations(
    client, chair, django_assert_max_num_queries
):
    client.force_login(chair)
    url = people_url(chair.consortium)
    small = _queries(client, url, django_assert_max_num_queries)

    _grow(chair.consortium, chair, 30)

    assert _queries(client, url, django_assert_max_num_queries) == small


def test_a_person_page_has_a_fixed_query_count(
    client, lead, consortium, django_assert_max_num_queries
):
    editor = UserFactory(consortium=consortium)
    client.force_login(lead)
    url = reverse("consortia:person", args=[editor.pk])

    first = _queries(client, url, django_assert_max_num_queries)
    services.user_change_role(
        actor=lead, person=editor, role=Role.CONSORTIUM_EXECUTIVE_CHAIR, client_address=None
    )
    services.user_change_role(
        actor=lead, person=editor, role=Role.CONSORTIUM_EDITOR, client_address=None
    )

    assert _queries(client, url, django_assert_max_num_queries) == first


HOSTILE = ["\x00", "a" * 5000, "<script>alert(1)</script>", " ", "é" * 201]


def test_hostile_input_to_the_people_forms_is_refused_without_a_server_error(client, chair):
    editor = UserFactory(consortium=chair.consortium)
    client.force_login(chair)
    invite(client, chair.consortium)
    link = link_in_last_email()

    for number, value in enumerate(HOSTILE):
        for field in ("full_name", "email", "role"):
            email = f"pat.{number}.{field}@example.org"
            data = {"full_name": "Pat", "email": email, "role": Role.CONSORTIUM_EDITOR}
            data[field] = value
            assert client.post(people_url(chair.consortium), data).status_code in (302, 400)
        response = client.post(reverse("consortia:person", args=[editor.pk]), {"role": value})
        assert response.status_code == 400
        # A password of 201 letters is a good one: the account is made and the link is used.
        assert accept(link, value).status_code in (302, 400, 410)

    names = Invitation.objects.values_list("full_name", flat=True)
    assert all("\x00" not in name for name in names)
    assert "<script>alert" not in client.get(people_url(chair.consortium)).content.decode()


def admin_saves(client, person, *, active: bool, **extra):
    """The site administrator saves ``person``'s admin page with "active" ticked or not."""
    client.force_login(UserFactory(role=Role.SITE_ADMIN))
    form = {
        "email": person.email,
        "full_name": person.full_name,
        "role": person.role,
        "commissioner": person.consortium.commissioner_id,
        "consortium": person.consortium_id,
    }
    return client.post(
        reverse("admin:consortia_user_change", args=[person.pk]),
        {**form, "is_active": "on"} if active else form,
        **extra,
    )


def test_unticking_active_in_the_admin_is_a_leaver_too(client, consortium):
    chair = UserFactory(role=Role.CONSORTIUM_EXECUTIVE_CHAIR, consortium=consortium)
    appoint_by_role(chair)

    response = admin_saves(client, chair, active=False)

    chair.refresh_from_db()
    assert response.status_code == 302
    assert not chair.is_active and not chair.has_usable_password()
    assert not Appointment.objects.filter(user=chair, ended_on__isnull=True).exists()
    assert PeopleEvent.objects.filter(action=PeopleEvent.Action.DEACTIVATED, subject=chair).exists()


def test_ticking_active_in_the_admin_is_a_reactivation_with_its_event_and_email(client, chair):
    leaver = leaver_of(chair.consortium, by=chair)

    response = admin_saves(client, leaver, active=True, REMOTE_ADDR="192.0.2.9")

    leaver.refresh_from_db()
    assert response.status_code == 302 and leaver.is_active
    event = PeopleEvent.objects.get(action=PeopleEvent.Action.REACTIVATED)
    assert (event.subject, event.client_address) == (leaver, "192.0.2.9")
    # The admin says what the people page says (reactivated_text).
    assert reactivated_text(leaver) in [str(m) for m in get_messages(response.wsgi_request)]
    assert mail.outbox[-1].to == [leaver.email]
    assert re.search(r"https?://\S+/password-reset/\S+/\S+/", mail.outbox[-1].body)


def test_handing_a_position_over_is_recorded_and_the_new_holder_told(client, lead, consortium):
    editor = UserFactory(consortium=consortium)
    client.force_login(lead)

    response = client.post(
        reverse("consortia:consortium_positions", args=[consortium.slug]),
        {"position": "Executive Chair", "body": "", "holder": editor.pk, "started_on": "1/4/2007"},
    )

    event = PeopleEvent.objects.get(action=PeopleEvent.Action.POSITION_ASSIGNED)
    assert response.status_code == 302
    assert (event.actor, event.subject, event.position.label) == (lead, editor, "Executive Chair")
    assert mail.outbox[-1].to == [editor.email]
    assert "You hold Executive Chair" in mail.outbox[-1].subject


def test_the_site_administrator_reads_invitations_and_people_events_but_cannot_change_them(
    client, chair
):
    invitation_sent(by=chair, organisation=chair.consortium, email="read.only@example.org")
    client.force_login(UserFactory(role=Role.SITE_ADMIN))
    invitation, event = Invitation.objects.get(), PeopleEvent.objects.get()

    assert client.get(reverse("admin:consortia_invitation_changelist")).status_code == 200
    assert client.get(reverse("admin:consortia_peopleevent_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:consortia_invitation_change", args=[invitation.pk])).status_code
        == 200
    )
    assert (
        client.post(reverse("admin:consortia_peopleevent_delete", args=[event.pk])).status_code
        == 403
    )


def test_a_pct_lead_invites_a_pct_officer_to_the_pct_and_the_pct_page_lists_them(client, lead):
    client.force_login(lead)

    response = invite(client, lead.commissioner, email="officer@example.org", role=Role.PCT_OFFICER)
    accept(link_in_last_email())

    officer = User.objects.get(email="officer@example.org")
    assert response.status_code == 302
    assert (officer.role, officer.commissioner, officer.consortium) == (
        Role.PCT_OFFICER,
        lead.commissioner,
        None,
    )
    page = client.get(people_url(lead.commissioner)).content.decode()
    assert "officer@example.org" in page and "Accepted" in page


def test_an_invitation_to_a_name_with_a_direction_override_is_refused_on_the_name(client, chair):
    client.force_login(chair)

    response = client.post(
        people_url(chair.consortium),
        {
            "full_name": "Pat \u202eeciffO",
            "email": "pat@example.org",
            "role": Role.CONSORTIUM_EDITOR,
        },
    )

    assert response.status_code == 400
    assert refused_on(response, "full_name", "change the direction of text (U+202E)")
    assert not Invitation.objects.exists()


def test_the_invitation_service_and_the_account_itself_refuse_an_isolate_in_a_name(chair):
    with pytest.raises(services.PeopleRefused, match="U\\+2066"):
        services.invitation_send(
            actor=chair,
            organisation=chair.consortium,
            email="pat@example.org",
            full_name="Pat \u2066Jones\u2069",
            role=Role.CONSORTIUM_EDITOR,
            client_address=None,
            link_for=lambda token: f"https://example.org/join/{token}/",
        )
    person = UserFactory.build(full_name="Pat \u202bJones")
    with pytest.raises(ValidationError, match="U\\+202B"):
        person.full_clean(exclude=["password"])


# --- Leaving is asked first; a leaver may come back ------------------------------------------


def leaver_of(consortium, *, by, **extra) -> User:
    person = UserFactory(consortium=consortium, **extra)
    services.user_deactivate(actor=by, person=person, client_address=None)
    person.refresh_from_db()
    return person


def test_deactivating_asks_first_saying_what_happens_and_nothing_changes_until_confirmed(
    client, chair
):
    editor = UserFactory(consortium=chair.consortium)
    client.force_login(chair)
    person_page = client.get(reverse("consortia:person", args=[editor.pk])).content.decode()
    url = reverse("consortia:person_deactivate", args=[editor.pk])

    response = client.get(url)

    page = response.content.decode()
    assert f'<a href="{url}">Deactivate {editor}</a>' in person_page
    assert f'action="{url}"' not in person_page, "the person page makes no change itself"
    assert response.status_code == 200
    assert f"Deactivate {editor}?" in page
    assert "can no longer sign in" in page
    assert "Nothing they wrote, commented or signed is lost" in page
    assert f"Yes, deactivate {editor}" in page
    editor.refresh_from_db()
    assert editor.is_active and editor.has_usable_password()
    assert not PeopleEvent.objects.exists()


def test_the_deactivate_page_names_the_positions_that_fall_vacant(client, lead, consortium):
    chair = UserFactory(role=Role.CONSORTIUM_EXECUTIVE_CHAIR, consortium=consortium)
    appoint_by_role(chair)
    client.force_login(lead)

    page = client.get(reverse("consortia:person_deactivate", args=[chair.pk])).content.decode()

    assert "The positions they hold (Executive Chair) are left vacant" in page


def test_a_leaver_is_listed_with_reactivate_and_the_people_page_asks_before_either(client, chair):
    editor = UserFactory(consortium=chair.consortium, full_name="Ann Active")
    leaver = leaver_of(chair.consortium, by=chair, full_name="Len Left")
    client.force_login(chair)

    page = client.get(people_url(chair.consortium)).content.decode()

    reactivate = reverse("consortia:person_reactivate", args=[leaver.pk])
    deactivate = reverse("consortia:person_deactivate", args=[editor.pk])
    assert (
        f'<a href="{reactivate}">Reactivate<span class="nhsuk-u-visually-hidden"> Len Left' in page
    )
    assert (
        f'<a href="{deactivate}">Deactivate<span class="nhsuk-u-visually-hidden"> Ann Active'
        in page
    )
    own = reverse("consortia:person_deactivate", args=[chair.pk])
    assert own not in page, "nobody is offered deactivating themselves"


def test_reactivating_asks_first_then_the_leaver_chooses_a_new_password_and_signs_in(client, chair):
    leaver = leaver_of(chair.consortium, by=chair)
    client.force_login(chair)
    url = reverse("consortia:person_reactivate", args=[leaver.pk])

    asked = client.get(url)
    leaver.refresh_from_db()
    assert asked.status_code == 200 and not leaver.is_active
    assert "They can sign in again as Practice manager" in asked.content.decode()
    assert "The positions they held are not given back" in asked.content.decode()

    response = client.post(url, REMOTE_ADDR="192.0.2.8")

    leaver.refresh_from_db()
    assert response.status_code == 302 and response.url == people_url(chair.consortium)
    assert leaver.is_active and leaver.role == Role.CONSORTIUM_EDITOR
    assert [str(m) for m in get_messages(response.wsgi_request)] == [reactivated_text(leaver)]
    event = PeopleEvent.objects.get(action=PeopleEvent.Action.REACTIVATED)
    assert (event.actor, event.subject, event.client_address) == (chair, leaver, "192.0.2.8")
    assert mail.outbox[-1].to == [leaver.email]
    link = re.search(r"https?://\S+/password-reset/\S+/\S+/", mail.outbox[-1].body).group(0)

    returning = Client()
    set_password = returning.get(path_of(link))
    assert set_password.status_code == 302
    assert (
        returning.post(
            set_password.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        ).status_code
        == 302
    )
    signed_in = returning.post(
        reverse("login"), {"username": leaver.email, "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302 and signed_in.url == reverse("home")


def test_a_reactivated_person_may_use_forgotten_your_password_too(
    client, chair, django_capture_on_commit_callbacks
):
    leaver = leaver_of(chair.consortium, by=chair)
    services.user_reactivate(
        actor=chair, person=leaver, client_address=None, link_for=lambda uid, token: "link"
    )
    mail.outbox = []

    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("password_reset"), {"email": leaver.email})

    assert [message.to for message in mail.outbox] == [[leaver.email]]


def test_reactivating_gives_no_position_back(client, lead, consortium):
    chair = UserFactory(role=Role.CONSORTIUM_EXECUTIVE_CHAIR, consortium=consortium)
    appoint_by_role(chair)
    services.user_deactivate(actor=lead, person=chair, client_address=None)
    client.force_login(lead)

    client.post(reverse("consortia:person_reactivate", args=[chair.pk]))

    chair.refresh_from_db()
    assert chair.is_active
    assert not Appointment.objects.filter(user=chair, ended_on__isnull=True).exists()


def test_reactivating_someone_who_can_sign_in_is_refused_and_the_page_leads_to_them(client, chair):
    editor = UserFactory(consortium=chair.consortium)
    client.force_login(chair)

    with pytest.raises(services.PeopleRefused, match="can sign in already"):
        services.user_reactivate(
            actor=chair, person=editor, client_address=None, link_for=lambda uid, token: ""
        )
    page = client.get(reverse("consortia:person_reactivate", args=[editor.pk]))
    again = client.post(reverse("consortia:person_reactivate", args=[editor.pk]))

    person = reverse("consortia:person", args=[editor.pk])
    assert (page.status_code, page.url) == (302, person)
    assert (again.status_code, again.url) == (302, person)
    assert not PeopleEvent.objects.filter(action=PeopleEvent.Action.REACTIVATED).exists()


def test_a_chair_may_not_reactivate_a_chair_nor_see_the_page_that_asks(client, consortium, lead):
    chair = UserFactory(role=Role.CONSORTIUM_EXECUTIVE_CHAIR, consortium=consortium)
    former = leaver_of(consortium, by=lead, role=Role.CONSORTIUM_EXECUTIVE_CHAIR)
    client.force_login(chair)
    url = reverse("consortia:person_reactivate", args=[former.pk])

    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    with pytest.raises(services.PeopleRefused, match="You may not manage"):
        services.user_reactivate(
            actor=chair, person=former, client_address=None, link_for=lambda uid, token: ""
        )
    former.refresh_from_db()
    assert not former.is_active
    assert client.get(reverse("consortia:person_deactivate", args=[lead.pk])).status_code == 404
