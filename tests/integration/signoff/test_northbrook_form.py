"""A second PCT's form, not DacCom's, from import to the sealed PDF and /verify/: four
signatories in three steps, the middle one signed in either order, each refused out of turn.
The signed PDF is saved under artifacts/pdf/ to be looked at."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans import template_files
from plans.models import Plan
from signoff.canonical import content_sha256
from signoff.errors import Refused
from tests.northbrook import (
    FORM,
    NAMES,
    TITLES,
    appoint_finance,
    approved,
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
    approved(northbrook, plan)

    # Out of turn: only the consortium's chair signs first.
    for key in ("chief", "pec"):
        with pytest.raises(Refused, match="signs before you"):
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
