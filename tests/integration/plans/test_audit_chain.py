"""The plan's audit chain: events, signatures and ready PDFs linked in order, each row's hash
recomputed from its stored fields; a row changed, removed or slipped in is named."""

import html
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import close_old_connections, connection
from django.urls import reverse

from consortia.models import User
from plans.audit import audit_chain_head, audit_chain_verify
from plans.events import event_record
from plans.models import Plan, PlanEvent
from signoff import services
from signoff.models import CommentEvent, Notification, PlanDocument, Signature
from tests.factories import UserFactory
from tests.review_factories import person, put_in_state, three_signatory_plan

Status = Plan.Status


def reviewed_and_signed_plan() -> Plan:
    plan = three_signatory_plan()
    services.plan_submit(plan=plan, user=person(User.Role.CONSORTIUM_EDITOR, plan))
    lead = person(User.Role.PCT_LEAD, plan)
    services.comment_add(
        plan=plan, user=lead, body="Which follow-ups?", question=plan.template.questions.first()
    )
    return put_in_state(plan, Status.SIGNED)


def verify_command(*plans: Plan) -> str:
    out = StringIO()
    arguments = [f"--plan={plan.pk}" for plan in plans]
    try:
        call_command("verify_audit_chain", *arguments, stdout=out)
    except CommandError as error:
        return out.getvalue() + f"\nERROR {error}"
    return out.getvalue()


def raw_update(model, pk: int, column: str, value) -> None:
    """Changes a stored row as someone with the database's password could, past the models."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {model._meta.db_table} SET {column} = %s WHERE id = %s",  # noqa: S608
            [value, pk],
        )


def raw_delete(model, pk: int, column: str = "id") -> None:
    """Removes stored rows as someone with the database's password could, past the models."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE {column} = %s", [pk])  # noqa: S608


@pytest.mark.django_db
def test_events_signatures_and_the_ready_pdf_are_linked_in_the_order_they_happened():
    plan = reviewed_and_signed_plan()

    links = sorted(
        [(e.audit_seq, "event") for e in PlanEvent.objects.filter(plan=plan)]
        + [(s.audit_seq, "signature") for s in Signature.objects.filter(plan=plan)]
        + [(d.audit_seq, "pdf") for d in PlanDocument.objects.filter(plan=plan)]
    )
    check = audit_chain_verify(plan)

    assert [kind for _, kind in links] == ["event", "event"] + ["signature"] * 3 + ["pdf"]
    assert [seq for seq, _ in links] == [1, 2, 3, 4, 5, 6]
    assert check.intact and check.length == 6
    assert check.head_sha256 == PlanDocument.objects.get(plan=plan).audit_sha256


@pytest.mark.django_db
def test_a_pdf_joins_the_chain_only_when_it_is_ready():
    plan = three_signatory_plan()
    document = PlanDocument.objects.create(
        plan=plan, kind=PlanDocument.Kind.DRAFT, content_sha256="a" * 64
    )
    assert document.audit_seq is None and audit_chain_head(plan)[0] == 0

    document.state, document.pdf = PlanDocument.State.READY, b"%PDF-1.7 draft"
    document.save(update_fields=["state", "pdf"])

    assert document.audit_seq == 1
    assert audit_chain_verify(plan).intact


@pytest.mark.django_db
def test_the_verify_command_names_the_event_row_edited_in_the_database():
    plan = reviewed_and_signed_plan()
    other = reviewed_and_signed_plan()
    submitted = PlanEvent.objects.get(plan=plan, kind=PlanEvent.Kind.TRANSITION)

    raw_update(PlanEvent, submitted.pk, "comment", "Nothing to see here.")
    output = verify_command(plan, other)

    broken_at = f"BROKEN at plans.planevent #{submitted.pk} (link 1)"
    assert f"Plan {plan.pk} (Review test plan (2006/07)): {broken_at}" in output
    assert "its stored content no longer matches its hash" in output
    assert f"Plan {other.pk} (Review test plan (2006/07)): 6 links, intact" in output
    assert "ERROR 1 of 2 audit chains are broken." in output


@pytest.mark.django_db
def test_a_signature_whose_signed_hash_is_changed_is_named():
    plan = reviewed_and_signed_plan()
    signature = Signature.objects.filter(plan=plan).order_by("position")[1]

    raw_update(Signature, signature.pk, "content_sha256", "f" * 64)

    assert audit_chain_verify(plan).broken.record == f"signoff.signature #{signature.pk}"


@pytest.mark.django_db
def test_a_voided_signature_made_live_again_in_the_database_is_named():
    plan = put_in_state(three_signatory_plan(), Status.SIGNING)
    services.plan_reopen(
        plan=plan, user=person(User.Role.PCT_LEAD, plan), reason="The savings figure is wrong."
    )
    voided = Signature.objects.get(plan=plan)
    assert voided.voided_at is not None and audit_chain_verify(plan).intact

    raw_update(Signature, voided.pk, "voided_at", None)
    broken = audit_chain_verify(plan).broken

    assert broken.record == f"signoff.signature #{voided.pk}"
    assert broken.reason == "it is shown as live, but the plan was reopened after it was given"


