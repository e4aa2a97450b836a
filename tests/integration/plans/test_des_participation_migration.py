"""plans 0013 gives DacCom's stored DES questions ``participation: confirmed``, as its definition
files now say, so a stored copy matches its file again (re-importing it changes nothing) and its
practices' table keeps printing; reversed, the parameter goes (docs/decisions/0329)."""

import importlib

import pytest
from django.apps import apps

from plans import template_files
from plans.models import TemplateQuestion
from tests.factories import CommissionerFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module("plans.migrations.0013_des_funding_asks_participation")
FILE = template_files.DEFINITIONS_DIR / "daccom-locality-plan-2006.yaml"


def des_parameters(template) -> dict:
    return TemplateQuestion.objects.get(template=template, kind="des_funding").parameters


def test_daccoms_stored_des_question_is_told_it_pays_confirmed_practices_and_back():
    CommissionerFactory(slug="dacorum-pct")
    template = template_files.load_file(FILE)
    question = TemplateQuestion.objects.get(template=template, kind="des_funding")
    before = {k: v for k, v in question.parameters.items() if k != "participation"}
    TemplateQuestion.objects.filter(pk=question.pk).update(parameters=before)

    migration.forwards(apps, None)
    assert des_parameters(template) == before | {"participation": "confirmed"}
    assert template_files.preview_file(FILE).outcome is template_files.Outcome.UNCHANGED

    migration.backwards(apps, None)
    assert des_parameters(template) == before
