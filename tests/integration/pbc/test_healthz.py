import pytest
from django.urls import reverse

from pbc import health

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_healthz_reports_database_and_eager_tasks_in_the_embedded_default(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {
        "healthy": True,
        "database": "ok",
        "broker": "eager",
        "worker": "eager",
    }


def test_healthz_answers_503_when_the_broker_cannot_be_reached(client, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(health, "broker_status", lambda: health.UNREACHABLE)
    monkeypatch.setattr(health, "worker_status", lambda: health.UNREACHABLE)

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["broker"] == "unreachable"
