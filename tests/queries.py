"""Counting the SQL a page costs, for the query-budget tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, url: str) -> int:
    """How many queries ``client`` getting ``url`` runs; the page must answer 200."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def post_queries(client, url: str, data: dict, **extra) -> int:
    """How many queries ``client`` posting ``data`` to ``url`` runs; it must answer 200."""
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data, **extra)
        assert response.status_code == 200, response.content[:300]
    return len(captured)
