"""A PCT's lead loads its own plan forms on the product's pages: upload a definition file, check
what loading it will do, load it (plans/template_views.py, docs/decisions/0469)."""

import html

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consortia.models import User
from plans import template_files
from plans.models import PlanTemplate
from plans.pending_imports import PENDING_IMPORT
from tests import northbrook, riverside
from tests.factories import CommissionerFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
Role = User.Role
NORTHBROOK_FORM = northbrook.FORM.read_bytes()
NORTHBROOK_SLUG = "northbrook-pct-plan-2007"


@pytest.fixture
def pct():
    """Northbrook PCT with its consortium and people, its form not loaded."""
    return northbrook.organisation()


@pytest.fixture
def lead_client(client, pct):
    client.force_login(pct.lead)
    return client


def forms_url(commissioner) -> str:
    return reverse("pct_forms", kwargs={"slug": commissioner.slug})


def upload(client, commissioner, content: bytes, name="northbrook-2007.yaml"):
    return client.post(forms_url(commissioner), {"file": SimpleUploadedFile(name, content)})


def load(client, checked, button="load"):
    return client.post(checked.url, {button: "1"})


def text(response) -> str:
    return html.unescape(response.content.decode())


def field_error(response) -> str:
    """What the page says on the file's field."""
    return text(response).split('id="id_file-error">', 1)[1].split("</span>\n", 1)[0]


def test_a_lead_loads_their_own_pcts_form_after_seeing_what_it_will_do(lead_client, pct):
    checked = upload(lead_client, pct.pct, NORTHBROOK_FORM)

    assert checked.status_code == 302
    check_page = lead_client.get(checked.url)
    assert check_page.status_code == 200
    assert (
        "Importing this file creates Northbrook PCT Practice Based Commissioning Plan "
        "[2007/08 v1.2]" in text(check_page)
    )
    assert "Chair, Professional Executive Committee" in text(check_page)
    assert "2007/08 v1.2 (30 March 2007)" in text(check_page)
    assert not PlanTemplate.objects.exists()

    loaded = load(lead_client, checked)

    template = PlanTemplate.objects.get(slug=NORTHBROOK_SLUG)
    assert loaded.status_code == 302
    assert loaded.url == forms_url(pct.pct)
    assert template.issuer == pct.pct
    assert template.status == PlanTemplate.Status.PUBLISHED
    written = yaml.safe_load(NORTHBROOK_FORM)
    assert template.questions.count() == sum(len(part["questions"]) for part in written["parts"])
    forms_page = text(lead_client.get(loaded.url))
    assert "From northbrook-2007.yaml: created Northbrook PCT Practice Based" in forms_page
    assert f"/pcts/northbrook-pct/forms/{NORTHBROOK_SLUG}.yaml" in forms_page
    assert PENDING_IMPORT not in lead_client.session


def test_a_loaded_form_is_stored_exactly_as_its_file_says(lead_client, pct):
    load(lead_client, upload(lead_client, pct.pct, NORTHBROOK_FORM))

    again = template_files.import_preview(raw=NORTHBROOK_FORM, loaded_for=pct.pct)

    assert again.outcome == template_files.Outcome.UNCHANGED


def test_a_lead_cannot_load_a_file_issued_by_another_pct(lead_client, pct):
    CommissionerFactory(slug="riverside-pct", name="Riverside PCT")
    riverside_file = yaml.safe_dump(riverside.RETURN).encode()

    refused = upload(lead_client, pct.pct, riverside_file, name="riverside.yaml")

    assert refused.status_code == 400
    assert (
        "issuer 'riverside-pct' is not Northbrook PCT: you can load only your own PCT's forms"
        in field_error(refused)
    )
    assert '<a href="#id_file">Template: issuer' in text(refused)
    assert not PlanTemplate.objects.exists()
    assert PENDING_IMPORT not in lead_client.session


def test_a_lead_is_not_told_the_other_pcts_when_the_issuer_is_unknown(lead_client, pct):
    CommissionerFactory(slug="riverside-pct")

    refused = upload(
        lead_client, pct.pct, NORTHBROOK_FORM.replace(b"northbrook-pct\n", b"nowhere\n", 1)
    )

    assert "issuer 'nowhere' is not Northbrook PCT" in field_error(refused)
    assert "riverside-pct" not in text(refused)


@pytest.mark.parametrize("name", ["slug", "family"])
def test_a_lead_cannot_take_over_another_pcts_form_by_its_slug_or_family(lead_client, pct, name):
    CommissionerFactory(slug="riverside-pct")
    template_files.store({**riverside.RETURN, "status": "draft"})
    ours = yaml.safe_load(NORTHBROOK_FORM.decode())
    ours[name] = riverside.RETURN[name]

    refused = upload(lead_client, pct.pct, yaml.safe_dump(ours).encode())

    assert refused.status_code == 400
    assert f"{name} '{riverside.RETURN[name]}' is another PCT's form" in field_error(refused)
    assert PlanTemplate.objects.get().issuer.slug == "riverside-pct"


