import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from consortia.models import User
from plans.models import PlanTemplate
from tests.factories import CommissionerFactory, UserFactory
from tests.plan_factories import plan_with_questions, template_definition

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(role=User.Role.SITE_ADMIN))
    return client


def upload(admin_client, data, name="new-form.yaml"):
    text = yaml.safe_dump(data) if isinstance(data, dict) else data
    return admin_client.post(
        reverse("admin:plans_plantemplate_import"),
        {"file": SimpleUploadedFile(name, text.encode())},
    )


def test_an_administrator_imports_a_definition_file(admin_client):
    pct = CommissionerFactory()

    response = upload(admin_client, template_definition(issuer=pct.slug))

    template = PlanTemplate.objects.get(slug="new-form")
    assert response.status_code == 302
    assert template.questions.count() == 11


def test_a_bad_file_is_refused_whole_listing_every_problem(admin_client):
    pct = CommissionerFactory()
    data = template_definition(issuer=pct.slug)
    data["parts"][0]["questions"][0]["kind"] = "spreadsheet"
    del data["parts"][1]["title"]

    page = upload(admin_client, data).content.decode()

    assert "The file was refused" in page
    assert "unknown kind &#x27;spreadsheet&#x27;" in page
    assert "parts[1] (two): &#x27;title&#x27; is missing" in page
    assert not PlanTemplate.objects.exists()


def test_a_file_that_is_not_yaml_is_refused(admin_client):
    page = upload(admin_client, "parts: [unclosed").content.decode()

    assert "is not valid YAML" in page


def test_export_downloads_the_definition_and_copy_makes_a_new_draft(admin_client):
    pct = CommissionerFactory()
    upload(admin_client, template_definition(issuer=pct.slug))
    template = PlanTemplate.objects.get()
    changelist = reverse("admin:plans_plantemplate_changelist")

    exported = admin_client.post(
        changelist, {"action": "export_definition", "_selected_action": [template.pk]}
    )
    admin_client.post(
        changelist, {"action": "copy_as_new_draft", "_selected_action": [template.pk]}
    )

    assert yaml.safe_load(exported.content)["parts"][0]["questions"][0]["key"] == "practices"
    draft = PlanTemplate.objects.get(status=PlanTemplate.Status.DRAFT)
    assert draft.family == template.family
    assert draft.questions.count() == template.questions.count()


def test_people_who_are_not_administrators_cannot_reach_template_admin(client):
    client.force_login(UserFactory(role=User.Role.PCT_LEAD))

    response = client.get(reverse("admin:plans_plantemplate_import"))

    assert response.status_code == 302


def test_load_templates_command_loads_the_seed_forms_and_refuses_bad_files(tmp_path):
    for slug in ("dacorum-pct", "west-herts-pct", "banes-pct"):
        CommissionerFactory(slug=slug)
    call_command("load_templates")
    assert PlanTemplate.objects.count() == 4
    bad = tmp_path / "bad.yaml"
    bad.write_text("family: x\nparts: []\n")

    with pytest.raises(CommandError):
        call_command("load_templates", str(bad))


def test_administrators_can_read_plans_and_answers_in_the_admin(admin_client):
    plan = plan_with_questions(questions=10)
    answer = plan.answers.first()

    for url in (
        reverse("admin:plans_plan_changelist"),
        reverse("admin:plans_answer_changelist"),
        reverse("admin:plans_answer_change", args=[answer.pk]),
    ):
        assert admin_client.get(url).status_code == 200
