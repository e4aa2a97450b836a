import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consortia.demo import load_organisations
from consortia.models import Consortium, PersonRole, User
from tests.factories import (
    ConsortiumFactory,
    PersonFactory,
    PersonRoleFactory,
    PracticeFactory,
    UserFactory,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def consortium_url(slug: str) -> str:
    return reverse("consortia:consortium", kwargs={"slug": slug})


def commissioner_url(slug: str) -> str:
    return reverse("consortia:commissioner", kwargs={"slug": slug})


def signed_in(client, email: str):
    client.force_login(User.objects.get(email=email))
    return client


@pytest.fixture
def demo():
    load_organisations()


def test_west_hertfordshire_lead_gets_404_for_the_daccom_pages(client, demo):
    signed_in(client, "lead.west-herts-pct@example.org")

    assert client.get(consortium_url("daccom")).status_code == 404
    assert client.get(commissioner_url("dacorum-pct")).status_code == 404
    assert client.get(consortium_url("red-house")).status_code == 200


def test_daccom_editor_gets_404_for_the_red_house_pages(client, demo):
    signed_in(client, "editor.daccom@example.org")

    assert client.get(consortium_url("red-house")).status_code == 404
    assert client.get(commissioner_url("west-herts-pct")).status_code == 404
    assert client.get(consortium_url("daccom")).status_code == 200


def test_an_unknown_consortium_answers_404_like_one_outside_your_scope(client, demo):
    signed_in(client, "editor.daccom@example.org")

    assert client.get(consortium_url("no-such-consortium")).status_code == 404


def test_organisation_pages_need_a_signed_in_user(client, demo):
    response = client.get(consortium_url("daccom"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_daccom_page_shows_its_19_practices_and_declared_150000(client, demo):
    page = signed_in(client, "editor.daccom@example.org").get(consortium_url("daccom"))

    assert len(page.context["page"].practices) == 19
    html = page.content.decode()
    assert "DacCom PbC Limited" in html
    assert "Dacorum PCT" in html
    assert "Boxwell Road Surgery" in html and "Rothschild House Surgery" in html
    assert "150,000" in html
    # The demo's invented list sizes add up to the declared population (decision 0438).
    assert "have a list size" not in html and "The population figures differ" not in html


def test_daccom_page_lists_directors_executive_with_chair_and_leads(client, demo):
    page = signed_in(client, "editor.daccom@example.org").get(consortium_url("daccom"))
    content = page.context["page"]

    assert [(row.name, row.detail) for row in content.directors] == [
        ("Mr Mark Jones", "Company Secretary"),
        ("Dr Mary McMinn", "Finance"),
    ]
    assert [row.name for row in content.executive if row.is_chair] == ["Mr Mark Jones"]
    assert content.executive[0].name == "Dr Gerry Bulger"
    assert ("Dr Corina Ciobanu", "COPD / Heart Failure") in [
        (row.name, row.detail) for row in content.clinical_leads
    ]
    assert [row.name for row in content.managerial_leads] == ["Mr Mark Jones", "Dr Mary McMinn"]
    assert "Chair</strong>" in page.content.decode()


def test_red_house_page_shows_the_computed_sum_matching_its_declared_population(client, demo):
    page = signed_in(client, "lead.west-herts-pct@example.org").get(consortium_url("red-house"))

    population = page.context["page"].population
    assert population.computed == 18_600
    assert population.difference is None
    assert "The population figures differ" not in page.content.decode()


def test_a_declared_population_that_differs_from_the_list_sizes_is_flagged(client):
    consortium = ConsortiumFactory(declared_population=10_000)
    PracticeFactory(consortium=consortium, list_size=6_000)
    PracticeFactory(consortium=consortium, list_size=3_500)
    client.force_login(UserFactory(consortium=consortium))

    html = client.get(consortium_url(consortium.slug)).content.decode()

    assert "The population figures differ" in html
    assert "add up to 9,500, 500 fewer than the declared 10,000" in html


def test_pct_page_lists_its_consortia_with_counts_and_population_and_its_support_team(client, demo):
    page = signed_in(client, "lead.dacorum-pct@example.org").get(commissioner_url("dacorum-pct"))

    content = page.context["page"]
    assert [(row.name, row.practice_count, row.population) for row in content.consortia] == [
        ("DacCom", 19, "150,000")
    ]
    assert [(row.name, row.detail) for row in content.support_team] == [
        ("John Phipps", "Lead the PCT Team"),
        ("Lynn Dalton", "Unscheduled Care Support"),
        ("TBC", "Scheduled Care Support"),
        ("Pat Potts", "Data and Information Support"),
    ]
    assert "PCT support team" in page.content.decode()


def test_pages_use_the_configured_word_for_the_commissioner(client, demo, settings):
    settings.COMMISSIONER_WORD = "ICB"
    signed_in(client, "lead.dacorum-pct@example.org")

    pct_page = client.get(commissioner_url("dacorum-pct")).content.decode()
    consortium_page = client.get(consortium_url("daccom")).content.decode()

    assert "ICB support team" in pct_page
    assert "Your ICB" in pct_page
    assert '<dt class="nhsuk-summary-list__key">ICB</dt>' in consortium_page


def test_navigation_links_consortium_people_to_their_consortium(client, demo):
    html = signed_in(client, "editor.daccom@example.org").get(reverse("home")).content.decode()

    assert f'href="{consortium_url("daccom")}">Your consortium</a>' in html
    assert "Your PCT" not in html


def test_navigation_links_pct_people_to_their_pct(client, demo):
    html = signed_in(client, "chief-executive.dacorum-pct@example.org").get(reverse("home"))

    assert f'href="{commissioner_url("dacorum-pct")}">Your PCT</a>' in html.content.decode()


def test_consortium_page_links_the_pct_only_for_those_who_may_see_it(client, demo):
    editor = signed_in(client, "editor.daccom@example.org").get(consortium_url("daccom"))
    lead = signed_in(client, "lead.dacorum-pct@example.org").get(consortium_url("daccom"))

    assert editor.context["page"].commissioner_url == ""
    assert lead.context["page"].commissioner_url == commissioner_url("dacorum-pct")


def _fill(consortium: Consortium, *, practices: int, people: int) -> None:
    for _ in range(practices):
        PracticeFactory(consortium=consortium)
    for number in range(people):
        person = PersonFactory(consortium=consortium)
        PersonRoleFactory(
            person=person, kind=PersonRole.Kind.CLINICAL_LEAD, detail=f"Area {number}"
        )
        PersonRoleFactory(person=person, kind=PersonRole.Kind.EXECUTIVE_MEMBER, detail="GP")


def _queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# Session, user, the header's link to your organisation, the organisation, its two lists, and its
# positions with their holders.
PAGE_QUERY_BUDGET = 8


def test_consortium_page_queries_do_not_grow_with_practices_and_people(
    client, django_assert_max_num_queries
):
    small, large = ConsortiumFactory(), ConsortiumFactory()
    _fill(small, practices=3, people=3)
    _fill(large, practices=60, people=60)

    client.force_login(UserFactory(consortium=small))
    with django_assert_max_num_queries(PAGE_QUERY_BUDGET):
        small_count = _queries_for(client, consortium_url(small.slug))
    client.force_login(UserFactory(consortium=large))
    with django_assert_max_num_queries(PAGE_QUERY_BUDGET):
        large_count = _queries_for(client, consortium_url(large.slug))

    assert small_count == large_count


def test_pct_page_queries_do_not_grow_with_consortia_and_staff(
    client, django_assert_max_num_queries
):
    lead = UserFactory(role=User.Role.PCT_LEAD)
    consortium = ConsortiumFactory(commissioner=lead.commissioner)
    _fill(consortium, practices=3, people=0)
    url = commissioner_url(lead.commissioner.slug)
    client.force_login(lead)
    small_count = _queries_for(client, url)

    for _ in range(20):
        _fill(ConsortiumFactory(commissioner=lead.commissioner), practices=3, people=0)
        staff = PersonFactory(consortium=None, commissioner=lead.commissioner)
        PersonRoleFactory(person=staff, kind=PersonRole.Kind.PCT_SUPPORT, detail="Support")

    with django_assert_max_num_queries(PAGE_QUERY_BUDGET):
        assert _queries_for(client, url) == small_count
