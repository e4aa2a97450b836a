import pytest
from django.core.cache import cache
from django.db import connection

from tests import services
from tests.two_factor import SecondFactorClient


@pytest.fixture
def client():
    """Django's test client; its force_login also completes the second factor where the
    user's role requires one."""
    return SecondFactorClient()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and once-per-lockout marks start afresh in each test."""
    cache.clear()
    yield
    cache.clear()


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


@pytest.fixture(autouse=True, scope="session")
def _seal_certificate():
    """A development seal key and certificate for the run, in the folder pbc.settings.test
    names; removed at the end when this run made the folder."""
    import os
    import shutil

    from signoff import seal

    if not (seal.key_path().is_file() and seal.certificate_path().is_file()):
        seal.make_development_certificate(
            key_file=seal.key_path(), certificate_file=seal.certificate_path(), force=True
        )
    yield
    if os.environ.get("PBC_TEST_SEAL_DIR_OWNER") == str(os.getpid()):
        shutil.rmtree(os.environ["PBC_TEST_SEAL_DIR"], ignore_errors=True)
