"""The PDF of a plan whose form ends at approval (docs/decisions/0361, 0328, 0457): no sign-off
block it never asks for; a draft until the PCT approves it, then final, saying who approved it
and when, sealed like a signed plan's and recognised by the verification page. On Riverside
PCT's locality note (tests/riverside.py), not DacCom's."""

import hashlib
from dataclasses import replace
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from consortia.models import User
from plans.models import PlanEvent
from signoff import pdf, seal, services, tasks
from signoff.canonical import content_sha256
from signoff.emails import Reason
from signoff.models import Notification, PlanDocument
from signoff.presenters.documents import document_state, documents_panel, download_filename
from signoff.signing import approval_given
from signoff.verification import Outcome, verify_upload
from signoff.word_export import plan_docx
from tests.integration.signoff.pdf_helpers import pdf_text
from tests.review_factories import person
from tests.riverside import NOTE, PEC, riverside_plan, word_text

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

BODY = PEC
LEAD = "Jane Smith"
# Who approved it, as the PDF, the Word export and the verification page name them.
APPROVER = f"{LEAD} (PCT lead) for the {BODY}"
APPROVED = PlanDocument.Kind.APPROVED


def note_plan():
    return riverside_plan(NOTE, title="Riverside Locality Note 2008/09")


def approved_note(capture):
    """The note through review to the PEC's approval, its sealed PDF made as at approval."""
    plan = note_plan()
    plan.consortium.slug = "riverside"
    plan.consortium.save(update_fields=["slug"])
    lead = person(User.Role.PCT_LEAD, plan, full_name=LEAD)
    services.plan_submit(plan=plan, user=person(User.Role.CONSORTIUM_EDITOR, plan))
    services.plan_start_review(plan=plan, user=lead)
    with capture(execute=True):
        services.plan_approve(plan=plan, user=lead)
    plan.refresh_from_db()
    return plan, lead


def approved_pdf(plan) -> PlanDocument:
    (document,) = PlanDocument.objects.filter(plan=plan, kind=APPROVED)
    assert document.state == PlanDocument.State.READY, document.failure_reason
    return document


def approval_day(plan) -> str:
    approved_on = plan.events.filter(to_status="approved").earliest("created_at").created_at
    return f"{approved_on.astimezone(ZoneInfo('Europe/London')):%-d %B %Y}"


def flipped(data: bytes, at: int) -> bytes:
    changed = bytearray(data)
    changed[at] ^= 0x01
    return bytes(changed)


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
    plan, lead = approved_note(django_capture_on_commit_callbacks)

    document, text = printed(plan, lead, django_capture_on_commit_callbacks)

    day = approval_day(plan)
    assert document.kind == APPROVED
    assert f"Approved by {APPROVER} on {day}" in text
    assert f"This plan was approved by {APPROVER} on {day}" in text
    assert "DRAFT" not in text and "Draft" not in text and "Revision" not in text
    assert "not signed" not in text.lower() and "signed off by" not in text
    assert "Sign-off" not in text
    assert "Signed by 0" not in text
    assert download_filename(document).endswith("-approved.pdf")
    assert document_state(document, lead).title == "PDF of the approved plan"
    panel = documents_panel(plan, lead)
    assert panel.approved_by == f"the {BODY}" and panel.signed_expected
    assert panel.signed.title == "PDF of the approved plan" and not panel.may_request_draft


