"""Positions on the organisation pages: who holds each, the PCT lead or the consortium chair
assigns someone from a day, the holder before stops that day, and past signatures stay."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from consortia import selectors, services
from consortia.models import Appointment, PeopleEvent, Position, User
from consortia.presenters import people_url
from tests.factories import CommissionerFactory, ConsortiumFactory, UserFactory
from tests.two_factor import signed_in

pytestmark = pytest.mark.django_db


def assign(client, url: str, **fields):
    data = {"position": "Director of Finance", "body": "", "started_on": "1/4/2007", **fields}
    return client.post(url, data)


def test_the_pct_lead_assigns_a_director_of_finance_and_a_successor_from_a_later_day():
    pct = CommissionerFactory(name="Northbrook PCT")
    lead = UserFactory(role=User.Role.PCT_LEAD, commissioner=pct)
    first = UserFactory(role=User.Role.PCT_OFFICER, commissioner=pct, full_name="Frank First")
    second = UserFactory(role=User.Role.PCT_OFFICER, commissioner=pct, full_name="Sue Second")
    client = signed_in(lead)
    url = reverse("consortia:commissioner_positions", kwargs={"slug": pct.slug})

    assert assign(client, url, holder=first.pk).status_code == 302
    assert assign(client, url, holder=second.pk, started_on="1/10/2007").status_code == 302

    position = Position.objects.get(commissioner=pct, name="Director of Finance")
    assert list(
        position.appointments.order_by("started_on").values_list("user", "started_on", "ended_on")
    ) == [
        (first.pk, date(2007, 4, 1), date(2007, 10, 1)),
        (second.pk, date(2007, 10, 1), None),
    ]
    page = client.get(reverse("consortia:commissioner", kwargs={"slug": pct.slug}))
    shown = page.content.decode()
    assert "Director of Finance" in shown and "Sue Second" in shown
    assert "Frank First (1 April 2007 to 1 October 2007)" in shown


def test_a_successor_cannot_start_before_the_holder_and_the_page_says_why():
    pct = CommissionerFactory()
    lead = UserFactory(role=User.Role.PCT_LEAD, commissioner=pct)
    holder = UserFactory(role=User.Role.PCT_OFFICER, commissioner=pct, full_name="Hal Holder")
    other = UserFactory(role=User.Role.PCT_OFFICER, commissioner=pct)
    client = signed_in(lead)
    url = reverse("consortia:commissioner_positions", kwargs={"slug": pct.slug})
    assign(client, url, holder=holder.pk, started_on="1/6/2007")

    response = assign(client, url, holder=other.pk, started_on="1/5/2007")

    assert response.status_code == 400
    assert "Hal Holder holds Director of Finance from 1 June 2007" in response.content.decode()
    assert Appointment.objects.get().user == holder


def test_only_the_pct_lead_or_the_consortium_chair_assigns_and_only_their_own_people():
    consortium = ConsortiumFactory()
    pct = consortium.commissioner
    editor = UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=consortium)
    chair = UserFactory(role=User.Role.CONSORTIUM_EXECUTIVE_CHAIR, consortium=consortium)
    outsider = UserFactory(role=User.Role.PCT_OFFICER)
    consortium_url = reverse("consortia:consortium_positions", kwargs={"slug": consortium.slug})

    refused = assign(signed_in(editor), consortium_url, position="Chair", holder=chair.pk)
    assert refused.status_code == 403
    page = signed_in(editor).get(reverse("consortia:consortium", kwargs={"slug": consortium.slug}))
    assert "Assign someone to a position" not in page.content.decode()

    chair_client = signed_in(chair)
    not_ours = assign(chair_client, consortium_url, position="Chair", holder=outsider.pk)
    assert not_ours.status_code == 400 and not Appointment.objects.exists()
    assert (
        assign(chair_client, consortium_url, position="Chair", holder=chair.pk).status_code == 302
    )
    assert Position.objects.get(consortium=consortium).label == "Chair"
    pct_url = reverse("consortia:commissioner_positions", kwargs={"slug": pct.slug})
    assert assign(chair_client, pct_url, holder=chair.pk).status_code == 404


def test_an_inactive_person_cannot_be_given_a_position():
    pct = CommissionerFactory()
    leaver = UserFactory(role=User.Role.PCT_OFFICER, commissioner=pct, is_active=False)
    position = services.position_get_or_create(commissioner=pct, name="Director of Finance")

    with pytest.raises(services.PositionRefused, match="cannot sign in any more"):
        services.position_assign(position=position, user=leaver, started_on=date(2007, 4, 1))


def test_reloading_the_address_a_refused_position_form_went_to_shows_the_organisation_page():
    pct = CommissionerFactory()
    lead = UserFactory(role=User.Role.PCT_LEAD, commissioner=pct)
    client = signed_in(lead)
    url = reverse("consortia:commissioner_positions", kwargs={"slug": pct.slug})

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == reverse("consortia:commissioner", kwargs={"slug": pct.slug}) + (
        "#positions"
    )


# --- Handovers recorded for a later day, and leavers -----------------------------------------


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


@pytest.fixture
def handover():
    """DacCom's Executive Chair held by Alan Holder since 2020, handed to Bea Next from a day a
    month away; the PCT's lead runs their people."""
    consortium = ConsortiumFactory(name="DacCom")
    lead = UserFactory(role=User.Role.PCT_LEAD, commissioner=consortium.commissioner)
    holder = UserFactory(
        role=User.Role.CONSORTIUM_EXECUTIVE_CHAIR, consortium=consortium, full_name="Alan Holder"
    )
    incoming = UserFactory(consortium=consortium, full_name="Bea Next")
    services.position_fill(
        organisation=consortium,
        body="",
        name="Executive Chair",
        user=holder,
        started_on=date(2020, 4, 1),
    )
    day = timezone.localdate() + timedelta(days=30)
    services.position_fill(
        organisation=consortium, body="", name="Executive Chair", user=incoming, started_on=day
    )
    position = Position.objects.get(consortium=consortium)
    return SimpleNamespace(
        consortium=consortium,
        lead=lead,
        holder=holder,
        incoming=incoming,
        day=day,
        position=position,
    )


