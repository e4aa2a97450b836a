import os
import shutil

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


# Hang guards on top of the default in pyproject.toml (timeout, 180 s): a browser journey or a
# real Celery worker may legitimately take longer, a hang of any test still fails with its name.
BROWSER_TIMEOUT_SECONDS = 300
REAL_WORKER_TIMEOUT_SECONDS = 600


def pytest_configure(config):
    """Makes the run's development seal key and certificate once, in the controlling process;
    xdist workers (and any Celery worker a test starts) inherit its paths from the environment
    pbc.settings.test set up."""
    if hasattr(config, "workerinput"):
        return
    from signoff import seal

    if not (seal.key_path().is_file() and seal.certificate_path().is_file()):
        seal.make_development_certificate(
            key_file=seal.key_path(), certificate_file=seal.certificate_path(), force=True
        )


def pytest_unconfigure(config):
    """Removes the seal folder when this process made it (see pbc.settings.test)."""
    if os.environ.get("PBC_TEST_SEAL_DIR_OWNER") == str(os.getpid()):
        shutil.rmtree(os.environ["PBC_TEST_SEAL_DIR"], ignore_errors=True)


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("timeout"):
            continue
        if item.get_closest_marker("redis"):
            item.add_marker(pytest.mark.timeout(REAL_WORKER_TIMEOUT_SECONDS))
        elif item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.timeout(BROWSER_TIMEOUT_SECONDS))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    """Tests that start a real Celery worker take turns on the run's one Redis queue, across
    xdist workers and runs side by side. The lock is taken outside pytest-timeout's timer: the
    wait is bounded by the holder's own timeout and does not count against the waiting test."""
    if not item.get_closest_marker("redis"):
        return (yield)
    with services.REDIS_QUEUE_LOCK:
        return (yield)
