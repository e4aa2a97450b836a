import pytest
from django.urls import reverse

from tests import services
from tests.factories import UserFactory
from tests.worker import broker_for_this_process, celery_worker, email_written

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def outbox(django_db_setup, tmp_path_factory):
    """The folder the emails of one real worker on Redis are written to; the module's tests
    share the worker (it starts after the test database exists, and it holds the Redis queue
    until the last of them has run, as tests/conftest.py holds it for each test)."""
    folder = tmp_path_factory.mktemp("mail")
    with (
        services.REDIS_QUEUE_LOCK,
        broker_for_this_process(),
        celery_worker(extra_env={"DJANGO_EMAIL_FILE_PATH": str(folder)}),
    ):
        yield folder


def test_a_real_worker_on_redis_sends_the_password_reset_email(client, outbox):
    user = UserFactory(email="reset.me@example.org")

    response = client.post(reverse("password_reset"), {"email": user.email})
    message = email_written(outbox)

    assert response.status_code == 302
    assert "To: reset.me@example.org" in message
    assert "Reset your PBC Plans password" in message
    assert "/password-reset/" in message


def test_healthz_sees_the_broker_and_a_worker(client, settings, outbox):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    body = client.get(reverse("healthz")).json()

    assert body == {"healthy": True, "database": "ok", "broker": "ok", "worker": "ok"}