def test_a_published_version_stays_frozen_for_its_lead(lead_client, pct):
    load(lead_client, upload(lead_client, pct.pct, NORTHBROOK_FORM))
    changed = NORTHBROOK_FORM.replace(b"by 30 June 2007", b"by 31 July 2007")

    refused = upload(lead_client, pct.pct, changed)

    assert refused.status_code == 400
    assert "version 2007/08 v1.2 is published: give this file a new version" in field_error(refused)
    assert "return_instructions" in field_error(refused)


BAD_FILES = [
    pytest.param(b"slug: caf\xe9\n", "byte 10 (0xE9) is not UTF-8 text", id="not-utf8"),
    pytest.param(b"- just\n- a list\n", "File: must be a mapping of template fields", id="list"),
    pytest.param(
        NORTHBROOK_FORM.replace(
            b"name: Northbrook PCT Practice",
            b"name: <script>alert(1)</script>Northbrook PCT Practice",
            1,
        ),
        "Template: 'name' holds '<script>', which is HTML",
        id="script-in-title",
    ),
    pytest.param(
        b"#" * (template_files.MAX_FILE_BYTES + 1),
        "The selected file must be smaller than 1 MB",
        id="too-large",
    ),
]


@pytest.mark.parametrize(("content", "message"), BAD_FILES)
def test_a_bad_file_is_refused_on_its_field_and_nothing_is_stored(
    lead_client, pct, content, message
):
    refused = upload(lead_client, pct.pct, content)

    assert refused.status_code == 400
    assert message in field_error(refused)
    assert "<script>" not in refused.content.decode()
    assert not PlanTemplate.objects.exists()


def test_a_file_far_over_the_limit_is_refused_unread(lead_client, pct):
    refused = upload(lead_client, pct.pct, b"#" * (2 * template_files.MAX_FILE_BYTES))

    assert refused.status_code == 413
    assert "1 MB" in text(refused)
    assert not PlanTemplate.objects.exists()


def test_every_problem_of_a_file_is_listed_at_once_where_it_is(lead_client, pct):
    data = yaml.safe_load(NORTHBROOK_FORM.decode())
    data["parts"][0]["questions"][0]["kind"] = "essay"
    data["parts"][1]["questions"][0]["completed_by"] = "nobody"
    data["issuer"] = "riverside-pct"

    refused = upload(lead_client, pct.pct, yaml.safe_dump(data).encode())

    problems = field_error(refused)
    assert "issuer 'riverside-pct' is not Northbrook PCT" in problems
    assert "Part A, question A1" in problems
    assert "unknown kind 'essay'" in problems
    assert "unknown completed_by 'nobody'" in problems


def test_loading_checks_the_file_again_against_what_was_stored_since(lead_client, pct):
    checked = upload(lead_client, pct.pct, NORTHBROOK_FORM)
    template_files.store({**template_files.parse(NORTHBROOK_FORM), "slug": "meanwhile"})

    refused = load(lead_client, checked)

    assert refused.status_code == 400
    assert "already has version '2007/08 v1.2' as template 'meanwhile'" in field_error(refused)
    assert list(PlanTemplate.objects.values_list("slug", flat=True)) == ["meanwhile"]


def test_cancelling_stores_nothing_and_an_old_check_cannot_be_loaded(lead_client, pct):
    checked = upload(lead_client, pct.pct, NORTHBROOK_FORM)

    cancelled = load(lead_client, checked, button="cancel")
    again = load(lead_client, checked)

    assert cancelled.url == again.url == forms_url(pct.pct)
    assert "no longer waiting to be loaded" in text(lead_client.get(again.url))
    assert not PlanTemplate.objects.exists()


def test_a_lead_cannot_reach_another_pcts_forms(lead_client, pct):
    other = CommissionerFactory(slug="riverside-pct")
    template_files.store(riverside.RETURN)
    checked = upload(lead_client, pct.pct, NORTHBROOK_FORM)
    token = checked.url.rstrip("/").rsplit("/", 1)[1]

    assert lead_client.get(forms_url(other)).status_code == 404
    assert upload(lead_client, other, NORTHBROOK_FORM).status_code == 404
    assert (
        lead_client.post(
            reverse("pct_form_check", kwargs={"slug": other.slug, "token": token}), {"load": "1"}
        ).status_code
        == 404
    )
    download = reverse(
        "pct_form_download",
        kwargs={"slug": pct.pct.slug, "template_slug": riverside.RETURN["slug"]},
    )
    assert lead_client.get(download).status_code == 404
    assert not PlanTemplate.objects.filter(issuer=pct.pct).exists()


def someone_in(pct, role: str) -> User:
    """A person with ``role`` in the PCT's consortium, in the PCT, or in neither (the admin)."""
    if role in User.CONSORTIUM_ROLES:
        return UserFactory(role=role, consortium=pct.consortium)
    if role in User.COMMISSIONER_ROLES:
        return UserFactory(role=role, commissioner=pct.pct)
    return UserFactory(role=role)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.CONSORTIUM_EDITOR, 404),
        (Role.CONSORTIUM_EXECUTIVE_CHAIR, 404),
        (Role.PCT_OFFICER, 403),
        (Role.SITE_ADMIN, 403),
    ],
)
def test_only_the_pcts_lead_reaches_its_forms_page(client, pct, role, status):
    client.force_login(someone_in(pct, role))

    assert client.get(forms_url(pct.pct)).status_code == status
    assert upload(client, pct.pct, NORTHBROOK_FORM).status_code == status
    assert not PlanTemplate.objects.exists()


