"""Tests: PostgreSQL when one answers (always under CI), otherwise SQLite."""

import os
import secrets
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env


def _postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pbc")
    if url.startswith("sqlite"):
        return None
    import psycopg2

    parsed = env.db_url_config(url)
    try:
        psycopg2.connect(
            dbname="postgres",
            user=parsed["USER"],
            password=parsed["PASSWORD"],
            host=parsed["HOST"],
            port=parsed["PORT"] or 5432,
            connect_timeout=2,
        ).close()
    except psycopg2.OperationalError:
        return None
    return url


_url = _postgres_url()
DATABASES = {
    "default": env.db_url_config(_url)
    if _url
    else {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
}

if _url:
    # One test database per run, so runs side by side on one server do not collide.
    DATABASES["default"]["TEST"] = {"NAME": f"test_pbc_{os.getpid()}"}
    # Django's PostgreSQL, emptying the tables after a committing test faster (see there).
    DATABASES["default"]["ENGINE"] = "tests.postgresql"
    # A commit does not wait for its write-ahead log to reach the disk: a test database is
    # never recovered after a crash, and the tests that commit (browser journeys, real workers)
    # ran a tenth faster so.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
CELERY_TASK_ALWAYS_EAGER = True
# Tasks run eagerly unless a test hands them to a real worker (tests/worker.py), which then
# finds this broker already configured.
CELERY_BROKER_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
LOGGING = {"version": 1, "disable_existing_loggers": False}

# Signed PDFs are sealed with a development certificate made once per test run, in a folder of
# the run's own (tests/conftest.py makes it); a Celery worker the tests start inherits the paths.
if "PBC_TEST_SEAL_DIR" not in os.environ:
    os.environ["PBC_TEST_SEAL_DIR"] = os.path.join(
        tempfile.gettempdir(), f"pbc-test-seal-{os.getpid()}-{secrets.token_hex(4)}"
    )
    os.environ["PBC_TEST_SEAL_DIR_OWNER"] = str(os.getpid())
PDF_SEAL_KEY_PATH = Path(os.environ["PBC_TEST_SEAL_DIR"]) / "key.pem"
PDF_SEAL_CERT_PATH = Path(os.environ["PBC_TEST_SEAL_DIR"]) / "certificate.pem"
PDF_SEAL_KEY_PASSPHRASE = ""
os.environ["PDF_SEAL_KEY_PATH"] = str(PDF_SEAL_KEY_PATH)
os.environ["PDF_SEAL_CERT_PATH"] = str(PDF_SEAL_CERT_PATH)
