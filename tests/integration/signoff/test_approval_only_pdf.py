"""The PDF of a plan whose form ends at approval (docs/decisions/0361, 0328): no sign-off block
it never asks for; a draft until the PCT approves it, then final, saying who approved it and
when. On Riverside PCT's locality note (tests/riverside.py), not DacCom's."""

from zoneinfo import ZoneInfo

import pytest

from consortia.models import User
from signoff import services
from signoff.models import PlanDocument
from signoff.presenters.documents import document_state, documents_panel, download_filename
from signoff.word_export import plan_docx
from tests.integration.signoff.pdf_helpers import pdf_text
from tests.review_factories import person
from tests.riverside import NOTE, PEC, riverside_plan, word_text

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

BODY = PEC


def note_plan():
    return riverside_plan(NOTE, title="Riverside Locality Note 2008/09")


def printed(plan, user, capture) -> tuple[PlanDocument, str]:
    with capture(execute=True):
        document = services.draft_pdf_request(plan=plan, user=user)
    document.refresh_from_db()
    assert document.state == PlanDocument.State.READY, document.failure_reason
    return document, " ".join(pdf_text(document.pdf).split())


def test_a_draft_of_a_form_with_no_signatories_has_no_sign_off_block(
    django_capture_on_commit_callbacks,
):
    plan = note_plan()

    _document, text = printed(
        plan, person(User.Role.CONSORTIUM_EDITOR, plan), django_capture_on_commit_callbacks
    )

    assert "DRAFT" in text and "Not approved." in text
    assert "not signed" not in text.lower() and "DRAFT: not approved" in text
    assert "signed off by" not in text and "Sign-off" not in text
    assert "has not been signed" not in text
    assert f"has not been approved by the {BODY}" in text
    assert "Send the note to the commissioning office." in text


def test_once_approved_the_pdf_is_final_and_says_who_approved_it_and_when(
    django_capture_on_commit_callbacks,
):
    plan = note_plan()
    lead = person(User.Role.PCT_LEAD, plan)
    services.plan_submit(plan=plan, user=person(User.Role.CONSORTIUM_EDITOR, plan))
    services.plan_start_review(plan=plan, user=lead)
    services.plan_approve(plan=plan, user=lead)
    plan.refresh_from_db()
    approved_on = plan.events.get(to_status="approved").created_at

    document, text = printed(plan, lead, django_capture_on_commit_callbacks)

    day = f"{approved_on.astimezone(ZoneInfo('Europe/London')):%-d %B %Y}"
    assert f"Approved by the {BODY} on {day}" in text
    assert f"This plan was approved by the {BODY} on {day}" in text
    assert "DRAFT" not in text and "Draft" not in text and "Revision" not in text
    assert "not signed" not in text.lower() and "signed off by" not in text
    assert "Sign-off" not in text
    assert "Signed by 0" not in text
    assert download_filename(document).endswith("-approved.pdf")
    assert document_state(document, lead).title == "PDF of the approved plan"
    panel = documents_panel(plan, lead)
    assert panel.approved_by == f"the {BODY}" and not panel.signed_expected


def test_a_draft_asked_for_just_before_approval_is_not_handed_out_as_the_approved_pdf(
    django_capture_on_commit_callbacks,
):
    plan = note_plan()
    lead = person(User.Role.PCT_LEAD, plan)
    services.plan_submit(plan=plan, user=person(User.Role.CONSORTIUM_EDITOR, plan))
    services.plan_start_review(plan=plan, user=lead)
    before, before_text = printed(plan, lead, django_capture_on_commit_callbacks)
    services.plan_approve(plan=plan, user=lead)
    plan.refresh_from_db()

    after, after_text = printed(plan, lead, django_capture_on_commit_callbacks)

    assert after.pk != before.pk
    assert "DRAFT" in before_text and "DRAFT" not in after_text
    assert download_filename(before).endswith("-draft-r1.pdf")


def test_the_word_export_of_such_a_plan_has_no_sign_off_and_is_final_once_approved():
    plan = note_plan()
    lead = person(User.Role.PCT_LEAD, plan)
    draft = word_text(plan_docx(plan=plan, user=lead))
    services.plan_submit(plan=plan, user=person(User.Role.CONSORTIUM_EDITOR, plan))
    services.plan_start_review(plan=plan, user=lead)
    services.plan_approve(plan=plan, user=lead)
    plan.refresh_from_db()

    approved = word_text(plan_docx(plan=plan, user=lead))

    for text in (draft, approved):
        assert "Sign-off" not in text and "signed off by" not in text
        assert "not signed" not in text.lower()
    assert "Not approved." in draft and f"has not been approved by the {BODY}" in draft
    assert f"Status: Approved by the {BODY} on " in approved
    assert f"This plan was approved by the {BODY} on " in approved
    assert "DRAFT" not in approved
