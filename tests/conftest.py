import pytest
from django.db import connection

from tests import services


@pytest.fixture(autouse=True)
def _services_for_markers(request):
    """Skip (or, under CI, fail) tests whose marked service is missing."""
    if request.node.get_closest_marker("postgres"):
        services.require(
            connection.vendor == "postgresql",
            "PostgreSQL is not reachable (set TEST_DATABASE_URL or start it on 127.0.0.1:5432)",
        )
    if request.node.get_closest_marker("redis"):
        services.require(
            services.redis_available(), f"Redis is not reachable at {services.REDIS_URL}"
        )
    if request.node.get_closest_marker("browser"):
        services.require(
            services.chromium_available(), f"Chromium is not installed at {services.CHROMIUM}"
        )
