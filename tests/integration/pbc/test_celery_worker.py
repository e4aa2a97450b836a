import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.worker import broker_for_this_process, celery_worker, email_written

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_on_redis_sends_the_password_reset_email(client, tmp_path):
    user = UserFactory(email="reset.me@example.org")
    outbox = tmp_path / "mail"
    outbox.mkdir()

    with (
        broker_for_this_process(),
        celery_worker(extra_env={"DJANGO_EMAIL_FILE_PATH": str(outbox)}),
    ):
        response = client.post(reverse("password_reset"), {"email": user.email})
        message = email_written(outbox)

    assert response.status_code == 302
    assert "To: reset.me@example.org" in message
    assert "Reset your PBC Plans password" in message
    assert "/password-reset/" in message


def test_healthz_sees_the_broker_and_a_worker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with broker_for_this_process(), celery_worker():
        body = client.get(reverse("healthz")).json()

    assert body == {"healthy": True, "database": "ok", "broker": "ok", "worker": "ok"}
