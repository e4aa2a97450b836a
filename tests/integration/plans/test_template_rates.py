"""Rates, splits, scales, labels, case questions and parties come from the template's file
(issue 13.3, docs/decisions/0400-0403): the Northbrook form's management allowance at £1.50 a
patient paid 60/40 is worked out at the file's figures in the file's words; DacCom's and
BANES's figures are in their definition files, not in Python."""

import re
from decimal import Decimal

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consortia.models import User
from plans import services, template_files
from plans.errors import AnswerInvalid
from plans.models import Plan, PlanTemplate
from plans.selectors import kind_context
from plans.structured import kind_for
from plans.workflow import may_edit_answer
from tests import demo_data
from tests.factories import UserFactory
from tests.northbrook import FORM, imported, northbrook_plan, organisation

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

ALLOWANCE = "management-allowance-payments"


def save_figures(plan: Plan, user, key: str, data: dict):
    answer = plan.answers.select_related("question").get(question__key=key)
    return services.answer_save(answer=answer, user=user, base_version=answer.version, data=data)


def northbrook_file(**edits) -> dict:
    """The Northbrook form as a mapping, as a new version with ``edits`` to question C3."""
    data = yaml.load(FORM.read_bytes(), Loader=template_files._DefinitionLoader)  # noqa: S506
    data.update(
        slug="northbrook-pct-plan-2008", version_label="2008/09 v1.0", version_date="2008-03-28"
    )
    budget = next(part for part in data["parts"] if part["key"] == "budget")
    allowance = next(q for q in budget["questions"] if q["key"] == ALLOWANCE)
    allowance["parameters"].update(edits)
    return data


def question_section(page: str, key: str) -> str:
    return page.split(f'id="question-{key}"')[1].split("</section>")[0]


def test_the_management_allowance_is_worked_out_at_the_files_rate_and_split_in_its_words(
    client,
):
    northbrook = organisation()
    plan = northbrook_plan(northbrook, imported())

    saved = save_figures(plan, northbrook.editor, ALLOWANCE, {"population": "10000"})

    figures = kind_for(saved.question).figures(saved.data, context=kind_context(plan))
    assert figures["rate_per_patient"] == Decimal("1.50")
    assert (figures["total"], figures["to_practices"], figures["held_by_pct"]) == (
        Decimal("15000"),
        Decimal("9000"),
        Decimal("6000"),
    )
    client.force_login(northbrook.editor)
    page = client.get(reverse("part_detail", args=[plan.pk, "budget"])).content.decode()
    section = question_section(page, ALLOWANCE)
    assert "Management allowance for the registered patients" in section
    assert "Paid at the start of the year" in section and "Paid on delivery of the plan" in section
    assert "£15,000" in section and "£9,000" in section and "£6,000" in section
    assert "Set by the form: £1.50 a patient; Paid at the start of the year: 60%" in section
    assert 'name="q-management-allowance-payments-rate_per_patient"' not in section
    words = re.sub(r"<[^>]+>", " ", section).lower()
    for word in ("des", "aspiration", "reward"):
        assert not re.search(rf"\b{word}\b", words), word


def test_the_figures_follow_the_file_not_the_code():
    northbrook = organisation()
    imported()
    template = template_files.store(
        northbrook_file(rate_per_patient="2.00", practices_share_percent="50")
    )
    plan = northbrook_plan(northbrook, template)

    saved = save_figures(plan, northbrook.editor, ALLOWANCE, {"population": "10000"})

    figures = kind_for(saved.question).figures(saved.data, context=kind_context(plan))
    assert (figures["total"], figures["to_practices"], figures["held_by_pct"]) == (
        Decimal("20000"),
        Decimal("10000"),
        Decimal("10000"),
    )
    assert saved.question.parameters["rate_per_patient"] == "2.00"


