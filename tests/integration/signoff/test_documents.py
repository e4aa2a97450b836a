"""The PDF pipeline with Celery eager: one signed PDF per content however often the task runs,
failures with their reason and a retry, the sweep, drafts on request, downloads and pages."""

import hashlib
import logging
from datetime import timedelta

import pytest
from django.contrib.admin.sites import site as admin_site
from django.urls import reverse
from django.utils import timezone

from consortia.models import User
from plans.models import Plan, PlanEvent
from plans.services import answer_save
from signoff import rendering, seal, services, tasks
from signoff.canonical import content_sha256
from signoff.errors import Refused
from signoff.models import PlanDocument, Signature
from signoff.presenters.documents import documents_panel
from signoff.selectors import plan_revision
from tests.factories import UserFactory
from tests.integration.signoff.pdf_helpers import (
    pdf_text,
    signed_documents,
    signed_plan,
)
from tests.review_factories import person, plan_document, three_signatory_plan

pytestmark = pytest.mark.django_db

Role = User.Role
State = PlanDocument.State


def request_signed(plan, capture):
    with capture(execute=True):
        return services.signed_pdf_request(plan=plan, content_sha256=content_sha256(plan))


def test_running_the_render_again_keeps_one_document_with_the_same_file(
    django_capture_on_commit_callbacks,
):
    plan = signed_plan()

    document = request_signed(plan, django_capture_on_commit_callbacks)
    document.refresh_from_db()
    first = bytes(document.pdf)
    again = [tasks.render_document.delay(document_id=document.pk).get() for _ in range(2)]
    request_signed(plan, django_capture_on_commit_callbacks)

    (only,) = signed_documents(plan)
    assert only.pk == document.pk
    assert only.state == State.READY
    assert bytes(only.pdf) == first
    assert only.file_sha256 == hashlib.sha256(first).hexdigest()
    assert only.attempts == 1
    assert again == ["nothing to do", "nothing to do"]
    assert only.page_count >= 1
    assert first.startswith(b"%PDF")
    assert seal.verify_pdf(first).valid
    assert PlanEvent.objects.filter(plan=plan, kind=PlanEvent.Kind.PDF_READY).count() == 1


def test_of_two_renders_the_first_to_finish_is_kept():
    plan = signed_plan()
    document = plan_document(plan)
    rendering.claim(document.pk, taking_over=False)
    # A second delivery of the same task (Redis handing it back) takes over and renders too.
    rendering.claim(document.pk, taking_over=True)

    kept = rendering.store(document.pk, b"%PDF first", 1, document.content_sha256, 0)
    discarded = rendering.store(document.pk, b"%PDF second", 1, document.content_sha256, 0)

    document.refresh_from_db()
    assert kept is not None and discarded is None
    assert bytes(document.pdf) == b"%PDF first"
    assert document.attempts == 2
    assert PlanEvent.objects.filter(plan=plan, kind=PlanEvent.Kind.PDF_READY).count() == 1


def test_a_render_already_under_way_is_left_to_its_worker():
    plan = signed_plan()
    document = plan_document(plan)
    rendering.claim(document.pk, taking_over=False)

    outcome = tasks.render_document.delay(document_id=document.pk).get()

    document.refresh_from_db()
    assert outcome == "nothing to do"
    assert document.state == State.RENDERING
    assert document.attempts == 1