def test_the_pct_page_links_its_lead_to_loading_a_form(client, pct):
    page = reverse("consortia:commissioner", kwargs={"slug": pct.pct.slug})
    officer = UserFactory(role=Role.PCT_OFFICER, commissioner=pct.pct)

    client.force_login(pct.lead)
    as_lead = text(client.get(page))
    client.force_login(officer)
    as_officer = text(client.get(page))

    assert f'<a href="{forms_url(pct.pct)}#load">Load a new version of your form</a>' in as_lead
    assert "Load a new version of your form" not in as_officer


def test_a_lead_downloads_their_form_to_edit_into_its_next_version(lead_client, pct):
    load(lead_client, upload(lead_client, pct.pct, NORTHBROOK_FORM))
    download = reverse(
        "pct_form_download", kwargs={"slug": pct.pct.slug, "template_slug": NORTHBROOK_SLUG}
    )

    response = lead_client.get(download)
    data = yaml.safe_load(response.content)
    data.update(
        slug="northbrook-pct-plan-2008",
        version_label="2008/09 v1",
        version_date="2008-03-28",
        status="draft",
    )
    checked = upload(lead_client, pct.pct, yaml.safe_dump(data).encode(), name="2008.yaml")

    assert response["Content-Disposition"] == f'attachment; filename="{NORTHBROOK_SLUG}.yaml"'
    assert "Importing this file creates" in text(lead_client.get(checked.url))
    assert "once you load it again with 'status: published'" in text(lead_client.get(checked.url))


def test_a_new_version_dated_the_same_as_the_current_one_is_refused_before_loading(
    lead_client, pct
):
    load(lead_client, upload(lead_client, pct.pct, NORTHBROOK_FORM))
    data = yaml.safe_load(NORTHBROOK_FORM.decode())
    data.update(slug="northbrook-pct-plan-2008", version_label="2008/09 v1")

    refused = upload(lead_client, pct.pct, yaml.safe_dump(data).encode(), name="2008.yaml")

    assert refused.status_code == 400
    assert field_error(refused).endswith(
        "Template: this version is dated the same as 2007/08 v1.2 (30 March 2007): give it a "
        "later version_date so plans can move onto it"
    )
    assert list(PlanTemplate.objects.values_list("slug", flat=True)) == [NORTHBROOK_SLUG]


# --- The lead's home page offers the PCT's forms (plans.pages.home_forms, decision 0476) -------


def home_page(client, user) -> str:
    client.force_login(user)
    return text(client.get(reverse("home")))


def test_the_leads_home_page_and_header_lead_to_their_pcts_forms(client, pct):
    page = home_page(client, pct.lead)

    assert f'<a href="{forms_url(pct.pct)}">Your PCT\'s plan forms</a>' in page
    assert f'href="{forms_url(pct.pct)}">Plan forms</a>' in page
    assert "Northbrook PCT has no plan forms yet." in page


@pytest.mark.parametrize(
    "role",
    [
        Role.CONSORTIUM_EDITOR,
        Role.CONSORTIUM_EXECUTIVE_CHAIR,
        Role.PCT_OFFICER,
        Role.PEC_COMMITTEE_CHAIR,
        Role.PCT_CHIEF_EXECUTIVE,
        Role.SITE_ADMIN,
    ],
)
def test_no_one_but_the_lead_is_offered_the_forms_on_their_home_page(client, pct, role):
    page = home_page(client, someone_in(pct, role))

    assert forms_url(pct.pct) not in page
    assert "plan forms" not in page.lower()


def test_the_leads_home_page_counts_the_versions_loaded_by_status(client, pct):
    CommissionerFactory(slug="riverside-pct")
    template_files.store(riverside.RETURN)  # another PCT's form is not counted
    template_files.store(template_files.parse(NORTHBROOK_FORM))
    template_files.store(
        {
            **template_files.parse(NORTHBROOK_FORM),
            "slug": "northbrook-pct-plan-2008",
            "version_label": "2008/09 v1",
            "version_date": "2008-03-28",
            "status": "draft",
        }
    )

    assert "2 versions loaded: 1 draft, 1 published." in home_page(client, pct.lead)


def test_the_leads_home_page_leads_back_to_a_checked_file_not_yet_loaded(lead_client, pct):
    checked = upload(lead_client, pct.pct, NORTHBROOK_FORM)

    waiting = text(lead_client.get(reverse("home")))
    load(lead_client, checked)
    loaded = text(lead_client.get(reverse("home")))

    assert (
        "You checked northbrook-2007.yaml but have not loaded it yet: "
        f'<a href="{checked.url}">see what loading northbrook-2007.yaml will do</a>.'
    ) in waiting
    assert "You checked" not in loaded
    assert "1 version loaded: 1 published." in loaded