def test_a_rate_other_than_the_forms_is_refused_not_replaced():
    northbrook = organisation()
    plan = northbrook_plan(northbrook, imported())

    with pytest.raises(AnswerInvalid) as refused:
        save_figures(
            plan, northbrook.editor, ALLOWANCE, {"population": "10000", "rate_per_patient": "1.90"}
        )

    assert refused.value.message == (
        "The form sets this at £1.50 a patient: it cannot be changed in a plan."
    )
    assert refused.value.field == "rate_per_patient"


def test_daccom_and_banes_figures_are_their_definition_files_parameters():
    demo_data.load_organisations_and_plans()
    daccom = PlanTemplate.objects.get(slug="daccom-locality-plan-2006")
    des = daccom.questions.get(kind="des_funding")
    assert des.parameters["rate_per_patient"] == "1.90"
    assert des.parameters["practices_share_percent"] == "75"
    banes = Plan.objects.get(consortium__slug="banes")
    scale = banes.answers.select_related("question").get(question__kind="freed_up_resources")
    assert scale.data == {}, "the scale is the form's, not the answer's"

    figures = kind_for(scale.question).figures(scale.data, context=kind_context(banes))

    at_300k = next(s for s in figures["splits"] if s["freed_up"] == Decimal("300000"))
    assert (at_300k["returned"], at_300k["practices"], at_300k["pct"]) == (
        Decimal("20000"),
        Decimal("196000"),
        Decimal("84000"),
    )
    assert figures["practices_share_percent"] == Decimal("70")
    assert figures["investment_to_recover"] == Decimal("400000")
    framework = banes.template.questions.get(kind="outcome_framework")
    assert framework.parameters == {"rate_per_patient": "0.95"}


def test_parties_the_form_names_say_who_completes_and_map_to_who_edits(client):
    northbrook = organisation()
    data = northbrook_file()
    data["parties"] = [
        {"key": "practice", "label": "each member practice", "edited_by": "consortium"},
        {"key": "pct-finance", "label": "PCT finance", "edited_by": "pct"},
    ]
    budget = next(part for part in data["parts"] if part["key"] == "budget")
    budget["questions"][0]["completed_by"] = "practice"
    pct_part = next(part for part in data["parts"] if part["key"] == "pct")
    pct_part["questions"][0]["completed_by"] = "pct-finance"
    template = template_files.store(data)
    plan = northbrook_plan(northbrook, template)
    budgets = template.questions.get(key="practice-budgets")
    assessment = template.questions.get(key="pct-assessment")

    assert (budgets.completed_by, budgets.party) == ("consortium", "practice")
    assert (assessment.completed_by, assessment.party) == ("pct", "pct-finance")
    assert may_edit_answer(northbrook.editor, plan, budgets)
    refusal = may_edit_answer(northbrook.editor, plan, assessment)
    assert not refusal
    assert refusal.reason == "This question is completed by PCT finance."
    client.force_login(northbrook.editor)
    page = client.get(reverse("part_detail", args=[plan.pk, "budget"])).content.decode()
    assert "For completion by each member practice" in question_section(page, "practice-budgets")
    written = template_files.export(template)
    assert written["parts"][2]["questions"][0]["completed_by"] == "practice"
    assert template_files.preview(written).outcome is template_files.Outcome.UNCHANGED


def test_the_import_preview_lists_the_rates_the_form_sets(client):
    organisation()
    client.force_login(UserFactory(role=User.Role.SITE_ADMIN))

    preview = client.post(
        reverse("admin:plans_plantemplate_import"),
        {"file": SimpleUploadedFile("northbrook.yaml", FORM.read_bytes())},
    )

    shown = preview.content.decode()
    assert "Rates and settings the form sets" in shown
    assert (
        '<th scope="row">C3 The management allowance and when it is paid</th><td>'
        "rate_per_patient: 1.50; practices_share_percent: 60; labels: population, caption, "
        "total, to_practices, held_by_pct, note</td>"
    ) in shown
    assert '<th scope="row">Payment per patient</th><td>1</td>' in shown