def test_a_failing_render_is_marked_failed_with_its_reason_and_a_retry_makes_it(
    settings, tmp_path, caplog, django_capture_on_commit_callbacks
):
    key = settings.PDF_SEAL_KEY_PATH
    settings.PDF_SEAL_KEY_PATH = tmp_path / "no-such-key.pem"
    plan = signed_plan()

    with caplog.at_level(logging.ERROR, logger="signoff.tasks"):
        document = request_signed(plan, django_capture_on_commit_callbacks)
    document.refresh_from_db()

    assert document.state == State.FAILED
    assert document.failure_reason == rendering.SEAL_UNAVAILABLE
    assert str(tmp_path) not in document.failure_reason
    assert document.pdf is None
    assert any(
        "The PDF seal's key is missing at" in logging.Formatter().formatException(record.exc_info)
        for record in caplog.records
        if record.exc_info
    ), "the traceback is logged, with the missing file's path"

    editor = person(Role.CONSORTIUM_EDITOR, plan)
    with pytest.raises(Refused):
        services.document_retry(document=document, user=editor)

    settings.PDF_SEAL_KEY_PATH = key
    admin = UserFactory(role=Role.SITE_ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        services.document_retry(document=document, user=admin)

    document.refresh_from_db()
    assert document.state == State.READY
    assert document.failure_reason == ""
    assert document.attempts == 2
    assert seal.verify_pdf(bytes(document.pdf)).valid
    with pytest.raises(Refused, match="not failed"):
        services.document_retry(document=document, user=admin)


def test_the_executive_chair_may_retry_the_signed_pdf_from_its_page(
    client, django_capture_on_commit_callbacks
):
    plan = signed_plan()
    document = plan_document(
        plan,
        state=State.FAILED,
        failure_reason="The PDF seal's key is missing at /nowhere.",
    )
    chair = person(Role.CONSORTIUM_EXECUTIVE_CHAIR, plan)
    client.force_login(chair)
    page = client.get(reverse("document_detail", args=[plan.pk, document.pk]))
    assert "The PDF seal&#x27;s key is missing at /nowhere." in page.text
    assert "Try making it again" in page.text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("document_retry", args=[plan.pk, document.pk]))

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.state == State.READY

    client.force_login(person(Role.PCT_LEAD, plan))
    assert client.post(reverse("document_retry", args=[plan.pk, document.pk])).status_code == 403


def test_a_signed_pdf_is_not_made_of_content_that_changed_after_signing(
    django_capture_on_commit_callbacks,
):
    plan = signed_plan()
    signed_hash = content_sha256(plan)
    plan.answers.filter(pk=plan.answers.first().pk).update(text="<p>Changed later.</p>")

    with django_capture_on_commit_callbacks(execute=True):
        document = services.signed_pdf_request(plan=plan, content_sha256=signed_hash)
    document.refresh_from_db()

    assert document.state == State.FAILED
    assert "is no longer what was signed" in document.failure_reason
    assert document.pdf is None


def test_a_render_whose_worker_died_long_ago_is_rendered_by_the_sweep():
    plan = signed_plan()
    document = plan_document(
        plan,
        state=State.RENDERING,
        attempts=1,
        started_at=timezone.now() - timedelta(minutes=11),
    )
    recent = plan_document(
        three_signatory_plan(),
        kind=PlanDocument.Kind.DRAFT,
        content_sha256="0" * 64,
        state=State.RENDERING,
        attempts=1,
        started_at=timezone.now() - timedelta(minutes=1),
    )

    summary = tasks.sweep_documents()

    document.refresh_from_db()
    recent.refresh_from_db()
    assert summary == {"requested": 0, "resent": 1}
    assert document.state == State.READY
    assert document.attempts == 2
    assert recent.state == State.RENDERING, "a render under way is left alone"


def test_the_sweep_asks_for_the_missing_signed_pdf_of_a_signed_plan_once(
    django_capture_on_commit_callbacks,
):
    plan = signed_plan()
    unsigned = three_signatory_plan()

    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.sweep_documents()
    with django_capture_on_commit_callbacks(execute=True):
        second = tasks.sweep_documents()

    (document,) = signed_documents(plan)
    assert document.state == State.READY
    assert first == {"requested": 1, "resent": 0}
    assert second == {"requested": 0, "resent": 0}
    assert not unsigned.documents.exists()


def test_the_sweep_sends_again_a_document_queued_too_long_and_not_a_failed_one():
    plan = signed_plan()
    stuck = plan_document(plan)
    PlanDocument.objects.filter(pk=stuck.pk).update(
        requested_at=timezone.now() - timedelta(minutes=11)
    )
    other = signed_plan()
    failed = plan_document(other, state=State.FAILED, failure_reason="Broken.")

    assert tasks.sweep_documents() == {"requested": 0, "resent": 1}

    stuck.refresh_from_db()
    failed.refresh_from_db()
    assert stuck.state == State.READY
    assert failed.state == State.FAILED