def test_a_draft_asked_for_just_before_approval_is_not_handed_out_as_the_approved_pdf(
    django_capture_on_commit_callbacks,
):
    plan = note_plan()
    lead = person(User.Role.PCT_LEAD, plan)
    services.plan_submit(plan=plan, user=person(User.Role.CONSORTIUM_EDITOR, plan))
    services.plan_start_review(plan=plan, user=lead)
    before, before_text = printed(plan, lead, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_approve(plan=plan, user=lead)
    plan.refresh_from_db()

    after, after_text = printed(plan, lead, django_capture_on_commit_callbacks)

    assert after.pk != before.pk
    assert "DRAFT" in before_text and "DRAFT" not in after_text
    assert download_filename(before).endswith("-draft-r1.pdf")


def test_the_word_export_of_such_a_plan_has_no_sign_off_and_is_final_once_approved():
    plan = note_plan()
    lead = person(User.Role.PCT_LEAD, plan, full_name=LEAD)
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
    assert f"Status: Approved by {APPROVER} on " in approved
    assert f"This plan was approved by {APPROVER} on " in approved
    assert "DRAFT" not in approved


def test_approval_seals_the_final_pdf_once_however_often_it_is_asked_for(
    django_capture_on_commit_callbacks,
):
    plan, lead = approved_note(django_capture_on_commit_callbacks)
    document = approved_pdf(plan)
    data = bytes(document.pdf)

    again = tasks.render_document.delay(document_id=document.pk).get()
    with django_capture_on_commit_callbacks(execute=True):
        asked = services.draft_pdf_request(plan=plan, user=lead)

    assert again == "nothing to do" and asked.pk == document.pk
    assert tasks.sweep_documents() == {"requested": 0, "resent": 0}
    again_stored = approved_pdf(plan)
    assert bytes(again_stored.pdf) == data and again_stored.attempts == 1
    assert document.content_sha256 == content_sha256(plan)
    assert not plan.documents.exclude(pk=document.pk).exists()
    [signature] = PdfFileReader(BytesIO(data)).embedded_signatures
    assert signature.field_name == seal.FIELD_NAME
    assert f"Approved {plan.title}" in signature.sig_object["/Reason"]
    assert seal.verify_pdf(data).valid


def test_the_executive_chair_downloads_the_sealed_approved_pdf_as_the_plans_export(
    client, django_capture_on_commit_callbacks
):
    plan, _lead = approved_note(django_capture_on_commit_callbacks)
    document = approved_pdf(plan)
    chair = person(User.Role.CONSORTIUM_EXECUTIVE_CHAIR, plan)
    client.force_login(chair)

    response = client.get(reverse("document_download", args=[plan.pk, document.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="riverside-pbc-plan-2008-09-approved.pdf"'
    )
    assert response.content == bytes(document.pdf) and seal.verify_pdf(response.content).valid
    (export,) = PlanEvent.objects.filter(plan=plan, kind=PlanEvent.Kind.EXPORT)
    assert export.actor == chair
    assert export.comment == (
        f"Downloaded the approved plan's PDF (SHA-256 of the file: {document.file_sha256})."
    )
    feed = client.get(reverse("plan_activity", args=[plan.pk])).content.decode()
    assert "downloaded the approved plan&#x27;s PDF" in feed and "the signed PDF" not in feed


def test_the_verify_page_recognises_the_approved_pdf_and_names_who_approved_it(
    client, django_capture_on_commit_callbacks
):
    plan, _lead = approved_note(django_capture_on_commit_callbacks)
    data = bytes(approved_pdf(plan).pdf)

    response = client.post(
        "/verify/", {"file": SimpleUploadedFile("note.pdf", data, "application/pdf")}
    )

    page = " ".join(response.content.decode().split())
    assert response.status_code == 200
    assert "This is a plan this service sealed" in page and "has not been altered" in page
    assert "The approved plan" in page
    assert plan.title in page and "Riverside Commissioning Consortium" in page
    assert "2008/09" in page
    assert f"{APPROVER}, on {approval_day(plan)}." in page
    assert "asks for no signatures" in page
    assert content_sha256(plan) in page
    assert "Signed by" not in page and "sent back for changes" not in page


def test_a_flipped_byte_in_the_approved_pdf_makes_it_altered(
    client, django_capture_on_commit_callbacks
):
    plan, _lead = approved_note(django_capture_on_commit_callbacks)
    data = bytes(approved_pdf(plan).pdf)

    result = verify_upload(flipped(data, len(data) // 2))
    page = client.post(
        "/verify/",
        {"file": SimpleUploadedFile("note.pdf", flipped(data, len(data) // 3), "application/pdf")},
    ).content.decode()

    assert result.outcome == Outcome.ALTERED and result.plan_title == ""
    assert "This file has been altered since it was sealed" in page
    assert plan.title not in page


def test_the_approved_pdf_still_verifies_once_the_plan_is_sent_back_and_says_so(
    django_capture_on_commit_callbacks,
):
    plan, lead = approved_note(django_capture_on_commit_callbacks)
    first = approved_pdf(plan)
    services.plan_reopen(plan=plan, user=lead, reason="The PEC asked for the summary again.")

    result = verify_upload(bytes(first.pdf))
    services.plan_submit(plan=plan, user=person(User.Role.CONSORTIUM_EDITOR, plan))
    services.plan_start_review(plan=plan, user=lead)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_approve(plan=plan, user=lead)
    second = PlanDocument.objects.filter(plan=plan, kind=APPROVED).exclude(pk=first.pk).get()

    assert result.outcome == Outcome.SEALED
    assert result.approved_by == APPROVER and result.approved_on == approval_day(plan)
    assert result.superseded
    assert second.state == PlanDocument.State.READY, second.failure_reason
    assert second.content_sha256 == first.content_sha256, "approved again, unchanged"
    assert not verify_upload(bytes(second.pdf)).superseded
    assert verify_upload(bytes(first.pdf)).superseded


def test_the_sweep_seals_the_pdf_of_a_plan_approved_without_one(
    django_capture_on_commit_callbacks,
):
    plan, _lead = approved_note(django_capture_on_commit_callbacks)
    plan.documents.all().delete()  # approved before approved plans were sealed

    found = tasks.sweep_documents()

    assert found == {"requested": 1, "resent": 0}
    assert seal.verify_pdf(bytes(approved_pdf(plan).pdf)).valid
    assert tasks.sweep_documents() == {"requested": 0, "resent": 0}


def ready_notices(plan) -> list[Notification]:
    return list(
        Notification.objects.filter(
            event__plan=plan, event__kind=PlanEvent.Kind.PDF_READY
        ).select_related("recipient")
    )


def test_the_executive_chair_is_emailed_once_that_the_approved_pdf_is_ready_with_its_link(
    django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://plans.example.org"
    plan = note_plan()
    chair = person(User.Role.CONSORTIUM_EXECUTIVE_CHAIR, plan, email="chair@example.org")
    lead = person(User.Role.PCT_LEAD, plan, full_name=LEAD)
    services.plan_submit(plan=plan, user=person(User.Role.CONSORTIUM_EDITOR, plan))
    services.plan_start_review(plan=plan, user=lead)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_approve(plan=plan, user=lead)
    document = approved_pdf(plan)

    again = tasks.render_document.delay(document_id=document.pk).get()
    swept = tasks.sweep_documents()

    (notice,) = ready_notices(plan)
    assert notice.recipient == chair and notice.reason == Reason.APPROVED_PDF_READY
    assert notice.emailed_at is not None
    assert again == "nothing to do" and swept == {"requested": 0, "resent": 0}
    (ready,) = [m for m in mail.outbox if "approved plan is ready" in m.subject]
    assert ready.to == [chair.email]
    assert ready.subject == (
        "Riverside Commissioning Consortium plan 2008/09: the PDF of the approved plan is ready"
    )
    link = f"https://plans.example.org/plans/{plan.pk}/documents/{document.pk}/download/"
    assert link in ready.body
    assert "The PDF of the approved plan is ready for you to download and send." in ready.body
    assert "signed PDF" not in ready.body


def test_the_activity_feed_says_the_approved_pdf_was_made_ready(
    client, django_capture_on_commit_callbacks
):
    plan, lead = approved_note(django_capture_on_commit_callbacks)
    client.force_login(lead)

    feed = client.get(reverse("plan_activity", args=[plan.pk])).content.decode()

    assert "made the approved plan&#x27;s PDF ready" in feed and "signed PDF" not in feed


def test_an_approved_pdf_sealed_before_it_named_its_approver_still_verifies_as_sealed(
    client, django_capture_on_commit_callbacks
):
    plan, _lead = approved_note(django_capture_on_commit_callbacks)
    document = approved_pdf(plan)
    # The file as it was sealed before the approver was named: the body alone.
    named_body_only = replace(approval_given(plan), approver="")
    rendered = pdf.render_plan_pdf(
        plan=plan, signatures=[], content_sha256=document.content_sha256, approval=named_body_only
    )
    earlier = seal.seal_pdf(rendered.pdf, reason="Approved", location="PBC Plans")
    assert f"Approved by the {BODY} on" in " ".join(pdf_text(earlier).split())
    PlanDocument.objects.filter(pk=document.pk).update(
        pdf=earlier, file_sha256=hashlib.sha256(earlier).hexdigest()
    )

    result = verify_upload(earlier)
    page = client.post(
        "/verify/", {"file": SimpleUploadedFile("note.pdf", earlier, "application/pdf")}
    ).content.decode()

    assert result.outcome == Outcome.SEALED and not result.superseded
    assert result.content_sha256 == content_sha256(plan)
    assert "This is a plan this service sealed" in page
    # What the verification page reports is read from the plan's record, not from the file.
    assert f"{APPROVER}, on {approval_day(plan)}." in " ".join(page.split())
