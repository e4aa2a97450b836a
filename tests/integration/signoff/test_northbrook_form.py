"""A second PCT's form, not DacCom's, from import to the sealed PDF and /verify/: four
signatories in three steps, the middle one signed in either order, each refused out of turn.
The signed PDF is saved under artifacts/pdf/ to be looked at."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans import template_files
from plans.errors import AnswerInvalid
from plans.models import Plan
from plans.services import answer_save
from signoff.canonical import content_sha256
from signoff.errors import Refused
from tests.integration.signoff.pdf_helpers import pdf_text
from tests.northbrook import (
    FORM,
    NAMES,
    TITLES,
    appoint_finance,
    approved,
    approved_plan,
    imported,
    organisation,
    signed_pdf,
    written_plan,
)
from tests.review_factories import sign
from tests.two_factor import SecondFactorClient

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
Status = Plan.Status
ARTIFACTS = Path(__file__).resolve().parents[3] / "artifacts" / "pdf"
NO_FINANCE = "No one holds PCT Director of Finance at Northbrook PCT: assign someone"


def budget_and_risks_written(plan: Plan, editor) -> None:
    """C1 with money in each practice's row, its Total typed wrong on purpose, and D1 with a
    risk: the form computes each row's total, the column totals and the score."""
    budget = plan.answers.get(question__key="practice-budgets")
    answer_save(answer=budget, user=editor, base_version=budget.version, rows=[
        {"name": "Mill Lane Surgery", "prescribing": "5000000", "secondary_care": "2000000",
         "community": "1000000", "total": "9000000"},
        {"name": "Quay Street Practice", "prescribing": "1000000", "secondary_care": "500000",
         "community": "250000", "total": ""},
    ])  # fmt: skip
    risks = plan.answers.get(question__key="risk-register")
    answer_save(answer=risks, user=editor, base_version=risks.version, rows=[
        {"risk": "Activity rises", "likelihood": "4", "impact": "5", "score": "",
         "owner": "Chair", "mitigation": "Monthly review"},
    ])  # fmt: skip
    budget.refresh_from_db()
    risks.refresh_from_db()
    assert [row["total"] for row in budget.rows] == ["8000000", "1750000"]
    assert risks.rows[0]["score"] == "20"
    with pytest.raises(AnswerInvalid, match=r"Likelihood \(1-5\) must be a whole number"):
        answer_save(answer=risks, user=editor, base_version=risks.version, rows=[
            {"risk": "Activity rises", "likelihood": "four", "impact": "5"},
        ])  # fmt: skip


def home_page(user) -> str:
    client = SecondFactorClient()
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("middle", [("finance", "chief"), ("chief", "finance")], ids="-then-".join)
def test_the_northbrook_form_goes_from_import_to_four_signatures_the_pdf_and_verify(
    middle, django_capture_on_commit_callbacks, client
):
    northbrook = organisation()
    signatories = northbrook.signatories

    preview = template_files.preview_file(FORM)
    assert any(warning.startswith(NO_FINANCE) for warning in preview.warnings), preview.warnings
    assert [(s["position"], s["step"]) for s in preview.signatories] == [
        ("consortium Chair", 1),
        ("PCT Director of Finance", 2),
        ("PCT Chief Executive", 2),
        ("PCT Professional Executive Committee Chair", 3),
    ]
    template = imported()
    assert [part.number for part in template.parts.all()] == list("ABCDEF")
    assert template.questions.filter(number="B1a").exists()

    plan = written_plan(northbrook, template)
    budget_and_risks_written(plan, northbrook.editor)
    approved(northbrook, plan)

    # Out of turn: only the consortium's chair signs first.
    for key in ("chief", "pec"):
        with pytest.raises(Refused, match=r"signs? before you"):
            sign(plan, signatories[key])
    sign(plan, signatories["chair"])
    assert NO_FINANCE in home_page(northbrook.lead), "the PCT is told what the plan waits for"
    with pytest.raises(Refused, match="cannot sign the plan"):
        sign(plan, signatories["finance"])
    appoint_finance(northbrook)
    assert NO_FINANCE not in home_page(northbrook.lead)

    first, second = (signatories[key] for key in middle)
    sign(plan, first)
    with pytest.raises(Refused, match=f"The {TITLES[middle[1]]} signs before you"):
        sign(plan, signatories["pec"])
    with pytest.raises(Refused, match="Each signature is given once"):
        sign(plan, first)
    sign(plan, second)
    with django_capture_on_commit_callbacks(execute=True):
        sign(plan, signatories["pec"])

    plan.refresh_from_db()
    assert plan.status == Status.SIGNED
    signatures = list(plan.signatures.live().order_by("signed_at"))
    assert [s.title for s in signatures] == [
        TITLES["chair"],
        TITLES[middle[0]],
        TITLES[middle[1]],
        TITLES["pec"],
    ]
    assert {s.content_sha256 for s in signatures} == {content_sha256(plan)}
    pdf = signed_pdf(plan)
    text = " ".join(pdf_text(pdf).split())
    # The budget's computed totals and the risk score, worked out by the form, not typed.
    for figure in ("8,000,000", "1,750,000", "9,750,000", "Total"):
        assert figure in text, figure
    assert "Mill Lane Surgery 5,000,000" in text or "Mill Lane Surgery £5,000,000" in text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"northbrook-{'-then-'.join(middle)}.pdf").write_bytes(pdf)

    response = client.post(
        "/verify/",
        {"file": SimpleUploadedFile("plan.pdf", pdf, "application/pdf")},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This is a plan this service sealed" in page
    for key in TITLES:
        assert TITLES[key] in page and NAMES[key] in page, key


def test_the_plan_page_names_who_each_waiting_signature_waits_for(
    django_capture_on_commit_callbacks,
):
    northbrook = organisation()
    appoint_finance(northbrook)
    plan = approved_plan(northbrook)
    lead = SecondFactorClient()
    lead.force_login(northbrook.lead)
    chair = SecondFactorClient()
    chair.force_login(northbrook.signatories["chair"])
    page = reverse("plan_detail", args=[plan.pk])

    assert f"Waiting for {NAMES['chair']} to sign" in lead.get(page).text
    assert "Waiting to sign (you)" in chair.get(page).text

    with django_capture_on_commit_callbacks(execute=True):
        sign(plan, northbrook.signatories["chair"])

    shown = lead.get(page).text
    assert f"Waiting for {NAMES['finance']} to sign" in shown
    assert f"Waiting for {NAMES['chief']} to sign" in shown
    assert f"Waiting for {NAMES['pec']} to sign" not in shown