def test_a_viewer_asks_for_a_draft_which_is_watermarked_and_reused_until_the_plan_changes(
    client, django_capture_on_commit_callbacks
):
    plan = three_signatory_plan()
    lead = person(Role.PCT_LEAD, plan)
    client.force_login(lead)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("plan_draft_pdf", args=[plan.pk]))
    document = PlanDocument.objects.get(plan=plan)
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("plan_draft_pdf", args=[plan.pk]))

    assert response.status_code == 302
    assert response.url == reverse("document_detail", args=[plan.pk, document.pk])
    assert again.url == response.url, "the same draft is offered again"
    assert document.kind == PlanDocument.Kind.DRAFT
    assert document.state == State.READY
    assert document.requested_by == lead
    assert document.revision == plan_revision(plan) == 5
    text = pdf_text(document.pdf)
    assert "DRAFT" in text
    assert "Revision 5" in text
    assert seal.verify_pdf(bytes(document.pdf)).sealed is False, "drafts are not sealed"

    editor = person(Role.CONSORTIUM_EDITOR, plan)
    plan.status = Plan.Status.DRAFT
    plan.save(update_fields=["status"])
    answer = plan.answers.select_related("question").order_by("pk").first()
    answer_save(answer=answer, user=editor, base_version=answer.version, text="<p>New.</p>")
    with django_capture_on_commit_callbacks(execute=True):
        changed = client.post(reverse("plan_draft_pdf", args=[plan.pk]))

    newer = PlanDocument.objects.filter(plan=plan).first()
    assert changed.url != response.url
    assert newer.revision == 6
    assert "Revision 6" in pdf_text(newer.pdf)


def test_a_draft_is_asked_for_by_post_only_and_only_by_those_who_see_the_plan(client):
    plan = three_signatory_plan()
    client.force_login(person(Role.CONSORTIUM_EDITOR, plan))
    assert client.get(reverse("plan_draft_pdf", args=[plan.pk])).status_code == 405

    client.force_login(UserFactory(role=Role.CONSORTIUM_EDITOR))
    assert client.post(reverse("plan_draft_pdf", args=[plan.pk])).status_code == 404
    assert not plan.documents.exists()
    with pytest.raises(Refused):
        services.draft_pdf_request(plan=plan, user=UserFactory(role=Role.PCT_LEAD))


def ready_signed(plan) -> PlanDocument:
    data = b"%PDF-1.7 signed"
    return plan_document(
        plan,
        state=State.READY,
        pdf=data,
        file_sha256=hashlib.sha256(data).hexdigest(),
        page_count=1,
        finished_at=timezone.now(),
    )


def test_the_chairs_download_of_the_signed_pdf_is_recorded_as_the_export(client):
    plan = signed_plan()
    plan.consortium.slug = "daccom"
    plan.consortium.save(update_fields=["slug"])
    document = ready_signed(plan)
    url = reverse("document_download", args=[plan.pk, document.pk])

    client.force_login(person(Role.CONSORTIUM_EDITOR, plan))
    read = client.get(url)
    assert read.status_code == 200
    assert not PlanEvent.objects.filter(plan=plan, kind=PlanEvent.Kind.EXPORT).exists()

    chair = person(Role.CONSORTIUM_EXECUTIVE_CHAIR, plan)
    client.force_login(chair)
    response = client.get(url, REMOTE_ADDR="192.0.2.7")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="daccom-pbc-plan-2006-07-signed.pdf"'
    )
    assert response.content == b"%PDF-1.7 signed"
    (export,) = PlanEvent.objects.filter(plan=plan, kind=PlanEvent.Kind.EXPORT)
    assert export.actor == chair
    assert export.ip_address == "192.0.2.7"
    assert document.file_sha256 in export.comment


def test_only_the_executive_chair_records_the_export():
    plan = signed_plan()
    ready_signed(plan)

    for role in (Role.CONSORTIUM_EDITOR, Role.PCT_LEAD, Role.PCT_CHIEF_EXECUTIVE):
        with pytest.raises(Refused, match="executive chair"):
            services.signed_pdf_download_record(plan=plan, user=person(role, plan))
    services.signed_pdf_download_record(
        plan=plan, user=person(Role.CONSORTIUM_EXECUTIVE_CHAIR, plan)
    )
    assert PlanEvent.objects.filter(plan=plan, kind=PlanEvent.Kind.EXPORT).count() == 1


