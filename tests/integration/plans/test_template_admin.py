import html
from io import StringIO

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from consortia.models import User
from plans import template_files
from plans.models import PlanTemplate
from plans.pending_imports import PENDING_IMPORT
from tests.factories import CommissionerFactory, UserFactory
from tests.malformed_definitions import (
    ISSUER,
    cases,
    lettered_definition,
    published_with_a_plan,
)
from tests.plan_factories import plan_with_questions, template_definition

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
MALFORMED = [pytest.param(case, id=case.id) for case in cases()]


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(role=User.Role.SITE_ADMIN))
    return client


def upload(admin_client, data, name="new-form.yaml"):
    content = yaml.safe_dump(data).encode() if isinstance(data, dict) else data
    return admin_client.post(
        reverse("admin:plans_plantemplate_import"), {"file": SimpleUploadedFile(name, content)}
    )


def confirm(admin_client, button="import", token=None):
    token = token or admin_client.session[PENDING_IMPORT]["token"]
    return admin_client.post(
        reverse("admin:plans_plantemplate_import_confirm"), {"token": token, button: "1"}
    )


def page_text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def uploaded(admin_client):
    """The lettered definition uploaded by the site administrator, waiting to be confirmed."""
    CommissionerFactory(slug=ISSUER)
    return upload(admin_client, lettered_definition())


def test_an_upload_shows_what_it_will_create_and_stores_nothing_until_confirmed(admin_client):
    CommissionerFactory(slug=ISSUER)

    preview = upload(admin_client, lettered_definition(), name="whatever it is called.yaml")

    shown = page_text(preview)
    assert preview.status_code == 200
    assert (
        "Importing this file creates Test commissioning plan [v5], slug 'northbrook-plan-v5'"
        in (shown)
    )
    assert "<td>B</td><td>Part two</td><td>3</td>" in shown
    assert '<th scope="row">Table</th><td>1</td>' in shown
    assert '<th scope="row">Chair</th><td>consortium Executive Chair, step 1</td>' in shown
    assert not PlanTemplate.objects.exists()

    response = confirm(admin_client)

    template = PlanTemplate.objects.get(slug="northbrook-plan-v5")
    assert response.status_code == 302
    assert response.url == reverse("admin:plans_plantemplate_change", args=[template.pk])
    assert template.questions.count() == 6
    assert PENDING_IMPORT not in admin_client.session


def test_the_preview_names_the_issuing_pct_and_the_result_keeps_the_file_name_as_typed(
    admin_client,
):
    CommissionerFactory(slug=ISSUER, name="Northbrook PCT")

    preview = upload(admin_client, lettered_definition(), name="riverside-v2.yaml")
    done = admin_client.get(confirm(admin_client).url)

    assert '<th scope="row">Issued by</th><td>Northbrook PCT</td>' in page_text(preview)
    assert "From riverside-v2.yaml: created Test commissioning plan [v5]." in page_text(done)
    assert "Riverside-v2.yaml" not in page_text(done)


def test_cancelling_a_preview_stores_nothing_and_forgets_the_upload(admin_client, uploaded):

    response = confirm(admin_client, button="cancel")

    assert response.status_code == 302
    assert not PlanTemplate.objects.exists()
    assert PENDING_IMPORT not in admin_client.session


def test_a_stale_preview_cannot_be_imported(admin_client, uploaded):

    response = confirm(admin_client, token="forged")

    assert response.status_code == 302
    assert response.url == reverse("admin:plans_plantemplate_import")
    assert not PlanTemplate.objects.exists()


def test_confirming_checks_the_file_again_against_what_was_stored_since(admin_client, uploaded):
    template_files.store({**lettered_definition(), "slug": "imported-meanwhile"})

    response = confirm(admin_client)

    assert response.status_code == 200
    assert "already has version 'v5' as template 'imported-meanwhile'" in page_text(response)
    assert not PlanTemplate.objects.filter(slug="northbrook-plan-v5").exists()


def test_an_unchanged_published_version_previews_as_nothing_to_do(admin_client):
    published_with_a_plan()

    preview = upload(admin_client, lettered_definition())

    shown = page_text(preview)
    assert "is already imported as this file says: importing it changes nothing" in shown
    assert 'value="Import"' not in shown
    assert PlanTemplate.objects.count() == 1


def test_a_bad_file_is_refused_whole_listing_every_problem(admin_client):
    pct = CommissionerFactory()
    data = template_definition(issuer=pct.slug)
    data["parts"][0]["questions"][0]["kind"] = "spreadsheet"
    del data["parts"][1]["title"]

    page = page_text(upload(admin_client, data))

    assert "The file was refused" in page
    assert "Part 1, question 1.1: unknown kind 'spreadsheet'; the kinds are: rich_text" in page
    assert "Part 2: 'title' is missing" in page
    assert not PlanTemplate.objects.exists()


