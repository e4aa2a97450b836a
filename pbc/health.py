"""What /healthz reports: can this web process reach the database, the broker and a worker?"""

from django.conf import settings
from django.db import DatabaseError, connection
from kombu.exceptions import OperationalError as BrokerError

from .celery import app

EAGER = "eager"
OK = "ok"
UNREACHABLE = "unreachable"


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return UNREACHABLE
    return OK


def broker_status() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return EAGER
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except (BrokerError, OSError):
        return UNREACHABLE
    return OK


def worker_status() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return EAGER
    try:
        replies = app.control.ping(timeout=1.0)
    except (BrokerError, OSError):
        return UNREACHABLE
    return OK if replies else UNREACHABLE


def report() -> dict[str, str]:
    return {"database": database_status(), "broker": broker_status(), "worker": worker_status()}