def test_a_draft_downloads_under_its_revision(client):
    plan = three_signatory_plan()
    document = plan_document(
        plan,
        kind=PlanDocument.Kind.DRAFT,
        revision=123,
        state=State.READY,
        pdf=b"%PDF-1.7 draft",
        page_count=1,
    )
    client.force_login(person(Role.PCT_CHIEF_EXECUTIVE, plan))

    response = client.get(reverse("document_download", args=[plan.pk, document.pk]))

    slug = plan.consortium.slug
    assert response["Content-Disposition"] == (
        f'attachment; filename="{slug}-pbc-plan-2006-07-draft-r123.pdf"'
    )
    assert not PlanEvent.objects.filter(plan=plan, kind=PlanEvent.Kind.EXPORT).exists()


def test_documents_outside_the_users_scope_are_not_found(client):
    plan = signed_plan()
    document = ready_signed(plan)
    client.force_login(UserFactory(role=Role.CONSORTIUM_EXECUTIVE_CHAIR))

    for name in ("document_detail", "document_status", "document_download"):
        assert client.get(reverse(name, args=[plan.pk, document.pk])).status_code == 404
    other = three_signatory_plan()
    client.force_login(person(Role.CONSORTIUM_EDITOR, other))
    # The document exists, but not on this plan.
    assert client.get(reverse("document_detail", args=[other.pk, document.pk])).status_code == 404


def test_a_document_not_ready_is_not_downloaded_but_its_page_says_where_it_is(client):
    plan = three_signatory_plan()
    document = plan_document(plan, kind=PlanDocument.Kind.DRAFT, revision=4, state=State.RENDERING)
    client.force_login(person(Role.CONSORTIUM_EDITOR, plan))

    download = client.get(reverse("document_download", args=[plan.pk, document.pk]))
    page = client.get(reverse("document_detail", args=[plan.pk, document.pk]))
    status = client.get(reverse("document_status", args=[plan.pk, document.pk]))

    assert download.status_code == 302
    assert "Being made" in page.text
    assert "Refresh this page" in page.text
    assert "js/document_status.mjs" in page.text
    assert status.json()["state"] == "rendering"
    assert status.json()["done"] is False
    assert status.json()["download_url"] == ""
    assert status["Cache-Control"] == "no-store"


def test_the_status_of_a_ready_document_gives_its_download(client):
    plan = signed_plan()
    document = ready_signed(plan)
    client.force_login(person(Role.PCT_LEAD, plan))

    status = client.get(reverse("document_status", args=[plan.pk, document.pk])).json()

    assert status["done"] is True
    assert status["state"] == "ready"
    assert status["download_url"] == reverse("document_download", args=[plan.pk, document.pk])
    assert status["download_text"] == "Download the signed PDF (PDF, 15\xa0bytes)"
    assert status["filename"].endswith("-signed.pdf")


@pytest.mark.parametrize("extra_documents", [0, 30])
def test_the_progress_page_and_its_status_keep_to_a_query_budget(
    client, django_assert_max_num_queries, extra_documents
):
    plan = signed_plan()
    document = ready_signed(plan)
    for number in range(extra_documents):
        plan_document(plan, kind=PlanDocument.Kind.DRAFT, content_sha256=f"{number:064d}")
    client.force_login(person(Role.CONSORTIUM_EXECUTIVE_CHAIR, plan))

    # Session, user, plan, document (and the navigation's consortium on the page).
    with django_assert_max_num_queries(5):
        page = client.get(reverse("document_detail", args=[plan.pk, document.pk]))
    with django_assert_max_num_queries(4):
        status = client.get(reverse("document_status", args=[plan.pk, document.pk]))

    assert page.status_code == status.status_code == 200


def test_the_plan_page_panel_shows_the_signed_pdf_state_and_offers_a_draft():
    plan = signed_plan()
    chair = person(Role.CONSORTIUM_EXECUTIVE_CHAIR, plan)
    lead = person(Role.PCT_LEAD, plan)

    nothing_yet = documents_panel(plan, chair)
    document = plan_document(
        plan,
        state=State.FAILED,
        failure_reason="The certificate file is missing.",
    )
    for_chair = documents_panel(plan, chair)
    for_lead = documents_panel(plan, lead)

    assert nothing_yet.signed_expected and nothing_yet.signed is None
    assert for_chair.signed.id == document.pk
    assert for_chair.signed.message == "The certificate file is missing."
    assert for_lead.signed.message == (
        "The certificate file is missing. The consortium's executive chair or a site "
        "administrator can try making it again."
    )
    assert for_chair.signed.may_retry and not for_lead.signed.may_retry
    assert for_chair.may_record_export and not for_lead.may_record_export
    assert for_chair.may_request_draft and for_lead.may_request_draft

    Signature.objects.filter(plan=plan).update(voided_at=timezone.now())
    plan.status = Plan.Status.CHANGES_REQUESTED
    plan.save(update_fields=["status"])
    reopened = documents_panel(plan, chair)
    assert reopened.signed is None and not reopened.signed_expected


