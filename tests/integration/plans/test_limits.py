"""Each main page at the product's own limits (tests/limits.py: 150 questions, 5,000 targets,
100,000 revisions) keeps to a fixed number of queries; benchmarks/profile_pages.py --limits
prints their times."""

import pytest

from tests.limits import at_the_limits
from tests.plan_factories import demo_daccom_plan
from tests.queries import page_queries

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

#: Generous: today's pages cost 6 to 20 queries; a page whose queries grow with its questions,
#: targets or revisions passes this at once.
PAGE_QUERY_BUDGET = 40


def test_each_main_page_keeps_to_its_query_budget_at_the_limits(client):
    limits = at_the_limits(demo_daccom_plan())
    counts = {}
    for name, (reader, url) in limits.pages().items():
        client.force_login(reader)
        counts[name] = page_queries(client, url)

    assert all(count <= PAGE_QUERY_BUDGET for count in counts.values()), counts
