"""Positions on the organisation pages: who holds each, the PCT lead or the consortium chair
assigns someone from a day, the holder before stops that day, and past signatures stay."""

from datetime import date

import pytest
from django.urls import reverse

from consortia import services
from consortia.models import Appointment, Position, User
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