def test_the_admin_shows_documents_without_their_file_and_retries_failed_ones(
    client, django_capture_on_commit_callbacks
):
    plan = signed_plan()
    failed = plan_document(plan, state=State.FAILED, failure_reason="Broken.")
    admin = UserFactory(role=Role.SITE_ADMIN)
    client.force_login(admin)

    listing = client.get(reverse("admin:signoff_plandocument_changelist"))
    detail = client.get(reverse("admin:signoff_plandocument_change", args=[failed.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:signoff_plandocument_changelist"),
            {"action": "retry_rendering", "_selected_action": [failed.pk]},
        )

    assert listing.status_code == detail.status_code == 200
    for name in ("signoff_signature", "plans_planevent"):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    assert "Retry rendering" in listing.text
    assert 'name="pdf"' not in detail.text
    failed.refresh_from_db()
    assert failed.state == State.READY
    for model in (PlanDocument, Signature, PlanEvent):
        model_admin = admin_site._registry[model]
        request = type("Request", (), {"user": admin})()
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
        assert model_admin.has_view_permission(request)


def failing_then_rendering(monkeypatch, failures: int):
    """The database goes away for the first ``failures`` renders (as it does in a failover)."""
    from django.db import OperationalError

    from signoff import pdf

    real = pdf.render_plan_pdf
    calls = []

    def render(**kwargs):
        calls.append(1)
        if len(calls) <= failures:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    monkeypatch.setattr(pdf, "render_plan_pdf", render)
    # Run every retry in this process, as a worker would run them one after another.
    monkeypatch.setitem(tasks.render_document.app.conf, "task_eager_propagates", False)
    return calls


def test_a_passing_outage_is_retried_and_the_pdf_is_made(monkeypatch):
    plan = signed_plan()
    document = plan_document(plan)
    calls = failing_then_rendering(monkeypatch, failures=2)

    tasks.render_document.apply(kwargs={"document_id": document.pk})

    document.refresh_from_db()
    assert len(calls) == 3
    assert document.state == State.READY
    assert document.attempts == 3
    assert document.failure_reason == ""


def test_an_outage_longer_than_the_retries_fails_the_document_with_the_reason(monkeypatch):
    plan = signed_plan()
    document = plan_document(plan)
    failing_then_rendering(monkeypatch, failures=100)

    result = tasks.render_document.apply(kwargs={"document_id": document.pk})

    document.refresh_from_db()
    assert result.failed()
    assert document.state == State.FAILED
    assert document.attempts == tasks.MAX_RETRIES + 1
    assert document.failure_reason == (
        "The PDF could not be made after 6 attempts because the database or another service "
        "it needs did not answer. A site administrator can try again."
    )


def test_signatures_voided_during_the_render_leave_no_signed_pdf():
    plan = signed_plan()
    document = plan_document(plan)
    rendering.claim(document.pk, taking_over=False)
    Signature.objects.filter(plan=plan).update(voided_at=timezone.now())

    with pytest.raises(rendering.CannotRender, match="voided"):
        rendering.store(document.pk, b"%PDF late", 1, document.content_sha256, 0)

    document.refresh_from_db()
    assert document.pdf is None
    assert document.state == State.RENDERING


def test_the_plan_page_offers_the_signed_pdf_and_a_draft(client):
    plan = signed_plan()
    document = ready_signed(plan)
    client.force_login(person(Role.CONSORTIUM_EXECUTIVE_CHAIR, plan))

    page = client.get(reverse("plan_detail", args=[plan.pk])).text

    assert reverse("document_download", args=[plan.pk, document.pk]) in page
    assert "Download the signed PDF (PDF, 15\xa0bytes)" in page
    assert "recorded in the plan's activity as its export" in page
    assert reverse("plan_draft_pdf", args=[plan.pk]) in page
    assert "Download a draft PDF" in page
