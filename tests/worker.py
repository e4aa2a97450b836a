"""A real Celery worker in its own process, on Redis, against the test database."""

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

from pbc.celery import app
from tests import services

ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


@contextlib.contextmanager
def broker_for_this_process():
    """Send this process's tasks to Redis instead of running them eagerly."""
    assert app.conf.broker_url == services.REDIS_URL, "pbc.settings.test names the broker"
    assert services.REDIS_QUEUE_LOCK.is_locked, (
        "Mark the test `redis`: tests/conftest.py then gives it the Redis queue to itself"
    )
    app.conf.task_always_eager = False
    try:
        with app.connection_for_write() as conn, conn.channel() as channel:
            channel.client.flushdb()
        yield app
    finally:
        app.conf.task_always_eager = True


@contextlib.contextmanager
def celery_worker(*, extra_env: dict[str, str] | None = None, name: str = "test"):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pbc.settings.base",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": services.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        **(extra_env or {}),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "pbc",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            f"--hostname={name}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"The Celery worker did not start:\n{process.stdout.read()}")
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(predicate, *, timeout: float = 60, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout}s waiting for {predicate.__doc__ or predicate}")


# What Django's console and file email backends write after each email.
EMAIL_END = "\n" + "-" * 79


def emails_written(outbox: Path) -> list[str]:
    """The emails the worker has finished writing into ``outbox`` (its DJANGO_EMAIL_FILE_PATH),
    as text. Django's file backend writes one a file and ends it with a line of dashes: a file
    without that line yet is still being written, and read now it would be half an email."""
    texts = (path.read_text() for path in outbox.iterdir())
    return [text.split(EMAIL_END)[0] for text in texts if EMAIL_END in text]


def email_written(outbox: Path) -> str:
    """The one email the worker writes into ``outbox``, as text."""

    def an_email_was_written():
        """the worker to write the email"""
        return emails_written(outbox)

    (email,) = wait_for(an_email_was_written)
    return email