def test_a_file_far_over_the_limit_is_refused_unread_on_the_form_like_one_just_over(
    admin_client,
):
    CommissionerFactory(slug=ISSUER)
    url = reverse("admin:plans_plantemplate_import")

    just_over = admin_client.post(
        url, {"file": SimpleUploadedFile("big.yaml", b"# padding\n" * 210_000)}
    )
    far_over = admin_client.post(
        url,
        {"file": SimpleUploadedFile("huge.yaml", b"slug: x\n")},
        CONTENT_LENGTH=str(10 * 1024 * 1024),
    )

    assert just_over.status_code == far_over.status_code == 200
    assert "File: is 2.1 MB; a definition file may be at most 1.0 MB" in page_text(just_over)
    for response in (just_over, far_over):
        assert "The file was refused" in page_text(response)
        assert '<input type="file" name="file"' in page_text(response)
    assert "File: is 10.5 MB; a definition file may be at most 1.0 MB" in page_text(far_over)
    assert not PlanTemplate.objects.exists()
    assert PENDING_IMPORT not in admin_client.session


def stored_templates() -> list:
    return list(PlanTemplate.objects.values_list("slug", "name"))


def stored_before(case) -> list:
    """The issuer, and a published template with a plan where ``case`` needs one: the templates
    stored before the malformed file comes."""
    CommissionerFactory(slug=ISSUER)
    if case.published_first:
        published_with_a_plan()
    return stored_templates()


@pytest.mark.parametrize("case", MALFORMED)
def test_the_admin_refuses_each_malformed_file_with_a_located_message(admin_client, case):
    stored = stored_before(case)

    response = admin_client.post(
        reverse("admin:plans_plantemplate_import"),
        {"file": SimpleUploadedFile(case.file_name, case.content)},
    )

    assert response.status_code == 200
    assert "The file was refused" in page_text(response)
    assert case.message in page_text(response)
    assert stored_templates() == stored
    assert PENDING_IMPORT not in admin_client.session


@pytest.mark.parametrize("case", MALFORMED)
def test_load_templates_refuses_each_malformed_file_with_the_same_message(tmp_path, case):
    stored = stored_before(case)
    path = tmp_path / case.file_name
    path.write_bytes(case.content)
    errors = StringIO()

    with pytest.raises(CommandError):
        call_command("load_templates", str(path), stderr=errors)

    assert f"{path}: refused" in errors.getvalue()
    assert case.message in errors.getvalue(), errors.getvalue()
    assert stored_templates() == stored


def test_export_downloads_the_definition_and_copy_makes_a_new_draft(admin_client):
    pct = CommissionerFactory()
    template = template_files.store(template_definition(issuer=pct.slug))
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


def test_a_copy_that_cannot_be_made_is_reported_not_raised(admin_client):
    pct = CommissionerFactory()
    definition = template_definition(issuer=pct.slug)
    template = template_files.store({**definition, "version_label": "v" * 90})
    changelist = reverse("admin:plans_plantemplate_changelist")

    response = admin_client.post(
        changelist,
        {"action": "copy_as_new_draft", "_selected_action": [template.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "'version_label' is 103 characters long; at most 100 fit" in page_text(response)
    assert PlanTemplate.objects.count() == 1


def test_people_who_are_not_administrators_cannot_reach_template_admin(client):
    client.force_login(UserFactory(role=User.Role.PCT_LEAD))

    for name in ("admin:plans_plantemplate_import", "admin:plans_plantemplate_import_confirm"):
        assert client.get(reverse(name)).status_code == 302


def test_load_templates_loads_the_seed_forms_again_and_again_and_refuses_bad_files(tmp_path):
    for slug in ("dacorum-pct", "west-herts-pct", "banes-pct"):
        CommissionerFactory(slug=slug)
    call_command("load_templates")
    again = StringIO()
    call_command("load_templates", stdout=again)

    assert PlanTemplate.objects.count() == 4
    assert again.getvalue().count("nothing changed") == 4
    bad = tmp_path / "bad.yaml"
    bad.write_text("family: x\nparts: []\n")
    with pytest.raises(CommandError):
        call_command("load_templates", str(bad), stderr=StringIO())


def test_administrators_can_read_plans_and_answers_in_the_admin(admin_client):
    plan = plan_with_questions(questions=10)
    answer = plan.answers.first()

    for url in (
        reverse("admin:plans_plan_changelist"),
        reverse("admin:plans_answer_changelist"),
        reverse("admin:plans_answer_change", args=[answer.pk]),
    ):
        assert admin_client.get(url).status_code == 200
