import copy

import pytest

from plans import template_files
from plans.models import PlanTemplate, TemplateQuestion
from tests.factories import CommissionerFactory
from tests.plan_factories import template_definition

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_pcts():
    for slug in ("dacorum-pct", "west-herts-pct", "banes-pct"):
        CommissionerFactory(slug=slug)


def test_all_four_seed_forms_load(demo_pcts):
    templates = {template.slug: template for template in template_files.load_all()}

    assert set(templates) == {
        "daccom-locality-plan-v2",
        "daccom-locality-plan-2006",
        "red-house-plan",
        "banes-plan",
    }
    assert templates["daccom-locality-plan-v2"].version_label == "May 2006 Version 2.0"
    assert [s["role"] for s in templates["daccom-locality-plan-2006"].signatories] == [
        "consortium_executive_chair",
        "pec_committee_chair",
        "pct_chief_executive",
    ]


def test_later_daccom_form_renumbers_7_x_but_keeps_the_keys(demo_pcts):
    template_files.load_all()

    def numbers(slug):
        return dict(
            TemplateQuestion.objects.filter(template__slug=slug).values_list("key", "number")
        )

    old, new = numbers("daccom-locality-plan-v2"), numbers("daccom-locality-plan-2006")
    assert old["quality-of-patient-care"] == "7.1"
    assert new["quality-of-patient-care"] == "7.2"
    assert old["workforce-skills"] == "7.8"
    assert new["workforce-skills"] == "7.9"
    assert new["accountability-and-governance"] == "7.1"
    assert "accountability-and-governance" not in old


def test_banes_pathway_table_has_the_documents_columns(demo_pcts):
    template_files.load_all()

    table = TemplateQuestion.objects.get(template__slug="banes-plan", key="pathway-development")

    assert [c["key"] for c in table.columns] == [
        "area",
        "description",
        "leads",
        "progress",
        "next_steps",
    ]


def test_a_bad_definition_is_refused_whole_with_every_problem_located():
    pct = CommissionerFactory()
    data = template_definition(issuer=pct.slug)
    data["parts"][1]["questions"][0]["kind"] = "essay"
    data["parts"][1]["questions"][1]["key"] = "question-3"
    del data["parts"][0]["questions"][1]["title"]

    with pytest.raises(template_files.DefinitionError) as refusal:
        template_files.store(data, slug="broken")

    messages = [str(problem) for problem in refusal.value.problems]
    assert "parts[1].questions[0] (question-1): unknown kind 'essay'" in messages
    assert "parts[1].questions[2] (question-3): duplicate question key 'question-3'" in messages
    assert "parts[0].questions[1] (fair-shares): 'title' is missing" in messages
    assert not PlanTemplate.objects.filter(slug="broken").exists()


def test_a_published_template_is_never_rewritten_by_loading_again():
    pct = CommissionerFactory()
    data = template_definition(issuer=pct.slug)
    template = template_files.store(data, slug="form")
    changed = copy.deepcopy(data)
    changed["name"] = "Renamed"

    again = template_files.store(changed, slug="form")

    assert again.pk == template.pk
    assert PlanTemplate.objects.get(slug="form").name == "Test commissioning plan"


def test_export_gives_back_a_definition_that_loads_as_the_same_form():
    pct = CommissionerFactory()
    template = template_files.store(template_definition(issuer=pct.slug), slug="form")

    exported = template_files.export(template)
    exported["version_label"] = "copy"
    copy_template = template_files.store(exported, slug="form-copy")

    assert list(copy_template.questions.values_list("key", "number", "kind")) == list(
        template.questions.values_list("key", "number", "kind")
    )
