"""Whatever is typed into a return or the open form, the answer is a page, never a 5xx; text
comes back escaped, and nothing is cut or changed silently."""

import pytest
from django.urls import reverse

from monitoring.models import MonitoringReturn, ReturnLine
from tests.monitoring_factories import editor_of, lead_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

PAYLOADS = [
    "<script>alert(1)</script>",
    "\x00",
    "9" * 400,
    "1e999999",
    "-0",
    "0.001",
    "£",
    "x" * 10_001,
    "2006-02-30",
    "' OR 1=1 --",
    "",
]


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_any_text_in_any_field_of_a_return_gets_a_page_not_a_server_error(
    client, signed_daccom, payload
):
    plan = signed_daccom
    client.force_login(lead_of(plan))
    opened = client.post(
        reverse("monitoring:plan", args=[plan.pk]),
        {"label": payload or "Q1", "period_end": payload, "due_on": "2006-07-31"},
    )
    assert opened.status_code < 500
    item = MonitoringReturn.objects.filter(plan=plan).first()
    if item is None:
        client.post(
            reverse("monitoring:plan", args=[plan.pk]),
            {"label": "Q1", "period_end": "2006-06-30", "due_on": "2006-07-31"},
        )
        item = MonitoringReturn.objects.get(plan=plan)
    client.force_login(editor_of(plan))
    url = reverse("monitoring:return", args=[item.pk])
    fields = {"action": "save", "base_version": item.version, "commentary": payload}
    for line in item.lines.all():
        for name in ("actual", "forecast", "note", "status", "done_on"):
            fields[f"line-{line.pk}-{name}"] = payload
    response = client.post(url, fields)

    assert response.status_code in (302, 400), response.status_code
    page = client.get(url).content.decode()
    assert "<script>alert(1)</script>" not in page
    if response.status_code == 302:
        # Accepted only when every field is acceptable as typed: then stored exactly.
        item.refresh_from_db()
        assert item.commentary == payload.strip()
        assert not item.lines.filter(kind=ReturnLine.Kind.TARGET).exclude(actual_to_date=None)