def deactivate(client, person):
    return client.post(reverse("consortia:person_deactivate", args=[person.pk]), follow=True)


def test_a_handover_to_come_is_shown_on_the_organisation_people_and_person_pages(handover):
    client = signed_in(handover.lead)
    said = f"Bea Next takes over as Executive Chair on {_day(handover.day)}"

    organisation = client.get(reverse("consortia:consortium", args=[handover.consortium.slug]))
    people = client.get(people_url(handover.consortium))
    person = client.get(reverse("consortia:person", args=[handover.incoming.pk]))

    assert said in organisation.content.decode()
    assert f"Takes over as Executive Chair on {_day(handover.day)}" in people.content.decode()
    assert said in person.content.decode()


def test_deactivating_the_incoming_holder_cancels_the_handover_and_the_page_says_so(handover):
    client = signed_in(handover.lead)

    response = deactivate(client, handover.incoming)

    assert not Appointment.objects.filter(user=handover.incoming).exists()
    kept = Appointment.objects.get(user=handover.holder)
    assert kept.ended_on is None
    after = handover.day + timedelta(days=1)
    assert selectors.holder_of(handover.position, day=after) == handover.holder
    assert (
        f"Bea Next was to take over as Executive Chair on {_day(handover.day)}; that handover "
        "is cancelled, and Alan Holder keeps Executive Chair." in response.content.decode()
    )
    cancelled = PeopleEvent.objects.get(action=PeopleEvent.Action.HANDOVER_CANCELLED)
    assert (cancelled.subject, cancelled.position) == (handover.incoming, handover.position)
    assert "handover is cancelled" in mail.outbox[-1].body


def test_deactivating_the_current_holder_keeps_the_handover_and_names_the_days_without_one(
    handover,
):
    client = signed_in(handover.lead)
    today = timezone.localdate()

    response = deactivate(client, handover.holder)

    assert Appointment.objects.get(user=handover.holder).ended_on == today
    assert selectors.holder_of(handover.position) is None
    assert selectors.holder_of(handover.position, day=handover.day) == handover.incoming
    shown = response.content.decode()
    assert (
        f"Executive Chair has no holder until {_day(handover.day)}, when Bea Next takes over: "
        "Alan Holder left." in shown
    )
    page = client.get(reverse("consortia:consortium", args=[handover.consortium.slug]))
    assert f"Bea Next takes over as Executive Chair on {_day(handover.day)}" in (
        page.content.decode()
    )


def test_cancelling_a_handover_between_two_others_gives_the_days_back_to_the_one_before(
    handover,
):
    later = handover.day + timedelta(days=30)
    third = UserFactory(consortium=handover.consortium, full_name="Cy Third")
    services.position_fill(
        organisation=handover.consortium,
        body="",
        name="Executive Chair",
        user=third,
        started_on=later,
    )

    services.user_deactivate(actor=handover.lead, person=handover.incoming, client_address=None)

    assert Appointment.objects.get(user=handover.holder).ended_on == later
    assert selectors.holder_of(handover.position, day=handover.day) == handover.holder
    assert selectors.holder_of(handover.position, day=later) == third


def test_after_the_holder_leaves_someone_holds_the_days_before_the_handover_which_still_happens(
    handover,
):
    client = signed_in(handover.lead)
    deactivate(client, handover.holder)
    stand_in = UserFactory(consortium=handover.consortium, full_name="Sam Standin")
    today = timezone.localdate()
    url = reverse("consortia:consortium_positions", args=[handover.consortium.slug])

    response = assign(
        client, url, position="Executive Chair", holder=stand_in.pk, started_on=today.isoformat()
    )

    assert response.status_code == 302
    assert selectors.holder_of(handover.position) == stand_in
    assert selectors.holder_of(handover.position, day=handover.day) == handover.incoming
    assert Appointment.objects.get(user=stand_in).ended_on == handover.day


def test_the_person_taking_over_later_cannot_be_given_the_same_position_again(handover):
    with pytest.raises(services.PositionRefused) as refused:
        services.position_assign(
            position=handover.position, user=handover.incoming, started_on=timezone.localdate()
        )

    assert refused.value.message == (
        f"Bea Next takes over as Executive Chair on {_day(handover.day)} already."
    )


def test_no_one_is_put_into_days_the_leaver_held(handover):
    services.user_deactivate(actor=handover.lead, person=handover.holder, client_address=None)
    stand_in = UserFactory(consortium=handover.consortium)

    with pytest.raises(services.PositionRefused, match="Alan Holder held Executive Chair on"):
        services.position_assign(
            position=handover.position, user=stand_in, started_on=date(2024, 1, 1)
        )
