from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_load_demo_names_the_log_ins_and_claims_no_address_it_cannot_know():
    out = StringIO()

    call_command("load_demo", allow_production=True, stdout=out)

    printed = out.getvalue()
    assert "http://" not in printed
    assert "8000" not in printed
    assert "at the address your server prints when it starts" in printed
    assert "editor.daccom@example.org" in printed
    assert "admin@example.org" in printed


def test_the_demo_plans_written_tables_are_done_not_still_the_consortiums_records():
    """The demo writes DacCom's tables (directors, practices ...) as its consortium saved them:
    they read as completed, not as rows only filled in from the records (decision 0494)."""
    from plans.models import Answer
    from tests.plan_factories import demo_daccom_plan

    plan = demo_daccom_plan()

    written = Answer.objects.filter(plan=plan, version__gt=0)
    assert written.filter(question__key="directors").exists()
    assert list(written.filter(prefilled=True).values_list("question__key", flat=True)) == []
