import pytest

from consortia.demo import load_organisations
from consortia.models import Commissioner, Consortium, Person, PersonRole, Practice, User

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

MODELS = (Commissioner, Consortium, Practice, Person, PersonRole, User)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_demo_data_loads_twice_without_duplicates():
    load_organisations()
    first = counts()

    load_organisations()

    assert counts() == first
    assert first["Commissioner"] == 3
    assert first["Consortium"] == 3


def test_demo_data_has_daccom_with_19_practices_and_150000_declared():
    load_organisations()

    daccom = Consortium.objects.get(slug="daccom")
    assert daccom.practices.count() == 19
    assert daccom.declared_population == 150_000
    assert daccom.commissioner.name == "Dacorum PCT"


def test_demo_data_has_one_log_in_per_access_role_per_organisation():
    logins = load_organisations()

    emails = [login.email for login in logins]
    assert len(emails) == len(set(emails))
    assert "editor.daccom@example.org" in emails
    assert "lead.west-herts-pct@example.org" in emails
    assert {login.role for login in logins} == {role.label for role in User.Role}
