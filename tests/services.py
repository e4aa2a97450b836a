"""Which outside services this machine has, and how a test that needs one reacts to its absence.

Outside CI a missing service skips the test with the reason in the summary; with CI=true the
same absence is a failure, because CI must prove the product on the real components.
"""

import hashlib
import os
import shutil
import socket
import tempfile
from functools import cache
from pathlib import Path

import pytest
from filelock import FileLock

CHROMIUM = Path(os.environ.get("PBC_CHROMIUM", "/usr/bin/chromium"))
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(available: bool, reason: str) -> None:
    if available:
        return
    if in_ci():
        pytest.fail(f"CI needs this service: {reason}", pytrace=False)
    pytest.skip(reason)


@cache
def redis_available() -> bool:
    from urllib.parse import urlparse

    parsed = urlparse(REDIS_URL)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def chromium_available() -> bool:
    return CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is not None


# Held while a test uses the Redis database of TEST_REDIS_URL as its Celery queue
# (tests/worker.py flushes it and starts workers on it): by one test at a time, across xdist
# workers and runs side by side on the machine.
REDIS_QUEUE_LOCK = FileLock(
    Path(tempfile.gettempdir())
    / f"pbc-test-redis-{hashlib.sha256(REDIS_URL.encode()).hexdigest()[:16]}.lock"
)


def one_redis_cache(prefix: str):
    """Settings under which every client shares one Redis cache, as production's web processes
    do (pbc/settings/production.py): two clients stand in for two processes."""
    from django.test import override_settings

    return override_settings(
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": prefix,
            }
        }
    )


def save_as_json(client, plan, question_key: str, text: str, *, base_version: int = 0):
    """``client`` saves an answer's text as the answer form's script does (JSON back)."""
    from django.urls import reverse

    return client.post(
        reverse("answer_edit", args=[plan.pk, question_key]),
        {f"q-{question_key}-base_version": base_version, f"q-{question_key}-text": text},
        HTTP_ACCEPT="application/json",
    )


def snapshots_taken(monkeypatch, where) -> list[bool]:
    """Each time the code at ``where`` (a module, or its dotted path) enters
    ``plans.consistent_reads``, whether a transaction was already open: one entry a snapshot."""
    from django.db import connection

    from plans.consistent_reads import consistent_reads

    taken: list[bool] = []

    def counted():
        taken.append(connection.in_atomic_block)
        return consistent_reads()

    if isinstance(where, str):
        monkeypatch.setattr(f"{where}.consistent_reads", counted)
    else:
        monkeypatch.setattr(where, "consistent_reads", counted)
    return taken
