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