@pytest.mark.django_db
def test_a_live_signature_marked_void_in_the_database_is_named():
    plan = reviewed_and_signed_plan()
    signature = Signature.objects.filter(plan=plan).last()

    raw_update(Signature, signature.pk, "voided_at", signature.signed_at)

    assert audit_chain_verify(plan).broken.record == f"signoff.signature #{signature.pk}"


@pytest.mark.django_db
def test_the_pdf_bytes_replaced_in_the_database_are_named():
    plan = reviewed_and_signed_plan()
    document = PlanDocument.objects.get(plan=plan)

    raw_update(PlanDocument, document.pk, "pdf", b"%PDF-1.7 forged")

    assert audit_chain_verify(plan).broken.record == f"signoff.plandocument #{document.pk}"


def remove_the_comment_event(plan: Plan) -> str:
    """Removes the comment's event (and the rows hanging on it); the next link is named."""
    comment_event = PlanEvent.objects.get(plan=plan, kind=PlanEvent.Kind.COMMENT)
    raw_delete(CommentEvent, comment_event.pk, column="event_id")
    raw_delete(Notification, comment_event.pk, column="event_id")
    raw_delete(PlanEvent, comment_event.pk)
    return f"signoff.signature #{Signature.objects.get(plan=plan, audit_seq=3).pk}"


def remove_the_ready_pdf(plan: Plan) -> str:
    """Removes the newest row, which no later link points back to: only the head can tell."""
    raw_delete(PlanDocument, PlanDocument.objects.get(plan=plan).pk)
    return f"plans.auditchain #{plan.pk}"


def slip_in_an_event(plan: Plan) -> str:
    """Adds an event past the models, so it is given no link."""
    forged = PlanEvent.objects.bulk_create([PlanEvent(plan=plan, kind=PlanEvent.Kind.EXPORT)])[0]
    return f"plans.planevent #{forged.pk}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        pytest.param(
            remove_the_comment_event,
            "link 2 is missing",
            id="a_removed_row_breaks_the_chain_at_the_row_after_it",
        ),
        pytest.param(
            remove_the_ready_pdf,
            "head records 6 links",
            id="removing_the_newest_row_is_caught_by_the_chain_head",
        ),
        pytest.param(
            slip_in_an_event,
            "the row is missing from the chain",
            id="a_row_slipped_in_without_a_link_is_named",
        ),
    ],
)
def test_a_row_removed_or_slipped_in_is_named_with_the_reason(tamper, reason):
    plan = reviewed_and_signed_plan()

    named = tamper(plan)
    broken = audit_chain_verify(plan).broken

    assert broken.record == named
    assert reason in broken.reason


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_connections_appending_to_one_plan_at_once_keep_one_unbroken_chain():
    plan = three_signatory_plan()
    lead = person(User.Role.PCT_LEAD, plan)
    each, start, failures = 15, threading.Barrier(2), []

    def append_events(label: str):
        try:
            start.wait(timeout=30)
            for number in range(each):
                event_record(
                    plan=plan,
                    kind=PlanEvent.Kind.COMMENT,
                    actor=lead,
                    comment=f"{label} {number}",
                    announce=False,
                )
        except Exception as error:  # reported below, with the thread it came from
            failures.append(f"{label}: {error!r}")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=append_events, args=(label,)) for label in "AB"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    check = audit_chain_verify(plan)
    assert failures == []
    assert check.intact and check.length == 2 * each
    assert sorted(PlanEvent.objects.filter(plan=plan).values_list("audit_seq", flat=True)) == list(
        range(1, 2 * each + 1)
    )


@pytest.mark.django_db
def test_the_admin_page_shows_each_chain_intact_or_where_it_breaks(client):
    intact, tampered = reviewed_and_signed_plan(), reviewed_and_signed_plan()
    signature = Signature.objects.filter(plan=tampered).first()
    raw_update(Signature, signature.pk, "typed_name", "Someone Else")
    client.force_login(UserFactory(role=User.Role.SITE_ADMIN))

    listing = client.get(reverse("admin:plans_auditchain_changelist"))
    detail = client.get(reverse("admin:plans_auditchain_change", args=[tampered.pk]))

    assert listing.status_code == detail.status_code == 200
    text = html.unescape(listing.content.decode())
    assert text.count("Intact") == 1
    assert f"Broken at signoff.signature #{signature.pk} (link {signature.audit_seq})" in text
    assert f"signoff.signature #{signature.pk}" in html.unescape(detail.content.decode())
    assert reverse("admin:plans_auditchain_change", args=[intact.pk]) in text


@pytest.mark.django_db
def test_people_who_are_not_administrators_cannot_open_the_audit_chain_admin(client):
    plan = reviewed_and_signed_plan()
    client.force_login(person(User.Role.PCT_LEAD, plan))

    response = client.get(reverse("admin:plans_auditchain_changelist"))

    assert response.status_code in (302, 403)
